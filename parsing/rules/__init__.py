"""The consistency rules, one module per family: within and across tables, self-evaluations,
and the narrative against the tables."""

from __future__ import annotations

from parsing.rules.evaluation import EVALUATION_RULES
from parsing.rules.narrative import NARRATIVE_RULES
from parsing.rules.tables import TABLE_RULES

RULES = (*TABLE_RULES, *EVALUATION_RULES, *NARRATIVE_RULES)
