"""Load benchmark: 50 clerks submitting and reading at once through /api/v1 of `tonghop serve --workers 2`.

Starts a throwaway PostgreSQL (scripts/pg-cluster.sh; --database-url for an existing EMPTY database, --sqlite for a
comparison run on a SQLite file), builds a small province through the services (communes, the monthly socio-economic
template assigned to them, the sample archive for search, one reporter account and API token per client and a
viewer at the province), starts `tonghop serve --workers 2` on a free 127.0.0.1 port and lets --clients clients
work for --seconds. Most clients own a commune; --shared clients share a few communes in groups of --group, so
that two clerks really do save the same report at once and optimistic locking answers 409.

Each clerk works through the months one after another: reads its report (GET /submissions/…), saves drafts with
the version it read as based_on_version (on 409 it reads again and retries), files it after a few drafts, then takes
the next month; between writes it reads the province's consolidation, the submissions list or searches the archive.
Every acknowledged save (201) is recorded with the figures sent. After the run the server is stopped and the
database is checked through the services: LOST = an acknowledged version missing or stored with other figures,
author or state; DUPLICATED = two submissions for one (unit, template, period), a version number stored twice, one
version acknowledged to two clients, or a stored version no client asked for. A version stored after an answer
that was not 201 (5xx, dropped connection) is counted apart as "unacknowledged". Printed, not a timed test.

Run: .venv/bin/python bench/load.py [--clients 50] [--seconds 60] [--workers 2] [--sqlite | --database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tonghop.services import accounts, archive, submissions, templates, units

ROOT = "TT"
TEMPLATE = "bc-kinh-te-xa-hoi-thang"
NARRATIVE = {"IV": "Tiếp tục thu ngân sách, giải ngân vốn đầu tư công."}
PASSWORD = "bench-tai-2026-mat-khau"
VIEWER = "xem.tinh"
QUERIES = ["ke hoach 245", "bao cao chuyen doi so", "245/KH-UBND"]
FILED = ("submitted", "approved", "resubmitted")
REPO = Path(__file__).resolve().parent.parent
READS = ("đọc báo cáo", "tổng hợp", "danh sách", "tìm kiếm")
WRITES = ("lưu nháp", "nộp")


@dataclass
class Clerk:
    """One client: its account, token and the commune whose report it keeps."""

    username: str
    unit: str
    token: str = ""


@dataclass
class Tally:
    """Everything the clients saw: latencies and answers by kind, acknowledged and uncertain writes."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    answers: Counter = field(default_factory=Counter)  # (kind, status); status 0 = transport error
    acks: dict[tuple[str, str, int], list[dict]] = field(default_factory=lambda: defaultdict(list))
    uncertain: list[dict] = field(default_factory=list)  # writes answered 5xx or not at all
    periods: set[str] = field(default_factory=set)


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def months(count: int) -> list[str]:
    """COUNT month period codes from January 2001 on (no other data lives there)."""
    return [f"{2001 + i // 12}M{i % 12 + 1}" for i in range(count)]


def plan(n_clients: int, shared: int, group: int) -> list[Clerk]:
    """The clerks: the first N - SHARED own a commune each (X…), the rest share communes Y… in groups of GROUP."""
    own = n_clients - shared
    return [Clerk(f"vanthu{i:02d}", f"X{i:02d}" if i < own else f"Y{(i - own) // group}") for i in range(n_clients)]


def build(url: str, clerks: list[Clerk], folder: Path) -> tuple[str, int]:
    """Units, template assignment, sample archive and accounts into URL; (viewer token, documents)."""
    communes = sorted({c.unit for c in clerks})
    lines = ["units:", f"  - {{code: {ROOT}, name: Ủy ban nhân dân tỉnh Thử Tải, kind: province}}"]
    lines += [f"  - {{code: H{d}, name: Ủy ban nhân dân huyện Thử {d}, kind: district, parent: {ROOT}}}"
              for d in (1, 2)]
    lines += [f"  - {{code: {c}, name: Ủy ban nhân dân xã {c}, kind: commune, parent: H{1 + i % 2}}}"
              for i, c in enumerate(communes)]
    (folder / "units.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    units.import_units_file(folder / "units.yaml", url=url)
    templates.assign(TEMPLATE, kinds=["commune"], url=url)
    files = archive.build_sample_archive(folder / "archive")
    ingested = archive.ingest_paths([str(p) for p in files], url=url)
    for clerk in clerks:
        accounts.create_user(clerk.username, PASSWORD, unit=clerk.unit, role="reporter", url=url)
        clerk.token = accounts.issue_token(clerk.username, "bench-load", url=url)
    accounts.create_user(VIEWER, PASSWORD, unit=ROOT, role="viewer", url=url)
    return accounts.issue_token(VIEWER, "bench-load", url=url), ingested.added + ingested.skipped


def start_server(url: str, port: int, workers: int, token: str, log: Path) -> subprocess.Popen:
    """`tonghop serve` on 127.0.0.1:PORT in its own process group (messages in LOG); returns once the API answers."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-load-secret-key-0123456789abcdef"}
    cmd = [str(Path(sys.executable).parent / "tonghop"), "serve", "--host", "127.0.0.1", "--port", str(port),
           "--workers", str(workers)]
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"tonghop serve stopped with code {proc.returncode}: see {log}")
        try:
            answer = httpx.get(f"http://127.0.0.1:{port}/api/v1/me", headers={"Authorization": f"Bearer {token}"},
                               timeout=5)
            if answer.status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    stop_server(proc)
    raise SystemExit("tonghop serve did not answer within 90 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server's whole process group (uvicorn and its workers): SIGTERM, then SIGKILL after 15 s."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    except ProcessLookupError:
        pass


def figures(rng: random.Random) -> dict:
    """A plausible, valid set of figures (received files >= files on time)."""
    received = rng.randint(20, 900)
    return {"thu_ngan_sach": round(rng.uniform(100, 9000), 1), "doanh_nghiep_moi": rng.randint(0, 40),
            "ho_so_tiep_nhan": received, "ho_so_dung_han": rng.randint(0, received),
            "lao_dong_viec_lam": {"Nam": rng.randint(0, 300), "Nữ": rng.randint(0, 300)}}


async def call(tally: Tally, kind: str, request) -> tuple[int, dict]:
    """Await REQUEST, recording its latency under KIND; (status or 0 when the connection failed, JSON body)."""
    start = time.perf_counter()
    try:
        answer = await request
    except httpx.HTTPError:
        tally.answers[kind, 0] += 1
        return 0, {}
    tally.latencies[kind].append((time.perf_counter() - start) * 1000)
    tally.answers[kind, answer.status_code] += 1
    try:
        return answer.status_code, answer.json()
    except ValueError:
        return answer.status_code, {}


async def browse(client: httpx.AsyncClient, viewer: dict, period: str, tally: Tally, rng: random.Random) -> None:
    """One read besides the clerk's own report: the province's consolidation, its submissions list or a search."""
    kind = rng.choice(READS[1:])
    if kind == "tổng hợp":
        await call(tally, kind, client.get(f"/api/v1/consolidations/{ROOT}/{TEMPLATE}/{period}", headers=viewer))
    elif kind == "danh sách":
        await call(tally, kind, client.get("/api/v1/submissions", headers=viewer,
                                           params={"template": TEMPLATE, "period": period, "unit": ROOT}))
    else:
        await call(tally, kind, client.get("/api/v1/search", params={"q": rng.choice(QUERIES), "limit": 10}))


async def work(clerk: Clerk, base: str, viewer_token: str, periods: list[str], stop_at: float, tally: Tally,
               seed: int) -> None:
    """One clerk's loop until STOP_AT: read the report, browse, save a draft or file it; next month once filed."""
    rng = random.Random(seed)
    viewer = {"Authorization": f"Bearer {viewer_token}"}
    path = f"/api/v1/submissions/{clerk.unit}/{TEMPLATE}/"
    index, drafts, target = 0, 0, rng.randint(1, 4)
    async with httpx.AsyncClient(base_url=base, timeout=120, headers={"Authorization": f"Bearer {clerk.token}"},
                                 limits=httpx.Limits(max_connections=2, max_keepalive_connections=2)) as client:
        while time.monotonic() < stop_at and index < len(periods):
            period = periods[index]
            tally.periods.add(period)
            status, report = await call(tally, "đọc báo cáo", client.get(path + period))
            if status != 200:
                await asyncio.sleep(0.2)
                continue
            if report["state"] in FILED:  # filed (by this clerk or one sharing the commune): take the next month
                index, drafts, target = index + 1, 0, rng.randint(1, 4)
                continue
            for _ in range(rng.randint(0, 2)):
                await browse(client, viewer, period, tally, rng)
            action = "submit" if drafts >= target else "save"
            values = figures(rng)
            body = {"values": values, "narrative": NARRATIVE, "action": action,
                    "based_on_version": report["version"]}
            kind = "nộp" if action == "submit" else "lưu nháp"
            status, saved = await call(tally, kind, client.post(path + period, json=body))
            if status == 201:
                tally.acks[clerk.unit, period, saved["version"]].append(
                    {"author": clerk.username, "state": saved["state"], "values": values})
                drafts += 1
            elif status == 0 or status >= 500:
                tally.uncertain.append({"unit": clerk.unit, "period": period, "author": clerk.username,
                                        "values": values})


async def run(base: str, clerks: list[Clerk], viewer_token: str, seconds: float) -> tuple[Tally, float]:
    """Warm both workers up, then let every clerk work for SECONDS; (tally, wall seconds)."""
    async with httpx.AsyncClient(base_url=base, timeout=60,
                                 headers={"Authorization": f"Bearer {viewer_token}"}) as warm:
        await asyncio.gather(*(warm.get("/api/v1/me") for _ in range(20)))
    tally = Tally()
    periods = months(600)
    started = time.perf_counter()
    stop_at = time.monotonic() + seconds
    await asyncio.gather(*(work(c, base, viewer_token, periods, stop_at, tally, seed)
                           for seed, c in enumerate(clerks)))
    return tally, time.perf_counter() - started


def verify(url: str, tally: Tally) -> dict[str, int]:
    """Compare what the clients were told with what the database holds (through the services)."""
    stored: dict[tuple[str, str, int], dict] = {}
    found = Counter()
    for period in sorted(tally.periods):
        rows = submissions.list_submissions(TEMPLATE, period, ROOT, url=url)
        per_unit = Counter(r["unit"] for r in rows)
        found["duplicate submissions"] += sum(n - 1 for n in per_unit.values())
        for row in rows:
            history = submissions.history(row["unit"], TEMPLATE, period, url=url)
            numbers = [v["version"] for v in history]
            found["duplicate version numbers"] += len(numbers) - len(set(numbers))
            found["gaps"] += numbers != list(range(1, len(numbers) + 1)) or row["version"] != len(numbers)
            for v in history:
                stored[row["unit"], period, v["version"]] = v
    found["stored versions"] = len(stored)
    for key, acks in tally.acks.items():
        found["acknowledged"] += len(acks)
        found["acknowledged twice"] += len(acks) - 1
        v = stored.get(key)
        found["lost"] += sum(v is None or (v["values"], v["author"], v["state"]) != (a["values"], a["author"],
                                                                                      a["state"]) for a in acks)
    for (unit, period, _), v in stored.items():
        if (unit, period, v["version"]) in tally.acks:
            continue
        after_error = any((u["unit"], u["period"], u["author"], u["values"]) == (unit, period, v["author"],
                                                                                   v["values"])
                          for u in tally.uncertain)
        found["unacknowledged" if after_error else "phantom"] += 1
    found["duplicated"] = (found["duplicate submissions"] + found["duplicate version numbers"]
                           + found["acknowledged twice"] + found["phantom"])
    return found


def percentile(values: list[float], q: float) -> float:
    """The Q-th percentile (nearest rank) of VALUES (0 when empty)."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def report(tally: Tally, wall: float, found: dict[str, int], log: Path) -> bool:
    """Print the table and the verdict; True when nothing was lost or duplicated."""
    def row(label: str, kinds: tuple[str, ...]) -> None:
        lat = [ms for k in kinds for ms in tally.latencies[k]]
        n = {s: sum(c for (k, st), c in tally.answers.items() if k in kinds and match(st))
             for s, match in (("2xx", lambda st: 200 <= st < 300), ("409", lambda st: st == 409),
                              ("4xx", lambda st: 400 <= st < 500 and st != 409), ("5xx", lambda st: st >= 500),
                              ("mất", lambda st: st == 0))}
        print(f"  {label:<14} {len(lat):>9} {n['2xx']:>7} {n['409']:>6} {n['4xx']:>6} {n['5xx']:>5} {n['mất']:>5}"
              f" {percentile(lat, 50):>8.1f} {percentile(lat, 99):>8.1f} {len(lat) / wall:>8.1f}")

    print(f"  {'loại':<14} {'yêu cầu':>9} {'2xx':>7} {'409':>6} {'4xx':>6} {'5xx':>5} {'mất':>5} {'p50 ms':>8}"
          f" {'p99 ms':>8} {'yc/s':>8}")
    for kind in READS + WRITES:
        row(kind, (kind,))
    row("— đọc", READS)
    row("— ghi", WRITES)
    row("— tất cả", READS + WRITES)
    total = sum(len(v) for v in tally.latencies.values())
    conflicts = sum(c for (_, st), c in tally.answers.items() if st == 409)
    errors = sum(c for (_, st), c in tally.answers.items() if st >= 500)
    dropped = sum(c for (_, st), c in tally.answers.items() if st == 0)
    text = log.read_text(errors="replace").splitlines()
    tracebacks = [line for line in text if line.startswith("Traceback")]
    print(f"  tổng: {total} yêu cầu có trả lời trong {wall:.1f} s = {total / wall:.1f} yêu cầu/s; "
          f"xung đột 409: {conflicts}; lỗi 5xx: {errors}; mất kết nối: {dropped}; "
          f"traceback trong nhật ký máy chủ: {len(tracebacks)}")
    print(f"  ghi được xác nhận (201): {found['acknowledged']}; phiên bản trong CSDL: {found['stored versions']} "
          f"({len(tally.periods)} kỳ đã động tới)")
    print(f"  MẤT (LOST): {found['lost']}   TRÙNG (DUPLICATED): {found['duplicated']} "
          f"(báo cáo trùng {found['duplicate submissions']}, số phiên bản trùng {found['duplicate version numbers']}, "
          f"xác nhận hai lần {found['acknowledged twice']}, phiên bản không ai yêu cầu {found['phantom']})")
    print(f"  lưu sau lỗi 5xx/mất kết nối (unacknowledged): {found['unacknowledged']}; "
          f"dãy phiên bản hở: {found['gaps']}")
    if tracebacks:
        last = max(i for i, line in enumerate(text) if line.startswith("Traceback"))
        print("  traceback cuối:", " | ".join(text[last:last + 40])[-600:])
    ok = found["lost"] == 0 and found["duplicated"] == 0
    print(f"  lost/duplicated = 0: {'đạt' if ok else 'không đạt'}")
    return ok


def start_cluster() -> str:
    """A throwaway PostgreSQL cluster from scripts/pg-cluster.sh; its URL."""
    done = subprocess.run([str(REPO / "scripts" / "pg-cluster.sh"), "start"], capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"scripts/pg-cluster.sh start failed: {done.stderr.strip()}")
    return done.stdout.strip().splitlines()[-1]


def bench(url: str, backend: str, args: argparse.Namespace, tmp: Path) -> bool:
    """Build, serve, load and verify on URL; True when nothing was lost or duplicated."""
    clerks = plan(args.clients, min(args.shared, args.clients), args.group)
    started = time.perf_counter()
    viewer_token, documents = build(url, clerks, tmp)
    print(f"dữ liệu: {len({c.unit for c in clerks})} xã, {len(clerks) + 1} tài khoản có mã API, {documents} văn bản,"
          f" dựng trong {time.perf_counter() - started:.1f} s")
    port, log = free_port(), tmp / "serve.log"
    proc = start_server(url, port, args.workers, viewer_token, log)
    shared = len(clerks) - len({c.unit for c in clerks if c.unit.startswith("X")})
    print(f"\n{backend}; tonghop serve --workers {args.workers} trên 127.0.0.1:{port}; {len(clerks)} khách đồng thời "
          f"({len(clerks) - shared} xã riêng, {shared} khách chung từng nhóm {args.group} một báo cáo) trong "
          f"{args.seconds:.0f} s; CPU: {os.cpu_count()}, tải trung bình trước: "
          + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    try:
        tally, wall = asyncio.run(run(f"http://127.0.0.1:{port}", clerks, viewer_token, args.seconds))
        print("  tải trung bình sau: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    finally:
        stop_server(proc)
    return report(tally, wall, verify(url, tally), log)


def main() -> None:
    """Parse the options, get a database, run the benchmark; exit 1 when something was lost or duplicated."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--shared", type=int, default=10, help="clients that share communes (the rest own one)")
    parser.add_argument("--group", type=int, default=5, help="clients per shared commune")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--database-url", help="an EMPTY PostgreSQL database to use instead of a throwaway cluster")
    where.add_argument("--sqlite", action="store_true", help="a SQLite file instead (comparison run)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tonghop-bench-load-") as folder:
        tmp = Path(folder)
        if args.sqlite:
            ok = bench(f"sqlite:///{tmp / 'load.db'}", "SQLite (tệp tạm)", args, tmp)
        elif args.database_url:
            ok = bench(args.database_url, "PostgreSQL (--database-url)", args, tmp)
        else:
            url = start_cluster()
            try:
                ok = bench(url, "PostgreSQL (cụm tạm scripts/pg-cluster.sh)", args, tmp)
            finally:
                subprocess.run([str(REPO / "scripts" / "pg-cluster.sh"), "stop", url], check=False)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
