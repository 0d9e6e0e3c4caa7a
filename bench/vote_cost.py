"""What one vote and one join cost the server, beside what a static file costs, measured in one process.

Sets up a session with an open vote on a fresh database, then sends N votes and N requests for
`/static/css/bril.css` through Flask's test client (no network, no other load) and prints the time
per request; then lets N/10 phones join as a phone does (the join page, the form, the participant page
it is sent to, and the state its stream starts with). With --profile it also prints where a vote's
time goes, and with --profile-join where a join's time goes (cProfile, by own time).

    .venv/bin/python bench/vote_cost.py
    .venv/bin/python bench/vote_cost.py --database postgresql://postgres@127.0.0.1:5432/test --profile
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from support import PASSWORD, make_app, reset_postgresql  # noqa: E402
from support.library import BUNDLED_CONTENT  # noqa: E402

from bril import security  # noqa: E402
from bril.models import SessionPlan, User, Workshop, db  # noqa: E402


def open_vote(app) -> tuple:
    """A facilitator, a session on one card with the vote open, and one joined phone with its form token."""
    with app.app_context():
        user = User(email="b@example.org", role="procesbegeleider", password_hash=security.hash_password(PASSWORD))
        db.session.add(user)
        db.session.commit()
        plan = SessionPlan(owner_id=user.id, title="Kosten", items=[{"soort": "dilemma", "ref": "pas-uitgeleend",
                                                                      "minuten": 30}])
        db.session.add(plan)
        db.session.commit()
        plan_id = plan.id
    facilitator = app.test_client()
    facilitator.submit("/inloggen", {"email": "b@example.org", "password": PASSWORD})
    console = facilitator.submit(f"/sessies/plannen/{plan_id}/start", page=f"/sessies/plannen/{plan_id}").location
    workshop_id = int(console.rsplit("/", 1)[1])
    facilitator.submit(f"/sessies/{workshop_id}/actie/stemming-open", page=f"/sessies/{workshop_id}")
    with app.app_context():
        code = db.session.get(Workshop, workshop_id).code
    phone = app.test_client()
    phone.submit(f"/meedoen/{code}", {"nickname": "Meter"})
    token = re.search(r'data-csrf="([^"]+)"', phone.get(f"/meedoen/{code}").get_data(as_text=True)).group(1)
    return phone, code, token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="PostgreSQL URL; default a fresh SQLite file")
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--profile-join", action="store_true")
    args = parser.parse_args()
    if args.database:
        reset_postgresql(args.database)
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'kosten.sqlite3'}"
    app = make_app(url, BUNDLED_CONTENT, TESTING=False, SESSION_COOKIE_SECURE=False)  # a real card
    phone, code, token = open_vote(app)

    def votes(count: int) -> None:
        for number in range(count):
            response = phone.post(f"/live/{code}/stem", data={"csrf_token": token, "optie": str(number % 3 + 1)},
                                  headers={"Accept": "application/json"})
            assert response.status_code == 200, response.data

    def static(count: int) -> None:
        for _ in range(count):
            phone.get("/static/css/bril.css").close()

    def joins(count: int) -> None:
        for _ in range(count):
            newcomer = app.test_client()
            joined = newcomer.submit(f"/meedoen/{code}", {"nickname": "Nieuw"})
            assert joined.status_code == 302, joined.get_data(as_text=True)[-1500:]
            assert newcomer.get(f"/meedoen/{code}").status_code == 200
            response = newcomer.get(f"/live/{code}/stand")
            assert response.status_code == 200, (response.status_code, response.data[:300])

    votes(50)
    static(50)
    joins(5)
    timings = {}
    for name, run, count in (("vote", votes, args.requests), ("static file", static, args.requests),
                             ("join", joins, args.requests // 10)):
        started = time.perf_counter()
        run(count)
        timings[name] = (time.perf_counter() - started) / count
    kind = "PostgreSQL" if args.database else "SQLite"
    print(f"{kind}, {args.requests} requests each, one process, no other load:")
    for name, seconds in timings.items():
        print(f"  {name:12} {seconds * 1000:.3f} ms per request")
    print(f"  a vote costs {timings['vote'] / timings['static file']:.1f} static files, "
          f"a join {timings['join'] / timings['static file']:.1f}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(votes, args.requests)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(*os.environ.get("SORT","tottime").split(",")).print_stats(int(os.environ.get("LINES","15")))
        print(out.getvalue())
    if args.profile_join:
        profiler = cProfile.Profile()
        profiler.runcall(joins, args.requests // 10)
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())


if __name__ == "__main__":
    main()
