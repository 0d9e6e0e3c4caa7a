"""Benchmark a live team session: N participants join, keep their streams open and vote within ten seconds.

Starts the real server (gunicorn with gevent workers) on SQLite or PostgreSQL, drives it over HTTP
from this process, and prints: joined, votes acknowledged, votes stored, vote-to-projector latency
(p50, p95, max), server peak memory, errors. A benchmark, not a test.

    .venv/bin/python bench/live.py --participants 1000
    .venv/bin/python bench/live.py --participants 1000 --workers 4 --database postgresql://postgres@127.0.0.1/test
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from servers import Server, flask, server_env  # noqa: E402

PASSWORD = "een lang wachtwoord voor de benchmark"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class MemoryWatch:
    """Sample the resident memory of the server's whole process group."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self.running = pid, 0, True
        threading.Thread(target=self.run, daemon=True).start()

    def run(self) -> None:
        while self.running:
            total = 0
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    text = status.read_text()
                    pgid = os.getpgid(int(status.parent.name))
                except (OSError, ValueError):
                    continue
                if pgid == self.pid:
                    rss = re.search(r"VmRSS:\s+(\d+) kB", text)
                    total += int(rss.group(1)) * 1024 if rss else 0
            self.peak = max(self.peak, total)
            time.sleep(0.25)


async def token(http: aiohttp.ClientSession, url: str) -> str:
    async with http.get(url) as response:
        return CSRF.search(await response.text()).group(1)


async def submit(http: aiohttp.ClientSession, url: str, data: dict, page: str | None = None) -> aiohttp.ClientResponse:
    csrf = await token(http, page or url)
    async with http.post(url, data={"csrf_token": csrf, **data}) as response:
        await response.read()
        return response


async def read_stream(http: aiohttp.ClientSession, url: str, on_event, ready: asyncio.Event, errors: list) -> None:
    """Keep a stream open and hand every event to `on_event`."""
    try:
        async with http.get(url, timeout=aiohttp.ClientTimeout(total=None, sock_read=30)) as response:
            event = None
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    on_event(event, json.loads(line[6:]))
                    ready.set()
    except asyncio.CancelledError:
        raise
    except Exception as error:  # noqa: BLE001 - every failure is counted and reported
        errors.append(f"stroom: {error!r}")
        ready.set()


async def run(base: str, participants: int, window: float, connector: aiohttp.TCPConnector) -> dict:
    errors: list[str] = []
    facilitator = aiohttp.ClientSession(base, connector=connector, connector_owner=False,
                                  cookie_jar=aiohttp.CookieJar(unsafe=True))
    await submit(facilitator, "/inloggen", {"email": "begeleider@example.org", "password": PASSWORD})
    response = await submit(facilitator, "/sessies/plannen/", {"title": "Benchmark"})
    plan = response.url.path
    await submit(facilitator, plan, {"kind": "dilemma", "ref": "dilemma:pas-uitgeleend", "minutes": "30"})
    console = (await submit(facilitator, f"{plan}/start", {}, page=plan)).url.path
    await submit(facilitator, f"{console}/actie/volgende", {}, page=console)
    async with facilitator.get(console) as page:
        code = re.search(r"code <strong>([A-Z0-9]{6})</strong>", await page.text()).group(1)

    counts: list[tuple[float, int]] = []
    projector_ready = asyncio.Event()
    tasks = [asyncio.create_task(read_stream(
        facilitator, f"/live/{code}/stroom?weergave=scherm",
        lambda event, data: counts.append((time.monotonic(), data.get("stemmen", 0))), projector_ready, errors))]
    await projector_ready.wait()

    sessions, tokens = [], []
    gate = asyncio.Semaphore(50)

    async def join(number: int) -> None:
        http = aiohttp.ClientSession(base, connector=connector, connector_owner=False,
                                  cookie_jar=aiohttp.CookieJar(unsafe=True))
        try:
            async with gate:
                await submit(http, f"/meedoen/{code}", {"nickname": f"deelnemer {number}"})
                csrf = await token(http, f"/meedoen/{code}")
            ready = asyncio.Event()
            tasks.append(asyncio.create_task(read_stream(http, f"/live/{code}/stroom?weergave=deelnemer",
                                                         lambda e, d: None, ready, errors)))
            await asyncio.wait_for(ready.wait(), 30)
            sessions.append(http)
            tokens.append(csrf)
        except Exception as error:  # noqa: BLE001
            errors.append(f"meedoen: {error!r}")
            await http.close()

    started = time.monotonic()
    await asyncio.gather(*(join(n) for n in range(participants)))
    join_seconds = time.monotonic() - started
    await submit(facilitator, f"{console}/actie/stemming-open", {}, page=console)

    acks: list[float] = []

    async def vote(http: aiohttp.ClientSession, csrf: str) -> None:
        await asyncio.sleep(random.uniform(0, window))
        try:
            async with http.post(f"/live/{code}/stem", data={"csrf_token": csrf, "optie": str(random.randint(0, 3))},
                                 headers={"Accept": "application/json"}) as response:
                body = await response.json()
                if response.status == 200 and body.get("ok"):
                    acks.append(time.monotonic())
                else:
                    errors.append(f"stem: {response.status}")
        except Exception as error:  # noqa: BLE001
            errors.append(f"stem: {error!r}")

    await asyncio.gather(*(vote(http, csrf) for http, csrf in zip(sessions, tokens)))
    deadline = time.monotonic() + 10
    while (not counts or counts[-1][1] < len(acks)) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)

    acks.sort()
    latencies = []
    for rank, acked in enumerate(acks, 1):
        seen = next((at for at, count in counts if count >= rank and at >= acked - 0.001), None)
        if seen is None:
            errors.append("stem niet op het scherm gezien")
            continue
        latencies.append(max(0.0, seen - acked))
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for http in sessions:
        await http.close()
    await facilitator.close()
    return {"joined": len(sessions), "acknowledged": len(acks), "latencies": latencies, "errors": errors,
            "join_seconds": join_seconds}


def stored_votes(database_url: str) -> int:
    from sqlalchemy import create_engine, text

    from app import database_url as normalise
    engine = create_engine(normalise(database_url))
    with engine.connect() as connection:
        count = connection.execute(text("SELECT count(*) FROM vote")).scalar()
    engine.dispose()
    return count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database", help="PostgreSQL URL; default a fresh SQLite file")
    parser.add_argument("--window", type=float, default=10.0, help="seconds in which everyone votes")
    args = parser.parse_args()

    if args.database:
        sys.path.insert(0, str(ROOT / "tests"))
        from support import reset_postgresql
        reset_postgresql(args.database)
        database = args.database
    else:
        database = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    env = server_env(database)
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "begeleider@example.org", "--role", "procesbegeleider", "--password", PASSWORD)
    server = Server(env, workers=args.workers).start()
    memory = MemoryWatch(server.process.pid)

    async def drive() -> dict:
        connector = aiohttp.TCPConnector(limit=0)
        try:
            return await run(server.url, args.participants, args.window, connector)
        finally:
            await connector.close()

    try:
        result = asyncio.run(drive())
    finally:
        memory.running = False
        server.stop()
    latencies = result["latencies"]
    kind = "PostgreSQL" if args.database else "SQLite"
    print(f"server: {args.workers} gevent worker(s), {kind}; participants asked: {args.participants}")
    print(f"joined:                 {result['joined']} (in {result['join_seconds']:.1f} s)")
    print(f"votes acknowledged:     {result['acknowledged']}")
    print(f"votes stored:           {stored_votes(database)}")
    print(f"vote-to-projector p50:  {percentile(latencies, 0.50) * 1000:.0f} ms")
    print(f"vote-to-projector p95:  {percentile(latencies, 0.95) * 1000:.0f} ms")
    print(f"vote-to-projector max:  {max(latencies, default=float('nan')) * 1000:.0f} ms")
    print(f"server peak memory:     {memory.peak / 2**20:.0f} MB")
    print(f"errors:                 {len(result['errors'])}")
    for error in sorted(set(result["errors"]))[:10]:
        print(f"  {error}")
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()
