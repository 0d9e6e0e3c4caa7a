"""Running a live session through the test client: a plan, its start, phones that join and vote, console actions."""
from __future__ import annotations

import re
import threading

from sqlalchemy import select

from bril.models import SessionPlan, User, Workshop, db
from support import CSRF_INPUT, PASSWORD
from support.agenda import team_morning


def login(app, email: str, password: str = PASSWORD):
    """A new client of `app`, logged in as `email`."""
    client = app.test_client()
    response = client.submit("/inloggen", {"email": email, "password": password}, page="/inloggen")
    assert response.status_code == 302, email
    return client


def make_plan(app, owner_email: str = "begeleider@example.org", items: list[dict] | None = None) -> int:
    """A plan of `owner_email` with `items` (default: the team morning of support.agenda); its id."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == owner_email))
        plan = SessionPlan(owner_id=user.id, title="Teamochtend", items=items or team_morning())
        db.session.add(plan)
        db.session.commit()
        return plan.id


def start_session(facilitator, app) -> tuple[int, str]:
    """Start the team morning as the logged-in facilitator: the session's id and its join code."""
    plan_id = make_plan(app)
    response = facilitator.submit(f"/sessies/plannen/{plan_id}/start", page=f"/sessies/plannen/{plan_id}")
    workshop_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        return workshop_id, db.session.get(Workshop, workshop_id).code


def act(facilitator, workshop_id: int, name: str, **data):
    """Press a console button (`POST /sessies/<id>/actie/<name>`)."""
    return facilitator.submit(f"/sessies/{workshop_id}/actie/{name}", data, page=f"/sessies/{workshop_id}")


def join(app, code: str, nickname: str, role: str = ""):
    """A new phone that joins the session with `code`."""
    phone = app.test_client()
    response = phone.submit(f"/meedoen/{code}", {"nickname": nickname, "role": role})
    assert response.status_code == 302, response.get_data(as_text=True)
    return phone


def vote(phone, code: str, option: int):
    """Cast a vote as the phone's script does (JSON answer)."""
    page = phone.get(f"/meedoen/{code}").get_data(as_text=True)
    token = CSRF_INPUT.search(page).group(1)
    return phone.post(f"/live/{code}/stem", data={"csrf_token": token, "optie": str(option)},
                      headers={"Accept": "application/json"})


def to_card(facilitator, workshop_id: int) -> None:
    """Move the team morning on to its card: welcome -> scene 1 -> scene 2 -> the card."""
    for _ in range(3):
        act(facilitator, workshop_id, "volgende")


def run_in_threads(app, count: int, work) -> list:
    """Run `work(index)` in `count` threads at once, each with its own app context and database session."""
    barrier, results = threading.Barrier(count), [None] * count

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = work(index)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def walk(facilitator, workshop_id: int, route: list[list]) -> None:
    """Lead the room along `route` from the card's first step, as the facilitator does: at each step open the vote,
    show the result, follow the given option (the facilitator's choice), and go on from its consequence."""
    for _, option in route:
        act(facilitator, workshop_id, "stemming-open")
        act(facilitator, workshop_id, "stemming-onthul")
        act(facilitator, workshop_id, "volg", optie=str(option))
        act(facilitator, workshop_id, "volgende")


def post_json(phone, code: str, url: str, data: dict):
    """Post from a phone as live.js does: with the page's form token, asking for JSON."""
    token = re.search(r'data-csrf="([^"]+)"', phone.get(f"/meedoen/{code}").get_data(as_text=True)).group(1)
    return phone.post(url, data={"csrf_token": token, **data}, headers={"Accept": "application/json"})
