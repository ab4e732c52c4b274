"""Web benchmark: the demo database behind a real uvicorn on loopback, 50 logged-in clients at once.

Builds the demo (archive + demo province + demo accounts) into a temporary folder, starts
`uvicorn tonghop.asgi:create_app --factory` on a free 127.0.0.1 port (1 worker, then --workers 2 unless
--workers is given), logs 50 clients in (each its own cookie jar), then measures each page (home, consolidation,
search) twice and prints p50/p99 latency and requests per second:

- "người dùng": each of the 50 clients behaves like a clerk at a browser — after each answer it pauses a random
  time (exponential, mean --think s, default 1 s; the clients start at random moments so they do not click in
  step) — for --seconds. The goal (home p99 < 100 ms) is judged on this row.
- "dồn dập": closed loop — each client asks again the moment it is answered. This measures the server's
  throughput, not what a user waits: by Little's law the latency is 50 ÷ throughput whatever the page costs
  (at 500 requests/s, 100 ms), so it is printed beside the goal, not judged against it.

Printed, not a timed test.

Run: .venv/bin/python bench/web.py [--clients 50] [--requests 20] [--seconds 20] [--think 1.0] [--workers 1 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tonghop.services import accounts, desk
from tonghop.services.demo import DEMO_PASSWORD, build_demo

USERNAME = "tonghop.tinh"
SEARCH = "/kho-van-ban?q=ke+hoach+245"
GOAL_MS = 100.0
FAILURES: dict[str, int] = {}  # why requests failed -> how many, printed after each server run


def free_port() -> int:
    """An unused loopback port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def route_paths(routes) -> list[str]:
    """Every route path of an app, looking inside included routers (FastAPI wraps them)."""
    found = []
    for route in routes:
        if isinstance(getattr(route, "path", None), str):
            found.append(route.path)
        inner = getattr(route, "original_router", None)
        if inner is not None:
            found.extend(route_paths(inner.routes))
    return found


def consolidation_path(url: str) -> tuple[str | None, str]:
    """A consolidation page of the demo for USERNAME, from the app's own routes; (None, why) when there is none."""
    from tonghop.asgi import create_app
    from tonghop.config import Settings

    app = create_app(Settings(database_url=url, secret_key="bench-route-discovery-0123456789"))
    pattern = next((p for p in route_paths(app.routes) if p.startswith("/tong-hop/{")), None)
    if pattern is None:
        return None, "bỏ qua: ứng dụng chưa có trang tổng hợp (/tong-hop/{unit}/{template}/{period})"
    user = next(u for u in accounts.list_users(url=url) if u.username == USERNAME)
    options = desk.choices(user, url=url)
    if not options["templates"]:
        return None, "bỏ qua: không có mẫu nào được giao trong phạm vi của tài khoản"
    template = options["templates"][0]["code"]
    periods = options["periods"][template]
    period = periods[1]["code"] if len(periods) > 1 else periods[0]["code"]  # the last complete period
    return pattern.format(unit=user.unit_code, template=template, period=period), ""


def start_server(url: str, port: int, workers: int, log: Path) -> subprocess.Popen:
    """uvicorn serving the app on 127.0.0.1:PORT (its messages in LOG); returns once the login page answers."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-web-secret-key-0123456789"}
    cmd = [sys.executable, "-m", "uvicorn", "tonghop.asgi:create_app", "--factory", "--host", "127.0.0.1",
           "--port", str(port), "--workers", str(workers), "--log-level", "warning", "--no-access-log"]
    with log.open("ab") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"uvicorn stopped with code {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/dang-nhap", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("uvicorn did not answer within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop the server we started (terminate, then kill after 10 s)."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def log_in(client: httpx.AsyncClient) -> int:
    """Log CLIENT in as USERNAME through the login form; how many attempts failed (HTTP 500, dropped) first
    (none expected: the schema is migrated once, under a lock, before requests are served)."""
    for failures in range(5):
        try:
            page = await client.get("/dang-nhap")
            token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
            answer = await client.post("/dang-nhap", data={"username": USERNAME, "password": DEMO_PASSWORD,
                                                           "next": "/", "csrf_token": token}, follow_redirects=False)
        except httpx.TransportError:
            continue
        if answer.status_code == 303:
            return failures
        if answer.status_code != 500:
            raise RuntimeError(f"login failed: HTTP {answer.status_code}")
    raise RuntimeError("login failed 5 times")


async def hammer(clients: list[httpx.AsyncClient], path: str, requests: int, seconds: float, think: float = 0.0
                 ) -> tuple[list[float], int, float]:
    """Every client requests PATH until SECONDS pass. THINK 0: closed loop, REQUESTS each, the next request as
    soon as the answer arrives; THINK > 0: after a random start in the first THINK seconds, a pause drawn from an
    exponential distribution of mean THINK after each answer, for all of SECONDS. (latencies in ms, errors, wall s)"""
    latencies: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds

    async def one(client: httpx.AsyncClient) -> None:
        nonlocal errors
        if think:
            await asyncio.sleep(random.uniform(0, think))
        done = 0
        while time.monotonic() < deadline and (think or done < requests):
            start = time.perf_counter()
            try:
                answer = await client.get(path)
                ok = answer.status_code == 200 and "Đăng xuất" in answer.text
                why = f"HTTP {answer.status_code} {answer.url.path}"
            except httpx.HTTPError as error:
                ok, why = False, f"{type(error).__name__}: {error}"
            latencies.append((time.perf_counter() - start) * 1000)
            done += 1
            if not ok:
                errors += 1
                FAILURES[why] = FAILURES.get(why, 0) + 1
            if think:
                await asyncio.sleep(random.expovariate(1 / think))

    started = time.perf_counter()
    await asyncio.gather(*(one(c) for c in clients))
    return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    """The Q-th percentile (nearest rank) of VALUES."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


async def run(base: str, pages: list[tuple[str, str | None, str]], n_clients: int, requests: int, seconds: float,
              think: float) -> dict[tuple[str, str], float]:
    """Log N_CLIENTS in, then measure each page paced like users and closed loop; one row each; (page, way) -> p99."""
    limits = httpx.Limits(max_connections=2, max_keepalive_connections=2)
    clients = [httpx.AsyncClient(base_url=base, follow_redirects=True, timeout=60, limits=limits)
               for _ in range(n_clients)]
    found: dict[tuple[str, str], float] = {}
    try:
        started = time.perf_counter()
        retried = sum(await asyncio.gather(*(log_in(c) for c in clients)))
        print(f"  {n_clients} đăng nhập (argon2) trong {time.perf_counter() - started:.1f} s"
              f"; lần hỏng (HTTP 500 hoặc mất kết nối) rồi thử lại: {retried}")
        print(f"  {'trang':<10} {'cách':<11} {'số yêu cầu':>10} {'lỗi':>5} {'p50 ms':>8} {'p99 ms':>8} "
              f"{'yêu cầu/s':>10}")
        for label, path, note in pages:
            if path is None:
                print(f"  {label:<10} {note}")
                continue
            await clients[0].get(path)  # warm the caches once
            for way, pause in (("người dùng", think), ("dồn dập", 0.0)):
                latencies, errors, wall = await hammer(clients, path, requests, seconds, pause)
                p50, p99 = percentile(latencies, 50), percentile(latencies, 99)
                found[(label, way)] = p99
                print(f"  {label:<10} {way:<11} {len(latencies):>10} {errors:>5} {p50:>8.1f} {p99:>8.1f} "
                      f"{len(latencies) / wall:>10.1f}   {path}")
    finally:
        await asyncio.gather(*(c.aclose() for c in clients))
    return found


def main() -> None:
    """Build the demo, then benchmark each worker count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=20, help="closed loop: requests per client per page")
    parser.add_argument("--seconds", type=float, default=20.0, help="at most this long per page and way")
    parser.add_argument("--think", type=float, default=1.0, help="users' mean pause between pages, seconds")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tonghop-bench-web-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        started = time.perf_counter()
        report = build_demo(url=url, fresh=True)
        print(f"demo: {report.documents} văn bản, {report.province.get('units')} đơn vị, "
              f"dựng trong {time.perf_counter() - started:.0f} s; CPU: {os.cpu_count()}, "
              f"tải trung bình {os.getloadavg()[0]:.1f}")
        consolidation, why = consolidation_path(url)
        pages = [("trang chủ", "/", ""), ("tổng hợp", consolidation, why), ("tìm kiếm", SEARCH, "")]
        for workers in args.workers:
            port = free_port()
            print(f"\nuvicorn --workers {workers} trên 127.0.0.1:{port}, {args.clients} khách đồng thời "
                  f"(tài khoản {USERNAME}); người dùng: nghỉ trung bình {args.think:g} s giữa hai trang, "
                  f"{args.seconds:.0f} s mỗi trang; dồn dập: {args.requests} yêu cầu mỗi khách")
            log = Path(tmp) / f"uvicorn-{workers}.log"
            proc = start_server(url, port, workers, log)
            try:
                found = asyncio.run(run(f"http://127.0.0.1:{port}", pages, args.clients, args.requests,
                                        args.seconds, args.think))
            finally:
                stop_server(proc)
                errors = [line for line in log.read_text(errors="replace").splitlines() if "Error" in line]
                print(f"  uvicorn: {len(errors)} dòng lỗi" + (f", ví dụ: {errors[-1][:200]}" if errors else ""))
                for why, count in FAILURES.items():
                    print(f"  yêu cầu hỏng: {count} × {why}")
                FAILURES.clear()
            home, burst = found[("trang chủ", "người dùng")], found[("trang chủ", "dồn dập")]
            verdict = "ĐẠT" if home < GOAL_MS else "CHƯA ĐẠT"
            print(f"  mục tiêu: trang chủ p99 < {GOAL_MS:.0f} ms với {args.clients} người dùng — {verdict} "
                  f"({home:.1f} ms); dồn dập (thông lượng, không xét mục tiêu): p99 {burst:.1f} ms")


if __name__ == "__main__":
    main()
