"""Reporting rules, pure: org units, templates, periods, submissions, consolidation.

Public API (import from the submodules or from here):
- org_units: OrgUnit, LineageEvent, Membership, UnitTree (.at(day) -> TreeView), follow_lineage, check_tree
- periods: Period, parse_period, make_period, period_for, previous, following, same_period_last_year, deadline
- holidays: HolidayCalendar, calendar_from_dict; lunar: to_lunar, to_solar, lunar_new_year
- templates: Template, Indicator, NarrativeSection, Rule, parse_template, template_to_dict, builtin_template_files
- assignments: Assignment, expected_units
- submissions: transition, allowed_actions, parse_value, parse_values, validate, Issue, is_on_time
- consolidation: consolidate, Consolidation, Completeness, UnitTotal, compare, Comparison, progress,
  rebase_history, Rebased, roll_up
- errors: RegimeError, UnitError, PeriodError, TemplateError, SubmissionError
"""

from tonghop.regime.assignments import Assignment, expected_units
from tonghop.regime.consolidation import (
    Comparison,
    Completeness,
    Consolidation,
    Rebased,
    UnitTotal,
    compare,
    completeness,
    consolidate,
    progress,
    rebase_history,
    roll_up,
)
from tonghop.regime.errors import PeriodError, RegimeError, SubmissionError, TemplateError, UnitError
from tonghop.regime.holidays import HolidayCalendar, calendar_from_dict
from tonghop.regime.lunar import LunarDate, lunar_new_year, to_lunar, to_solar
from tonghop.regime.org_units import (
    LineageEvent,
    LineageIndex,
    Membership,
    OrgUnit,
    TreeView,
    UnitTree,
    check_tree,
    follow_lineage,
)
from tonghop.regime.periods import (
    Period,
    deadline,
    following,
    make_period,
    parse_period,
    period_for,
    previous,
    same_period_last_year,
)
from tonghop.regime.submissions import (
    Issue,
    allowed_actions,
    is_on_time,
    parse_value,
    parse_values,
    transition,
    validate,
)
from tonghop.regime.templates import (
    Indicator,
    NarrativeSection,
    Rule,
    Template,
    builtin_template_files,
    parse_template,
    template_to_dict,
)

__all__ = [
    "Assignment", "Comparison", "Completeness", "Consolidation", "HolidayCalendar", "Indicator", "Issue",
    "LineageEvent", "LineageIndex", "LunarDate", "Membership", "NarrativeSection", "OrgUnit", "Period", "PeriodError", "Rebased",
    "RegimeError", "Rule", "SubmissionError", "Template", "TemplateError", "TreeView", "UnitError", "UnitTotal",
    "UnitTree", "allowed_actions", "builtin_template_files", "calendar_from_dict", "check_tree", "compare",
    "completeness", "consolidate", "deadline", "expected_units", "follow_lineage", "following", "is_on_time",
    "lunar_new_year", "make_period", "parse_period", "parse_template", "parse_value", "parse_values", "period_for",
    "previous", "progress", "rebase_history", "roll_up", "same_period_last_year", "template_to_dict", "to_lunar",
    "to_solar", "transition", "validate",
]
