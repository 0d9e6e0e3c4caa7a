"""Rehearsal ("oefenen"): simulated participants with a believable spread, a whole plan run through the console,
marked as a rehearsal everywhere, and never counted in any figure of the organisation."""
from __future__ import annotations

from collections import Counter
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from bril.content import ROLES
from bril.extensions import library
from bril.models import Answer, Participant, SceneMark, Support, User, Vote, Workshop, db
from bril.privacy import find_personal_data
from bril.sessions import console, rehearsal
from bril.sessions.forms import AnswerForm
from bril.sessions.situation import situate
from bril.sessions.vocabulary import PASS, Phase
from support import CSRF_INPUT
from support.library import CARD, STORY
from support.sessions import act, join, make_plan, run_in_threads, vote

ROLE_MIX = ["wijkagent", "jongerenwerker", "klantmanager", "wijkteam"]


def start_rehearsal(facilitator, app, people: int = 30, roles: list[str] = ROLE_MIX) -> tuple[int, str]:
    """Start a rehearsal of the team morning from the plan page, as the facilitator does; its id and code."""
    plan_id = make_plan(app)
    response = facilitator.submit(f"/sessies/plannen/{plan_id}/oefenen", {"people": str(people), "roles": roles},
                                  page=f"/sessies/plannen/{plan_id}")
    assert response.status_code == 302, response.get_data(as_text=True)
    workshop_id = int(response.location.rsplit("/", 1)[1])
    with app.app_context():
        return workshop_id, db.session.get(Workshop, workshop_id).code


def tick(facilitator, workshop_id: int, times: int = 1) -> list[dict]:
    """Post the console's oefen-tik `times` times, as rehearsal.js does every second."""
    page = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    token = CSRF_INPUT.search(page)[1] if CSRF_INPUT.search(page) else page.split('data-csrf="')[1].split('"')[0]
    replies = []
    for _ in range(times):
        reply = facilitator.post(f"/sessies/{workshop_id}/oefen-tik", data={"csrf_token": token},
                                 headers={"Accept": "application/json"})
        assert reply.status_code == 200, reply.get_data(as_text=True)
        replies.append(reply.get_json())
    return replies


@pytest.fixture
def every_tick(app):
    """Let every tick through: the test posts them faster than once a second."""
    app.config["REHEARSAL_TICK_SECONDS"] = 0
    return app


# The spread ----------------------------------------------------------------------------------------------

def test_thirty_simulated_votes_lean_to_one_option_but_are_not_unanimous(app):
    with app.test_request_context():
        crowd = rehearsal.people(Workshop(id=7, simulated=30, simulated_roles=ROLE_MIX))
        options = (SimpleNamespace(label="A"), SimpleNamespace(label="B"), SimpleNamespace(label="C"))
        for step_id in ("begin", "verder", "laatste"):
            now = SimpleNamespace(workshop_id=7, item_index=2, round=1,
                                  step=SimpleNamespace(id=step_id, options=options))
            votes = Counter(rehearsal.choose(now, person, rehearsal.draw_for(
                Workshop(id=7), SimpleNamespace(version=3), person, "stem", rehearsal.Tick(stamp="t")))
                for person in crowd)
            lean = rehearsal.leaning(now)
            assert len(votes) >= 2, votes  # not unanimous
            assert votes.most_common(1)[0][0] == lean and votes[lean] < 30, votes  # a lean, not everyone
    assert len({p.nickname for p in crowd}) == 30 and all("(oefen)" in p.nickname for p in crowd)
    roles = Counter(p.role for p in crowd)
    assert set(roles) - {None} <= set(ROLE_MIX) and len(set(roles) - {None}) == len(ROLE_MIX)
    assert len({round(p.sharp, 2) for p in crowd}) > 15 and len({round(p.pace, 2) for p in crowd}) > 15


def test_some_pass_over_many_people_and_steps(app):
    with app.test_request_context():
        crowd = rehearsal.people(Workshop(id=3, simulated=60, simulated_roles=[]))
        assert all(p.role is None for p in crowd)  # no roles chosen: nobody has one
        options = (SimpleNamespace(), SimpleNamespace())
        votes = Counter(rehearsal.choose(SimpleNamespace(workshop_id=3, item_index=0, round=1,
                                                         step=SimpleNamespace(id=f"stap{n}", options=options)),
                                         person, rehearsal.draw_for(Workshop(id=3), SimpleNamespace(version=n),
                                                                    person, "stem", rehearsal.Tick(stamp="t")))
                        for person in crowd for n in range(5))
    assert 0 < votes[PASS] < 0.2 * sum(votes.values())


def test_every_simulated_answer_passes_the_privacy_guard(app):
    assert len(set(rehearsal.ANSWERS)) >= 10
    with app.test_request_context(method="POST"):
        for text in rehearsal.ANSWERS:
            assert find_personal_data(text) == [], text
            form = AnswerForm(data={"text": text}, meta={"csrf": False})
            assert form.validate(), (text, form.errors)


def test_a_simulated_token_is_the_same_in_every_worker_and_differs_per_person_and_session(app):
    with app.test_request_context():
        first = rehearsal.simulated_token(5, 0)
        assert first == rehearsal.simulated_token(5, 0)
        assert len({first, rehearsal.simulated_token(5, 1), rehearsal.simulated_token(6, 0)}) == 3


# A whole plan ----------------------------------------------------------------------------------------------

def run_through(app, facilitator, workshop_id: int, ticks: int = 8) -> set[Phase]:
    """Walk the whole plan by the console's big button, letting the simulated people act at every moment, with
    the question round open once at the card's first step and once at the agreements."""
    seen, asked = set(), set()
    while True:
        with app.app_context():
            now = situate(db.session.get(Workshop, workshop_id), library())
        seen.add(now.phase)
        if now.phase == Phase.ENDED:
            return seen
        if now.phase in (Phase.SITUATION, Phase.AGREEMENTS) and now.phase not in asked:
            asked.add(now.phase)
            act(facilitator, workshop_id, "vragenronde")
            tick(facilitator, workshop_id, ticks * 2)
            act(facilitator, workshop_id, "vragenronde")
            continue
        tick(facilitator, workshop_id, ticks)
        main = console.primary(now)
        if main.enabled:
            assert act(facilitator, workshop_id, main.name, **main.fields).status_code == 302
        else:  # no clear majority: the facilitator chooses below the big button
            act(facilitator, workshop_id, "volg", optie="1")


def test_a_rehearsal_with_thirty_runs_a_whole_plan_with_marks_votes_answers_and_ik_ook(app, facilitator, every_tick):
    workshop_id, code = start_rehearsal(facilitator, app)
    first = tick(facilitator, workshop_id)[0]
    assert 0 < first["erbij"] < 30  # the room fills in over a few ticks, not all at once
    seen = run_through(app, facilitator, workshop_id)
    assert {Phase.STORY, Phase.VOTING, Phase.RESULT, Phase.CONSEQUENCE, Phase.AGREEMENTS, Phase.ENDED} <= seen
    with app.app_context():
        people = db.session.scalars(select(Participant).filter_by(workshop_id=workshop_id)).all()
        assert len(people) == 30 and {p.role for p in people} - {None} == set(ROLE_MIX)
        marks = db.session.scalars(select(SceneMark).filter_by(workshop_id=workshop_id)).all()
        assert len({m.scene for m in marks}) == 2 and len(marks) > 40
        votes = db.session.scalars(select(Vote).filter_by(workshop_id=workshop_id)).all()
        per_step = Counter((v.step, v.round) for v in votes)
        assert per_step and min(per_step.values()) >= 20, per_step
        for step in per_step:
            assert len({v.option for v in votes if (v.step, v.round) == step}) >= 2  # never unanimous
        answers = db.session.scalars(select(Answer).filter_by(workshop_id=workshop_id)).all()
        assert len(answers) >= 3 and all(a.text in rehearsal.ANSWERS for a in answers)
        assert {a.item for a in answers} == {2, 3}  # the card and the agreements
        supports = db.session.scalar(select(func.count()).select_from(Support).filter_by(workshop_id=workshop_id))
        assert supports >= 3
        # Marks lean to the real signals: a signal sentence is marked more often than any other on average.
        scene = library().stories["ruben"].scenes[0]
        counts = Counter(key for m in marks if m.scene == 1 for key in m.passages)
        signals = [counts[p.key] for p in scene.passages if p.signal]
        others = [counts[p.key] for p in scene.passages if not p.signal]
        assert sum(signals) / len(signals) > 2 * (sum(others) / max(len(others), 1))
    assert tick(facilitator, workshop_id)[0]["klaar"] is True  # ended: nothing more happens
    report = facilitator.get(f"/sessies/{workshop_id}/verslag").get_data(as_text=True)
    assert "Oefensessie: telt nergens mee" in report


def test_two_tabs_ticking_in_the_same_second_act_once(app, facilitator):
    workshop_id, _ = start_rehearsal(facilitator, app)
    first, second = tick(facilitator, workshop_id, 2)
    assert not first["overgeslagen"] and first["erbij"] > 0
    assert second["overgeslagen"] and second["erbij"] == 0
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == first["erbij"]


def test_two_workers_ticking_at_once_act_once_and_nobody_joins_twice(app, facilitator):
    workshop_id, _ = start_rehearsal(facilitator, app)

    def tick_at_once(_: int) -> dict:
        with app.test_request_context():
            return rehearsal.tick(db.session.get(Workshop, workshop_id)).as_json()

    replies = run_in_threads(app, 4, tick_at_once)
    assert sorted(reply["overgeslagen"] for reply in replies) == [False, True, True, True], replies
    with app.app_context():
        joined = db.session.scalars(select(Participant.nickname).filter_by(workshop_id=workshop_id)).all()
    assert len(joined) == len(set(joined)) == sum(reply["erbij"] for reply in replies) > 0


def test_a_person_an_overlapping_tick_let_in_is_not_let_in_twice(app, facilitator):
    workshop_id, _ = start_rehearsal(facilitator, app, people=5)
    with app.test_request_context():
        workshop = db.session.get(Workshop, workshop_id)
        everyone = rehearsal.people(workshop)
        for lap in range(40):  # as if each tick read "not joined yet" before the other let them in
            rehearsal.join_some(workshop, everyone, rehearsal.Tick(stamp=f"t{lap}"))
        nicknames = db.session.scalars(select(Participant.nickname).filter_by(workshop_id=workshop_id)).all()
    assert sorted(nicknames) == sorted(p.nickname for p in everyone)


def test_a_real_phone_may_join_a_rehearsal_and_sees_the_tag(app, facilitator, every_tick):
    workshop_id, code = start_rehearsal(facilitator, app, people=5)
    # Each simulated person joins at their own pace, by chance per tick: tick until all five are in.
    for _ in range(100):
        tick(facilitator, workshop_id)
        with app.app_context():
            if db.session.scalar(select(func.count()).select_from(Participant)) == 5:
                break
    assert "Oefensessie" in app.test_client().get(f"/meedoen/{code}").get_data(as_text=True)  # before joining too
    phone = join(app, code, "Collega")
    page = phone.get(f"/meedoen/{code}").get_data(as_text=True)
    assert "Oefensessie" in page
    for _ in range(4):  # welcome, scene 1, scene 2, then the card's first step
        act(facilitator, workshop_id, "volgende")
    act(facilitator, workshop_id, "stemming-open")
    assert vote(phone, code, 2).get_json()["ok"]
    tick(facilitator, workshop_id, 10)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 6
        real = db.session.scalar(select(Participant).filter_by(nickname="Collega"))
        assert [v.option for v in db.session.scalars(select(Vote).filter_by(participant_id=real.id))] == [2]


def test_rehearsal_is_marked_on_console_projector_list_and_report(app, facilitator):
    workshop_id, code = start_rehearsal(facilitator, app)
    console_page = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    assert "Oefensessie: 30 nagespeelde deelnemers doen mee. Telt nergens mee." in console_page
    assert "rehearsal.js" in console_page and f"/sessies/{workshop_id}/oefen-tik" in console_page
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert '<p class="rehearsal-tag">Oefensessie</p>' in projector and "oefen-tik" in projector
    assert "Oefensessie" in facilitator.get("/sessies/").get_data(as_text=True)
    for download in ("verslag.md", "verslag.csv"):
        assert "Oefensessie: telt nergens mee" in facilitator.get(f"/sessies/{workshop_id}/{download}").get_data(
            as_text=True)


def test_an_ordinary_session_has_no_tag_and_no_tick(app, facilitator):
    from support.sessions import start_session
    workshop_id, code = start_session(facilitator, app)
    assert "Oefensessie" not in facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    assert "Oefensessie" not in facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    page = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    reply = facilitator.post(f"/sessies/{workshop_id}/oefen-tik", data={"csrf_token": CSRF_INPUT.search(page)[1]})
    assert reply.status_code == 404


def test_the_rehearsal_form_keeps_what_was_typed_and_says_what_is_wrong(app, facilitator):
    plan_id = make_plan(app)
    refused = facilitator.submit(f"/sessies/plannen/{plan_id}/oefenen", {"people": "99", "roles": ["wijkagent"]},
                                 page=f"/sessies/plannen/{plan_id}")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Kies 5 tot 60 deelnemers." in page and 'value="99"' in page
    assert '<input checked id="roles-0" name="roles" type="checkbox" value="wijkagent">' in page
    assert '<input id="roles-1" name="roles" type="checkbox" value="jongerenwerker">' in page  # unticked stays so
    bogus = facilitator.submit(f"/sessies/plannen/{plan_id}/oefenen", {"people": "10", "roles": ["piraat"]},
                               page=f"/sessies/plannen/{plan_id}")
    assert bogus.status_code == 422 and "Kies rollen uit de lijst." in bogus.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Workshop)) == 0
    assert set(ROLE_MIX) <= set(ROLES)


def test_another_organisation_cannot_tick_a_rehearsal(app, facilitator, make_user):
    workshop_id, _ = start_rehearsal(facilitator, app)
    stranger = app.test_client()
    make_user("ander@example.org", role="procesbegeleider", org="andere-gemeente")
    stranger.submit("/inloggen", {"email": "ander@example.org", "password": "een lang wachtwoord voor tests"})
    page = stranger.get("/sessies/").get_data(as_text=True)
    reply = stranger.post(f"/sessies/{workshop_id}/oefen-tik", data={"csrf_token": CSRF_INPUT.search(page)[1]
                                                                     if CSRF_INPUT.search(page) else ""})
    assert reply.status_code in (400, 404)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


# Never counts ----------------------------------------------------------------------------------------------

def organisation_figures(app, platform, beheerder) -> dict:
    """Every figure about an organisation there is today: the platform's reach per organisation (users, sessions),
    and what the counted sessions hold (participants, votes, marks, answers) per organisation."""
    with app.app_context():
        counted = (select(Workshop.id).join(User, Workshop.owner_id == User.id).where(Workshop.counted()))
        figures = {
            "sessions": db.session.scalar(select(func.count()).select_from(counted.subquery())),
            **{name: db.session.scalar(select(func.count()).select_from(model)
                                       .where(model.workshop_id.in_(counted)))
               for name, model in (("participants", Participant), ("votes", Vote), ("marks", SceneMark),
                                   ("answers", Answer), ("supports", Support))}}
    figures["platform"] = platform.get("/platform/").get_data(as_text=True).split("<h2>Alle organisaties</h2>")[1]
    # The beheerder's insight: reach, the card's and the story's tables, and their quarters on the pages.
    for address in ("/inzicht/bereik.csv", f"/inzicht/kaart/{CARD}/tabel.csv", f"/inzicht/verhaal/{STORY}/tabel.csv",
                    f"/inzicht/kaart/{CARD}", f"/inzicht/verhaal/{STORY}"):
        page = beheerder.get(address).get_data(as_text=True)
        figures[address] = page.split('id="per-kwartaal"')[1].split("</section>")[0] if address[-4:] != ".csv" else page
    return figures


def test_a_rehearsal_of_a_whole_plan_leaves_no_trace_in_any_organisation_figure(app, facilitator, make_user,
                                                                                 every_tick):
    make_user("platform@example.org", role="platformbeheerder")
    platform = app.test_client()
    platform.submit("/inloggen", {"email": "platform@example.org", "password": "een lang wachtwoord voor tests"})
    make_user("beheer@example.org", role="beheerder")
    beheerder = app.test_client()
    beheerder.submit("/inloggen", {"email": "beheer@example.org", "password": "een lang wachtwoord voor tests"})
    # A real session first, so that the figures are not all zero.
    from support.sessions import start_session
    real_id, real_code = start_session(facilitator, app)
    phones = [join(app, real_code, name) for name in ("Egel", "Das", "Uil")]
    for _ in range(4):
        act(facilitator, real_id, "volgende")
    act(facilitator, real_id, "stemming-open")
    for phone, option in zip(phones, (1, 1, 2)):
        assert vote(phone, real_code, option).get_json()["ok"]
    before = organisation_figures(app, platform, beheerder)
    assert before["sessions"] == 1 and before["participants"] == 3 and before["votes"] == 3
    assert "<td>1</td>" in before["platform"]  # one session held

    workshop_id, _ = start_rehearsal(facilitator, app)
    run_through(app, facilitator, workshop_id)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant).filter_by(workshop_id=workshop_id)) == 30
        assert db.session.scalar(select(func.count()).select_from(Vote).filter_by(workshop_id=workshop_id)) >= 20
    assert organisation_figures(app, platform, beheerder) == before
