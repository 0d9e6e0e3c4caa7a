"""The console's moment tools and the room features facilitators expect: a countdown per vote, answers sorted
by "ik ook", a parked question marked answered, the chosen speaker told on their own phone."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bril.extensions import library
from bril.models import Answer, ParkingPost, Participant, Workshop, db, utcnow
from bril.sessions import console
from bril.sessions.situation import situate
from bril.sessions.vocabulary import Phase
from support import CSRF_INPUT
from support.sessions import act, join, start_session, to_card, vote

JSON = {"Accept": "application/json"}


def situation(app, workshop_id: int):
    with app.app_context():
        return situate(db.session.get(Workshop, workshop_id), library())


def post_json(client, url: str, page: str, **data):
    """Post as the console's script does: with the page's form token, asking for JSON."""
    token = CSRF_INPUT.search(client.get(page).get_data(as_text=True)).group(1)
    return client.post(url, data={"csrf_token": token, **data}, headers=JSON)


def tool_names(now) -> list[str]:
    return [tool.name for tool in console.tools(now)]


def test_each_moment_has_its_own_tools_from_one_table(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phones = [join(app, code, name) for name in ("Egel", "Das")]
    act(facilitator, workshop_id, "volgende")
    now = situation(app, workshop_id)
    assert now.phase == Phase.STORY and tool_names(now) == ["telling"]
    page = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    assert re.search(r"0</span> van 2</strong>\s+hebben aangevinkt wat zij zien", page)
    to_card(facilitator, workshop_id)
    now = situation(app, workshop_id)
    assert now.phase == Phase.SITUATION and tool_names(now)[0] == "aftellen"
    act(facilitator, workshop_id, "vragenronde")
    now = situation(app, workshop_id)  # the round holds the phones: its tools first, no countdown to choose
    assert console.primary(now).name == "vragenronde"
    assert tool_names(now)[:2] == ["volgorde", "antwoorden"] and "aftellen" not in tool_names(now)
    act(facilitator, workshop_id, "vragenronde")
    act(facilitator, workshop_id, "stemming-open")
    for phone in phones:
        vote(phone, code, 1)
    assert tool_names(situation(app, workshop_id)) == ["telling"]  # no countdown: no clock
    act(facilitator, workshop_id, "stemming-onthul")
    now = situation(app, workshop_id)
    assert tool_names(now) == ["tweede-ronde", "aftellen", "volgen"]
    assert [t.target for t in console.tools(now) if t.name == "aftellen"] == ["tweede-ronde"]
    for name, phase in ((name, phase) for phase, names in console.TOOLS.items() for name in names):
        assert name in console.ACTIONS or name in {"telling", "aftellen", "klok", "volgen", "afspraak",
                                                   "antwoorden"}, (phase, name)


def test_a_vote_with_a_countdown_refuses_a_late_vote(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone, late = join(app, code, "Egel"), join(app, code, "Das")
    to_card(facilitator, workshop_id)
    wrong = act(facilitator, workshop_id, "stemming-open", seconden="45")
    assert wrong.status_code == 302 and situation(app, workshop_id).phase == Phase.SITUATION
    refused = post_json(facilitator, f"/sessies/{workshop_id}/actie/stemming-open", f"/sessies/{workshop_id}",
                        seconden="45")
    assert refused.get_json()["melding"] == "Kies 30, 60 of 90 seconden om af te tellen, of geen aftellen."
    act(facilitator, workshop_id, "stemming-open", seconden="30")
    now = situation(app, workshop_id)
    assert now.phase == Phase.VOTING and now.countdown == now.vote_deadline
    with app.app_context():
        deadline = db.session.get(Workshop, workshop_id).vote_deadline
    assert timedelta(seconds=29) <= deadline - utcnow() <= timedelta(seconds=30)
    assert tool_names(now) == ["telling", "klok"]
    for page in (facilitator.get(f"/sessies/{workshop_id}/scherm"), phone.get(f"/meedoen/{code}")):
        assert re.search(r'data-aftellen="[\d.]+"', page.get_data(as_text=True))
        assert re.search(r"nog (29|30) s", page.get_data(as_text=True))
    assert vote(phone, code, 1).get_json()["ok"]
    with app.app_context():  # the countdown ran out (the server's clock decides, not the phone's)
        db.session.get(Workshop, workshop_id).vote_deadline = utcnow() - timedelta(seconds=2)
        db.session.commit()
    answer = vote(late, code, 2)
    assert answer.status_code == 409
    assert answer.get_json()["melding"] == "De tijd is om: je stem kwam te laat en telt niet mee."
    act(facilitator, workshop_id, "stemming-dicht")  # what the console's script sends at zero
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).vote_deadline is None
    act(facilitator, workshop_id, "stemming-onthul")
    act(facilitator, workshop_id, "tweede-ronde", seconden="60")  # round 2 has its own countdown
    with app.app_context():
        deadline = db.session.get(Workshop, workshop_id).vote_deadline
    assert timedelta(seconds=59) <= deadline - utcnow() <= timedelta(seconds=60)
    assert vote(late, code, 2).get_json()["ok"]


def test_answers_sorted_by_me_too_on_console_projector_and_phones(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phones = [join(app, code, name) for name in ("Egel", "Das", "Uil")]
    act(facilitator, workshop_id, "vragenronde")
    for phone, text in zip(phones, ("Eerst", "Tweede", "Derde")):
        phone.submit(f"/live/{code}/antwoord", {"text": f"{text} antwoord"}, page=f"/meedoen/{code}")
    with app.app_context():
        ids = {a.text: a.id for a in db.session.scalars(select(Answer))}
    for answer in ids.values():
        post_json(facilitator, f"/sessies/{workshop_id}/antwoord/{answer}/toon", f"/sessies/{workshop_id}")
    for phone in phones[:2]:
        phone.submit(f"/live/{code}/ikook/antwoord/{ids['Derde antwoord']}", page=f"/meedoen/{code}")
    phones[0].submit(f"/live/{code}/ikook/antwoord/{ids['Tweede antwoord']}", page=f"/meedoen/{code}")

    def order(html: str) -> list[str]:
        return re.findall(r'class="answer-text">(\w+) antwoord<', html)

    assert order(facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)) == ["Eerst", "Tweede", "Derde"]
    act(facilitator, workshop_id, "volgorde")
    for page in (f"/sessies/{workshop_id}", f"/sessies/{workshop_id}/scherm"):
        assert order(facilitator.get(page).get_data(as_text=True)) == ["Derde", "Tweede", "Eerst"], page
    assert order(phones[2].get(f"/meedoen/{code}").get_data(as_text=True)) == ["Derde", "Tweede", "Eerst"]
    assert "Antwoorden op volgorde van tijd" in facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    act(facilitator, workshop_id, "vragenronde")  # outside the round the order cannot be changed
    refused = post_json(facilitator, f"/sessies/{workshop_id}/actie/volgorde", f"/sessies/{workshop_id}")
    assert refused.get_json() == {**refused.get_json(), "ok": False, "melding": "Dit kan tijdens de vragenronde."}


def test_a_parked_question_marked_answered_everywhere_it_is_listed(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Egel")
    phone.submit(f"/live/{code}/parkeren", {"text": "Wie belt de bank?"}, page=f"/meedoen/{code}")
    with app.app_context():
        post_id = db.session.scalar(select(ParkingPost.id))
    done = post_json(facilitator, f"/sessies/{workshop_id}/parkeer/{post_id}/beantwoord", f"/sessies/{workshop_id}")
    assert done.get_json() == {"ok": True}
    console_page = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    assert 'class="tag done">beantwoord<' in console_page and "Toch nog open" in console_page
    for _ in range(3):  # to the agreements, where the projector lists the parked questions
        act(facilitator, workshop_id, "volgende")
    act(facilitator, workshop_id, "volgende", bevestig="ja")
    assert situation(app, workshop_id).phase == Phase.AGREEMENTS
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert re.search(r"Wie belt de bank\?\s*<span class=\"tag done\">beantwoord</span>", projector)
    report = facilitator.get(f"/sessies/{workshop_id}/verslag.md").get_data(as_text=True)
    assert "Wie belt de bank? (beantwoord)" in report
    post_json(facilitator, f"/sessies/{workshop_id}/parkeer/{post_id}/open", f"/sessies/{workshop_id}")
    assert "(beantwoord)" not in facilitator.get(f"/sessies/{workshop_id}/verslag.md").get_data(as_text=True)
    assert post_json(facilitator, f"/sessies/{workshop_id}/parkeer/{post_id + 99}/open",
                     f"/sessies/{workshop_id}").status_code == 404


def test_an_agreement_refused_by_script_names_the_field(facilitator, app):
    workshop_id, _ = start_session(facilitator, app)
    url, page = f"/sessies/{workshop_id}/afspraak", f"/sessies/{workshop_id}"
    bad = post_json(facilitator, url, page, what="Bel 06-12345678", who="wijkagent", by_when="", meldroute="")
    assert bad.status_code == 422
    errors = bad.get_json()["fouten"]
    assert set(errors) == {"what", "by_when"} and "telefoonnummer" in errors["what"][0]
    good = post_json(facilitator, url, page, what="Signalen bespreken", who="team", by_when="morgen", meldroute="")
    assert good.get_json() == {"ok": True, "melding": "De afspraak is vastgelegd."}
    assert "Signalen bespreken" in facilitator.get(page).get_data(as_text=True)


def test_the_chosen_speaker_hears_it_on_their_own_phone_only(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phones = {name: join(app, code, name) for name in ("Egel", "Das")}
    act(facilitator, workshop_id, "spreker")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        chosen = db.session.get(Participant, workshop.speaker_id)
        assert chosen.nickname == workshop.speaker
    for name, phone in phones.items():
        stand = phone.get(f"/live/{code}/stand?weergave=deelnemer").get_json()
        assert stand["gekozen"] is (name == chosen.nickname)
        assert chosen.nickname not in stand["html"]
        page = phone.get(f"/meedoen/{code}").get_data(as_text=True)
        shown = re.search(r'<p class="notice chosen" data-gekozen role="status"( hidden)?>', page)
        assert (shown.group(1) is None) is (name == chosen.nickname)
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert chosen.nickname not in projector
    act(facilitator, workshop_id, "volgende")  # a new moment: nobody is asked any more
    assert not phones[chosen.nickname].get(f"/live/{code}/stand?weergave=deelnemer").get_json()["gekozen"]


def test_participants_are_removed_and_let_back_in_by_script(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Egel")
    with app.app_context():
        participant_id = db.session.scalar(select(Participant.id))
    url = f"/sessies/{workshop_id}/deelnemer/{participant_id}"
    assert post_json(facilitator, f"{url}/verwijder", f"/sessies/{workshop_id}").get_json() == {"ok": True}
    assert phone.get(f"/live/{code}/stand?weergave=deelnemer").get_json()["verwijderd"]
    assert post_json(facilitator, f"{url}/terug", f"/sessies/{workshop_id}").get_json() == {"ok": True}
    assert not phone.get(f"/live/{code}/stand?weergave=deelnemer").get_json()["verwijderd"]


def test_ending_at_the_agreements_warns_while_none_is_recorded(facilitator, app):
    """At the last item, the agreements, the big button ends the session: its question says when nothing was
    agreed yet, so the room does not leave without agreements by one press too many."""
    workshop_id, _ = start_session(facilitator, app)
    for _ in range(3):
        act(facilitator, workshop_id, "volgende")
    act(facilitator, workshop_id, "volgende", bevestig="ja")
    now = situation(app, workshop_id)
    assert now.phase == Phase.AGREEMENTS and console.primary(now).name == "einde"
    page = f"/sessies/{workshop_id}"
    assert "Er is nog geen afspraak vastgelegd. Weet je zeker" in facilitator.get(page).get_data(as_text=True)
    post_json(facilitator, f"/sessies/{workshop_id}/afspraak", page, what="Signalen bespreken", who="team",
              by_when="morgen", meldroute="")
    console_page = facilitator.get(page).get_data(as_text=True)
    assert "nog geen afspraak" not in console_page and "Weet je zeker dat je de sessie wilt beëindigen?" in console_page
