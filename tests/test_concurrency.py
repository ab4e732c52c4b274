"""Concurrent saves: one winner per base version, losers get a ConflictError naming the other change, nothing lost."""

from __future__ import annotations

import sqlite3
import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from tonghop.services import submissions, templates, units
from tonghop.services.submissions import ConflictError

TPL = "bc-tu-tuong-thang"
PERIOD = "2023M11"
OWN = [f"X{i:02d}" for i in range(40)]  # 40 clerks, each on their own unit
SHARED = ["Y1", "Y2"]  # 10 more clerks race, five on each of these
NARR = {"III": "Tiếp tục tuyên truyền."}
DEADLINE_DAY = datetime(2023, 12, 7, 16, tzinfo=UTC)


@pytest.fixture
def desk(db_url, tmp_path):
    lines = ["units:", "  - {code: H, name: UBND huyện Thử, kind: district}"]
    lines += [f"  - {{code: {c}, name: Xã {c}, kind: commune, parent: H}}" for c in OWN + SHARED]
    path = tmp_path / "u.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    units.import_units_file(path, url=db_url)
    templates.assign(TPL, kinds=["commune"], url=db_url)
    return db_url


def _save(url, unit, value, **kw):
    return submissions.save_submission(unit, TPL, PERIOD, {"bai_internet_mxh": value}, narrative=NARR,
                                       now=DEADLINE_DAY, url=url, **kw)


def _race(jobs):
    """Run each (name, callable) in its own thread at once; {name: result or exception}."""
    start, outcome = threading.Barrier(len(jobs)), {}

    def run(name, job):
        start.wait()
        try:
            outcome[name] = job()
        except Exception as e:  # kept, to be checked by the test
            outcome[name] = e

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcome) == len(jobs)
    return outcome


def _rows(url):
    """(unit, version, [stored version numbers]) per submission, straight from the tables."""
    engine = create_engine(url)
    with engine.connect() as conn:
        subs = conn.execute(text("SELECT id, unit_code, version FROM submissions")).all()
        numbers = conn.execute(text("SELECT submission_id, number FROM submission_versions")).all()
        dupes = conn.execute(text("SELECT COUNT(*) FROM (SELECT unit_code FROM submissions "
                                  "GROUP BY unit_code, template_code, period HAVING COUNT(*) > 1) d")).scalar()
    engine.dispose()
    assert dupes == 0
    return {unit: (version, sorted(n for s, n in numbers if s == sid)) for sid, unit, version in subs}


def test_same_base_edit_one_wins_other_names_the_change(desk):
    _save(desk, "X00", 10, action="edit", author="Chị Lan")
    outcome = _race([(who, lambda who=who, v=v: _save(desk, "X00", v, action="edit", based_on=1, author=who))
                     for who, v in (("Anh Minh", 11), ("Chị Hoa", 12))])
    won = [w for w, r in outcome.items() if isinstance(r, submissions.Saved)]
    lost = [w for w, r in outcome.items() if isinstance(r, ConflictError)]
    assert len(won) == 1 and len(lost) == 1, outcome
    message = str(outcome[lost[0]])
    assert f"'{won[0]}'" in message and "phiên bản 2" in message
    assert _rows(desk) == {"X00": (2, [1, 2])}
    history = submissions.history("X00", TPL, PERIOD, url=desk)
    assert [(v["author"], v["values"]["bai_internet_mxh"]) for v in history] == [
        ("Chị Lan", 10), (won[0], 11 if won[0] == "Anh Minh" else 12)]


def test_stale_conflict_names_author_and_keeps_versions(desk):
    for n, who in enumerate(["Chị Lan", "Anh Minh", "Chị Hoa"]):
        _save(desk, "X01", n, action="edit", based_on=n, author=who)
    with pytest.raises(ConflictError, match="phiên bản 3 \\(do 'Chị Hoa'"):
        _save(desk, "X01", 9, based_on=1, author="Anh Tú")
    assert _rows(desk) == {"X01": (3, [1, 2, 3])}


def test_fifty_submitters_on_deadline_day(desk):
    jobs = [(u, lambda u=u: _save(desk, u, 5, author=f"văn thư {u}")) for u in OWN]
    jobs += [(f"{u}#{k}", lambda u=u, k=k: _save(desk, u, k, author=f"người {k}")) for u in SHARED for k in range(5)]
    outcome = _race(jobs)
    unexpected = {n: r for n, r in outcome.items() if not isinstance(r, submissions.Saved | ConflictError)}
    assert unexpected == {}
    for u in SHARED:
        mine = [outcome[f"{u}#{k}"] for k in range(5)]
        assert sum(isinstance(r, submissions.Saved) for r in mine) == 1
        assert all("đã có phiên bản 1 (do 'người" in str(r) for r in mine if isinstance(r, ConflictError))
    assert all(isinstance(outcome[u], submissions.Saved) and outcome[u].version == 1 for u in OWN)
    assert _rows(desk) == {u: (1, [1]) for u in OWN + SHARED}


def test_racing_versions_stay_contiguous(desk):
    # 4 rounds of 5 clerks each saving on top of what they last saw: one version per round, no gaps, no overwrite
    seen = 0
    for _ in range(4):
        outcome = _race([(k, lambda k=k, base=seen: _save(desk, "Y1", k, action="edit", based_on=base,
                                                          author=f"người {k}")) for k in range(5)])
        assert not [r for r in outcome.values() if not isinstance(r, submissions.Saved | ConflictError)]
        assert sum(isinstance(r, submissions.Saved) for r in outcome.values()) == 1
        seen += 1
    assert _rows(desk) == {"Y1": (4, [1, 2, 3, 4])}


def test_locked_database_is_retried_not_a_500(desk, monkeypatch):
    # SQLite reports a writer that outlasted busy_timeout as 'database is locked': the whole save is tried again
    real, calls = submissions.save, []

    def locked_once(*args, **kw):
        calls.append(1)
        if len(calls) == 1:
            real(*args, **kw)  # its writes must be rolled back with the failed attempt
            raise OperationalError("INSERT INTO submissions", {}, sqlite3.OperationalError("database is locked"))
        return real(*args, **kw)

    monkeypatch.setattr(submissions, "save", locked_once)
    assert _save(desk, "X02", 4, author="Chị Lan").version == 1
    assert len(calls) == 2 and _rows(desk) == {"X02": (1, [1])}

    def broken(*_args, **_kw):
        calls.append(1)
        raise OperationalError("SELECT", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(submissions, "save", broken)
    with pytest.raises(OperationalError, match="disk I/O"):  # any other database error is not retried
        _save(desk, "X03", 4)
    assert len(calls) == 3
