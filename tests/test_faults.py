"""A process killed (SIGKILL) mid-job leaves a consistent database, and running the job again finishes it once."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time

import pytest
from docx import Document
from sqlalchemy import create_engine, text

from tonghop.services import submissions, templates, units

TPL = "bc-tu-tuong-thang"
PERIOD = "2023M11"
FILES = 200
UNITS = [f"X{i:03d}" for i in range(60)]
DOC = """ỦY BAN NHÂN DÂN
XÃ THỬ {n}
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: {n}/BC-UBND
Thử, ngày 03 tháng 11 năm 2023
BÁO CÁO
Kết quả tuyên truyền tháng {m} năm 2023 (đợt {n})
Thực hiện Kế hoạch số 1205/KH-UBND ngày 28/12/2022 của Ủy ban nhân dân huyện, xã báo cáo như sau:
1. Đã tổ chức {n} buổi tuyên truyền với 3{n} lượt người tham dự, kinh phí 12{n} triệu đồng.
2. Tiếp tục thực hiện Nghị quyết số 76/NQ-CP ngày 15/7/2021 của Chính phủ.
Nơi nhận:
- UBND huyện;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn {n}
"""
LOOP = f"""
import sys
from tonghop.services import submissions
from tonghop.services.submissions import ConflictError
for unit in sys.argv[1:]:
    try:
        submissions.save_submission(unit, {TPL!r}, {PERIOD!r}, {{"bai_internet_mxh": 7}},
                                    narrative={{"III": "Tiếp tục."}}, author="văn thư " + unit)
    except ConflictError:
        pass  # saved by the killed run: a re-run leaves it as it is
"""


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-c", "from tonghop.cli import main; main()", *args]


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar()
    engine.dispose()
    return int(value or 0)


def _killed_when(cmd: list[str], url: str, sql: str, at_least: int, timeout: float = 15) -> int:
    """Run CMD, SIGKILL it once SQL counts AT_LEAST rows; the count seen at the kill (the job must not be done)."""
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + timeout
        while time.monotonic() < end and proc.poll() is None:
            seen = _count(url, sql) if _has_schema(url) else 0
            if seen >= at_least:
                proc.send_signal(signal.SIGKILL)
                break
            time.sleep(0.02)
        assert proc.poll() is None or proc.wait() == -signal.SIGKILL, "the job ended before it could be killed"
    finally:
        proc.kill()
        proc.wait()
    return _count(url, sql)


def _has_schema(url: str) -> bool:
    try:
        _count(url, "SELECT COUNT(*) FROM submission_versions")
        return True
    except Exception:  # the killed process has not migrated yet
        return False


def _assert_consistent(url: str) -> None:
    orphans = {
        "citations": "SELECT COUNT(*) FROM citations c LEFT JOIN documents d ON d.id = c.document_id WHERE d.id IS NULL",
        "quantities": "SELECT COUNT(*) FROM quantities q LEFT JOIN documents d ON d.id = q.document_id "
                      "WHERE d.id IS NULL",
        "versions": "SELECT COUNT(*) FROM submission_versions v LEFT JOIN submissions s ON s.id = v.submission_id "
                    "WHERE s.id IS NULL",
        "values": "SELECT COUNT(*) FROM submission_values x LEFT JOIN submission_versions v ON v.id = x.version_id "
                  "WHERE v.id IS NULL",
        # a submission whose number, pointer or version rows disagree was half written
        "submissions": "SELECT COUNT(*) FROM submissions s WHERE s.version <> (SELECT COUNT(*) FROM "
                       "submission_versions v WHERE v.submission_id = s.id) OR s.latest_version_id IS NULL OR "
                       "s.latest_version_id <> (SELECT v.id FROM submission_versions v WHERE "
                       "v.submission_id = s.id AND v.number = s.version)",
        "values of versions": "SELECT COUNT(*) FROM submission_versions v WHERE NOT EXISTS "
                              "(SELECT 1 FROM submission_values x WHERE x.version_id = v.id)",
    }
    assert {name: _count(url, sql) for name, sql in orphans.items()} == dict.fromkeys(orphans, 0)


@pytest.fixture
def desk(db_url, tmp_path):
    lines = ["units:", "  - {code: H, name: UBND huyện Thử, kind: district}"]
    lines += [f"  - {{code: {c}, name: Xã {c}, kind: commune, parent: H}}" for c in UNITS]
    path = tmp_path / "u.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    units.import_units_file(path, url=db_url)
    templates.assign(TPL, kinds=["commune"], url=db_url)
    return db_url


def test_killed_bulk_ingest_then_rerun(db_url, tmp_path):
    folder = tmp_path / "kho"
    folder.mkdir()
    for n in range(1, FILES + 1):
        (folder / f"bc-{n:03d}.txt").write_text(DOC.format(n=n, m=n % 12 + 1), encoding="utf-8")
    seen = _killed_when(_cli("ingest", str(folder), "--json"), db_url, "SELECT COUNT(*) FROM documents", 30)
    assert 30 <= seen < FILES
    _assert_consistent(db_url)
    done = subprocess.run(_cli("ingest", str(folder), "--json"), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    assert (report["added"], report["skipped"], report["failed"]) == (FILES - seen, seen, 0)
    assert _count(db_url, "SELECT COUNT(*) FROM documents") == FILES
    assert _count(db_url, "SELECT COUNT(DISTINCT sha256) FROM documents") == FILES
    assert _count(db_url, "SELECT COUNT(DISTINCT path) FROM documents") == FILES
    _assert_consistent(db_url)


def test_killed_submission_loop_then_rerun(desk, tmp_path):
    script = tmp_path / "nop.py"
    script.write_text(LOOP, encoding="utf-8")
    cmd = [sys.executable, str(script), *UNITS]
    seen = _killed_when(cmd, desk, "SELECT COUNT(*) FROM submissions", 10)
    assert 10 <= seen < len(UNITS)
    _assert_consistent(desk)
    subprocess.run(cmd, check=True, timeout=60)
    assert _count(desk, "SELECT COUNT(*) FROM submissions") == len(UNITS)
    assert _count(desk, "SELECT COUNT(*) FROM submission_versions") == len(UNITS)
    assert _count(desk, "SELECT MAX(version) FROM submissions") == 1
    _assert_consistent(desk)


def test_killed_json_submit_then_rerun(desk, tmp_path):
    data = tmp_path / "x.json"
    data.write_text(json.dumps({"values": {"bai_internet_mxh": 3}, "narrative": {"III": "Tiếp tục."}}), "utf-8")
    cmd = _cli("submit", UNITS[0], TPL, PERIOD, "--json", str(data), "--author", "Chị Lan")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)  # somewhere in start-up, migration or the save: every point must leave the database whole
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _assert_consistent(desk)
    stored = submissions.history(UNITS[0], TPL, PERIOD, url=desk)
    done = subprocess.run([*cmd, *(["--based-on", "1"] if stored else [])], capture_output=True, text=True,
                          timeout=30)
    assert done.returncode == 0, done.stderr
    assert [v["author"] for v in submissions.history(UNITS[0], TPL, PERIOD, url=desk)] == ["Chị Lan"] * (
        len(stored) + 1)
    _assert_consistent(desk)


def test_killed_consolidation_docx_then_rerun(desk, tmp_path):
    for n, unit in enumerate(UNITS[:20]):
        submissions.save_submission(unit, TPL, PERIOD, {"bai_internet_mxh": n}, narrative={"III": f"Xã {unit}."},
                                    author="văn thư", url=desk)
    before = {t: _count(desk, f"SELECT COUNT(*) FROM {t}") for t in ("submissions", "submission_versions")}
    out = tmp_path / "tong-hop.docx"
    cmd = _cli("consolidate", "H", TPL, PERIOD, "--docx", str(out))
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    end = time.monotonic() + 15
    while not out.exists() and proc.poll() is None and time.monotonic() < end:
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _assert_consistent(desk)
    assert {t: _count(desk, f"SELECT COUNT(*) FROM {t}") for t in before} == before
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert "Đã nộp 20/60" in done.stdout
    body = "\n".join(p.text for p in Document(str(out)).paragraphs)  # the killed run's half-written file is replaced
    assert "Đã nhận báo cáo của 20/60 đơn vị" in body and f"{sum(range(20))} bài" in body
    assert "- Xã X019: Xã X019." in body


def test_failed_first_save_leaves_no_submission(desk, monkeypatch):
    from tonghop.db import reporting_repo

    def crash(*_a, **_k):
        raise OSError("mất điện")

    monkeypatch.setattr(reporting_repo, "add_version", crash)  # fails after the submission row was inserted
    with pytest.raises(OSError):
        submissions.save_submission(UNITS[0], TPL, PERIOD, {"bai_internet_mxh": 1}, narrative={"III": "x"}, url=desk)
    assert _count(desk, "SELECT COUNT(*) FROM submissions") == 0
