"""How long each insight page takes with 100,000 walks alone and 1,000 sessions in the database.

Fills a fresh database (a SQLite file by default, or the PostgreSQL database given) with two organisations,
eight quarters of finished walks alone over the bundled cards (half of them on one card, the page measured),
stories read to the end with the signals each reader marked, and sessions on that card and a story with
participants, votes in two rounds and marked sentences; one session in ten is a rehearsal. Then it asks
each insight page of the first organisation's beheerder through Flask's test client: one warm-up, then the
median of five, printed in ms per page: the wall clock, and this process's CPU time.

    .venv/bin/python bench/insight.py
    .venv/bin/python bench/insight.py --database postgresql://postgres@127.0.0.1:5432/insight
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from support import PASSWORD, make_app, reset_postgresql  # noqa: E402
from support.library import BUNDLED_CONTENT  # noqa: E402

from bril import security  # noqa: E402
from bril.models import (Agreement, DilemmaWalk, Organisation, Participant, SceneAnswer, SceneMark, StoryProgress,  # noqa: E402
                         User, Vote, Workshop, db)

WALKS, SESSIONS, PEOPLE_PER_SESSION = 100_000, 1_000, 15
READERS_PER_ORGANISATION = 2_000
ROLES = ("consulent", "handhaver", "teamleider", "jurist")
QUARTERS = 8
BATCH = 5_000


def moments(chooser: random.Random, now: datetime):
    """A random moment within the last eight quarters."""
    span = int(timedelta(days=91 * QUARTERS).total_seconds())
    return lambda: now - timedelta(seconds=chooser.randrange(span))


def add(model, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(model), rows[start:start + BATCH])


def fill(app, chooser: random.Random) -> tuple[str, str]:
    """The rows; returns the card and story every session plays (the pages measured)."""
    with app.app_context():
        library = app.config["LIBRARY"]
        cards, stories = sorted(library.dilemmas.values(), key=lambda c: c.slug), sorted(library.stories.values(),
                                                                                          key=lambda s: s.slug)
        card, story = cards[0], stories[0]
        when = moments(chooser, datetime.now().replace(microsecond=0))
        password = security.hash_password(PASSWORD)
        add(Organisation, [{"id": 1, "name": "Gemeente A", "slug": "a"}, {"id": 2, "name": "Gemeente B", "slug": "b"}])
        users, user_id = [], 0
        readers: dict[int, list[int]] = {1: [], 2: []}
        facilitators: dict[int, list[int]] = {1: [], 2: []}
        for org in (1, 2):
            for role, count, bucket in (("beheerder", 1, None), ("procesbegeleider", 20, facilitators[org]),
                                        ("deelnemer", READERS_PER_ORGANISATION, readers[org])):
                for number in range(count):
                    user_id += 1
                    users.append({"id": user_id, "email": f"{role}{number}@{'ab'[org - 1]}.nl", "role": role,
                                  "organisation_id": org,
                                  "password_hash": password if count == 1 or number == 0 else None,
                                  "session_token": f"t{user_id}"})
                    if bucket is not None:
                        bucket.append(user_id)
        add(User, users)
        everybody = readers[1] + readers[2]

        def route(of) -> list[list]:
            steps = list(of.steps.values())
            return [[step.id, chooser.choice(step.options).number] for step in steps[:chooser.randrange(1, 4)]]

        walks = []
        for number in range(WALKS):
            of = card if number % 2 == 0 else chooser.choice(cards)
            started = when()
            walks.append({"dilemma": of.slug, "user_id": chooser.choice(everybody) if number % 10 else None,
                          "token": f"w{number}", "decisions": route(of), "started_at": started,
                          "updated_at": started, "ended_at": started + timedelta(minutes=8)})
        add(DilemmaWalk, walks)
        progress, answers = [], []
        for reader in everybody:
            for read in chooser.sample(stories, min(2, len(stories))):
                finished = when()
                progress.append({"user_id": reader, "story": read.slug, "resume_url": "/", "finished_at": finished,
                                 "updated_at": finished})
                for scene in read.scenes:
                    keys = [p.key for p in scene.passages]
                    chosen = sorted(set(chooser.sample(keys, min(3, len(keys)))), key=int)
                    answers.append({"user_id": reader, "story": read.slug, "scene": scene.number, "chosen": chosen,
                                    "found": 0, "total": len(scene.signals), "answered_at": finished})
        add(StoryProgress, progress)
        add(SceneAnswer, answers)
        workshops, participants, votes, marks, agreements = [], [], [], [], []
        routes = sorted(library.meldroutes.routes) + [None]
        steps = list(card.steps.values())
        for number in range(1, SESSIONS + 1):
            org = 1 + number % 2
            # Three agreements a session, each naming a reporting route or none (their text is never shown).
            agreements += [{"workshop_id": number, "what": "Afspraak", "who": "team", "by_when": "morgen",
                            "meldroute": chooser.choice(routes)} for _ in range(3)]
            workshops.append({"id": number, "owner_id": chooser.choice(facilitators[org]), "title": "Sessie",
                              "code": f"B{number:06d}", "created_at": when(), "rehearsal": number % 10 == 0,
                              "agenda": [{"soort": "dilemma", "ref": card.slug, "minuten": 30},
                                         {"soort": "verhaal", "ref": story.slug, "minuten": 30}]})
            for seat in range(PEOPLE_PER_SESSION):
                participant = len(participants) + 1
                role = chooser.choice(ROLES)
                participants.append({"id": participant, "workshop_id": number, "token_hash": f"p{participant}",
                                     "nickname": f"D{seat}", "role": role})
                for step in steps[:3]:
                    for round_ in (1, 2):
                        votes.append({"workshop_id": number, "item": 0, "step": step.id, "round": round_,
                                      "participant_id": participant, "role": role,
                                      "option": chooser.choice([0] + [o.number for o in step.options])})
                for scene in story.scenes:
                    keys = [p.key for p in scene.passages]
                    marks.append({"workshop_id": number, "item": 1, "scene": scene.number, "participant_id": participant,
                                  "passages": sorted(set(chooser.sample(keys, min(3, len(keys)))), key=int)})
        add(Workshop, workshops)
        add(Participant, participants)
        add(Vote, votes)
        add(SceneMark, marks)
        add(Agreement, agreements)
        db.session.commit()
        return card.slug, story.slug


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="PostgreSQL URL; default a fresh SQLite file")
    parser.add_argument("--pages", nargs="*", help="only these paths (after the fill)")
    args = parser.parse_args()
    if args.database:
        reset_postgresql(args.database)
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'inzicht.sqlite3'}"
    # Retention long enough to keep every session of the fill: with the default 30 days, the login (a POST) would
    # purge the participants of all but the last month's sessions, and their votes and marks with them.
    app = make_app(url, BUNDLED_CONTENT, TESTING=False, SESSION_COOKIE_SECURE=False, WORKSHOP_RETENTION_DAYS=3650)
    started = time.perf_counter()
    card, story = fill(app, random.Random(18))
    filled = time.perf_counter() - started
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            # What autovacuum does after a load this size: statistics, and the visibility map that lets PostgreSQL
            # answer from an index alone.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.exec_driver_sql("VACUUM ANALYZE")
    client = app.test_client()
    login = client.submit("/inloggen", {"email": "beheerder0@a.nl", "password": PASSWORD})
    assert login.status_code == 302, login.get_data(as_text=True)[-800:]
    quarter = f"{datetime.now().year}-{(datetime.now().month - 1) // 3 + 1}"
    pages = args.pages or ["/inzicht/", f"/inzicht/kaart/{card}", f"/inzicht/kaart/{card}?kwartaal={quarter}",
                           f"/inzicht/kaart/{card}/tabel.csv", f"/inzicht/verhaal/{story}",
                           f"/inzicht/verhaal/{story}?kwartaal={quarter}", f"/inzicht/verhaal/{story}/tabel.csv",
                           "/inzicht/samenvatting", f"/inzicht/samenvatting?van={quarter}", "/inzicht/afspraken",
                           "/inzicht/afspraken.csv", "procesbegeleider0@a.nl /inzicht/mijn-sessies"]
    kind = "PostgreSQL" if args.database else "SQLite"
    print(f"{kind}: {WALKS} walks alone, {SESSIONS} sessions of {PEOPLE_PER_SESSION} (filled in {filled:.0f} s); "
          f"median of 5 after a warm-up, as the clock on the wall and as this process's CPU time (on SQLite that is "
          f"all the work, so it holds on a busy machine; on PostgreSQL the server's part is left out):")
    facilitator = app.test_client()  # one of the organisation's twenty procesbegeleiders, with their own sessions
    assert facilitator.submit("/inloggen", {"email": "procesbegeleider0@a.nl", "password": PASSWORD}).status_code == 302
    for page in pages:
        asker = facilitator if page.startswith("procesbegeleider0@a.nl ") else client
        page = page.split(" ")[-1]
        assert asker.get(page).status_code == 200, page
        times, cpu = [], []
        for _ in range(5):
            begun, begun_cpu = time.perf_counter(), time.process_time()
            response = asker.get(page)
            times.append(time.perf_counter() - begun)
            cpu.append(time.process_time() - begun_cpu)
            assert response.status_code == 200, page
        print(f"  {statistics.median(times) * 1000:7.1f} ms  {statistics.median(cpu) * 1000:7.1f} ms  "
              f"{page}{' (a procesbegeleider)' if asker is facilitator else ''}")


if __name__ == "__main__":
    main()
