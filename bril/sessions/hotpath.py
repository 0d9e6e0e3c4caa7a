"""What a whole room sends within seconds: votes, marked sentences, answers and "ik ook".

These writes change nothing the phones see until the facilitator moves on, so they raise no version
and take no lock on the session's row. Each is one prepared text statement on an autocommit
connection (it commits on its own, without BEGIN and COMMIT), after one query that reads the
participant and where their session stands, usually on the same connection. No ORM session and no
SQLAlchemy statement: they go straight to the driver's cursor, because building and reading them through
SQLAlchemy cost more than running them (`bench/vote_cost.py`). Both SQLite and PostgreSQL understand the
statements as they are; only the way parameters are written differs per driver (`run`).

After the write the broker is told with `announce`: this process's streams hear it at once, and
with PostgreSQL the other processes hear it from a publisher a few times a second (broker.py), so a
hall voting at once costs PostgreSQL no NOTIFY per vote.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from ..models import db, token_hash, utcnow
from . import broker
from .vocabulary import PASS, VoteState


@dataclass(frozen=True)
class Voter:
    """A participant with the state of their session that a vote, mark, answer or "ik ook" needs, read in one query."""

    workshop_id: int
    version: int
    item: int
    round: int
    vote: str
    ended: bool
    participant_id: int
    role: str | None
    removed: bool
    scene: int = 1
    asking: bool = False  # the question round is open
    deadline: datetime | None = None  # an open vote with a countdown closes then

    def too_late(self) -> bool:
        """The vote's countdown has run out (a tap sent just before zero still counts: LATE_GRACE)."""
        return self.deadline is not None and utcnow() > self.deadline + LATE_GRACE


# A phone shows zero when the deadline passes on its own (corrected) clock; its last tap takes a moment to arrive.
LATE_GRACE = timedelta(seconds=1)


VOTER_SQL = (
    "SELECT w.id, w.version, w.item, w.round, w.vote, w.ended_at IS NOT NULL, p.id, p.role, p.removed, w.scene, "
    "w.asking, w.vote_deadline FROM participant p JOIN workshop w ON w.id = p.workshop_id "
    "WHERE p.token_hash = :token AND w.code = :code")
VOTE_SQL = (
    "INSERT INTO vote (workshop_id, item, step, round, participant_id, option, role, updated_at) "
    "VALUES (:workshop_id, :item, :step, :round, :participant_id, :option, :role, :updated_at) "
    "ON CONFLICT (workshop_id, item, step, round, participant_id) "
    "DO UPDATE SET option = excluded.option, role = excluded.role, updated_at = excluded.updated_at")
# The JSON list goes in as text: SQLite keeps JSON as text, PostgreSQL casts the untyped text to json.
MARK_SQL = (
    "INSERT INTO scene_mark (workshop_id, item, scene, participant_id, passages, updated_at) "
    "VALUES (:workshop_id, :item, :scene, :participant_id, :passages, :updated_at) "
    "ON CONFLICT (workshop_id, item, scene, participant_id) "
    "DO UPDATE SET passages = excluded.passages, updated_at = excluded.updated_at")
ANSWER_SQL = (
    "INSERT INTO answer (workshop_id, item, participant_id, text, shown, created_at) "
    "VALUES (:workshop_id, :item, :participant_id, :text, :shown, :created_at)")
# "ik ook" once per participant: the database refuses the second (nothing is returned), and only on an
# answer or parked question of the participant's own session (the WHERE is also what SQLite needs to
# read ON CONFLICT after a SELECT).
SUPPORT_SQL = {kind: (
    "INSERT INTO support (workshop_id, kind, target_id, participant_id) "
    f"SELECT :workshop_id, :kind, :target_id, :participant_id WHERE EXISTS (SELECT 1 FROM {table} "
    "WHERE id = :target_id AND workshop_id = :workshop_id) "
    "ON CONFLICT (kind, target_id, participant_id) DO NOTHING RETURNING id")
    for kind, table in (("antwoord", "answer"), ("parkeer", "parking_post"))}


def autocommit() -> Connection:
    """A connection on which every statement is its own transaction: a vote needs no BEGIN and COMMIT."""
    return db.engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def run(connection: Connection, sql: str, parameters: dict) -> tuple | None:
    """Run one statement on the driver's own cursor and return its first row (or None).

    SQLite's driver reads `:name`, psycopg `%(name)s`; SQLite keeps a time as the text SQLAlchemy writes
    and reads elsewhere ("2026-12-07 09:00:00.000000"), PostgreSQL as a timestamp.
    """
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        parameters = {key: value.strftime(SQLITE_TIME) if isinstance(value, datetime) else value
                      for key, value in parameters.items()}
    else:
        sql = PSYCOPG_SQL.get(sql) or PSYCOPG_SQL.setdefault(sql, re.sub(r":(\w+)", r"%(\1)s", sql))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql, parameters)
        return cursor.fetchone() if cursor.description else None
    finally:
        cursor.close()


SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"
PSYCOPG_SQL: dict[str, str] = {}  # each statement as psycopg takes it, written once per process


def voter(connection: Connection, code: str, token: str | None) -> Voter | None:
    """The participant holding `token` in the session with `code`, and where that session stands."""
    if not token:
        return None
    row = run(connection, VOTER_SQL, {"token": token_hash(token), "code": code})
    if row is None:
        return None
    workshop_id, version, item, round_, vote, ended, participant_id, role, removed, scene, asking, deadline = row
    if isinstance(deadline, str):  # SQLite
        deadline = datetime.fromisoformat(deadline)
    return Voter(workshop_id, version, item, round_, vote, bool(ended), participant_id, role, bool(removed), scene,
                 bool(asking), deadline)


def cast_vote(connection: Connection, who: Voter, step_id: str | None, options: int, option: int) -> bool:
    """Store or change a participant's vote in one atomic upsert; False when voting is not possible now.

    `step_id` and `options` come from the room's moment at the version just read, so a vote replays
    nothing. Two votes of one participant sent at once both end in the one row: the later wins.
    """
    if who.vote != VoteState.OPEN or step_id is None or who.removed or who.ended or who.too_late():
        return False
    if not (option == PASS or 1 <= option <= options):
        return False
    run(connection, VOTE_SQL, {
        "workshop_id": who.workshop_id, "item": who.item, "step": step_id, "round": who.round,
        "participant_id": who.participant_id, "option": option, "role": who.role, "updated_at": utcnow()})
    broker.announce(who.workshop_id, "votes", who.version)
    return True


def mark(connection: Connection, who: Voter, scene: int, passages: list[str]) -> bool:
    """Store the sentences a participant marks as signals in the scene the room reads; False when closed.

    `scene` and the passages come from the room's moment; marking is open while the scene is read. A room
    marks all at once, just before the reveal.
    """
    if who.vote != VoteState.CLOSED or who.removed or who.ended or scene != who.scene:
        return False
    run(connection, MARK_SQL, {
        "workshop_id": who.workshop_id, "item": who.item, "scene": scene, "participant_id": who.participant_id,
        "passages": json.dumps(sorted(set(passages), key=lambda key: (len(key), key))), "updated_at": utcnow()})
    broker.announce(who.workshop_id, "votes", who.version)
    return True


def answer(connection: Connection, who: Voter, written: str) -> bool:
    """Add a short anonymous answer while the question round is open; False when it is closed.

    The text has passed the privacy guard (AnswerForm). The console and the projector read answers and
    their counts fresh when they hear `console`.
    """
    if not who.asking or who.ended or who.removed:
        return False
    run(connection, ANSWER_SQL, {"workshop_id": who.workshop_id, "item": who.item,
                                    "participant_id": who.participant_id, "text": written.strip(), "shown": False,
                                    "created_at": utcnow()})
    broker.announce(who.workshop_id, "console", who.version)
    return True


def support(connection: Connection, who: Voter, kind: str, target_id: int) -> bool:
    """A participant's "ik ook" on an answer or a parked question of their session, at most once each."""
    if kind not in SUPPORT_SQL or who.ended or who.removed or not 0 < target_id < 2**31:
        return False
    added = run(connection, SUPPORT_SQL[kind], {"workshop_id": who.workshop_id, "kind": kind, "target_id": target_id,
                                                "participant_id": who.participant_id})
    if added is None:
        return False
    broker.announce(who.workshop_id, "console", who.version)
    return True
