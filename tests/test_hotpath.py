"""The hot path (votes, marks, answers, "ik ook"): refused when the room does not allow it, and heard by
another worker through the publisher, which sends a few NOTIFYs a second instead of one per vote."""
from __future__ import annotations

import math
import re
import time

import pytest
from sqlalchemy import event, select

from bril.models import Answer, ParkingPost, Participant, Support, Workshop, db
from bril.sessions import broker
from support import PASSWORD, close_app, make_app
from support.sessions import act, join, post_json, start_session, to_card, vote


def test_a_vote_is_refused_before_the_vote_opens_and_after_it_closes(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Reiger")
    to_card(facilitator, workshop_id)
    assert vote(phone, code, 1).status_code == 409  # the situation is read, the vote is not open
    act(facilitator, workshop_id, "stemming-open")
    assert vote(phone, code, 1).get_json()["ok"]
    assert vote(phone, code, 9).status_code == 409  # no such option
    act(facilitator, workshop_id, "stemming-dicht")
    refused = vote(phone, code, 2)
    assert refused.status_code == 409 and "niet open" in refused.get_json()["melding"]
    act(facilitator, workshop_id, "stemming-onthul")
    assert vote(phone, code, 2).status_code == 409  # the result is on the screen


def test_an_answer_is_refused_outside_the_question_round_and_guarded_inside(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Zwaluw")
    answer = f"/live/{code}/antwoord"
    assert post_json(phone, code, answer, {"text": "Eerst overleggen"}).status_code == 409
    act(facilitator, workshop_id, "vragenronde")
    guarded = post_json(phone, code, answer, {"text": "Mail piet@example.nl"})
    assert guarded.status_code == 422 and "e-mailadres" in guarded.get_json()["melding"]
    assert post_json(phone, code, answer, {"text": ""}).status_code == 422
    assert post_json(phone, code, answer, {"text": "Eerst overleggen"}).get_json()["ok"]
    act(facilitator, workshop_id, "vragenronde")  # closed again
    assert post_json(phone, code, answer, {"text": "Te laat"}).status_code == 409
    with app.app_context():
        assert db.session.scalars(select(Answer.text)).all() == ["Eerst overleggen"]


def test_ik_ook_counts_once_only_in_the_own_session_and_not_after_the_end(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    _, other_code = start_session(facilitator, app)
    phone, elsewhere = join(app, code, "Kievit"), join(app, other_code, "Grutto")
    act(facilitator, workshop_id, "vragenronde")
    assert post_json(phone, code, f"/live/{code}/antwoord", {"text": "Eerst overleggen"}).get_json()["ok"]
    assert post_json(phone, code, f"/live/{code}/parkeren", {"text": "Wie belt Veilig Thuis?"}).get_json()["ok"]
    with app.app_context():
        answer_id = db.session.scalar(select(Answer.id))
        parked_id = db.session.scalar(select(ParkingPost.id))
    me_too = f"/live/{code}/ikook/antwoord/{answer_id}"
    # Someone in another session cannot say "ik ook" to this session's answer, nor to what does not exist.
    assert post_json(elsewhere, other_code, f"/live/{other_code}/ikook/antwoord/{answer_id}", {}).status_code == 409
    assert post_json(phone, code, f"/live/{code}/ikook/antwoord/999999", {}).status_code == 409
    assert post_json(phone, code, f"/live/{code}/ikook/antwoord/{2**40}", {}).status_code in (404, 409)
    assert post_json(phone, code, f"/live/{code}/ikook/iets/{answer_id}", {}).status_code == 409
    assert post_json(phone, code, me_too, {}).get_json()["ok"]
    again = post_json(phone, code, me_too, {})  # once: a second tap is told so politely, and not counted
    assert again.status_code == 200 and not again.get_json()["ok"] and "telde al mee" in again.get_json()["melding"]
    assert post_json(phone, code, f"/live/{code}/ikook/parkeer/{parked_id}", {}).get_json()["ok"]
    act(facilitator, workshop_id, "einde")
    late = join(app, other_code, "Tureluur")  # the other session is still open; this one has ended
    assert post_json(late, other_code, f"/live/{other_code}/ikook/antwoord/{answer_id}", {}).status_code == 409
    with app.app_context():
        assert sorted(db.session.scalars(select(Support.kind))) == ["antwoord", "parkeer"]


def test_a_removed_participant_is_refused_on_every_hot_path(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Scholekster")
    act(facilitator, workshop_id, "vragenronde")
    assert post_json(phone, code, f"/live/{code}/antwoord", {"text": "Eerst overleggen"}).get_json()["ok"]
    with app.app_context():
        participant_id = db.session.scalar(select(Participant.id))
        answer_id = db.session.scalar(select(Answer.id))
    token = re.search(r'data-csrf="([^"]+)"', phone.get(f"/meedoen/{code}").get_data(as_text=True)).group(1)
    facilitator.submit(f"/sessies/{workshop_id}/deelnemer/{participant_id}/verwijder", page=f"/sessies/{workshop_id}")
    with app.app_context():
        assert db.session.get(Participant, participant_id).removed
    for path, data in ((f"/live/{code}/antwoord", {"text": "Nog een"}), (f"/live/{code}/stem", {"optie": "1"}),
                       (f"/live/{code}/ikook/antwoord/{answer_id}", {}), (f"/live/{code}/zinnen", {"zin": "a"})):
        refused = phone.post(path, data={"csrf_token": token, **data}, headers={"Accept": "application/json"})
        assert refused.status_code == 403, path


# Across processes: the publisher ---------------------------------------------------------------------------

@pytest.fixture
def second_worker(app):
    """Another worker process's app on the same database, with its own broker (its own LISTEN connection)."""
    database_url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not database_url.startswith("postgresql"):
        pytest.skip("several processes share changes through PostgreSQL")
    other = make_app(database_url)
    yield other
    close_app(other)


def test_votes_reach_another_workers_projector_through_a_few_notifies_not_one_per_vote(facilitator, app,
                                                                                        second_worker):
    workshop_id, code = start_session(facilitator, app)
    phones = [join(app, code, f"Stern {n}") for n in range(6)]
    to_card(facilitator, workshop_id)
    act(facilitator, workshop_id, "stemming-open")
    here = app.extensions["bril.broker"].subscribe(workshop_id, frozenset({"votes"}))
    there = second_worker.extensions["bril.broker"].subscribe(workshop_id, frozenset({"votes"}))
    # The projector's stream on the other worker: its first event shows no votes yet.
    projector = second_worker.test_client()
    projector.submit("/inloggen", {"email": "begeleider@example.org", "password": PASSWORD})
    stream = projector.get(f"/live/{code}/stroom?weergave=scherm", buffered=False)
    events = (chunk.decode() for chunk in stream.response)
    assert '"stemmen": 0' in next(events)
    statements = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", watch)
    started = time.monotonic()
    try:
        for option in (1, 2, 3):  # every phone votes, then changes its vote twice: 18 votes
            for phone in phones:
                assert vote(phone, code, option).get_json()["ok"]
    finally:
        with app.app_context():
            event.remove(db.engine, "before_cursor_execute", watch)
    took = time.monotonic() - started
    assert not [s for s in statements if "notify" in s.lower()]  # no NOTIFY in any vote's statements
    assert len(here.drain(0.5)) == 18  # this worker's own streams hear each vote at once
    for chunk in events:  # the other worker's projector shows all six voters, read from the database
        if '"stemmen": 6' in chunk:
            break
        assert "stemmen" in chunk or "ping" in chunk
    stream.close()
    heard = there.drain(1.0)
    publisher = app.extensions["bril.broker"]
    # At most one NOTIFY per tick of the publisher, however many votes came in meanwhile.
    assert 1 <= publisher.published <= math.ceil(took / broker.PUBLISH_SECONDS) + 1
    assert len(heard) <= publisher.published and all(kind == "votes" for kind, _ in heard)
    here.close()
    there.close()


def test_answers_and_ik_ook_reach_another_workers_console(facilitator, app, second_worker):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Tapuit")
    act(facilitator, workshop_id, "vragenronde")
    with second_worker.app_context():
        version = db.session.get(Workshop, workshop_id).version
    there = second_worker.extensions["bril.broker"].subscribe(workshop_id, frozenset({"console"}))
    assert post_json(phone, code, f"/live/{code}/antwoord", {"text": "Eerst overleggen"}).get_json()["ok"]
    assert there.get(2.0) == ("console", version)  # no new version: the console re-renders the same one
    with app.app_context():
        answer_id = db.session.scalar(select(Answer.id))
    assert post_json(phone, code, f"/live/{code}/ikook/antwoord/{answer_id}", {}).get_json()["ok"]
    assert there.get(2.0) == ("console", version)
    there.close()
