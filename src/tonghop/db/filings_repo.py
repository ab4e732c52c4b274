"""Submission states across several periods at once (the to-do page's pending reviews): one query, no figures."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from tonghop.db.reporting import SubmissionRow, SubmissionVersionRow, TemplateRow, TemplateVersionRow


class Filing(NamedTuple):
    """One unit's submission state for a template and period (no figures: lists and to-do pages); a tuple because
    hundreds are built per page and a frozen dataclass costs several times more to construct."""

    unit: str
    template: str
    period: str
    state: str
    submitted_at: str | None


def filings(session: Session, pairs: Iterable[tuple[str, str]], states: Iterable[str]) -> list[Filing]:
    """The submissions in STATES of every (template, period) of PAIRS in one query, in PAIRS' order then by unit."""
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return []
    q = (select(SubmissionRow.unit_code, SubmissionRow.template_code, SubmissionRow.period, SubmissionRow.state,
                SubmissionRow.submitted_at)
         .where(SubmissionRow.template_code.in_(sorted({t for t, _ in pairs})),
                SubmissionRow.period.in_(sorted({p for _, p in pairs})),
                SubmissionRow.state.in_(list(states)), SubmissionRow.latest_version_id.is_not(None))
         .order_by(SubmissionRow.unit_code))
    by_pair: dict[tuple[str, str], list[Filing]] = {pair: [] for pair in pairs}
    for unit, template, period, state, submitted_at in session.connection().execute(q):
        found = by_pair.get((template, period))  # the IN lists also match pairs that were not asked for
        if found is not None:
            found.append(Filing(unit, template, period, state, submitted_at))
    return [f for pair in pairs for f in by_pair[pair]]


class Waiting(NamedTuple):
    """The filings of one template and period in given states: how many, the earliest filed, the first few units."""

    template: str
    period: str
    count: int
    first_submitted: str | None
    units: list[str]


_GROUP = (SubmissionRow.template_code, SubmissionRow.period)
_RANKED = (select(SubmissionRow.template_code, SubmissionRow.period, SubmissionRow.unit_code,
                  func.row_number().over(partition_by=_GROUP, order_by=(SubmissionRow.submitted_at,
                                                                        SubmissionRow.unit_code)).label("rank"),
                  func.count().over(partition_by=_GROUP).label("n"),
                  func.min(SubmissionRow.submitted_at).over(partition_by=_GROUP).label("first"))
           .where(SubmissionRow.template_code.in_(bindparam("templates", expanding=True)),
                  SubmissionRow.period.in_(bindparam("periods", expanding=True)),
                  SubmissionRow.state.in_(bindparam("states", expanding=True)),
                  SubmissionRow.latest_version_id.is_not(None),
                  SubmissionRow.unit_code.in_(bindparam("units", expanding=True)))
           .subquery())
# built once: the home page runs it on every visit, and building the statement cost as much as running it
_WAITING = (select(_RANKED.c.template_code, _RANKED.c.period, _RANKED.c.unit_code, _RANKED.c.n, _RANKED.c.first)
            .where(_RANKED.c["rank"] <= bindparam("named"))
            .order_by(_RANKED.c.template_code, _RANKED.c.period, _RANKED.c["rank"]))


def waiting(session: Session, pairs: Iterable[tuple[str, str]], states: Iterable[str], units: Iterable[str],
            named: int) -> list[Waiting]:
    """For each (template, period) of PAIRS, UNITS' submissions in STATES counted, with the NAMED earliest filers;
    one query whatever the number of filings (window functions count per group)."""
    pairs, units = list(dict.fromkeys(pairs)), sorted(set(units))
    if not pairs or not units:
        return []
    params = {"templates": sorted({t for t, _ in pairs}), "periods": sorted({p for _, p in pairs}),
              "states": list(states), "units": units, "named": max(named, 1)}
    found: dict[tuple[str, str], Waiting] = {}
    for template, period, unit, count, first in session.connection().execute(_WAITING, params):
        if (template, period) in found:
            found[(template, period)].units.append(unit)
        else:
            found[(template, period)] = Waiting(template, period, count, first, [unit] if named else [])
    return [found[pair] for pair in pairs if pair in found]


class UnitFiling(NamedTuple):
    """Where one of a unit's submissions stands: state, version and the comment of its newest version."""

    state: str
    version: int
    comment: str | None


_UNIT_FILINGS = (select(SubmissionRow.template_code, SubmissionRow.period, SubmissionRow.state, SubmissionRow.version,
                        SubmissionVersionRow.comment)
                 .join(SubmissionVersionRow, SubmissionVersionRow.id == SubmissionRow.latest_version_id)
                 .where(SubmissionRow.unit_code == bindparam("unit"),
                        SubmissionRow.template_code.in_(bindparam("templates", expanding=True)),
                        SubmissionRow.period.in_(bindparam("periods", expanding=True))))


def unit_filings(session: Session, unit: str, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], UnitFiling]:
    """UNIT's saved submissions for the (template, period) PAIRS, in one query: (template, period) -> its filing."""
    pairs = set(pairs)
    if not pairs:
        return {}
    params = {"unit": unit, "templates": sorted({t for t, _ in pairs}), "periods": sorted({p for _, p in pairs})}
    return {(t, p): UnitFiling(state, version, comment) for t, p, state, version, comment
            in session.connection().execute(_UNIT_FILINGS, params) if (t, p) in pairs}


def current_definitions(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The stored JSON text of the current version of each template of CODES that exists, in one query."""
    q = (select(TemplateRow.code, TemplateVersionRow.definition_json)
         .join(TemplateVersionRow, (TemplateVersionRow.template_id == TemplateRow.id)
               & (TemplateVersionRow.version == TemplateRow.current_version))
         .where(TemplateRow.code.in_(sorted(set(codes)))))
    return {code: text for code, text in session.connection().execute(q) if text}
