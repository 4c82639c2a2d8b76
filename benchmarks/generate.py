"""A synthetic library written straight into the cache, so that a start on a thousand filings costs no PDF.

N departments × Y years, one filing each: a 部门预算 in even years, a 部门决算 or 绩效自评表 in odd
ones (so every department has budgets two years apart to compare). Departments are named like
深圳市龙岗区审计局, budget lines carry real 功能分类/经济分类 codes (款 and 类 rows are the sums of
their items), projects recur from year to year, and indicator targets read like ≥20个, ≥90%,
2023年12月31日前完成. N=200, Y=5 gives 1,000 filings, 30k projects, 300k indicators and about 1M
budget lines.

Each filing gets a small placeholder file whose sha256 keys its cache entry: `Library.load` finds
every one cached and parses nothing. Frames are built for the whole library at once from seeded
random columns (joins and expressions; Python only per department and filing), then split by
filing and written.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from parsing import schema
from parsing.store import cache

CITIES = {
    "深圳市": ("福田区", "罗湖区", "南山区", "盐田区", "宝安区", "龙岗区", "龙华区", "坪山区", "光明区", "大鹏新区"),
    "广州市": (
        "越秀区",
        "海珠区",
        "荔湾区",
        "天河区",
        "白云区",
        "黄埔区",
        "番禺区",
        "花都区",
        "南沙区",
        "从化区",
        "增城区",
    ),
    "上海市": (
        "黄浦区",
        "徐汇区",
        "长宁区",
        "静安区",
        "普陀区",
        "虹口区",
        "杨浦区",
        "闵行区",
        "宝山区",
        "嘉定区",
        "浦东新区",
        "金山区",
        "松江区",
        "青浦区",
        "奉贤区",
        "崇明区",
    ),
}
#: Bureau → (its own 款, the topics of its projects).
BUREAUS = {
    "审计局": (("20108",), ("审计业务", "政府投资审计", "经济责任审计")),
    "财政局": (("20106",), ("国库集中支付", "预算绩效管理", "财政投资评审")),
    "教育局": (("20501", "20502"), ("学位建设", "教师培训", "校园安全")),
    "卫生健康局": (("21001", "21004"), ("基本公共卫生服务", "社区健康服务", "疾病预防控制")),
    "民政局": (("20802", "20810"), ("养老服务", "社会救助", "社区治理")),
    "司法局": (("20406",), ("法律援助", "人民调解", "普法宣传")),
    "水务局": (("21303",), ("河道综合治理", "排水管网维护", "水土保持")),
    "文化广电旅游体育局": (("20701", "20703"), ("公共文化服务", "全民健身", "文物保护")),
    "住房和建设局": (("21201", "21203"), ("保障性住房管理", "建设工程质量监督", "物业管理监管")),
    "城市管理和综合执法局": (("21205", "21201"), ("环境卫生", "市容环境提升", "公园管理")),
    "应急管理局": (("22401",), ("安全生产监管", "应急救援队伍建设", "防灾减灾")),
    "统计局": (("20105",), ("统计调查", "经济普查", "统计信息化")),
    "科技创新局": (("20601", "20604"), ("科技企业扶持", "科技成果转化", "科普活动")),
    "人力资源局": (("20801", "20110"), ("就业创业服务", "职业技能培训", "人才引进")),
    "发展和改革局": (("20104",), ("重大项目前期研究", "价格监测", "节能降耗")),
    "工业和信息化局": (("21505", "21508"), ("中小企业服务", "产业发展扶持", "信息化建设")),
    "退役军人事务局": (("20828", "20808"), ("优抚安置", "退役军人服务站建设", "双拥工作")),
    "市场监督管理局": (("20138",), ("食品安全抽检", "特种设备监管", "知识产权保护")),
    "生态环境局": (("21101", "21103"), ("大气污染防治", "环境监测", "生态保护")),
    "交通运输局": (("21401",), ("道路运输管理", "公交服务保障", "交通综合治理")),
    "政务服务数据管理局": (("20103",), ("政务服务", "数据资源管理", "智慧城市建设")),
    "商务局": (("21602",), ("商贸流通", "招商引资", "消费促进")),
    "医疗保障局": (("21015",), ("医疗保障基金监管", "医保经办服务", "医疗救助")),
    "机关事务管理局": (("20103",), ("公务用车管理", "办公用房维修", "机关食堂管理")),
}
UNIT_SUFFIXES = ("事务中心", "服务中心", "信息中心", "综合行政执法大队", "发展研究中心")

FUNCTION_CLASSES = {
    "201": "一般公共服务支出",
    "204": "公共安全支出",
    "205": "教育支出",
    "206": "科学技术支出",
    "207": "文化旅游体育与传媒支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "211": "节能环保支出",
    "212": "城乡社区支出",
    "213": "农林水支出",
    "214": "交通运输支出",
    "215": "资源勘探工业信息等支出",
    "216": "商业服务业等支出",
    "221": "住房保障支出",
    "224": "灾害防治及应急管理支出",
}
FUNCTION_GROUPS = {
    "20101": "人大事务",
    "20103": "政府办公厅（室）及相关机构事务",
    "20104": "发展与改革事务",
    "20105": "统计信息事务",
    "20106": "财政事务",
    "20108": "审计事务",
    "20110": "人力资源事务",
    "20111": "纪检监察事务",
    "20126": "档案事务",
    "20129": "群众团体事务",
    "20131": "党委办公厅（室）及相关机构事务",
    "20132": "组织事务",
    "20133": "宣传事务",
    "20138": "市场监督管理事务",
    "20406": "司法",
    "20501": "教育管理事务",
    "20502": "普通教育",
    "20508": "进修及培训",
    "20601": "科学技术管理事务",
    "20604": "技术研究与开发",
    "20607": "科学技术普及",
    "20701": "文化和旅游",
    "20703": "体育",
    "20801": "人力资源和社会保障管理事务",
    "20802": "民政管理事务",
    "20805": "行政事业单位养老支出",
    "20808": "抚恤",
    "20810": "社会福利",
    "20828": "退役军人管理事务",
    "21001": "卫生健康管理事务",
    "21004": "公共卫生",
    "21011": "行政事业单位医疗",
    "21015": "医疗保障管理事务",
    "21101": "环境保护管理事务",
    "21103": "污染防治",
    "21201": "城乡社区管理事务",
    "21203": "城乡社区公共设施",
    "21205": "城乡社区环境卫生",
    "21303": "水利",
    "21401": "公路水路运输",
    "21505": "工业和信息产业监管",
    "21508": "支持中小企业发展和管理支出",
    "21602": "商业流通事务",
    "22102": "住房改革支出",
    "22401": "应急管理事务",
}
#: 项 of most 款: (last two digits, name, share of 基本支出).
STANDARD_ITEMS = (
    ("01", "行政运行", 1.0),
    ("02", "一般行政管理事务", 0.0),
    ("03", "机关服务", 0.0),
    ("50", "事业运行", 1.0),
    ("99", "其他{}支出", 0.0),
)
SPECIAL_ITEMS = {
    "20805": (
        ("01", "行政单位离退休", 1.0),
        ("02", "事业单位离退休", 1.0),
        ("05", "机关事业单位基本养老保险缴费支出", 1.0),
        ("06", "机关事业单位职业年金缴费支出", 1.0),
        ("99", "其他行政事业单位养老支出", 1.0),
    ),
    "21011": (
        ("01", "行政单位医疗", 1.0),
        ("02", "事业单位医疗", 1.0),
        ("03", "公务员医疗补助", 1.0),
        ("99", "其他行政事业单位医疗支出", 1.0),
    ),
    "22102": (("01", "住房公积金", 1.0), ("02", "提租补贴", 1.0), ("03", "购房补贴", 1.0)),
    "20502": (
        ("01", "学前教育", 0.3),
        ("02", "小学教育", 0.3),
        ("03", "初中教育", 0.3),
        ("04", "高中教育", 0.3),
        ("99", "其他普通教育支出", 0.0),
    ),
    "20108": (*STANDARD_ITEMS, ("04", "审计业务", 0.0), ("05", "审计管理", 0.0)),
    "20106": (*STANDARD_ITEMS, ("07", "信息化建设", 0.0), ("08", "财政委托业务支出", 0.0)),
}
#: Pensions, health insurance and housing: every department budgets them.
COMMON_GROUPS = ("20805", "21011", "22102")

ECONOMIC_CLASSES = {
    "301": "工资福利支出",
    "302": "商品和服务支出",
    "303": "对个人和家庭的补助",
    "310": "资本性支出",
    "312": "对企业补助",
    "399": "其他支出",
}
ECONOMIC_SHARE = {"301": 1.0, "302": 0.5, "303": 1.0, "310": 0.0, "312": 0.0, "399": 0.0}
ECONOMIC_ITEMS = {
    "30101": "基本工资",
    "30102": "津贴补贴",
    "30103": "奖金",
    "30106": "伙食补助费",
    "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费",
    "30111": "公务员医疗补助缴费",
    "30112": "其他社会保障缴费",
    "30113": "住房公积金",
    "30114": "医疗费",
    "30199": "其他工资福利支出",
    "30201": "办公费",
    "30202": "印刷费",
    "30203": "咨询费",
    "30204": "手续费",
    "30205": "水费",
    "30206": "电费",
    "30207": "邮电费",
    "30209": "物业管理费",
    "30211": "差旅费",
    "30212": "因公出国（境）费用",
    "30213": "维修（护）费",
    "30214": "租赁费",
    "30215": "会议费",
    "30216": "培训费",
    "30217": "公务接待费",
    "30218": "专用材料费",
    "30224": "被装购置费",
    "30225": "专用燃料费",
    "30226": "劳务费",
    "30227": "委托业务费",
    "30228": "工会经费",
    "30229": "福利费",
    "30231": "公务用车运行维护费",
    "30239": "其他交通费用",
    "30240": "税金及附加费用",
    "30299": "其他商品和服务支出",
    "30301": "离休费",
    "30302": "退休费",
    "30304": "抚恤金",
    "30305": "生活补助",
    "30307": "医疗费补助",
    "30309": "奖励金",
    "30399": "其他对个人和家庭的补助",
    "31001": "房屋建筑物购建",
    "31002": "办公设备购置",
    "31003": "专用设备购置",
    "31005": "基础设施建设",
    "31006": "大型修缮",
    "31007": "信息网络及软件购置更新",
    "31009": "物资储备",
    "31013": "公务用车购置",
    "31099": "其他资本性支出",
    "31204": "费用补贴",
    "31299": "其他对企业补助",
    "39908": "对民间非营利组织和群众性自治组织补贴",
    "39999": "其他支出",
}
#: Tables by filing kind and classification: (kind, classification, table_no, table_kind, title, total measure, page).
TABLES = (
    ("部门预算", "function", "表3", "支出总表", "表3 部门支出总表", "支出总计", 6),
    ("部门预算", "function", "表7", "功能分类", "表7 一般公共预算支出表（按功能分类）", "支出总计", 10),
    ("部门预算", "economic", "表8", "经济分类", "表8 一般公共预算支出表（按经济分类）", "支出总计", 12),
    ("部门决算", "function", "表3", "支出总表", "表3 支出决算表", "本年支出合计", 7),
    ("部门决算", "function", "表5", "功能分类", "表5 一般公共预算财政拨款支出决算表", "本年支出合计", 9),
    ("部门决算", "economic", "表6", "经济分类", "表6 一般公共预算财政拨款基本支出决算表", "本年支出合计", 10),
)

GENERIC_PROJECTS = (
    "信息系统运行维护",
    "办公楼修缮",
    "物业管理服务",
    "档案数字化加工",
    "法律顾问服务",
    "党建工作经费",
    "业务培训",
    "宣传教育",
    "课题研究",
    "办公设备购置",
    "网络安全等级保护测评",
    "公务用车运行维护",
    "第三方服务外包",
    "安全生产检查",
    "政务信息公开",
    "会议及活动保障",
    "机关食堂运营",
    "视频会议系统升级",
    "公文印刷",
    "志愿者服务",
    "应急物资储备",
    "数据中心租赁",
    "绩效评价第三方服务",
    "廉政教育",
    "信访维稳工作",
    "舆情监测服务",
    "保安服务",
    "保洁服务",
    "办公软件正版化",
    "人才公寓租赁",
)
PROJECT_SUFFIXES = ("专项经费", "工作经费", "服务采购")
#: The ten indicator slots of every project: (一级指标, 二级指标).
SLOTS = (
    ("产出", "数量"),
    ("产出", "数量"),
    ("产出", "质量"),
    ("产出", "质量"),
    ("产出", "时效"),
    ("产出", "成本"),
    ("效益", "社会效益"),
    ("效益", "经济效益"),
    ("效益", "可持续影响"),
    ("满意度", "服务对象满意度"),
)
#: 二级指标 → (三级指标, form, unit or text, low, high); forms: count ≥n{unit}, pct ≥low%, full 100%,
#: date {year}年12月31日前完成, cost ≤{budget}万元, text a qualitative target.
INDICATORS = {
    "数量": (
        ("完成项目数量", "count", "个", 5, 60),
        ("培训人次", "count", "人次", 200, 3000),
        ("检查覆盖单位数", "count", "家", 20, 300),
        ("运维系统数量", "count", "套", 3, 25),
        ("发布信息条数", "count", "条", 50, 800),
        ("开展活动次数", "count", "次", 4, 40),
    ),
    "质量": (
        ("验收合格率", "full", "", 0, 0),
        ("系统正常运行率", "pct", "", 95, 0),
        ("问题整改率", "pct", "", 90, 0),
        ("成果采纳率", "pct", "", 85, 0),
        ("资料归档完整率", "full", "", 0, 0),
    ),
    "时效": (("项目完成时间", "date", "", 0, 0), ("按时完成率", "full", "", 0, 0)),
    "成本": (("项目预算控制数", "cost", "", 0, 0),),
    "社会效益": (
        ("提升公共服务水平", "text", "公共服务水平有效提升", 0, 0),
        ("保障单位正常运转", "text", "保障各项工作正常开展", 0, 0),
        ("群众获得感", "text", "群众获得感明显增强", 0, 0),
    ),
    "经济效益": (
        ("节约财政资金", "text", "有效节约财政资金", 0, 0),
        ("资金使用效益", "text", "资金使用效益提高", 0, 0),
    ),
    "可持续影响": (
        ("长效机制建设", "text", "建立健全长效管理机制", 0, 0),
        ("信息化水平", "text", "信息化水平持续提升", 0, 0),
    ),
    "服务对象满意度": (
        ("服务对象满意度", "pct", "", 90, 0),
        ("群众满意度", "pct", "", 85, 0),
        ("被服务单位满意度", "pct", "", 95, 0),
    ),
}
#: Narrative parts by filing kind: (part_no, part, heading, text with {column} fields).
PARTS = {
    "部门预算": (
        (
            1,
            "第一部分",
            "部门概况",
            (
                "一、部门职责\n{department}是区政府工作部门，负责贯彻落实国家、省、市关于{topic}等工作的方针政策和"
                "法律法规。\n二、机构设置\n{department}下设{units}个预算单位。"
            ),
        ),
        (
            2,
            "第二部分",
            "部门预算收支总体情况",
            "{year}年{department}部门预算收入{total}万元，支出{total}万元，收支平衡。",
        ),
        (
            3,
            "第三部分",
            "部门预算支出具体情况",
            ("{year}年{department}支出预算{total}万元，其中基本支出{basic}万元，项目支出{project}万元。"),
        ),
        (4, "第四部分", "政府采购预算情况", "{department}政府采购项目纳入{year}年部门预算共计{procurement}万元。"),
        (
            5,
            "第五部分",
            "一般公共预算“三公”经费预算情况",
            (
                "{year}年“三公”经费预算{sangong}万元，其中因公出国（境）费0万元，公务接待费{reception}万元，"
                "公务用车购置及运行维护费{cars}万元。"
            ),
        ),
        (
            6,
            "第六部分",
            "部门预算绩效管理情况",
            (
                "{department}实施部门预算绩效管理的单位范围包括本级及所属{units}个预算单位，纳入绩效目标管理的项目"
                "{projects}个。"
            ),
        ),
        (
            7,
            "第七部分",
            "重点项目预算绩效情况说明",
            "{year}年，本部门重点项目绩效目标情况如下：{topic}等重点工作按计划推进。",
        ),
        (
            8,
            "第八部分",
            "其他需要说明情况",
            "一、机关运行经费\n{year}年{department}机关运行经费财政拨款预算{running}万元。",
        ),
        (
            9,
            "第九部分",
            "名词解释",
            (
                "一、一般公共预算拨款收入：指本级财政当年拨付的一般公共预算资金。\n"
                "二、基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。\n"
                "三、项目支出：指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"
            ),
        ),
    ),
    "部门决算": (
        (1, "第一部分", "部门概况", "{department}主要负责{topic}等工作，下设{units}个预算单位。"),
        (
            2,
            "第二部分",
            "部门决算情况说明",
            ("{year}年度{department}本年支出合计{total}万元，其中基本支出{basic}万元，项目支出{project}万元。"),
        ),
        (
            3,
            "第三部分",
            "名词解释",
            (
                "一、本年支出合计：指单位本年度发生的各项支出。\n"
                "二、机关运行经费：指为保障行政单位运行用于购买货物和服务的各项资金。"
            ),
        ),
    ),
}
KIND_TITLES = {
    "部门预算": "{year}年{department}部门预算",
    "部门决算": "{year}年度{department}部门决算",
    "绩效自评表": "{year}年度{department}预算项目绩效自评表",
}
PROJECT_TABLES = {"部门预算": "表13 项目支出绩效目标表", "部门决算": "表9 项目支出决算表"}


def department_names(count: int) -> list[tuple[str, str, str]]:
    """The first ``count`` departments as (name, area, bureau): Shenzhen's first, bureau by bureau."""
    every = [
        (f"{city}{district}{bureau}", f"{city}{district}", bureau)
        for city, districts in CITIES.items()
        for bureau in BUREAUS
        for district in districts
    ]
    if count > len(every):
        raise ValueError(f"at most {len(every)} departments can be generated")
    return every[:count]


def generate(
    folder: Path, departments: int = 200, years: int = 5, *, seed: int = 7, groups: int = 28, projects: int = 30
) -> list[Path]:
    """Write the placeholder files into ``folder`` and their frames into the cache; returns the files.

    ``groups`` 款 per function table (about six rows each) and ``projects`` per filing set the size;
    every project has ten indicators.
    """
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    filings = _filings(rng, folder, department_names(departments), range(2025 - years, 2025), groups, projects)
    frames = _frames(rng, filings)
    by_doc = {name: df.partition_by("doc_id", as_dict=True) for name, df in frames.items()}

    def store(sha: str) -> None:
        key = (sha[:16],)
        cache.store(sha, {name: parts[key] if key in parts else schema.empty(name) for name, parts in by_doc.items()})

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(store, filings["sha256"]))
    return [Path(p) for p in filings["file"]]


def _filings(
    rng: random.Random, folder: Path, depts: list[tuple[str, str, str]], years: range, groups: int, projects: int
) -> pl.DataFrame:
    """One row per filing, with the per-filing choices (its 款, its projects and their units) as lists."""
    rows = []
    others = [g for g in FUNCTION_GROUPS if g not in COMMON_GROUPS]
    for d, (department, area, bureau) in enumerate(depts):
        own, topics = BUREAUS[bureau]
        stem = bureau.removesuffix("局")
        units = [f"{department}本级"] + [f"{area}{stem}{s}" for s in rng.sample(UNIT_SUFFIXES, rng.randint(1, 3))]
        pool = [f"{t}{s}" for t in topics for s in PROJECT_SUFFIXES] + list(GENERIC_PROJECTS)
        pool = rng.sample(pool, min(len(pool), projects + 6))
        extra = rng.sample([g for g in others if g not in own], groups + 3)
        for year in years:
            kind = "部门预算" if year % 2 == 0 else ("部门决算", "绩效自评表")[d % 2]
            path = folder / f"{year}_{department}_{kind}.txt"
            content = f"{year}年{department}{kind}（合成数据，seed {rng.random():.12f}）\n".encode()
            path.write_bytes(content)
            names = sorted(rng.sample(range(len(pool)), min(len(pool), projects)))
            rows.append(
                {
                    "sha256": hashlib.sha256(content).hexdigest(),
                    "file": str(path),
                    "source_file": path.name,
                    "department": department,
                    "topic": "、".join(topics),
                    "kind": kind,
                    "year": year,
                    "units": units,
                    "unit_count": len(units),
                    "project_names": [pool[i] for i in names],
                    "project_units": [units[i % len(units)] for i in names],
                    "groups": [*COMMON_GROUPS, *own, *rng.sample(extra, groups - len(own) - len(COMMON_GROUPS))],
                }
            )
    return pl.DataFrame(rows).with_columns(
        pl.col("sha256").str.slice(0, 16).alias("doc_id"), pl.col("year").cast(pl.Int32)
    )


def _frames(rng: random.Random, filings: pl.DataFrame) -> dict[str, pl.DataFrame]:
    lines = _budget_lines(rng, filings)
    projects = _projects(rng, filings)
    totals = (
        lines.filter((pl.col("row_kind") == "total") & (pl.col("table_kind") == "支出总表"))
        .pivot("measure", index="doc_id", values="amount", aggregate_function="first")
        .select(
            "doc_id",
            pl.col("基本支出").alias("basic"),
            pl.col("项目支出").alias("project"),
            (pl.col("基本支出").fill_null(0) + pl.col("项目支出").fill_null(0)).round(2).alias("total"),
        )
    )
    filings = filings.join(totals, on="doc_id", how="left", maintain_order="left").with_columns(
        _random(rng, filings.height).alias("r"), pl.col("project_names").list.len().alias("projects")
    )
    return {
        "documents": _contract(
            "documents",
            filings.with_columns(
                pl.lit("text").alias("source_format"),
                pl.lit(True).alias("synthetic"),
                pl.when(pl.col("kind") == "绩效自评表")
                .then(4 + pl.col("r") * 6)
                .otherwise(20 + pl.col("r") * 12)
                .cast(pl.Int32)
                .alias("pages"),
                pl.coalesce(pl.when(pl.col("kind") == k).then(_fill(t)) for k, t in KIND_TITLES.items()).alias("title"),
            ),
        ),
        "units": _contract(
            "units",
            filings.select("doc_id", "department", pl.col("units").alias("unit"))
            .explode("unit")
            .with_columns(pl.col("unit").str.ends_with("本级").alias("is_own_level")),
        ),
        "projects": projects,
        "indicators": _indicators(rng, projects, filings),
        "budget_lines": lines,
        "sections": _sections(filings),
        "notes": schema.empty("notes"),
        "tables": schema.empty("tables"),
    }


def _projects(rng: random.Random, filings: pl.DataFrame) -> pl.DataFrame:
    p = (
        filings.select(
            "doc_id",
            "source_file",
            "kind",
            "year",
            "department",
            pl.col("project_names").alias("name"),
            pl.col("project_units").alias("unit"),
        )
        .explode("name", "unit")
        .with_columns(pl.int_range(pl.len()).over("doc_id").alias("n"))
    )
    p = p.with_columns(_random(rng, p.height).alias("r1"), _random(rng, p.height).alias("r2"))
    budget = _log_uniform(pl.col("r1"), 5, 2000)
    actual = pl.when(pl.col("kind") != "部门预算").then((budget * (0.55 + 0.45 * pl.col("r2")) + 0.01).round(2))
    rate = (actual / budget * 100).round(2)
    self_evaluation = pl.col("kind") == "绩效自评表"
    p = p.with_columns(
        pl.concat_str(pl.col("doc_id"), pl.lit(":"), pl.col("n")).alias("project_id"),
        (pl.col("n") + 1).alias("seq"),
        pl.lit("project").alias("row_kind"),
        budget.alias("budget_total"),
        budget.alias("budget_gpb"),
        actual.alias("actual_total"),
        actual.alias("actual_gpb"),
        rate.alias("exec_rate"),
        pl.concat_str(rate.round(2).cast(pl.String), pl.lit("%")).alias("exec_rate_text"),
        _fill("按照年度工作计划推进{name}，保障{unit}业务正常开展，提高资金使用效益。").alias("goal"),
        pl.when(self_evaluation).then(_fill("{name}年度任务已完成，资金按计划支出。")).alias("outcome"),
        pl.when(self_evaluation & (rate < 90))
        .then(pl.lit("受采购进度影响，部分资金未能在年内支付。"))
        .alias("problems"),
        pl.when(self_evaluation & (rate < 90))
        .then(pl.lit("加强预算执行监控，提前谋划采购计划。"))
        .alias("rectification"),
        pl.lit("万元").alias("source_unit"),
        pl.concat_list(
            pl.col("n").add(1).cast(pl.String), "name", budget.cast(pl.String), actual.cast(pl.String).fill_null("")
        ).alias("raw_cells"),
        (2 + pl.col("n") // 8).alias("source_page"),
        pl.when(self_evaluation)
        .then(_fill(KIND_TITLES["绩效自评表"]))
        .otherwise(pl.col("kind").replace_strict(PROJECT_TABLES, default=None))
        .alias("source_table"),
    )
    return _contract("projects", p)


def _indicators(rng: random.Random, projects: pl.DataFrame, filings: pl.DataFrame) -> pl.DataFrame:
    templates = pl.DataFrame(
        [(level2, t, *spec) for level2, specs in INDICATORS.items() for t, spec in enumerate(specs)],
        schema=["level2", "t", "indicator", "form", "word", "low", "high"],
        orient="row",
    )
    slots = pl.DataFrame(SLOTS, schema=["level1", "level2"], orient="row")
    i = (
        projects.select(
            "project_id", "doc_id", "unit", "source_file", "source_page", "source_table", "budget_total", "actual_total"
        )
        .join(filings.select("doc_id", "kind", "year"), on="doc_id", maintain_order="left")
        .join(slots, how="cross", maintain_order="left_right")
    )
    i = i.with_columns(*(_random(rng, i.height).alias(f"r{k}") for k in range(3)))
    i = i.with_columns(
        (pl.col("r0") * pl.col("level2").replace_strict({k: len(v) for k, v in INDICATORS.items()}))
        .cast(pl.Int64)
        .alias("t")
    ).join(templates, on=["level2", "t"], maintain_order="left")
    form, low, high, year = pl.col("form"), pl.col("low"), pl.col("high"), pl.col("year")
    count = (low + pl.col("r1") * (high - low)).round().cast(pl.Int64)
    value = (
        pl.when(form == "count")
        .then(count)
        .when(form == "pct")
        .then(low)
        .when(form == "full")
        .then(100)
        .when(form == "cost")
        .then(pl.col("budget_total"))
        .when(form == "date")
        .then(year * 10000 + 1231)
        .cast(pl.Float64)
    )
    target = (
        pl.when(form == "count")
        .then(pl.concat_str(pl.lit("≥"), count, "word"))
        .when(form == "pct")
        .then(pl.concat_str(pl.lit("≥"), low, pl.lit("%")))
        .when(form == "full")
        .then(pl.lit("100%"))
        .when(form == "cost")
        .then(pl.concat_str(pl.lit("≤"), pl.col("budget_total"), pl.lit("万元")))
        .when(form == "date")
        .then(pl.concat_str(year, pl.lit("年12月31日前完成")))
        .otherwise("word")
    )
    # Outcomes (self-evaluations only): most met, some missed, a few counts far over target.
    reached = pl.col("r2") < 0.85
    done = (count * (0.85 + 0.6 * pl.col("r2"))).round().cast(pl.Int64)
    rate = pl.when(reached).then(low + 10 * pl.col("r2") * (100 - low) / 100).otherwise(low - 5 * pl.col("r2")).round(1)
    day = pl.concat_str(year, pl.lit("年"), (9 + 3 * pl.col("r2")).cast(pl.Int64), pl.lit("月30日完成"))
    outcome = (
        pl.when(form == "count")
        .then(pl.concat_str(done, "word"))
        .when(form == "pct")
        .then(pl.concat_str(_number(rate), pl.lit("%")))
        .when(form == "full")
        .then(
            pl.when(reached).then(pl.lit("100%")).otherwise(pl.concat_str(_number(95 + 5 * pl.col("r2")), pl.lit("%")))
        )
        .when(form == "cost")
        .then(pl.concat_str(pl.col("actual_total"), pl.lit("万元")))
        .when(form == "date")
        .then(pl.when(reached).then(day).otherwise(pl.concat_str(year + 1, pl.lit("年1月15日完成"))))
        .otherwise(pl.when(reached).then(pl.lit("已完成")).otherwise(pl.lit("基本完成")))
    )
    verdict = (
        pl.when(pl.col("outcome").is_null() | (form == "text"))
        .then(pl.lit("unparsed"))
        .when(form == "count")
        .then(
            pl.when(done < count)
            .then(pl.lit("missed"))
            .when(done >= 1.5 * count)
            .then(pl.lit("overachieved"))
            .otherwise(pl.lit("met"))
        )
        .when(form == "pct")
        .then(pl.when(rate < low).then(pl.lit("missed")).otherwise(pl.lit("met")))
        .when((form == "full") & reached)
        .then(pl.lit("identical"))
        .when(reached | (form == "cost"))
        .then(pl.lit("met"))
        .otherwise(pl.lit("missed"))
    )
    i = i.with_columns(
        target.alias("target"),
        pl.when(pl.col("kind") == "绩效自评表").then(outcome).alias("outcome"),
        pl.lit(False).alias("not_applicable"),
        form.replace_strict({"date": "date", "text": "qual"}, default="quant").alias("target_kind"),
        form.replace_strict({"count": ">=", "pct": ">=", "full": "=", "cost": "<=", "date": "<="}, default=None).alias(
            "target_op"
        ),
        value.alias("target_value"),
        pl.when(form == "count")
        .then("word")
        .when(form.is_in(["pct", "full"]))
        .then(pl.lit("%"))
        .when(form == "cost")
        .then(pl.lit("万元"))
        .alias("target_unit"),
    )
    return _contract("indicators", i.with_columns(verdict.alias("verdict")))


def _budget_lines(rng: random.Random, filings: pl.DataFrame) -> pl.DataFrame:
    """Each table's items drawn at random, its 款 and 类 rows their sums, a 合计 row on top."""
    items = pl.DataFrame(
        [
            (group, group + suffix, name.format(FUNCTION_GROUPS[group]), share)
            for group in FUNCTION_GROUPS
            for suffix, name, share in SPECIAL_ITEMS.get(group, STANDARD_ITEMS)
        ],
        schema=["group", "code", "name", "share"],
        orient="row",
    )
    economic = pl.DataFrame({"code": list(ECONOMIC_ITEMS), "share": [ECONOMIC_SHARE[c[:3]] for c in ECONOMIC_ITEMS]})
    tables = pl.DataFrame(
        TABLES,
        schema=["kind", "classification", "table_no", "table_kind", "source_table", "total_measure", "source_page"],
        orient="row",
    )
    filed = filings.filter(pl.col("kind") != "绩效自评表").select("doc_id", "source_file", "kind", "department")
    by_function = (
        filed.join(
            filings.select("doc_id", pl.col("groups").alias("group")).explode("group"),
            on="doc_id",
            maintain_order="left_right",
        )
        .join(items.drop("name"), on="group", maintain_order="left_right")
        .drop("group")
        .join(tables.filter(pl.col("classification") == "function"), on="kind", maintain_order="left_right")
    )
    by_economy = filed.join(economic, how="cross", maintain_order="left_right").join(
        tables.filter(pl.col("classification") == "economic"), on="kind", maintain_order="left_right"
    )
    by_economy = by_economy.filter(_random(rng, by_economy.height) < 0.85)
    leaves = pl.concat([by_function, by_economy.select(by_function.columns)])
    leaves = leaves.with_columns(_random(rng, leaves.height))
    amount = _log_uniform(pl.col("r"), 1, 3000)
    leaves = leaves.with_columns(
        pl.when(pl.col("share") > 0).then((amount * pl.col("share")).round(2)).alias("basic"),
        pl.when(pl.col("share") < 1).then((amount * (1 - pl.col("share"))).round(2)).alias("project"),
    )
    table = [c for c in leaves.columns if c not in ("code", "share", "r", "basic", "project")]
    columns = [*table, "code", "basic", "project"]
    sums = [pl.col("basic").sum().round(2), pl.col("project").sum().round(2)]
    parents = [
        leaves.filter(pl.col("code").str.len_chars() > width)
        .group_by(*table, pl.col("code").str.slice(0, width))
        .agg(sums)
        .select(columns)
        for width in (3, 5)
    ]
    total = leaves.group_by(table).agg(sums).with_columns(pl.lit(None, pl.String).alias("code")).select(columns)
    rows = (
        pl.concat([leaves.select(columns), *parents, total])
        .with_columns(pl.when(pl.col(c) != 0).then(c).alias(c) for c in ("basic", "project"))
        .sort("doc_id", "table_no", "code", nulls_last=False)
        .with_columns(pl.int_range(pl.len()).over("doc_id", "table_no").alias("row_no"))
    )
    names = {
        **FUNCTION_CLASSES,
        **FUNCTION_GROUPS,
        **ECONOMIC_CLASSES,
        **ECONOMIC_ITEMS,
        **dict(zip(items["code"], items["name"], strict=False)),
    }
    width = pl.col("code").str.len_chars()
    rows = rows.with_columns(
        pl.col("code").replace_strict(names, default="合计").alias("name"),
        pl.when(pl.col("code").is_null()).then(pl.lit("total")).otherwise(pl.lit("line")).alias("row_kind"),
        width.replace_strict({3: 1, 5: 2, 7: 3}, default=None).alias("level"),
        pl.when(width > 3).then(pl.col("code").str.slice(0, width - 2)).alias("parent"),
        pl.when(pl.col("basic").is_not_null() | pl.col("project").is_not_null())
        .then((pl.col("basic").fill_null(0) + pl.col("project").fill_null(0)).round(2))
        .alias("total"),
    )
    amounts = ["total", "basic", "project"]
    lines = (
        rows.unpivot(amounts, index=[c for c in rows.columns if c not in amounts], value_name="amount")
        .sort("doc_id", "table_no", "row_no", pl.col("variable").replace_strict(amounts, [0, 1, 2]))
        .with_columns(
            pl.when(pl.col("variable") == "total")
            .then("total_measure")
            .when(pl.col("variable") == "basic")
            .then(pl.lit("基本支出"))
            .otherwise(pl.lit("项目支出"))
            .alias("measure"),
            _printed(pl.col("amount")).alias("amount_text"),
            pl.col("department").alias("unit"),
            pl.lit("万元").alias("source_unit"),
        )
    )
    return _contract("budget_lines", lines)


def _sections(filings: pl.DataFrame) -> pl.DataFrame:
    parts = pl.DataFrame(
        [(kind, *part) for kind, kind_parts in PARTS.items() for part in kind_parts],
        schema=["kind", "part_no", "part", "heading", "template"],
        orient="row",
    )
    s = filings.join(parts, on="kind", maintain_order="left_right").with_columns(
        pl.col("unit_count").alias("units"),
        (pl.col("total") * 0.04).round(2).alias("procurement"),
        (pl.col("total") * 0.002).round(2).alias("sangong"),
        (pl.col("total") * 0.0005).round(2).alias("reception"),
        (pl.col("total") * 0.0015).round(2).alias("cars"),
        (pl.col("basic") * 0.08).round(2).alias("running"),
        pl.col("part_no").alias("source_page"),
        pl.col("part").alias("source_table"),
    )
    texts = [pl.when(pl.col("template") == t).then(_fill(t)) for t in parts["template"].unique(maintain_order=True)]
    return _contract("sections", s.with_columns(pl.coalesce(texts).alias("text")))


def _contract(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """The contract's columns in its order and dtypes; those ``df`` lacks are null."""
    return df.select(
        pl.col(c).cast(t) if c in df.columns else pl.lit(None, t).alias(c) for c, t in schema.FRAMES[name].items()
    )


def _fill(template: str) -> pl.Expr:
    """A text template with {column} fields as one string expression."""
    pieces = re.split(r"\{(\w+)\}", template)
    return pl.concat_str([pl.col(p).cast(pl.String) if i % 2 else pl.lit(p) for i, p in enumerate(pieces) if p])


def _random(rng: random.Random, n: int) -> pl.Series:
    """n uniform draws in [0, 1) from the seeded generator."""
    return pl.Series("r", [rng.random() for _ in range(n)], dtype=pl.Float64)


def _log_uniform(r: pl.Expr, low: float, high: float) -> pl.Expr:
    """Amounts spread over orders of magnitude (many small lines, a few large ones), 万元 to the cent."""
    return (math.log(low) + r * (math.log(high) - math.log(low))).exp().round(2)


def _number(x: pl.Expr) -> pl.Expr:
    """A number as printed: 96 or 96.5, never 96.0."""
    return pl.when(x == x.floor()).then(x.cast(pl.Int64).cast(pl.String)).otherwise(x.round(1).cast(pl.String))


def _printed(x: pl.Expr) -> pl.Expr:
    """万元 as the filings print them: thousands separated, two decimals (1,234.50)."""
    cents = (x * 100).round().cast(pl.Int64)
    whole, thousands = cents // 100, cents // 100_000
    grouped = (
        pl.when(thousands > 0)
        .then(pl.concat_str(thousands.cast(pl.String), pl.lit(","), (whole % 1000).cast(pl.String).str.zfill(3)))
        .otherwise(whole.cast(pl.String))
    )
    return pl.concat_str(grouped, pl.lit("."), (cents % 100).cast(pl.String).str.zfill(2))
