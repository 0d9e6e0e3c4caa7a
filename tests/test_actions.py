"""One table of actions: in every situation the server accepts an action exactly when the console offers it."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from bril.extensions import library
from bril.models import PathChoice, SessionPlan, User, Vote, Workshop, db
from bril.sessions import actions, changes, console
from bril.sessions.situation import situate
from bril.sessions.vocabulary import Phase
from support.library import CARD, STORY
from support.sessions import act, join, vote

# What the room may hold besides its phase: the question round, a running clock, a second round.
COLUMNS = ("item", "scene", "route", "vote", "round", "pieces_shown", "prompt", "speaker", "speaker_id",
           "timer_seconds", "timer_started_at", "timer_used", "auto_timer", "page", "asking", "hall", "locked",
           "ended_at", "vote_deadline", "by_support")


def offered(name: str, now) -> bool:
    """Does the console offer this action now: an enabled button, or (to follow an option) the option buttons."""
    buttons = [control for group in console.controls(now).values() for control in group]
    main = console.primary(now)
    if main is not None:
        buttons.append(main)
    if name == "volg":
        return now.phase == Phase.RESULT and not now.ended  # the console lists every option to follow
    return any(button.name == name and button.enabled for button in buttons)


def form_for(name: str) -> dict[str, str]:
    """What the console's own button sends with the action."""
    return {"volg": {"optie": "1"}, "volgende": {"bevestig": "ja"}}.get(name, {})


def probe(workshop_id: int) -> list[str]:
    """Try every action on the session as it stands, undo each, and list where server and console disagree."""
    wrong = []
    workshop = db.session.get(Workshop, workshop_id)
    now = situate(workshop, library())
    saved = {column: getattr(workshop, column) for column in COLUMNS}
    for name in actions.ACTIONS:
        refusal = actions.perform(db.session.get(Workshop, workshop_id), name, form_for(name))
        accepted = refusal is None
        if accepted != offered(name, now):
            wrong.append(f"{now.phase}{' (vragenronde)' if now.asking else ''}: {name} "
                         f"{'aangenomen' if accepted else 'geweigerd'} maar {'wel' if offered(name, now) else 'niet'} "
                         f"aangeboden ({refusal.message if refusal else '-'})")
        if accepted:  # undo: the next action is tried on the same situation
            workshop = db.session.get(Workshop, workshop_id)
            for column, value in saved.items():
                setattr(workshop, column, value)
            workshop.version += 1
            db.session.execute(delete(PathChoice).where(PathChoice.workshop_id == workshop_id))
            db.session.commit()
    return wrong


@pytest.fixture
def room(app, facilitator):
    """A session with a welcome, two scenes of a story, a card and agreements, and two phones."""
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email="begeleider@example.org"))
        plan = SessionPlan(owner_id=owner.id, title="Alle knoppen", items=[
            {"soort": "welkom", "minuten": 5}, {"soort": "verhaal", "ref": STORY, "scenes": [1, 2], "minuten": 10},
            {"soort": "dilemma", "ref": CARD, "minuten": 30}, {"soort": "afspraken", "minuten": 10}])
        db.session.add(plan)
        db.session.commit()
        workshop = changes.start(plan, owner.id)
        return workshop.id, workshop.code


def test_server_accepts_exactly_what_the_console_offers_in_every_phase(app, facilitator, room):
    """Walk a whole session by the console's big button, and probe every action at every moment of it."""
    workshop_id, code = room
    wrong, seen = [], set()

    def situation():
        with app.app_context():
            return situate(db.session.get(Workshop, workshop_id), library())

    def check(*then: str) -> None:
        """Probe the room as it stands, then press the actions `then`."""
        with app.app_context():
            wrong.extend(probe(workshop_id))
        seen.add(situation().phase)
        for name in then:
            assert act(facilitator, workshop_id, name, **form_for(name)).status_code == 302

    check()  # the welcome, nobody there yet
    phones = [join(app, code, name) for name in ("Egel", "Das", "Uil")]
    check("vragenronde")
    check("vragenronde", "timer-start")  # the question round open; then the clock running
    check("timer-pauze")
    voted = False
    while (now := situation()).phase != Phase.ENDED:
        if now.phase == Phase.SITUATION and not voted:
            check("vragenronde")  # no vote while the question round holds the phones
            check("vragenronde")
        if now.phase == Phase.VOTING and not voted:
            for phone, option in zip(phones, (1, 1, 2)):
                assert vote(phone, code, option).get_json()["ok"]
            check("vragenronde", "stemming-dicht")  # no question round while the vote is open: refused
        if now.phase == Phase.RESULT and not voted:
            voted = True
            check("tweede-ronde")
            check("stemming-onthul")  # round 2 shown
        main = console.primary(now)
        check()
        if main.enabled:
            assert act(facilitator, workshop_id, main.name, **main.fields).status_code == 302
        else:  # no majority: the facilitator chooses an option below the big button
            assert main.name == "volg"
            act(facilitator, workshop_id, "volg", optie="1")
        assert situation().version > now.version, f"{main.name} in {now.phase} did nothing"
    check()  # ended
    assert not wrong, "\n".join(wrong)
    assert {Phase.WELCOME, Phase.STORY, Phase.MARKS, Phase.SIGNALS, Phase.SITUATION, Phase.VOTING, Phase.STOPPED,
            Phase.RESULT, Phase.CONSEQUENCE, Phase.ENDING, Phase.AGREEMENTS, Phase.ENDED} <= seen


def refused(facilitator, workshop_id: int, name: str) -> str:
    """Post an action as the console's script does and return the Dutch reason it was refused."""
    page = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    from support import CSRF_INPUT
    reply = facilitator.post(f"/sessies/{workshop_id}/actie/{name}", data={"csrf_token": CSRF_INPUT.search(page)[1]},
                             headers={"Accept": "application/json"}).get_json()
    assert reply["ok"] is False and reply["melding"], reply
    return reply["melding"]


def test_the_four_refusals_an_outside_probe_found_hold_over_http(app, facilitator, room):
    workshop_id, code = room
    phone = join(app, code, "Egel")
    for _ in range(4):  # welcome, scene 1, scene 2, then the card's first step
        act(facilitator, workshop_id, "volgende")
    with app.app_context():
        version = db.session.get(Workshop, workshop_id).version
    assert "geen open stemming" in refused(facilitator, workshop_id, "stemming-dicht")
    assert "geen stemming om te tonen" in refused(facilitator, workshop_id, "stemming-onthul")
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).version == version  # a refusal changes nothing
    act(facilitator, workshop_id, "vragenronde")
    assert "vragenronde" in refused(facilitator, workshop_id, "stemming-open")
    act(facilitator, workshop_id, "vragenronde")
    act(facilitator, workshop_id, "stemming-open")
    assert vote(phone, code, 1).get_json()["ok"]
    act(facilitator, workshop_id, "stemming-onthul")
    assert "uitslag" in refused(facilitator, workshop_id, "stemming-open")
    late = vote(phone, code, 2)  # a phone that still sends a vote after the result: not counted
    assert late.get_json()["ok"] is False
    with app.app_context():
        assert [v.option for v in db.session.scalars(select(Vote))] == [1]
    act(facilitator, workshop_id, "tweede-ronde")
    act(facilitator, workshop_id, "stemming-onthul")
    assert refused(facilitator, workshop_id, "tweede-ronde") == "Deze stap had al een tweede ronde."


def test_one_press_works_out_each_situation_once(app, facilitator, room, monkeypatch):
    """A press of → reads the situation it starts from (kept from the console's page) and works out the new one
    once; the console and projector of the new version reuse it."""
    from bril.sessions import situation as situation_module
    workshop_id, code = room
    for _ in range(4):  # to the card's first step
        act(facilitator, workshop_id, "volgende")
    join(app, code, "Egel")
    facilitator.get(f"/sessies/{workshop_id}")  # the console shows the moment: its situation is kept
    replays = []
    real = situation_module.replay
    monkeypatch.setattr(situation_module, "replay", lambda *args: replays.append(args) or real(*args))
    page = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    from support import CSRF_INPUT
    token = CSRF_INPUT.search(page)[1]
    assert replays == []  # the same version: nothing worked out again
    reply = facilitator.post(f"/sessies/{workshop_id}/actie/stemming-open", data={"csrf_token": token},
                             headers={"Accept": "application/json"}).get_json()
    assert reply["ok"] and len(replays) == 1  # the new situation, worked out inside the change
    facilitator.get(f"/sessies/{workshop_id}")
    facilitator.get(f"/sessies/{workshop_id}/scherm")
    assert len(replays) == 1


def test_an_agreement_names_only_a_route_of_the_organisation(app, facilitator, room):
    workshop_id, _ = room
    form = {"what": "We bespreken signalen elke week", "who": "team", "by_when": "binnen twee weken"}
    refused = facilitator.submit(f"/sessies/{workshop_id}/afspraak", {**form, "meldroute": "bestaat-niet"},
                                 page=f"/sessies/{workshop_id}")
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Deze route kent jullie organisatie niet" in page and "We bespreken signalen elke week" in page
    with app.app_context():
        route = next(iter(library().meldroutes.routes))
    stored = facilitator.submit(f"/sessies/{workshop_id}/afspraak", {**form, "meldroute": route},
                                page=f"/sessies/{workshop_id}")
    assert stored.status_code == 302
    from bril.models import Agreement
    with app.app_context():
        assert [a.meldroute for a in db.session.scalars(select(Agreement))] == [route]
