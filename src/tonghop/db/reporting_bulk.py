"""Bulk loading of one-version submissions (benchmarks and data migrations), bypassing the per-save path."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from tonghop.db.reporting import SubmissionRow, SubmissionValueRow, SubmissionVersionRow
from tonghop.db.reporting_repo import value_rows
from tonghop.db.sequences import sync_id_sequences


def bulk_add_submissions(session: Session, template: str, template_version: int,
                         rows: Iterable[tuple[str, str, str, str, bool, dict[str, Any]]], *, author: str,
                         created_at: str) -> int:
    """Insert many one-version submissions at once: (unit, period, state, submitted_at, on_time, values)."""
    rows = list(rows)
    if not rows:
        return 0
    next_sub = (session.scalar(select(func.max(SubmissionRow.id))) or 0) + 1
    next_ver = (session.scalar(select(func.max(SubmissionVersionRow.id))) or 0) + 1
    subs, vers, vals = [], [], []
    for i, (unit, period, state, submitted_at, on_time, values) in enumerate(rows):
        sid, vid = next_sub + i, next_ver + i
        subs.append({"id": sid, "unit_code": unit, "template_code": template, "period": period,
                     "template_version": template_version, "state": state, "version": 1, "latest_version_id": vid,
                     "submitted_at": submitted_at, "deadline": None, "on_time": int(on_time)})
        vers.append({"id": vid, "submission_id": sid, "number": 1, "state": state, "action": "submit",
                     "author": author, "created_at": created_at, "comment": None, "source": "bulk",
                     "values_json": json.dumps(values, ensure_ascii=False), "narrative_json": "{}"})
        vals.extend(value_rows(vid, values))
    session.execute(insert(SubmissionRow), subs)
    session.execute(insert(SubmissionVersionRow), vers)
    session.execute(insert(SubmissionValueRow), vals)
    sync_id_sequences(session, SubmissionRow.__tablename__, SubmissionVersionRow.__tablename__)
    return len(rows)
