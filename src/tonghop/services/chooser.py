"""The periods the consolidation chooser offers for each template: the recent ones that can hold filings."""

from __future__ import annotations

from datetime import date

from tonghop.db import filings_repo
from tonghop.regime.errors import PeriodError
from tonghop.regime.periods import Period, make_period, period_for, previous
from tonghop.regime.submissions import STATE_NAMES
from tonghop.regime.templates import Template

SHOWN = {"month": 13, "quarter": 5, "half": 3}  # this period back to the same one a year ago
YEARS_BACK = 20  # how far back the chooser looks for a yearly form's first filing


def offered_periods(session, templates: list[Template], today: date, units: list[str]) -> dict[str, list[Period]]:
    """Template code -> its periods to offer, newest first: a year and a bit of months, quarters and halves; for
    yearly (and 9-month) forms every year back to the first filing of UNITS, at least this year and the last."""
    firsts = _first_years(session, templates, today, units)
    return {t.code: _offered(t, today, firsts.get(t.code)) for t in templates}


def _latest(t: Template, today: date) -> Period:
    """TEMPLATE's period for TODAY; for a 9-month form after September, this year's (already over)."""
    try:
        return period_for(t.period_type, today, t.cutoff)
    except PeriodError:
        return make_period(t.period_type, today.year, 1, t.cutoff)


def _offered(t: Template, today: date, first_year: int | None) -> list[Period]:
    period = _latest(t, today)
    if t.period_type in SHOWN:
        count = SHOWN[t.period_type]
    else:
        count = max(2, period.year - min(first_year or period.year, period.year) + 1)
    out = []
    for _ in range(count):
        out.append(period)
        period = previous(period)
    return out


def _first_years(session, tpls: list[Template], today: date, units: list[str]) -> dict[str, int]:
    """The first year with any submission in UNITS, of each yearly template of TPLS (one grouped query, looking
    back at most YEARS_BACK years)."""
    pairs = []
    for t in tpls:
        if t.period_type not in SHOWN:
            period = _latest(t, today)
            for _ in range(YEARS_BACK):
                pairs.append((t.code, period.code))
                period = previous(period)
    found = filings_repo.waiting(session, pairs, list(STATE_NAMES), units, 1)
    firsts: dict[str, int] = {}
    for w in found:  # a yearly period's code starts with its year
        firsts[w.template] = min(int(w.period[:4]), firsts.get(w.template, 9999))
    return firsts
