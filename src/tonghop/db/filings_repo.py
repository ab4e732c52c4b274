"""Submission states across several periods at once (the to-do page's pending reviews): one query, no figures."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select
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


class UnitFiling(NamedTuple):
    """Where one of a unit's submissions stands: state, version and the comment of its newest version."""

    state: str
    version: int
    comment: str | None


def unit_filings(session: Session, unit: str, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], UnitFiling]:
    """UNIT's saved submissions for the (template, period) PAIRS, in one query: (template, period) -> its filing."""
    pairs = set(pairs)
    if not pairs:
        return {}
    q = (select(SubmissionRow.template_code, SubmissionRow.period, SubmissionRow.state, SubmissionRow.version,
                SubmissionVersionRow.comment)
         .join(SubmissionVersionRow, SubmissionVersionRow.id == SubmissionRow.latest_version_id)
         .where(SubmissionRow.unit_code == unit, SubmissionRow.template_code.in_(sorted({t for t, _ in pairs})),
                SubmissionRow.period.in_(sorted({p for _, p in pairs}))))
    return {(t, p): UnitFiling(state, version, comment) for t, p, state, version, comment
            in session.connection().execute(q) if (t, p) in pairs}


def current_definitions(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """The stored JSON text of the current version of each template of CODES that exists, in one query."""
    q = (select(TemplateRow.code, TemplateVersionRow.definition_json)
         .join(TemplateVersionRow, (TemplateVersionRow.template_id == TemplateRow.id)
               & (TemplateVersionRow.version == TemplateRow.current_version))
         .where(TemplateRow.code.in_(sorted(set(codes)))))
    return {code: text for code, text in session.connection().execute(q) if text}
