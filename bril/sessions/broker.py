"""Live updates through one small publish/subscribe broker.

`InProcessBroker` serves one process (the SQLite default). `PostgresBroker` adds LISTEN/NOTIFY so that
several worker processes hear each other's changes. Messages only say *that* something changed
(workshop, kind, version); every view then reads the database, the single source of truth.

Kinds of change: `state` (everyone), `console` (someone joined or parked something: the console and
the projector), `votes` (a vote came in: the counts on the projector and the console). Subscriptions are
indexed by workshop and kind, so a vote touches the two streams that show counts, not the thousand
phones that do not.
"""
from __future__ import annotations

import queue
import threading
import time
import weakref
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import TextClause, text

CHANNEL = "bril_live"
KINDS = ("state", "console", "votes")
# Put in every open stream's queue when the process is about to stop: streams end at once, the
# browsers reconnect (to another worker, or to the restarted server) instead of holding the shutdown.
CLOSING = ("closing", 0)


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

    def store(self, connection, statement: TextClause, params: dict, workshop_id: int, kind: str,
              version: int) -> None:
        """Run one statement on an autocommit `connection` (it commits at once), then tell the streams."""
        connection.execute(statement, params)
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
        self.notifying: dict[str, TextClause] = {}

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
                        workshop_id, kind, version = note.payload.split(":")
                        self.deliver(int(workshop_id), kind, int(version))
            except Exception:  # noqa: BLE001 - the listener must survive a database restart
                self.ready.clear()
                time.sleep(1)

    def commit_and_publish(self, session, workshop_id: int, kind: str, version: int) -> None:
        """NOTIFY inside the transaction: PostgreSQL delivers it to every process exactly at commit."""
        session.execute(NOTIFY, {"channel": CHANNEL, "payload": f"{workshop_id}:{kind}:{version}"})
        session.commit()


    def store(self, connection, statement: TextClause, params: dict, workshop_id: int, kind: str,
              version: int) -> None:
        """Run the statement and its NOTIFY as one statement: one round trip, one commit, for the hottest path."""
        if statement.text not in self.notifying:
            self.notifying[statement.text] = text(
                f"WITH stored AS ({statement.text} RETURNING 1) SELECT pg_notify(:channel, :payload) FROM stored")
        connection.execute(self.notifying[statement.text],
                           {**params, "channel": CHANNEL, "payload": f"{workshop_id}:{kind}:{version}"})


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


def subscribe(workshop_id: int, kinds: frozenset[str]) -> Subscription:
    return current().subscribe(workshop_id, kinds)
