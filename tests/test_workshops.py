"""Team sessions through the test client: plans, joining, voting, facilitation, report, access, purge."""
from __future__ import annotations

import re
import threading
from datetime import timedelta

import markdown
from sqlalchemy import func, select

from bril import wiring
from bril.sessions import changes as state
from bril.sessions.changes import purge_expired
from bril.extensions import library
from bril.sessions.situation import situate
from bril.models import (Agreement, LoginAttempt, ParkingPost, Participant, PathChoice, Vote, Workshop, db,
                         utcnow)
from support import PASSWORD
from support.library import CARD, route_to
from support.sessions import act, join, start_session, to_card, vote

def test_plans_are_for_facilitators_only(client, auth, make_user):
    make_user()
    auth.login()
    assert client.get("/sessies/plannen/").status_code == 403


def test_session_gets_an_unambiguous_code_and_a_local_qr(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    assert re.fullmatch(f"[{state.CODE_ALPHABET}]{{6}}", code)
    qr = facilitator.get(f"/sessies/{workshop_id}/qr.svg")
    assert qr.mimetype == "image/svg+xml" and b"<svg" in qr.data
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert code in projector and f"/sessies/{workshop_id}/qr.svg" in projector


def test_joining_by_code_with_nickname_and_role(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = app.test_client()
    wrong = phone.submit("/meedoen", {"code": "XXXXXX"})
    assert "Deze code kennen we niet" in wrong.get_data(as_text=True)
    right = phone.submit("/meedoen", {"code": code.lower()[:3] + "-" + code.lower()[3:]})
    assert right.location.endswith(f"/meedoen/{code}")
    phone = join(app, code, "Vos", "wijkagent")
    page = phone.get(f"/meedoen/{code}").get_data(as_text=True)
    assert "Jij: Vos" in page and "Wijkagent" in page
    phone.get(f"/meedoen/{code}")  # a reload is the same participant
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 1


def test_nickname_with_personal_data_is_refused(facilitator, app):
    _, code = start_session(facilitator, app)
    response = app.test_client().submit(f"/meedoen/{code}", {"nickname": "piet@example.nl"})
    assert "e-mailadres" in response.get_data(as_text=True)


def test_join_code_guessing_is_slowed_down(app):
    phone = app.test_client()
    for _ in range(10):
        phone.submit("/meedoen", {"code": "ACDEFH"})
    refused = phone.submit("/meedoen", {"code": "ACDEFH"})
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert "Deze code kennen we niet" in refused.get_data(as_text=True)
    assert phone.get("/meedoen/ACDEFH").status_code == 429


def test_wrong_codes_from_one_address_never_lock_out_the_room(facilitator, app):
    _, code = start_session(facilitator, app)
    early = join(app, code, "Vroeg")
    typist = app.test_client()  # every client here comes from 127.0.0.1, like a room behind one NAT
    for _ in range(10):
        typist.submit("/meedoen", {"code": "ACDEFH"})
    assert typist.submit("/meedoen", {"code": "ACDEFH"}).status_code == 429
    assert typist.submit("/meedoen", {"code": code.lower()}).location.endswith(f"/meedoen/{code}")
    join(app, code, "Laat")
    assert "Jij: Vroeg" in early.get(f"/meedoen/{code}").get_data(as_text=True)
    assert early.get(f"/live/{code}/stand?weergave=deelnemer").status_code == 200
    assert typist.submit("/meedoen", {"code": "ACDEFH"}).status_code == 429
    assert typist.get("/meedoen/ACDEFH").status_code == 429
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 2


def test_only_a_posted_unknown_code_is_counted(app):
    phone = app.test_client()
    assert phone.get("/meedoen/ACDEFH").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0
    phone.submit("/meedoen/ACDEFH", {"nickname": "Gok"}, page="/meedoen")
    phone.submit("/meedoen", {"code": "ACDEFH"})
    with app.app_context():
        assert sorted(db.session.scalars(select(LoginAttempt.key))) == ["code:*", "code:*", "code:127.0.0.1",
                                                                        "code:127.0.0.1"]


def test_unknown_codes_from_all_addresses_together_are_capped(facilitator, app):
    app.config["JOIN_MAX_FAILURES_TOTAL"] = 3
    _, code = start_session(facilitator, app)
    phones = [app.test_client() for _ in range(4)]
    for number, phone in enumerate(phones):
        phone.environ_base["REMOTE_ADDR"] = f"10.0.0.{number}"
    for phone in phones[:3]:
        assert phone.submit("/meedoen", {"code": "ACDEFH"}).status_code == 200
    assert phones[3].submit("/meedoen", {"code": "ACDEFH"}).status_code == 429
    assert phones[3].submit("/meedoen", {"code": code}).status_code == 302


def test_locked_session_refuses_new_participants(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    act(facilitator, workshop_id, "slot")
    phone = app.test_client()
    assert "gesloten voor nieuwe deelnemers" in phone.get(f"/meedoen/{code}").get_data(as_text=True)
    response = phone.submit(f"/meedoen/{code}", {"nickname": "Laat"}, page="/meedoen")
    assert response.status_code == 200 and "gesloten voor nieuwe deelnemers" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_a_whole_vote_with_change_reveal_second_round_and_path(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phones = [join(app, code, name, role) for name, role in
              (("Uil", "wijkagent"), ("Mol", "wijkagent"), ("Das", "klantmanager"), ("Vink", ""))]
    to_card(facilitator, workshop_id)
    assert vote(phones[0], code, 1).status_code == 409  # not open yet
    act(facilitator, workshop_id, "stemming-open")
    acks = [vote(phone, code, option).get_json() for phone, option in zip(phones, (1, 1, 2, 0))]
    assert all(a["ok"] for a in acks)
    assert vote(phones[3], code, 2).get_json()["optie"] == 2  # changed
    assert vote(phones[0], code, 7).status_code == 409
    act(facilitator, workshop_id, "stemming-dicht")
    assert vote(phones[2], code, 1).status_code == 409
    act(facilitator, workshop_id, "stemming-onthul")
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert "4 stemmen</figcaption>" in projector and "2 (50%)" in projector  # A and B: 2 of 4 each
    console = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    by_role = console.split("Per rol")[1].split("</table>")[0]
    assert "Wijkagent" in by_role and "Klantmanager" not in by_role  # one klantmanager: not shown alone
    act(facilitator, workshop_id, "tweede-ronde")
    for phone, option in zip(phones, (1, 2, 2, 2)):
        vote(phone, code, option)
    act(facilitator, workshop_id, "stemming-onthul")
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert "Ronde 1: 4 stemmen" in projector and "Ronde 2: 4 stemmen" in projector
    assert "Verschil tussen ronde 1 en 2" in projector
    act(facilitator, workshop_id, "volg")  # majority of round 2 is option 2
    with app.app_context():
        choice = db.session.scalar(select(PathChoice))
        assert (choice.option, choice.majority, choice.overridden) == (2, 2, False)
        workshop = db.session.get(Workshop, workshop_id)
        assert workshop.route == [[choice.step, 2]] and workshop.vote == "gevolg"  # the consequence first
    # "← Terug" from the consequence: the result the group chose from, with both rounds, not a closed vote.
    act(facilitator, workshop_id, "vorige")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert (workshop.route, workshop.vote, workshop.round) == ([], "onthuld", 2)
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert 'data-fase="uitslag"' in projector and "Ronde 2: 4 stemmen" in projector
    act(facilitator, workshop_id, "volg")
    act(facilitator, workshop_id, "volgende")  # on to the next step: its vote starts in round 1
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert (len(workshop.route), workshop.vote, workshop.round) == (1, "dicht", 1)


def test_facilitator_override_is_logged(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Egel")
    to_card(facilitator, workshop_id)
    act(facilitator, workshop_id, "stemming-open")
    vote(phone, code, 1)
    act(facilitator, workshop_id, "stemming-onthul")  # the group follows an option once it has seen the result
    act(facilitator, workshop_id, "volg", optie="3")
    with app.app_context():
        choice = db.session.scalar(select(PathChoice))
        assert (choice.option, choice.majority, choice.overridden) == (3, 1, True)


def test_parking_lot_and_agreements_go_through_the_privacy_guard(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Kraai")
    refused = phone.submit(f"/live/{code}/parkeren", {"text": "Bel mij op 06-12345678"}, page=f"/meedoen/{code}")
    # Post/Redirect/Get: the phone does not stay on /parkeren (a reload would send it again); the text stays.
    assert refused.status_code == 302 and refused.location.endswith(f"/meedoen/{code}")
    back = phone.get(refused.location).get_data(as_text=True)
    assert "telefoonnummer" in back and "Bel mij op 06-12345678</textarea>" in back
    again = phone.get(refused.location).get_data(as_text=True)  # a notice belongs to its moment
    assert "telefoonnummer" not in again and "06-12345678" not in again
    phone.submit(f"/live/{code}/parkeren", {"text": "Hoe werkt de meldcode bij ons?"}, page=f"/meedoen/{code}")
    bad = facilitator.submit(f"/sessies/{workshop_id}/afspraak", {"what": "Mail naar j@example.nl", "who": "wijkagent",
                                                                   "by_when": "morgen", "meldroute": ""},
                             page=f"/sessies/{workshop_id}")
    assert bad.status_code == 422 and "e-mailadres" in bad.get_data(as_text=True)
    facilitator.submit(f"/sessies/{workshop_id}/afspraak", {"what": "Signalen van geldezels bespreken in het overleg",
                                                             "who": "jongerenwerker", "by_when": "binnen twee weken",
                                                             "meldroute": "financiele-uitbuiting"},
                       page=f"/sessies/{workshop_id}")
    with app.app_context():
        assert [p.text for p in db.session.scalars(select(ParkingPost))] == ["Hoe werkt de meldcode bij ons?"]
        assert db.session.scalar(select(Agreement.who)) == "jongerenwerker"
    console = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    assert "Hoe werkt de meldcode bij ons?" in console and "binnen twee weken" in console


def test_report_holds_totals_and_no_nickname(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phones = [join(app, code, name) for name in ("Zwaluw", "Merel", "Specht")]
    to_card(facilitator, workshop_id)
    act(facilitator, workshop_id, "stemming-open")
    for phone, option in zip(phones, (1, 1, 3)):
        vote(phone, code, option)
    act(facilitator, workshop_id, "stemming-onthul")
    act(facilitator, workshop_id, "volg")
    act(facilitator, workshop_id, "einde")
    markdown = facilitator.get(f"/sessies/{workshop_id}/verslag.md").get_data(as_text=True)
    with app.app_context():
        step = library().dilemmas[CARD].steps[library().dilemmas[CARD].start]
    assert f"### {step.title}" in markdown and "Ronde 1 (3 stemmen):" in markdown
    assert f"- A. {step.options[0].label}: 2" in markdown and f"- C. {step.options[2].label}: 1" in markdown
    assert "(meerderheid)" in markdown
    for nickname in ("Zwaluw", "Merel", "Specht"):
        assert nickname not in markdown
    csv = facilitator.get(f"/sessies/{workshop_id}/verslag.csv").get_data(as_text=True)
    assert csv.splitlines()[0] == "\ufeffonderdeel;stap;ronde;optie;stemmen;gevolgd" and ";2;ja" in csv
    page = facilitator.get(f"/sessies/{workshop_id}/verslag").get_data(as_text=True)
    assert "Verslag: Teamochtend" in page and "Zwaluw" not in page
    ended = phones[0].get(f"/meedoen/{code}").get_data(as_text=True)
    assert "De sessie is afgelopen" in ended


def test_report_markdown_escapes_parked_text_answers_and_agreements(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Ekster")
    for text in ("<script>alert('x')</script>", "# Kop\n- geen lijst\n1. geen nummer", "**vet** | [link](x)"):
        phone.submit(f"/live/{code}/parkeren", {"text": text}, page=f"/meedoen/{code}")
    act(facilitator, workshop_id, "vragenronde")
    phone.submit(f"/live/{code}/antwoord", {"text": "> Ik | zou <i>bellen</i>"}, page=f"/meedoen/{code}")
    facilitator.submit(f"/sessies/{workshop_id}/afspraak", {"what": "Signalen | bespreken\r\nin het overleg",
                                                             "who": "team", "by_when": "<b>morgen</b>",
                                                             "meldroute": ""}, page=f"/sessies/{workshop_id}")
    text = facilitator.get(f"/sessies/{workshop_id}/verslag.md").get_data(as_text=True)
    assert "- &lt;script&gt;alert('x')&lt;/script&gt;\n" in text
    assert "- \\# Kop\n  \\- geen lijst\n  1\\. geen nummer\n" in text
    assert "- \\*\\*vet\\*\\* \\| \\[link\\](x)\n" in text
    assert "| Signalen \\| bespreken in het overleg | Het hele team | &lt;b&gt;morgen&lt;/b&gt; |  |\n" in text
    assert "- &gt; Ik \\| zou &lt;i&gt;bellen&lt;/i&gt;\n" in text
    html = markdown.markdown(text, extensions=["tables"])
    assert "<script" not in html and "<b>" not in html and "<i>" not in html and "<blockquote>" not in html
    assert html.count("<h1>") == 1
    assert html.count("<tr>") == 2 and html.count("<td>") == 4


def test_participant_cannot_use_the_console_or_another_session(facilitator, app, make_user):
    workshop_id, code = start_session(facilitator, app)
    _, other_code = start_session(facilitator, app)
    phone = join(app, code, "Bever")
    assert phone.get(f"/sessies/{workshop_id}").status_code in (302, 401)
    assert phone.get(f"/live/{code}/stand?weergave=console").status_code == 403
    assert phone.get(f"/live/{other_code}/stand?weergave=deelnemer").status_code == 403
    assert phone.post(f"/live/{other_code}/stem", data={"optie": "1"}).status_code in (400, 403)
    assert phone.get(f"/live/{code}/stand?weergave=deelnemer").status_code == 200


def test_facilitator_cannot_control_anothers_session(facilitator, app, make_user):
    workshop_id, _ = start_session(facilitator, app)
    make_user("ander@example.org", role="procesbegeleider")
    other = app.test_client()
    other.submit("/inloggen", {"email": "ander@example.org", "password": PASSWORD})
    assert other.get(f"/sessies/{workshop_id}").status_code == 404
    assert other.get(f"/sessies/{workshop_id}/verslag.md").status_code == 404
    assert other.post(f"/sessies/{workshop_id}/actie/volgende").status_code in (400, 404)


def test_removed_participant_cannot_vote_until_let_back_in(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Haas")
    to_card(facilitator, workshop_id)
    act(facilitator, workshop_id, "stemming-open")
    with app.app_context():
        participant_id = db.session.scalar(select(Participant.id))
    facilitator.submit(f"/sessies/{workshop_id}/deelnemer/{participant_id}/verwijder", page=f"/sessies/{workshop_id}")
    assert "uit deze sessie gehaald" in phone.get(f"/meedoen/{code}").get_data(as_text=True)
    facilitator.submit(f"/sessies/{workshop_id}/deelnemer/{participant_id}/terug", page=f"/sessies/{workshop_id}")
    assert vote(phone, code, 1).get_json()["ok"]


def test_stream_sends_the_state_at_once(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Ree")
    response = phone.get(f"/live/{code}/stroom?weergave=deelnemer", buffered=False)
    assert response.mimetype == "text/event-stream" and response.headers["X-Accel-Buffering"] == "no"
    first = next(response.response)
    response.close()
    text = first.decode() if isinstance(first, bytes) else first
    assert text.startswith("retry: 1000\nevent: stand\ndata: ") and '"versie"' in text


def test_purge_deletes_participants_but_keeps_the_report(facilitator, app, runner):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Otter")
    to_card(facilitator, workshop_id)
    act(facilitator, workshop_id, "stemming-open")
    vote(phone, code, 2)
    act(facilitator, workshop_id, "einde")
    result = runner.invoke(args=["workshops", "purge"])
    assert "van 0 sessies" in result.output
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        workshop.ended_at = utcnow() - timedelta(days=31)
        db.session.commit()
    result = runner.invoke(args=["workshops", "purge"])
    assert "van 1 sessie" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 0
        assert db.session.scalar(select(Vote.option)) == 2
    assert "- B. " in facilitator.get(f"/sessies/{workshop_id}/verslag.md").get_data(as_text=True)


def test_the_hourly_purge_runs_beside_the_post_that_starts_it_and_nobody_waits_for_it(facilitator, app, monkeypatch):
    workshop_id, code = start_session(facilitator, app)
    join(app, code, "Bever")
    act(facilitator, workshop_id, "einde")
    with app.app_context():
        db.session.get(Workshop, workshop_id).ended_at = utcnow() - timedelta(days=31)
        db.session.commit()
    go_on = threading.Event()

    def slow_purge(days: int) -> int:  # a purge that takes until the test says so
        assert go_on.wait(10)
        return purge_expired(days)
    monkeypatch.setattr(wiring, "purge_expired", slow_purge)
    app.config["RETENTION_PURGE_SECONDS"] = 0  # due at every POST (the site: once an hour per process)
    response = facilitator.submit("/sessies/plannen/", {"title": "Volgende ochtend"})  # any POST
    assert response.status_code == 302  # answered while the purge still runs
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 1
    go_on.set()
    wiring.purging[0].join(10)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 0


def test_timer_speaker_prompts_and_puzzle_pieces(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    agent = join(app, code, "Valk", "wijkagent")
    other = join(app, code, "Gans", "leerkracht")
    with app.app_context():
        card = library().dilemmas[CARD]
        step = next(s for s in card.steps.values() if s.pieces)
        piece_role, piece = step.pieces[0]
        route = route_to(card, step.id)  # the group's route to a step that has puzzle pieces
    to_card(facilitator, workshop_id)
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        workshop.route = route
        workshop.version += 1  # test set-up: jump the group to a step with pieces
        db.session.commit()
    owner = join(app, code, "Raaf", piece_role)
    act(facilitator, workshop_id, "puzzelstukjes")
    assert str(piece) in owner.get(f"/meedoen/{code}").get_data(as_text=True)
    for phone in (agent, other):
        if piece_role not in ("wijkagent", "leerkracht"):
            assert str(piece) not in phone.get(f"/meedoen/{code}").get_data(as_text=True)
    before = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    act(facilitator, workshop_id, "volgende-vraag")
    after = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    prompts = [str(p) for p in step.prompts]
    assert prompts[0] in before and prompts[1] in after
    act(facilitator, workshop_id, "spreker")
    with app.app_context():
        speaker = db.session.get(Workshop, workshop_id).speaker
    assert speaker in {"Valk", "Gans", "Raaf"}
    # The join page promises that only the procesbegeleider sees nicknames: the console names the speaker,
    # the projector and the phones only say that someone was chosen.
    assert "alleen de procesbegeleider ziet hem" in app.test_client().get(f"/meedoen/{code}").get_data(as_text=True)
    assert f"<strong>{speaker}</strong>" in facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    projector = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert "Er is iemand gekozen" in projector and f">{speaker}<" not in projector
    for phone in (agent, other, owner):
        page = phone.get(f"/meedoen/{code}").get_data(as_text=True)
        assert "iemand gekozen" in page and f"<strong>{speaker}</strong>" not in page
    act(facilitator, workshop_id, "timer-start")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        workshop.timer_started_at -= timedelta(seconds=90)
        db.session.commit()
    act(facilitator, workshop_id, "timer-pauze")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        assert 89 <= workshop.timer_used <= 95 and workshop.timer_started_at is None
        assert situate(workshop, library()).timer.remaining() == 30 * 60 - round(workshop.timer_used)
    act(facilitator, workshop_id, "timer-reset")
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).timer_used == 0
