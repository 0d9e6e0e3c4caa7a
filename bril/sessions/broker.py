"""Live updates through one small publish/subscribe broker.

`InProcessBroker` serves one process (the SQLite default). `PostgresBroker` adds LISTEN/NOTIFY so that
several worker processes, on one machine or several, hear each other's changes. Messages only say
*that* something changed (workshop, kind, version); every view then reads the database, the single
source of truth.

Kinds of change: `state` (everyone), `console` (someone joined or parked something, an answer or an "ik
ook" came in: the console and the projector), `votes` (a vote or a mark came in: the counts on the
projector and the console). Subscriptions are indexed by workshop and kind, so a vote touches the two
streams that show counts, not the thousand phones that do not.

Two ways to tell: a change of state is announced inside its own transaction (`commit_and_publish`), so
every process hears it exactly when it is committed. What a hall sends within seconds (votes, marks,
answers, "ik ook": hotpath.py) is `announce`d after it was stored: this process's streams hear it at
once, and the other processes from a publisher that sends one NOTIFY for everything announced in the
last fifth of a second. A NOTIFY takes a lock that every committing transaction with a NOTIFY
queues on; one per vote halved PostgreSQL's commits per second.
"""
from __future__ import annotations

import os
import queue
import secrets
import threading
import time
import weakref
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import text

CHANNEL = "bril_live"
KINDS = ("state", "console", "votes")
# Put in every open stream's queue when the process is about to stop: streams end at once, the
# browsers reconnect (to another worker, or to the restarted server) instead of holding the shutdown.
CLOSING = ("closing", 0)
# How often a process tells the others what its hot path stored: a few times a second is as fast as a
# room reads a count, and costs PostgreSQL one NOTIFY per process per tick instead of one per vote.
PUBLISH_SECONDS = 0.2


@dataclass(eq=False)
class Subscription:
    """A queue of change messages for one workshop, for one open stream."""

    workshop_id: int
    broker: InProcessBroker
    kinds: frozenset[str] = frozenset({"state"})
    messages: queue.Queue = field(default_factory=queue.Queue)

    def get(self, timeout: float) -> tuple[str, int] | None:
        """The next message, or None after `timeout` seconds of silence."""
        try:
            return self.messages.get(timeout=timeout)
        except queue.Empty:
            return None

    def drain(self, within: float) -> list[tuple[str, int]]:
        """Collect what else arrives within a short time, so bursts become one update."""
        deadline = time.monotonic() + within
        found = []
        while (left := deadline - time.monotonic()) > 0:
            message = self.get(left)
            if message is None:
                break
            found.append(message)
        return found

    def close(self) -> None:
        self.broker.unsubscribe(self)


_brokers: weakref.WeakSet[InProcessBroker] = weakref.WeakSet()


class InProcessBroker:
    """Deliver messages to the streams of this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        # workshop id -> kind -> subscriptions that want that kind
        self.subscriptions: dict[int, dict[str, set[Subscription]]] = {}
        self.closing = False
        _brokers.add(self)

    def subscribe(self, workshop_id: int, kinds: frozenset[str]) -> Subscription:
        subscription = Subscription(workshop_id, self, kinds)
        with self.lock:
            by_kind = self.subscriptions.setdefault(workshop_id, {kind: set() for kind in KINDS})
            for kind in kinds:
                by_kind[kind].add(subscription)
            if self.closing:
                subscription.messages.put(CLOSING)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self.lock:
            by_kind = self.subscriptions.get(subscription.workshop_id)
            if by_kind is None:
                return
            for kind in subscription.kinds:
                by_kind[kind].discard(subscription)
            if not any(by_kind.values()):
                del self.subscriptions[subscription.workshop_id]

    def count(self, workshop_id: int | None = None) -> int:
        """Open streams, of one workshop or of all (for tests and the benchmark)."""
        with self.lock:
            groups = [self.subscriptions.get(workshop_id, {})] if workshop_id else list(self.subscriptions.values())
            return len({s for by_kind in groups for subs in by_kind.values() for s in subs})

    def commit_and_publish(self, session, workshop_id: int, kind: str, version: int) -> None:
        """Commit the change, then tell this process's streams."""
        session.commit()
        self.deliver(workshop_id, kind, version)

    def announce(self, workshop_id: int, kind: str, version: int) -> None:
        """Something the hot path stored (and committed): tell the streams; no new version."""
        self.deliver(workshop_id, kind, version)

    def deliver(self, workshop_id: int, kind: str, version: int) -> None:
        with self.lock:
            targets = list(self.subscriptions.get(workshop_id, {}).get(kind, ()))
        for subscription in targets:
            subscription.messages.put((kind, version))

    def close_streams(self) -> None:
        """Tell every open stream of this process to end (the worker is stopping)."""
        with self.lock:
            self.closing = True
            targets = {s for by_kind in self.subscriptions.values() for subs in by_kind.values() for s in subs}
        for subscription in targets:
            subscription.messages.put(CLOSING)


class PostgresBroker(InProcessBroker):
    """Publish with NOTIFY; one listener per process hands messages to the local streams."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.listener: threading.Thread | None = None
        self.ready = threading.Event()
        self.publisher: threading.Thread | None = None
        # (workshop id, kind) -> the highest version announced since the last tick
        self.pending: dict[tuple[int, str], int] = {}
        self.wake = threading.Event()
        self.published = 0  # NOTIFY statements the publisher sent; tests read it
        self.pid, self.sender = 0, ""

    def subscribe(self, workshop_id: int, kinds: frozenset[str]) -> Subscription:
        self.ensure_listening()
        return super().subscribe(workshop_id, kinds)

    def ensure_listening(self) -> None:
        with self.lock:
            if self.listener is None or not self.listener.is_alive():
                self.listener = threading.Thread(target=self.listen, name="bril-live-listener", daemon=True)
                self.listener.start()
        self.ready.wait(timeout=5)

    def listen(self) -> None:
        import psycopg
        while True:
            try:
                with psycopg.connect(self.url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.ready.set()
                    for note in connection.notifies():
                        workshop_id, kind, version, *sender = note.payload.split(":")
                        if sender and sender[0] == self.sender:
                            continue  # announced by this process: its streams heard it at once
                        self.deliver(int(workshop_id), kind, int(version))
            except Exception:  # noqa: BLE001 - the listener must survive a database restart
                self.ready.clear()
                time.sleep(1)

    def commit_and_publish(self, session, workshop_id: int, kind: str, version: int) -> None:
        """NOTIFY inside the transaction: PostgreSQL delivers it to every process exactly at commit."""
        session.execute(NOTIFY, {"channel": CHANNEL, "payload": f"{workshop_id}:{kind}:{version}"})
        session.commit()

    def announce(self, workshop_id: int, kind: str, version: int) -> None:
        """Tell this process's streams now, and the other processes at the publisher's next tick."""
        self.deliver(workshop_id, kind, version)
        with self.lock:
            if self.pid != os.getpid():  # a new process (a forked worker): its own name, its own publisher
                self.pid, self.sender, self.publisher, self.pending = os.getpid(), secrets.token_hex(6), None, {}
            key = (workshop_id, kind)
            self.pending[key] = max(version, self.pending.get(key, 0))
            if self.publisher is None or not self.publisher.is_alive():
                self.publisher = threading.Thread(target=self.publish, name="bril-live-publisher", daemon=True)
                self.publisher.start()
        self.wake.set()

    def publish(self) -> None:
        """Every tick with something announced: one NOTIFY per session and kind, all in one statement."""
        import psycopg
        connection = None
        while True:
            self.wake.wait()
            time.sleep(PUBLISH_SECONDS)  # gather what else the room sends meanwhile
            with self.lock:
                self.wake.clear()
                batch, self.pending = self.pending, {}
            payloads = [f"{workshop_id}:{kind}:{version}:{self.sender}"
                        for (workshop_id, kind), version in batch.items()]
            try:
                if connection is None or connection.closed:
                    connection = psycopg.connect(self.url, autocommit=True)
                connection.execute("SELECT pg_notify(%s, payload) FROM unnest(%s::text[]) AS payload",
                                   (CHANNEL, payloads))
                self.published += 1
            except Exception:  # noqa: BLE001 - the publisher must survive a database restart
                connection = None
                with self.lock:  # try again at the next tick
                    for key, version in batch.items():
                        self.pending[key] = max(version, self.pending.get(key, 0))
                    self.wake.set()
                time.sleep(1)


NOTIFY = text("SELECT pg_notify(:channel, :payload)")


def init_app(app: Flask) -> None:
    """Pick the broker that fits the database."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        app.extensions["bril.broker"] = PostgresBroker(url.replace("postgresql+psycopg://", "postgresql://"))
    else:
        app.extensions["bril.broker"] = InProcessBroker()


def close_all_streams() -> None:
    """End every open stream in this process; gunicorn.conf.py calls this when a worker is told to stop."""
    for broker in list(_brokers):
        broker.close_streams()


def current() -> InProcessBroker:
    return current_app.extensions["bril.broker"]


def commit_and_publish(session, workshop_id: int, kind: str, version: int) -> None:
    current().commit_and_publish(session, workshop_id, kind, version)


def announce(workshop_id: int, kind: str, version: int) -> None:
    current().announce(workshop_id, kind, version)


def subscribe(workshop_id: int, kinds: frozenset[str]) -> Subscription:
    return current().subscribe(workshop_id, kinds)
