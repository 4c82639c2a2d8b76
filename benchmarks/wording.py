"""How the synthetic library's projects, indicators and narrative read: project names, indicator
slots and targets, the parts of a 情况说明, and Polars expressions that print figures as filings do."""

from __future__ import annotations

import math
import random
import re

import polars as pl

from parsing import schema

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


def contract(name: str, df: pl.DataFrame) -> pl.DataFrame:
    """The contract's columns in its order and dtypes; those ``df`` lacks are null."""
    return df.select(
        pl.col(c).cast(t) if c in df.columns else pl.lit(None, t).alias(c) for c, t in schema.FRAMES[name].items()
    )


def fill(template: str) -> pl.Expr:
    """A text template with {column} fields as one string expression."""
    pieces = re.split(r"\{(\w+)\}", template)
    return pl.concat_str([pl.col(p).cast(pl.String) if i % 2 else pl.lit(p) for i, p in enumerate(pieces) if p])


def uniform(rng: random.Random, n: int) -> pl.Series:
    """n uniform draws in [0, 1) from the seeded generator."""
    return pl.Series("r", [rng.random() for _ in range(n)], dtype=pl.Float64)


def log_uniform(r: pl.Expr, low: float, high: float) -> pl.Expr:
    """Amounts spread over orders of magnitude (many small lines, a few large ones), 万元 to the cent."""
    return (math.log(low) + r * (math.log(high) - math.log(low))).exp().round(2)


def number(x: pl.Expr) -> pl.Expr:
    """A number as printed: 96 or 96.5, never 96.0."""
    return pl.when(x == x.floor()).then(x.cast(pl.Int64).cast(pl.String)).otherwise(x.round(1).cast(pl.String))


def printed(x: pl.Expr) -> pl.Expr:
    """万元 as the filings print them: thousands separated, two decimals (1,234.50)."""
    cents = (x * 100).round().cast(pl.Int64)
    whole, thousands = cents // 100, cents // 100_000
    grouped = (
        pl.when(thousands > 0)
        .then(pl.concat_str(thousands.cast(pl.String), pl.lit(","), (whole % 1000).cast(pl.String).str.zfill(3)))
        .otherwise(whole.cast(pl.String))
    )
    return pl.concat_str(grouped, pl.lit("."), (cents % 100).cast(pl.String).str.zfill(2))
