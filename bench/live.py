"""Benchmark a live team session as the phones in the room see it.

Starts the README's production command (gunicorn, gevent workers, gunicorn.conf.py) on SQLite or
PostgreSQL and drives it over HTTP from this process. Every phone acts only on what its own screen
shows: it follows its own stream (or, with --polling, polls as live.js does), votes only after its
screen shows the vote open, and checks that its screen shows the result. Printed:

- joins: how many joined and how long it took;
- fan-out of "vote open" and "result shown": how many phones saw each, and how long after the
  facilitator's request (p50, p95, max);
- votes: acknowledged, and stored as acknowledged (read from the database, per participant);
- vote -> projector: from sending a vote until the projector's stream shows a count that includes it;
- vote throughput beside a static file, in the same server with every stream open;
- peak memory of the whole server (master and workers).

    .venv/bin/python bench/live.py --participants 1000
    .venv/bin/python bench/live.py --participants 3000 --workers 4 --database postgresql://postgres@127.0.0.1/test
    .venv/bin/python bench/live.py --participants 1000 --polling
    .venv/bin/python bench/live.py --participants 200 --restart
    .venv/bin/python bench/live.py --participants 1000 --organisations 2
    .venv/bin/python bench/live.py --participants 1000 --servers 2 --workers 2 --database postgresql://...

With --organisations N, N organisations each run their own session at the same time, each with its
own procesbegeleider, and the phones are shared out over them; the figures are printed per session.
With --servers N, N servers (the README's command on 127.0.0.1, 127.0.0.2, ...) share one PostgreSQL
as machines behind a load balancer would: phone n uses server n modulo N, the facilitator and the
projector the first; memory is the sum over all servers.

Exits non-zero when a phone missed a change, an acknowledged vote was not stored, or a request failed.
A benchmark, not a test.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from servers import Server, flask, server_env  # noqa: E402
from support.library import BUNDLED_CONTENT  # noqa: E402

PASSWORD = "een lang wachtwoord voor de benchmark"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LIVE_CSRF = re.compile(r'data-csrf="([^"]+)"')
VOTE_STATE = re.compile(r'data-stemming="(\w+)"')
PHASE = re.compile(r'data-fase="(\w+)"')
SENTENCE = re.compile(r'name="zin" value="([^"]+)"')
SHOW_ANSWER = re.compile(r'/antwoord/(\d+)/toon')
ME_TOO = re.compile(r'action="(/live/[A-Z0-9]+/ikook/antwoord/\d+)"')
POLL_MS, POLL_MAX_MS, SLOW_MS = 2000, 30000, 1000  # as in static/js/live.js
RETRY_SECONDS = 1.0  # the stream's `retry:`, as EventSource uses it
START_SECONDS = 120  # at most, for the server to answer after it was started
RESTART_VOTERS = 200  # phones that keep voting through a restart (--restart)


class MemoryWatch:
    """Sample the resident memory of the servers' whole process groups (a restarted server too), and the load."""

    def __init__(self, servers: list[Server]) -> None:
        self.servers, self.peak, self.peak_pss, self.running = servers, 0, 0, True
        self.load_start, self.load_peak = os.getloadavg()[0], 0.0
        threading.Thread(target=self.run, daemon=True).start()

    def run(self) -> None:
        while self.running:
            total = proportional = 0
            self.load_peak = max(self.load_peak, os.getloadavg()[0])
            groups = {server.process.pid for server in self.servers}
            for status in Path("/proc").glob("[0-9]*/status"):
                try:
                    if os.getpgid(int(status.parent.name)) not in groups:
                        continue
                    rss = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
                    pss = re.search(r"Pss:\s+(\d+) kB", (status.parent / "smaps_rollup").read_text())
                except (OSError, ValueError):
                    continue
                total += int(rss.group(1)) * 1024 if rss else 0
                proportional += int(pss.group(1)) * 1024 if pss else 0
            self.peak = max(self.peak, total)
            self.peak_pss = max(self.peak_pss, proportional)
            time.sleep(0.25)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))] if ordered else float("nan")


def figures(values: list[float]) -> str:
    """p50, p95 and max of seconds, in milliseconds."""
    if not values:
        return "no values"
    return (f"p50 {percentile(values, 0.5) * 1000:6.0f} ms   p95 {percentile(values, 0.95) * 1000:6.0f} ms   "
            f"max {max(values) * 1000:6.0f} ms")


@dataclass
class Phone:
    """One participant's phone: what its screen shows and when it showed it."""

    number: int
    http: aiohttp.ClientSession
    code: str
    csrf: str = ""
    version: int = 0
    vote_state: str = ""
    seen: dict[str, float] = field(default_factory=dict)  # vote state -> when the screen first showed it
    last_ack: int | None = None
    acks: dict[int, int] = field(default_factory=dict)  # round -> the last option acknowledged
    stream_errors: int = 0
    connected_at: float = 0.0
    html: str = ""
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def show(self, state: dict) -> None:
        """Apply a `stand` as live.js does: only a newer version replaces the screen."""
        if state.get("verwijderd"):
            return
        if "html" in state and state["versie"] > self.version:
            self.version, self.html = state["versie"], state["html"]
            found = VOTE_STATE.search(state["html"])
            self.vote_state = found.group(1) if found else ""
            phase = PHASE.search(state["html"])
            now = time.monotonic()
            for seen in (f"stemming:{self.vote_state}", f"fase:{phase.group(1) if phase else ''}"):
                self.seen.setdefault(seen, now)
            if 'class="question-round"' in state["html"]:
                self.seen.setdefault("vragenronde", now)
            if 'class="answers"' in state["html"]:
                self.seen.setdefault("antwoord-getoond", now)
            self.changed.set()

    async def sees(self, what: str, stop: asyncio.Event) -> None:
        """Wait until this phone's own screen has shown `what`."""
        while what not in self.seen and not stop.is_set():
            self.changed.clear()
            await self.changed.wait()


async def read_stream(phone: Phone, path: str, stop: asyncio.Event, first: asyncio.Event) -> None:
    """Follow a stream like EventSource: apply every `stand`, reconnect `retry` after it ends."""
    while not stop.is_set():
        try:
            async with phone.http.get(path, timeout=aiohttp.ClientTimeout(total=None, sock_read=20)) as response:
                if response.status != 200:
                    raise aiohttp.ClientResponseError(response.request_info, (), status=response.status)
                event = None
                async for raw in response.content:
                    line = raw.decode().rstrip("\n")
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") and event == "stand":
                        phone.connected_at = time.monotonic()
                        phone.show(json.loads(line[6:]))
                        first.set()
        except asyncio.CancelledError:
            raise
        except Exception:  # noqa: BLE001 - a dropped stream is what a restart looks like; count and reconnect
            phone.stream_errors += 1
        if stop.is_set():
            return
        await asyncio.sleep(RETRY_SECONDS)


async def poll_loop(phone: Phone, stop: asyncio.Event, latencies: list[float], first: asyncio.Event,
                    in_flight: list[int]) -> None:
    """Poll like live.js: wait for the answer, then 2 s (doubling when slow or failing), with jitter."""
    pause = POLL_MS
    while not stop.is_set():
        started = time.monotonic()
        healthy = False
        in_flight[0] += 1
        in_flight[1] = max(in_flight[1], in_flight[0])
        try:
            async with phone.http.get(f"/live/{phone.code}/stand", params={"weergave": "deelnemer",
                                                                           "sinds": str(phone.version)},
                                      headers={"Accept": "application/json"}) as response:
                body = await response.json() if response.status == 200 else None
            took = time.monotonic() - started
            latencies.append(took)
            if body is not None:
                phone.show(body)
                first.set()
                healthy = took * 1000 < SLOW_MS
        except Exception:  # noqa: BLE001 - counted as a slow answer, as the browser would
            pass
        finally:
            in_flight[0] -= 1
        pause = POLL_MS if healthy else min(POLL_MAX_MS, pause * 2)
        try:
            await asyncio.wait_for(stop.wait(), pause / 1000 * random.uniform(0.8, 1.2))
        except asyncio.TimeoutError:
            pass


async def token(http: aiohttp.ClientSession, url: str, pattern: re.Pattern = CSRF) -> str:
    async with http.get(url) as response:
        return pattern.search(await response.text()).group(1)


async def submit(http: aiohttp.ClientSession, url: str, data: dict, page: str | None = None) -> aiohttp.ClientResponse:
    csrf = await token(http, page or url)
    async with http.post(url, data={"csrf_token": csrf, **data}) as response:
        await response.read()
        return response


class Room:
    """The facilitator, the projector and the phones of one session on one server."""

    def __init__(self, bases: list[str], connector: aiohttp.TCPConnector, email: str = "begeleider@example.org",
                 first_number: int = 0) -> None:
        # The facilitator and the projector use the first server; phone n the server n modulo their number.
        self.bases, self.connector, self.email, self.first_number = bases, connector, email, first_number
        self.facilitator = self.session(bases[0])
        self.phones: list[Phone] = []
        self.tasks: list[asyncio.Task] = []
        self.stop = asyncio.Event()
        self.counts: list[tuple[float, int]] = []  # what the projector showed, and when
        self.errors: list[str] = []
        self.console = self.code = ""

    def session(self, base: str) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(base, connector=self.connector, connector_owner=False,
                                     cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def open(self) -> None:
        """Log in, plan a scene of a story and one card, start the session, follow the projector."""
        await submit(self.facilitator, "/inloggen", {"email": self.email, "password": PASSWORD})
        plan = (await submit(self.facilitator, "/sessies/plannen/", {"title": "Benchmark"})).url.path
        await submit(self.facilitator, plan, {"kind": "verhaal", "ref": "verhaal:jeffrey", "scenes": "1", "minutes": "15"})
        await submit(self.facilitator, plan, {"kind": "dilemma", "ref": "dilemma:pas-uitgeleend", "minutes": "30"})
        self.console = (await submit(self.facilitator, f"{plan}/start", {}, page=plan)).url.path
        async with self.facilitator.get(self.console) as page:
            self.code = re.search(r"code <strong>([A-Z0-9]{6})</strong>", await page.text()).group(1)
        ready = asyncio.Event()
        self.tasks.append(asyncio.create_task(self.follow_projector(ready)))
        await asyncio.wait_for(ready.wait(), 30)

    async def follow_projector(self, ready: asyncio.Event) -> None:
        path = f"/live/{self.code}/stroom?weergave=scherm"
        while not self.stop.is_set():
            try:
                async with self.facilitator.get(path, timeout=aiohttp.ClientTimeout(total=None, sock_read=20)) as r:
                    async for raw in r.content:
                        line = raw.decode()
                        if line.startswith("data: "):
                            data = json.loads(line[6:])
                            if "stemmen" in data:
                                self.counts.append((time.monotonic(), data["stemmen"]))
                            ready.set()
            except asyncio.CancelledError:
                raise
            except Exception:  # noqa: BLE001 - reconnect as EventSource does
                pass
            await asyncio.sleep(RETRY_SECONDS)

    async def act(self, name: str, path: str | None = None) -> float:
        """Press a console button; return when the request was sent.

        Like a browser, the facilitator sends again once when the server had closed an idle keep-alive
        connection just before it was reused (gunicorn closes idle connections after 2 s).
        """
        for attempt in (1, 2):
            try:
                csrf = await token(self.facilitator, self.console)
                sent = time.monotonic()
                async with self.facilitator.post(path or f"{self.console}/actie/{name}",
                                                 data={"csrf_token": csrf}) as response:
                    await response.read()
                    if response.status >= 400:
                        self.errors.append(f"actie {name}: {response.status}")
                return sent
            except aiohttp.ServerDisconnectedError:
                if attempt == 2:
                    raise
        return sent

    async def forward_to(self, phase: str) -> None:
        """Press → as the facilitator does until the console shows `phase`: a long moment has pages first."""
        for _ in range(10):
            await self.act("volgende")
            async with self.facilitator.get(f"/live/{self.code}/stand", params={"weergave": "console"}) as response:
                if f'data-fase="{phase}"' in (await response.json())["html"]:
                    return
        self.errors.append(f"de console kwam niet in de fase {phase}")

    async def join(self, count: int, streaming: bool, poll_latencies: list[float], in_flight: list[int]) -> float:
        """Let `count` phones join, 50 at a time; each follows its stream (or polls) once it is in."""
        gate = asyncio.Semaphore(50)

        async def one(number: int) -> None:
            phone = Phone(number, self.session(self.bases[number % len(self.bases)]), self.code)
            try:
                async with gate:
                    csrf = await token(phone.http, f"/meedoen/{self.code}")
                    async with phone.http.post(f"/meedoen/{self.code}", data={
                            "csrf_token": csrf, "nickname": f"deelnemer {number}"}) as response:
                        page = await response.text()  # the participant's page, after the redirect
                    phone.csrf = LIVE_CSRF.search(page).group(1)
                first = asyncio.Event()
                if streaming:
                    task = read_stream(phone, f"/live/{self.code}/stroom?weergave=deelnemer", self.stop, first)
                else:
                    task = poll_loop(phone, self.stop, poll_latencies, first, in_flight)
                self.tasks.append(asyncio.create_task(task))
                await asyncio.wait_for(first.wait(), 60)
                self.phones.append(phone)
            except Exception as error:  # noqa: BLE001
                self.errors.append(f"meedoen: {error!r}")

        started = time.monotonic()
        # Numbers go on across sessions, so the stored votes of every session can be told apart.
        await asyncio.gather(*(one(self.first_number + n) for n in range(count)))
        return time.monotonic() - started

    async def vote(self, phone: Phone, option: int) -> tuple[float, float | None]:
        """Send a vote; return when it was sent and when it was acknowledged (None if not)."""
        sent = time.monotonic()
        try:
            async with phone.http.post(f"/live/{self.code}/stem", data={"csrf_token": phone.csrf,
                                                                        "optie": str(option)},
                                       headers={"Accept": "application/json"}) as response:
                body = await response.json(content_type=None)
                if response.status == 200 and body.get("ok"):
                    phone.last_ack = option
                    phone.acks[body["ronde"]] = option
                    return sent, time.monotonic()
                self.errors.append(f"stem: {response.status}")
        except Exception as error:  # noqa: BLE001
            self.errors.append(f"stem: {error!r}")
        return sent, None

    async def post(self, phone: Phone, path: str, data: dict) -> tuple[float, float | None]:
        """A phone's small post (sentences, an answer, "ik ook"); when it was sent and acknowledged."""
        sent = time.monotonic()
        try:
            async with phone.http.post(path, data={"csrf_token": phone.csrf, **data},
                                       headers={"Accept": "application/json"}) as response:
                body = await response.json(content_type=None)
                if response.status == 200 and body.get("ok"):
                    return sent, time.monotonic()
                self.errors.append(f"{path.split('/')[3]}: {response.status}")
        except Exception as error:  # noqa: BLE001
            self.errors.append(f"{path.split('/')[3]}: {error!r}")
        return sent, None

    async def wait_until(self, state: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(state not in p.seen for p in self.phones):
            await asyncio.sleep(0.05)

    async def close(self) -> None:
        self.stop.set()
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for phone in self.phones:
            await phone.http.close()
        await self.facilitator.close()


def fan_out(room: Room, state: str, since: float) -> tuple[int, list[float]]:
    """How many phones showed `state`, and how long after `since`."""
    times = [p.seen[state] - since for p in room.phones if state in p.seen]
    return len(times), times


async def throughput(room: Room, seconds: float, concurrency: int) -> tuple[float, float]:
    """Votes per second beside GETs of a static file per second, each alone for `seconds`, same concurrency."""
    async def hammer(request) -> float:
        done, deadline = 0, time.monotonic() + seconds

        async def worker(index: int) -> None:
            nonlocal done
            while time.monotonic() < deadline:
                if await request(index):
                    done += 1
        await asyncio.gather(*(worker(i) for i in range(concurrency)))
        return done / seconds

    concurrency = min(concurrency, len(room.phones))  # a phone sends one request at a time, as a real one does

    async def vote(index: int) -> bool:
        return (await room.vote(room.phones[index], random.randint(1, 3)))[1] is not None

    async def static(index: int) -> bool:
        async with room.phones[index].http.get("/static/css/bril.css") as response:
            await response.read()
            return response.status == 200

    return await hammer(vote), await hammer(static)


async def drive(bases: list[str], args: argparse.Namespace, server: Server, email: str = "begeleider@example.org",
                participants: int | None = None, first_number: int = 0, measure_throughput: bool = True) -> dict:
    connector = aiohttp.TCPConnector(limit=0, force_close=False)
    room = Room(bases, connector, email, first_number)
    participants = args.participants if participants is None else participants
    result: dict = {"errors": room.errors}
    poll_latencies: list[float] = []
    in_flight = [0, 0]
    try:
        await room.open()
        polling_since = time.monotonic()
        result["join_seconds"] = await room.join(participants, not args.polling, poll_latencies, in_flight)
        result["joined"] = len(room.phones)
        if args.polling:
            await asyncio.sleep(args.steady)  # polling at rest, before anything changes
        if args.restart:
            await room.act("volgende")  # through the scene without reading it: the restart is about the vote
        else:
            result.update(await read_together(room, args.window))
        await room.forward_to("situatie")  # on to the card, through the pages of a long reveal first
        await room.wait_until("fase:situatie", 30)
        acks: list[tuple[float, float]] = []

        async def vote_when_open(phone: Phone) -> None:
            await phone.sees("fase:stemmen", room.stop)
            await asyncio.sleep(random.uniform(0, args.window))
            sent, acked = await room.vote(phone, random.randint(0, 3))
            if acked is not None:
                acks.append((sent, acked))

        voters = [asyncio.create_task(vote_when_open(p)) for p in room.phones]
        cpu = time.process_time()
        opened = await room.act("stemming-open")
        await room.wait_until("fase:stemmen", 30)
        result["open"] = fan_out(room, "fase:stemmen", opened)
        result["client_cpu_open"] = (time.process_time() - cpu, time.monotonic() - opened)
        await asyncio.wait(voters, timeout=args.window + 30)
        for task in voters:
            task.cancel()
        result["acknowledged"] = len(acks)
        deadline = time.monotonic() + 10
        while (not room.counts or room.counts[-1][1] < len(acks)) and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        result["vote_to_projector"] = vote_to_projector(acks, room.counts, room.errors)

        if args.restart:
            result["restart"] = await restart_during_vote(room, server)

        await room.act("stemming-dicht")
        cpu = time.process_time()
        revealed = await room.act("stemming-onthul")
        await room.wait_until("fase:uitslag", 30)
        result["reveal"] = fan_out(room, "fase:uitslag", revealed)
        result["client_cpu_reveal"] = (time.process_time() - cpu, time.monotonic() - revealed)
        if not args.polling and not args.restart and measure_throughput:
            await room.act("tweede-ronde")  # round 2 is open: votes may be sent again
            await asyncio.sleep(1)
            result["throughput"] = await throughput(room, args.throughput_seconds, 50)
        result["expected"] = {(p.number, r): option for p in room.phones for r, option in p.acks.items()}
        result["poll_latencies"] = poll_latencies
        result["poll_seconds"] = time.monotonic() - polling_since
        result["polls_in_flight_max"] = in_flight[1]
        result["stream_reconnects"] = sum(p.stream_errors for p in room.phones)
    finally:
        await room.close()
        await connector.close()
    return result


async def read_together(room: Room, window: float) -> dict:
    """A scene read together ("Wat zie jij?") and a question round, each phone acting on its own screen."""
    found: dict = {}
    scene_shown = await room.act("volgende")
    await room.wait_until("fase:verhaal", 30)
    found["scene"] = fan_out(room, "fase:verhaal", scene_shown)
    marked: list[tuple[float, float]] = []

    async def mark(phone: Phone) -> None:
        await phone.sees("fase:verhaal", room.stop)
        sentences = SENTENCE.findall(phone.html)
        await asyncio.sleep(random.uniform(0, window))
        sent, acked = await room.post(phone, f"/live/{room.code}/zinnen",
                                      {"zin": random.sample(sentences, k=min(len(sentences), random.randint(1, 3)))})
        if acked is not None:
            marked.append((sent, acked))

    counted_from = len(room.counts)
    await asyncio.gather(*(mark(p) for p in room.phones))
    deadline = time.monotonic() + 10
    while (not room.counts or room.counts[-1][1] < len(marked)) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    found["marked"] = len(marked)
    found["marks_to_projector"] = vote_to_projector(marked, room.counts[counted_from:], room.errors)
    heat = await room.act("stemming-dicht")
    await room.wait_until("fase:markeringen", 30)
    found["heat"] = fan_out(room, "fase:markeringen", heat)
    signals = await room.act("stemming-onthul")
    await room.wait_until("fase:signalen", 30)
    found["signals"] = fan_out(room, "fase:signalen", signals)

    asked = await room.act("vragenronde")
    await room.wait_until("vragenronde", 30)
    found["round"] = fan_out(room, "vragenronde", asked)
    answered: list[float] = []

    async def answer(phone: Phone) -> None:
        await asyncio.sleep(random.uniform(0, window))
        sent, acked = await room.post(phone, f"/live/{room.code}/antwoord",
                                      {"text": f"Ik zou eerst met een collega praten ({phone.number})"})
        if acked is not None:
            answered.append(acked - sent)

    await asyncio.gather(*(answer(p) for p in room.phones))
    found["answers"] = answered
    async with room.facilitator.get(f"/live/{room.code}/stand", params={"weergave": "console"}) as response:
        first = SHOW_ANSWER.search((await response.json())["html"])
    shown = await room.act("toon", path=f"{room.console}/antwoord/{first.group(1)}/toon")
    await room.wait_until("antwoord-getoond", 30)
    found["shown"] = fan_out(room, "antwoord-getoond", shown)
    supported: list[float] = []

    async def me_too(phone: Phone) -> None:
        target = ME_TOO.search(phone.html)
        await asyncio.sleep(random.uniform(0, window))
        sent, acked = await room.post(phone, target.group(1), {})
        if acked is not None:
            supported.append(acked - sent)

    await asyncio.gather(*(me_too(p) for p in room.phones))
    found["me_too"] = supported
    await room.act("vragenronde")  # close the round
    return found


def vote_to_projector(acks: list[tuple[float, float]], counts: list[tuple[float, int]], errors: list[str]) -> list:
    """For the k-th acknowledged vote: from sending it until the projector showed at least k votes."""
    latencies = []
    for rank, (sent, acked) in enumerate(sorted(acks, key=lambda a: a[1]), 1):
        seen = next((at for at, count in counts if count >= rank and at >= acked - 0.001), None)
        if seen is None:
            errors.append("stem niet op het scherm gezien")
            continue
        latencies.append(max(0.0, seen - sent))
    return latencies


async def restart_during_vote(room: Room, server: Server) -> dict:
    """Phones keep changing their vote; restart the server with the README's command meanwhile."""
    acks: list[float] = []
    keep_going = asyncio.Event()

    async def keep_voting(phone: Phone) -> None:
        while not keep_going.is_set():
            await asyncio.sleep(random.uniform(0.5, 1.5))
            _, acked = await room.vote(phone, random.randint(1, 3))
            if acked is not None:
                acks.append(acked)

    errors_before = len(room.errors)
    # Every phone keeps its stream open; 200 of them keep voting (1000 voting every second would be a load
    # test of its own, and this one is about how long the room is without a server).
    voters = [asyncio.create_task(keep_voting(p)) for p in room.phones[:RESTART_VOTERS]]
    await asyncio.sleep(5)
    stopping = time.monotonic()
    os.kill(server.process.pid, signal.SIGTERM)
    await asyncio.get_running_loop().run_in_executor(None, server.process.wait)
    stopped = time.monotonic()
    starting = asyncio.get_running_loop().run_in_executor(None, server.start, START_SECONDS)
    # The room has a server again as soon as a phone sees it: a stream shows the state, or a vote is acknowledged.
    # (The server's own first answer to a page is no measure on a busy machine: it queues behind the room's.)
    while time.monotonic() < stopped + START_SECONDS and not any(at >= stopped for at in acks) \
            and not any(p.connected_at >= stopped for p in room.phones):
        await asyncio.sleep(0.02)
    up = time.monotonic()
    await starting
    deadline = up + 30
    while time.monotonic() < deadline and any(p.connected_at < stopped for p in room.phones):
        await asyncio.sleep(0.05)
    # Back in step: the phone's stream is connected again and has shown the current state.
    back = [max(0.0, p.connected_at - up) for p in room.phones if p.connected_at >= stopped]
    await asyncio.sleep(5)
    keep_going.set()
    await asyncio.gather(*voters, return_exceptions=True)
    # Votes refused while the server was away are what the phone would show as "niet ontvangen": not lost.
    del room.errors[errors_before:]
    acks.sort()
    gaps = [later - earlier for earlier, later in zip(acks, acks[1:])]
    return {"stop_seconds": stopped - stopping, "down_seconds": up - stopping, "no_voting_seconds": max(gaps),
            "back": back, "phones": len(room.phones)}


def stored_votes(database_url: str) -> dict[tuple[int, int], int]:
    """The stored vote per participant number and round, read from the database."""
    from sqlalchemy import create_engine, text

    from app import database_url as normalise
    engine = create_engine(normalise(database_url))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT p.nickname, v.round, v.option FROM vote v JOIN participant p "
                                       "ON p.id = v.participant_id")).all()
    engine.dispose()
    return {(int(nickname.rsplit(" ", 1)[1]), round_): option for nickname, round_, option in rows}


def report(args: argparse.Namespace, result: dict, stored: dict[int, int], memory: MemoryWatch,
           participants: int | None = None, heading: str = "") -> bool:
    """Print the figures; True when every phone saw every change and every acknowledged vote was stored."""
    kind = "PostgreSQL" if args.database else "SQLite"
    mode = "polling only" if args.polling else "streams"
    participants = args.participants if participants is None else participants
    if heading:
        print(f"--- {heading}")
    machines = f"{args.servers} servers x " if args.servers > 1 else ""
    print(f"server: {machines}{args.workers} gevent worker(s), {kind}; {mode}; phones asked: {participants}")
    print(f"joined:                    {result.get('joined', 0)} in {result.get('join_seconds', 0):.1f} s")
    ok = result.get("joined") == participants
    for label, key in (("saw the vote open:", "open"), ("saw the result:", "reveal")):
        seen, times = result.get(key, (0, []))
        print(f"{label:26} {seen} / {result.get('joined', 0)}   fan-out {figures(times)}")
        ok &= seen == result.get("joined")
    if "scene" in result:
        for label, key in (("saw the scene:", "scene"), ("saw the room's marks:", "heat"),
                           ("saw the signals:", "signals"), ("saw the question round:", "round"),
                           ("saw a shown answer:", "shown")):
            seen, times = result[key]
            print(f"{label:26} {seen} / {result.get('joined', 0)}   fan-out {figures(times)}")
            ok &= seen == result.get("joined")
        print(f"sentences marked:          {result['marked']} phones; marks -> projector "
              f"{figures(result['marks_to_projector'])}")
        print(f"answers acknowledged:      {len(result['answers'])}   {figures(result['answers'])}")
        print(f"'ik ook' acknowledged:     {len(result['me_too'])}   {figures(result['me_too'])}")
        ok &= result["marked"] == len(result["answers"]) == len(result["me_too"]) == result.get("joined")
    expected = result.get("expected", {})
    matching = sum(1 for number, option in expected.items() if stored.get(number) == option)
    print(f"votes acknowledged:        {result.get('acknowledged', 0)} in round 1; last vote stored as acknowledged: "
          f"{matching} of {len(expected)} (phone, round) pairs; stored without acknowledgement: "
          f"{len(set(stored) - set(expected))}")
    ok &= matching == len(expected) and result.get("acknowledged", 0) > 0
    print(f"vote -> projector:         {figures(result.get('vote_to_projector', []))}  (from sending the vote)")
    for key, what in (("client_cpu_open", "the vote opened"), ("client_cpu_reveal", "the result was shown")):
        if key in result:
            busy, wall = result[key]
            print(f"this client's own CPU while {what}: {busy:.2f} s in {wall:.2f} s")
    if "throughput" in result:
        votes, static = result["throughput"]
        print(f"throughput (50 at once):   votes {votes:.0f}/s, static file {static:.0f}/s, "
              f"ratio {votes / static:.2f}  (with {result.get('joined', 0)} streams open)")
    if args.polling:
        polls = result["poll_latencies"]
        print(f"polls:                     {len(polls)} answered ({len(polls) / result['poll_seconds']:.0f}/s), "
              f"{figures(polls)}; at most {result['polls_in_flight_max']} in flight")
    if "restart" in result:
        restart = result["restart"]
        print(f"restart ({restart['phones']} streams open, {min(RESTART_VOTERS, restart['phones'])} voting): "
              f"stop {restart['stop_seconds']:.1f} s, server away "
              f"{restart['down_seconds']:.1f} s, longest time without an acknowledged vote "
              f"{restart['no_voting_seconds']:.1f} s")
        print(f"back in step after start:  {len(restart['back'])} / {restart['phones']}   {figures(restart['back'])}")
        ok &= len(restart["back"]) == restart["phones"]
    print(f"stream reconnects:         {result.get('stream_reconnects', 0)}")
    print(f"server peak memory:        {memory.peak_pss / 2**20:.0f} MB (sum of PSS: each shared page counted once); "
          f"{memory.peak / 2**20:.0f} MB (sum of RSS: shared pages counted in every process)")
    print(f"load average (1 min):      {memory.load_start:.1f} at the start, highest {memory.load_peak:.1f} "
          f"(this machine's {os.cpu_count()} cores, shared with whatever else runs)")
    print(f"errors:                    {len(result['errors'])}")
    for error in sorted(set(result["errors"]))[:10]:
        print(f"  {error}")
    return ok and not result["errors"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--database", help="PostgreSQL URL; default a fresh SQLite file")
    parser.add_argument("--window", type=float, default=10.0, help="seconds in which the phones vote")
    parser.add_argument("--polling", action="store_true", help="phones poll instead of streaming")
    parser.add_argument("--steady", type=float, default=20.0, help="seconds of polling before the vote opens")
    parser.add_argument("--restart", action="store_true", help="restart the server during the vote")
    parser.add_argument("--throughput-seconds", type=float, default=5.0)
    parser.add_argument("--organisations", type=int, default=1,
                        help="organisations running a session at the same time; the phones are shared out")
    parser.add_argument("--servers", type=int, default=1,
                        help="app servers sharing the database (127.0.0.1, 127.0.0.2, ...), as machines behind a "
                             "load balancer: the phones are shared out, the facilitator uses the first")
    args = parser.parse_args()
    if args.servers > 1 and not args.database:
        parser.error("--servers needs --database: several servers share one PostgreSQL, never one SQLite file")

    if args.database:
        from support import reset_postgresql
        reset_postgresql(args.database)
        database = args.database
    else:
        database = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    env = server_env(database, BUNDLED_CONTENT)  # the room reads a real story and card
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "begeleider@example.org", "--role", "procesbegeleider", "--password", PASSWORD)
    emails = ["begeleider@example.org"]
    for number in range(2, args.organisations + 1):
        flask(env, "orgs", "create", f"Gemeente Bank {number}")
        emails.append(f"begeleider{number}@example.org")
        flask(env, "users", "create", emails[-1], "--role", "procesbegeleider", "--org", f"gemeente-bank-{number}",
              "--password", PASSWORD)
    shares = [args.participants // len(emails) + (i < args.participants % len(emails)) for i in range(len(emails))]
    starts = [sum(shares[:i]) for i in range(len(emails))]
    # A machine shared with other work may need more than the tests' 30 s to start several workers.
    servers = [Server(env, workers=args.workers, host=f"127.0.0.{number}").start(within=START_SECONDS)
               for number in range(1, args.servers + 1)]
    memory = MemoryWatch(servers)

    async def every_session() -> list[dict]:
        # The first session measures throughput at the end; the others keep their phones connected meanwhile.
        return await asyncio.gather(*(drive([server.url for server in servers], args, servers[0], email, share,
                                            start, i == 0)
                                      for i, (email, share, start) in enumerate(zip(emails, shares, starts))))
    try:
        results = asyncio.run(every_session())
    finally:
        memory.running = False
        for server in servers:
            server.stop()
    stored = stored_votes(database)
    ok = True
    for number, (result, share, start) in enumerate(zip(results, shares, starts), 1):
        mine = {key: option for key, option in stored.items() if start <= key[0] < start + share}
        heading = f"organisation {number} of {len(results)}" if len(results) > 1 else ""
        ok &= report(args, result, mine, memory, share, heading)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
