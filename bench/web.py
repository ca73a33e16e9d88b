"""The web layer under load: p50/p95 latency and throughput of the case page and the case API at a
fixed request rate, beside a bare FastAPI endpoint reading one row from the same database.

A demo store is built in a temporary folder; each server runs in its own process (uvicorn, one
worker) on a random loopback port; an open-loop generator sends requests at the fixed rate for a
bounded time from a thread pool and records each latency. Prints figures; asserts nothing.

    .venv/bin/python bench/web.py [--rate 200] [--seconds 10] [--count 1000]
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

CASE = "PW-DEMO-KOR1"


def bare_app(database: str) -> object:
    """The floor: FastAPI, one engine, one SELECT of one summary row, JSON out. No auth, no law."""
    from fastapi import FastAPI
    from sqlalchemy import select

    from powcase.store.engine import make_engine
    from powcase.store.tables import case_summary

    engine = make_engine(database)
    app = FastAPI()

    @app.get("/row/{case_id}")
    def row(case_id: str) -> dict[str, object]:
        with engine.begin() as conn:
            found = conn.execute(select(case_summary).where(case_summary.c.case_id == case_id)).first()
        return {"case_id": case_id, "status": found.status if found else None}

    return app


def powcase_app(database: str) -> object:
    from powcase.app import Settings, open_powcase
    from powcase.web import create_app

    return create_app(open_powcase(Settings.resolve(database)))


def serve(kind: str, database: str, port: int) -> None:
    import uvicorn

    app = bare_app(database) if kind == "bare" else powcase_app(database)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)  # type: ignore[arg-type]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(kind: str, database: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, "--serve", kind, "--database", database, "--port", str(port)])
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            httpx.get(base + "/api/v1/openapi.json" if kind != "bare" else base + "/docs", timeout=1)
            return proc, base
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"{kind} server did not start")


def load(url: str, rate: float, seconds: float, headers: dict[str, str], cookies: dict[str, str]) -> dict[str, float]:
    """Open loop: request i is sent at start + i/rate whether or not earlier ones have returned."""
    total = int(rate * seconds)
    latencies: list[float] = []
    errors = 0
    client = httpx.Client(headers=headers, cookies=cookies, timeout=10, limits=httpx.Limits(max_connections=64))

    def one(at: float) -> tuple[float, bool]:
        delay = at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        sent = time.perf_counter()
        try:
            ok = client.get(url).status_code == 200
        except httpx.HTTPError:
            ok = False  # a timeout under overload: counted as an error, its wait as its latency
        return time.perf_counter() - sent, ok

    begin = time.perf_counter() + 0.2
    with ThreadPoolExecutor(max_workers=64) as pool:
        results = list(pool.map(one, [begin + i / rate for i in range(total)]))
    elapsed = time.perf_counter() - begin
    client.close()
    for latency, ok in results:
        latencies.append(latency)
        errors += not ok
    latencies.sort()
    return {
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "throughput": len(latencies) / elapsed,
        "errors": errors,
    }


def serial(url: str, headers: dict[str, str], cookies: dict[str, str], n: int = 100) -> float:
    """The service time of one request on an idle server (median of ``n`` sent one after another)."""
    with httpx.Client(headers=headers, cookies=cookies, timeout=10) as client:
        times = []
        for _ in range(n):
            sent = time.perf_counter()
            client.get(url)
            times.append(time.perf_counter() - sent)
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rate", type=float, default=200.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--serve", choices=["bare", "powcase"])
    parser.add_argument("--database")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.database, args.port)
        return
    with tempfile.TemporaryDirectory() as tmp:
        database = f"sqlite:///{Path(tmp) / 'powcase.db'}"
        env = {**os.environ, "POWCASE_DATABASE_URL": database}
        powcase = str(Path(sys.executable).parent / "powcase")
        subprocess.run([powcase, "demo", "--count", str(args.count)], env=env, check=True, capture_output=True)
        token = (Path(tmp) / "tokens" / "demo-legal.token").read_text(encoding="ascii").strip()
        # A page session: the password is reset through the demo's own administrator token.
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
        from powcase.access.accounts import Accounts
        from powcase.app import Settings, open_powcase
        from powcase.cli.serve import reset_demo_passwords

        pw = open_powcase(Settings.resolve(database))
        password = reset_demo_passwords(Accounts(pw.store.engine, pw.store.master_key, pw.clock), Path(tmp) / "tokens")["demo-legal"]
        token = (Path(tmp) / "tokens" / "demo-legal.token").read_text(encoding="ascii").strip()
        figures: dict[str, dict[str, float]] = {}
        idle: dict[str, float] = {}
        proc, base = start("powcase", database)
        try:
            with httpx.Client(base_url=base) as client:
                page = client.get("/login")
                csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
                client.post("/login", data={"csrf": csrf, "name": "demo-legal", "password": password})
                cookies = dict(client.cookies)
            page_url, api_url = f"{base}/cases/{CASE}?as_of=2025-03-15", f"{base}/api/v1/cases/{CASE}"
            bearer = {"Authorization": f"Bearer {token}"}
            idle["case page"] = serial(page_url, {}, cookies)
            idle["case API"] = serial(api_url, bearer, {})
            figures["case page"] = load(f"{base}/cases/{CASE}?as_of=2025-03-15", args.rate, args.seconds, {}, cookies)
            figures["case API"] = load(f"{base}/api/v1/cases/{CASE}", args.rate, args.seconds, {"Authorization": f"Bearer {token}"}, {})
        finally:
            proc.terminate()
            proc.wait()
        proc, base = start("bare", database)
        try:
            idle["bare row"] = serial(f"{base}/row/{CASE}", {}, {})
            figures["bare row"] = load(f"{base}/row/{CASE}", args.rate, args.seconds, {}, {})
        finally:
            proc.terminate()
            proc.wait()
    print(f"{args.rate:.0f} requests/s for {args.seconds:.0f} s each, SQLite, {args.count + 2} cases, one uvicorn worker")
    print(f"{'':12} {'idle ms':>8} {'p50 ms':>8} {'p95 ms':>8} {'req/s':>8} {'errors':>7} {'p95 / bare':>11}")
    bare = figures["bare row"]["p95_ms"]
    for name, f in figures.items():
        print(f"{name:12} {idle[name]:8.1f} {f['p50_ms']:8.1f} {f['p95_ms']:8.1f} {f['throughput']:8.1f} {f['errors']:7.0f}"
              f" {f['p95_ms'] / bare:10.1f}x")
    print("idle: median of 100 requests one after another; the rest at the fixed rate, queueing included")


if __name__ == "__main__":
    main()
