"""Live updates through one small publish/subscribe broker.

`InProcessBroker` serves one process (the SQLite default). `PostgresBroker` adds LISTEN/NOTIFY so that
several worker processes hear each other's changes. Messages only say *that* something changed
(workshop, kind, version); every view then reads the database, the single source of truth.
"""
from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field

from flask import Flask, current_app
from sqlalchemy import text

CHANNEL = "bril_live"


@dataclass(eq=False)
class Subscription:
    """A queue of change messages for one workshop, for one open stream."""

    workshop_id: int
    broker: InProcessBroker
    # Only the kinds of change this view shows: a phone is not woken for every vote or every join.
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


class InProcessBroker:
    """Deliver messages to the streams of this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.subscriptions: dict[int, set[Subscription]] = {}

    def subscribe(self, workshop_id: int, kinds: frozenset[str]) -> Subscription:
        subscription = Subscription(workshop_id, self, kinds)
        with self.lock:
            self.subscriptions.setdefault(workshop_id, set()).add(subscription)
        return subscription

    def unsubscribe(self, subscription: Subscription) -> None:
        with self.lock:
            self.subscriptions.get(subscription.workshop_id, set()).discard(subscription)

    def commit_and_publish(self, session, workshop_id: int, kind: str, version: int) -> None:
        """Commit the change, then tell this process's streams."""
        session.commit()
        self.deliver(workshop_id, kind, version)

    def deliver(self, workshop_id: int, kind: str, version: int) -> None:
        with self.lock:
            targets = list(self.subscriptions.get(workshop_id, ()))
        for subscription in targets:
            if kind in subscription.kinds:
                subscription.messages.put((kind, version))


class PostgresBroker(InProcessBroker):
    """Publish with NOTIFY; one listener per process hands messages to the local streams."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url
        self.listener: threading.Thread | None = None
        self.ready = threading.Event()

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
        session.execute(text("SELECT pg_notify(:channel, :payload)"),
                        {"channel": CHANNEL, "payload": f"{workshop_id}:{kind}:{version}"})
        session.commit()


def init_app(app: Flask) -> None:
    """Pick the broker that fits the database."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgresql"):
        app.extensions["bril.broker"] = PostgresBroker(url.replace("postgresql+psycopg://", "postgresql://"))
    else:
        app.extensions["bril.broker"] = InProcessBroker()


def commit_and_publish(session, workshop_id: int, kind: str, version: int) -> None:
    current_app.extensions["bril.broker"].commit_and_publish(session, workshop_id, kind, version)


def subscribe(workshop_id: int, kinds: frozenset[str]) -> Subscription:
    return current_app.extensions["bril.broker"].subscribe(workshop_id, kinds)
