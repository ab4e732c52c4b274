"""Consolidation service: live roll-up of the filed figures over a unit's subtree, with comparisons and completeness."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tonghop.db import reporting_repo as repo
from tonghop.regime.assignments import expected_units
from tonghop.regime.consolidation import Consolidation, completeness, consolidate
from tonghop.regime.history import rebase_history
from tonghop.regime.org_units import TreeView, follow_lineage
from tonghop.regime.periods import Period, previous, same_period_last_year
from tonghop.regime.submissions import FILED_STATES
from tonghop.regime.templates import Template
from tonghop.services.context import database_url, transaction
from tonghop.services.submissions import Desk

APPROVED = ("approved",)


@dataclass
class Gathered:
    """Filed figures of one period, keyed by the units of the view they are consolidated under."""

    values: dict[str, dict[str, Any]]
    expected: set[str]
    on_time: dict[str, bool]
    narrative: dict[str, dict[str, str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def gather(desk: Desk, template: Template, period: Period, view: TreeView, *, approved_only: bool = False,
           narrative: bool = False) -> Gathered:
    """Latest filed values of PERIOD; rebased through lineage onto VIEW when VIEW is another day's tree."""
    states = APPROVED if approved_only else FILED_STATES
    rows = repo.latest(desk.session, template.code, period.code, states, with_narrative=narrative)
    own = desk.tree().at(period.end)
    expected = expected_units(own, repo.load_assignments(desk.session, template.code), template.code)
    values = {r.unit: r.values for r in rows}
    on_time = {r.unit: bool(r.on_time) for r in rows if r.on_time is not None}
    texts = {r.unit: r.narrative for r in rows} if narrative else {}
    if view.day == own.day or not desk.tree().events:
        return Gathered(values, expected, on_time, texts)
    rebased = rebase_history(values, view, desk.tree().events, since=period.end, template=template)
    moved: dict[str, set[str]] = {}
    for unit in expected:
        for succ in follow_lineage(desk.tree().events, unit, period.end, view.day):
            moved.setdefault(succ, set()).add(unit)
    late = {succ for succ, olds in moved.items() if any(on_time.get(u) is False for u in olds)}
    return Gathered(rebased.values, set(moved), {s: s not in late for s in rebased.values}, {},
                    list(rebased.unattributed.values()))


def _totals(desk: Desk, template: Template, period: Period, root: str, view: TreeView, approved_only: bool,
            rebase: bool) -> dict[str, Any] | None:
    """ROOT's consolidated values for an earlier PERIOD (its own tree when ROOT existed then, else rebased)."""
    own = desk.tree().at(period.end)
    target = own if not rebase and root in own else view
    if root not in target:
        return None
    got = gather(desk, template, period, target, approved_only=approved_only)
    return consolidate(template, target, root, got.values).values


def run(desk: Desk, unit: str, template_code: str, period_code: str, *, approved_only: bool = False,
        rebase: bool = False, narrative: bool = False) -> tuple[Consolidation, Gathered, TreeView, Period]:
    """Consolidate inside DESK's transaction: (result, the period's gathered figures, the tree used, the period)."""
    template = desk.template(template_code)
    period = desk.period(template, period_code)
    view = desk.tree().at(date.today() if rebase else period.end)
    view.get(unit)
    got = gather(desk, template, period, view, approved_only=approved_only, narrative=narrative)
    prev = _totals(desk, template, previous(period), unit, view, approved_only, rebase)
    last = _totals(desk, template, same_period_last_year(period), unit, view, approved_only, rebase)
    result = consolidate(template, view, unit, got.values, got.expected, got.on_time, previous=prev or {},
                         last_year=last or {}, period=period.code)
    result.warnings.extend(got.warnings)
    return result, got, view, period


def consolidate_report(unit: str, template: str, period: str, *, approved_only: bool = False, rebase: bool = False,
                       url: str | None = None) -> dict[str, Any]:
    """The consolidated figures of UNIT's subtree (JSON shape of `tonghop consolidate --json`)."""
    url = database_url(url)
    with transaction(url) as session:
        result, _, _, _ = run(Desk(session, url), unit, template, period, approved_only=approved_only, rebase=rebase)
    out = result.to_dict()
    if result.warnings:
        out["warnings"] = result.warnings
    return out


def completeness_of(got: Gathered, view: TreeView, root: str) -> dict[str, Any]:
    """Completeness of ROOT's subtree in VIEW for gathered figures."""
    scope = set(view.subtree(root))
    return completeness(got.expected & scope, [u for u in got.values if u in scope], got.on_time).to_dict()


def consolidate_and_render(unit: str, template: str, period: str, *, approved_only: bool = False,
                           rebase: bool = False, docx: str | None = None, xlsx: str | None = None,
                           chart: str | None = None, url: str | None = None) -> dict[str, Any]:
    """Consolidate (JSON shape of `consolidate_report`) and write the DOCX, XLSX and chart asked for."""
    url = database_url(url)
    with transaction(url) as session:
        desk = Desk(session, url)
        result, got, view, period_obj = run(desk, unit, template, period, approved_only=approved_only,
                                            rebase=rebase, narrative=bool(docx))
        data = None
        if docx or xlsx or chart:
            from tonghop.services.report_data import build_report_data

            data = build_report_data(desk, result, got, view, period_obj)
    if data is not None:
        from tonghop.services.report_data import write_outputs

        write_outputs(data, docx=docx, xlsx=xlsx, chart=chart)
    out = result.to_dict()
    if result.warnings:
        out["warnings"] = result.warnings
    return out
