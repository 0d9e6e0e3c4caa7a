"""Results in the learning record store (xAPI): which changes queue which statements, in the same transaction;
who they name; the sender's backoff; the beheerder's page and the `flask xapi` commands. The real record
store is in test_xapi_store.py."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bril import outbox
from bril.models import FAILED, SENT, WAITING, QueuedStatement, RecordStore, User, Workshop, db, utcnow
from bril.xapi import record, sender
from servers import free_port
from support import PASSWORD
from support.sessions import act, join, login, start_session
from support.walking import read_story, walk_card

PAGE = "/beheer/leerportaal"
ANSWERED = "http://adlnet.gov/expapi/verbs/answered"
COMPLETED = "http://adlnet.gov/expapi/verbs/completed"
ATTENDED = "http://adlnet.gov/expapi/verbs/attended"


@pytest.fixture
def store(app, make_org):
    """Testgemeente sends, to an address on this machine where nothing listens."""
    app.config["XAPI_HTTP_LOOPBACK"] = True
    organisation_id = make_org()
    with app.app_context():
        db.session.add(RecordStore(organisation_id=organisation_id, active=True, key="bril", secret="geheim",
                                   endpoint=f"http://127.0.0.1:{free_port()}/xAPI/", actor="pseudoniem"))
        db.session.commit()
    return organisation_id


def queued(app) -> list[dict]:
    with app.app_context():
        return [row.statement for row in db.session.scalars(select(QueuedStatement)
                                                             .order_by(QueuedStatement.created_at))]


def test_a_walk_queues_each_choice_and_its_end_naming_a_pseudonym(app, client, auth, make_user, store):
    make_user()
    auth.login()
    walk_card(client)
    statements = queued(app)
    verbs = [statement["verb"]["id"] for statement in statements]
    assert verbs.count(ANSWERED) >= 1 and verbs[-1] == COMPLETED and set(verbs) == {ANSWERED, COMPLETED}
    choice = statements[0]
    definition = choice["object"]["definition"]
    assert definition["interactionType"] == "choice" and "correctResponsesPattern" not in definition
    assert [c["id"] for c in definition["choices"]][:2] == ["A", "B"] and choice["result"] == {"response": "A"}
    assert choice["context"]["contextActivities"]["parent"][0]["id"] == "http://localhost/dilemmas/voordeur"
    assert statements[-1]["object"]["id"] == "http://localhost/dilemmas/voordeur"
    with app.app_context():
        user = db.session.scalar(select(User))
        name = record.pseudonym(user)
    assert {s["actor"]["account"]["name"] for s in statements} == {name}
    assert {s["actor"]["account"]["homePage"] for s in statements} == {"http://localhost/"}
    assert "consulent" not in str(statements)  # never the e-mail address
    assert len({s["id"] for s in statements}) == len(statements)
    with app.app_context():
        assert {row.id for row in db.session.scalars(select(QueuedStatement))} == {s["id"] for s in statements}


def test_a_finished_story_counts_once(app, client, auth, make_user, store):
    make_user()
    auth.login()
    read_story(client)
    read_story(client)
    statements = queued(app)
    assert [s["verb"]["id"] for s in statements] == [COMPLETED]
    assert statements[0]["object"]["id"] == "http://localhost/verhalen/tim"
    assert statements[0]["object"]["definition"]["name"] == {"nl-NL": "Tim: een testverhaal over school"}


def test_nothing_is_queued_without_an_account_or_with_sending_off(app, client, auth, make_user, store):
    walk_card(client)
    read_story(client)
    assert queued(app) == []
    with app.app_context():
        db.session.get(RecordStore, store).active = False
        db.session.commit()
    make_user()
    auth.login()
    walk_card(client)
    assert queued(app) == []


def test_another_organisation_sends_nothing_of_ours(app, client, auth, make_user, store):
    make_user("ander@example.org", org="andere-gemeente")
    auth.login("ander@example.org")
    walk_card(client)
    assert queued(app) == []


def test_the_e_mail_address_only_when_the_organisation_chose_it(app, client, auth, make_user, store):
    with app.app_context():
        db.session.get(RecordStore, store).actor = "e-mailadres"
        db.session.commit()
    make_user()
    auth.login()
    walk_card(client)
    assert {s["actor"]["mbox"] for s in queued(app)} == {"mailto:consulent@example.org"}


def test_the_pseudonym_differs_per_person_and_organisation(app):
    with app.test_request_context():
        names = {record.pseudonym(User(id=user, organisation_id=org)) for user in (1, 2) for org in (1, 2)}
        assert len(names) == 4 and all(len(name) == 32 for name in names)
        assert record.pseudonym(User(id=1, organisation_id=1)) == record.pseudonym(User(id=1, organisation_id=1))


def test_ending_a_session_says_the_facilitator_attended_and_no_participant_is_named(app, facilitator, store):
    workshop_id, code = start_session(facilitator, app)
    join(app, code, "Kim")
    assert act(facilitator, workshop_id, "einde").status_code in (200, 302)
    statements = queued(app)
    assert [s["verb"]["id"] for s in statements] == [ATTENDED]
    assert statements[0]["object"]["id"] == f"http://localhost/sessies/{workshop_id}"
    assert "Kim" not in str(statements)


def test_a_rehearsal_never_produces_a_statement(app, facilitator, store):
    from support.sessions import make_plan
    plan_id = make_plan(app)
    response = facilitator.submit(f"/sessies/plannen/{plan_id}/oefenen", {"people": "6", "roles": ["wijkagent"]},
                                  page=f"/sessies/plannen/{plan_id}")
    workshop_id = int(response.location.rsplit("/", 1)[1])
    act(facilitator, workshop_id, "einde")
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).ended_at is not None
    assert queued(app) == []


def test_a_store_that_does_not_answer_waits_longer_each_time_then_fails_until_tried_again(app, client, auth,
                                                                                          make_user, store):
    make_user()
    auth.login()
    walk_card(client)
    with app.app_context():
        total = db.session.query(QueuedStatement).count()
        now = utcnow()
        assert sender.send_due(now) == (total, 0)
        rows = db.session.scalars(select(QueuedStatement)).all()
        assert {(row.state, row.attempts) for row in rows} == {(WAITING, 1)}
        assert rows[0].last_error == sender.UNREACHABLE
        assert all(row.next_attempt_at >= now + timedelta(seconds=30) for row in rows)
        assert sender.send_due(now + timedelta(seconds=10)) == (0, 0)  # not due yet
        later = now
        for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
            later += outbox.backoff(attempt - 1)
            assert sender.send_due(later)[0] == total
        assert {row.state for row in db.session.scalars(select(QueuedStatement))} == {FAILED}
        assert sender.send_due(later + timedelta(days=2)) == (0, 0)
        assert sender.try_again(store) == total
        assert sender.send_due()[0] == total


def test_a_store_on_an_internal_address_is_never_called(app, make_user, client, auth, store):
    app.config["XAPI_HTTP_LOOPBACK"] = False
    make_user()
    auth.login()
    walk_card(client)
    with app.app_context():
        sender.send_due()
        errors = {row.last_error for row in db.session.scalars(select(QueuedStatement))}
    assert errors == {"Het adres van de leeromgeving begint met https://, zoals https://leren.gemeente.nl."}


def test_backoff_doubles_up_to_six_hours():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert outbox.backoff(30) == timedelta(hours=6)


# The beheerder's page ----------------------------------------------------------------------------------

@pytest.fixture
def beheerder(app, client, auth, make_user):
    app.config["XAPI_HTTP_LOOPBACK"] = True
    make_user("beheer@example.org", role="beheerder")
    auth.login("beheer@example.org")
    return client


def settings(**changes) -> dict:
    return {"endpoint": "http://127.0.0.1:8999/xAPI/", "key": "bril", "secret": "s3cret", "actor": "pseudoniem",
            "active": "y", **changes}


def test_a_beheerder_switches_sending_on_and_the_secret_is_never_shown(app, beheerder):
    assert "Resultaten naar het leerportaal" in beheerder.get(PAGE).text
    assert beheerder.submit(PAGE, settings()).status_code == 302
    with app.app_context():
        found = db.session.scalar(select(RecordStore))
        assert (found.endpoint, found.key, found.secret, found.actor, found.active) == (
            "http://127.0.0.1:8999/xAPI/", "bril", "s3cret", "pseudoniem", True)
    page = beheerder.get(PAGE).text
    assert "s3cret" not in page and "Er is al een geheim opgeslagen" in page
    assert beheerder.submit(PAGE, settings(secret="", actor="e-mailadres", active="")).status_code == 302
    with app.app_context():
        found = db.session.scalar(select(RecordStore))
        assert (found.secret, found.actor, found.active) == ("s3cret", "e-mailadres", False)


@pytest.mark.parametrize("changes, message", [
    ({"endpoint": "http://leren.example.org/xapi"}, "begint met https://"),
    ({"endpoint": "https://10.0.0.5/xapi"}, "intern netwerk"),
    ({"key": ""}, "Vul de sleutel in"),
    ({"secret": ""}, "Vul het geheim in"),
])
def test_a_wrong_setting_is_explained_and_what_was_typed_stays(app, beheerder, changes, message):
    app.config["XAPI_HTTP_LOOPBACK"] = False
    answer = beheerder.submit(PAGE, settings(**changes))
    assert answer.status_code == 422 and message in answer.text
    assert 'value="bril"' in answer.text or changes.get("key") == ""
    with app.app_context():
        assert db.session.scalar(select(RecordStore)) is None


def test_the_page_shows_what_waits_and_what_failed_and_tries_again(app, beheerder, make_user, make_org):
    beheerder.submit(PAGE, settings(endpoint=f"http://127.0.0.1:{free_port()}/xAPI/"))
    walker = login(app, "beheer@example.org")
    walk_card(walker)
    with app.app_context():
        sender.send_due()
        first = db.session.scalar(select(QueuedStatement))
        first.state = FAILED
        db.session.commit()
    page = beheerder.get(PAGE).text
    assert "Mislukt na" in page and "Keuze A" in page and sender.UNREACHABLE in page and "Opnieuw proberen" in page
    answer = beheerder.submit(f"{PAGE}/opnieuw", page=PAGE)
    assert answer.status_code == 302
    assert "opnieuw naar de leeromgeving" in beheerder.get(PAGE).text
    with app.app_context():
        assert {(row.state, row.attempts) for row in db.session.scalars(select(QueuedStatement))} == {(WAITING, 0)}


def test_a_beheerder_sees_and_retries_only_their_own_organisation(app, beheerder, make_user, make_org, store):
    other = make_org("andere-gemeente")
    with app.test_request_context():
        db.session.add(RecordStore(organisation_id=other, active=True, key="b", secret="b-geheim",
                                   endpoint="https://leren.andere.example/xAPI/", actor="pseudoniem"))
        user = User(email="b@example.org", organisation_id=other, role="deelnemer")
        db.session.add(user)
        db.session.flush()
        record.record(user, "completed", record.activity("/verhalen/tim", "module", "Tim"), "Verhaal van B")
        db.session.execute(QueuedStatement.__table__.update().values(state=FAILED, attempts=12))
        db.session.commit()
    page = beheerder.get(PAGE).text
    assert "Verhaal van B" not in page and "leren.andere.example" not in page
    beheerder.submit(f"{PAGE}/opnieuw", page=PAGE)
    with app.app_context():
        assert db.session.scalar(select(QueuedStatement)).state == FAILED


# The commands -------------------------------------------------------------------------------------------

def test_the_commands_set_show_and_send(app, runner, make_org):
    make_org()
    app.config["XAPI_HTTP_LOOPBACK"] = True
    port = free_port()
    result = runner.invoke(args=["xapi", "settings", "--org", "testgemeente", "--endpoint",
                                 f"http://127.0.0.1:{port}/xAPI/", "--key", "bril", "--secret", "geheim", "--on"])
    assert result.exit_code == 0 and "versturen staat aan" in result.output and "geheim" not in result.output
    result = runner.invoke(args=["xapi", "settings", "--org", "testgemeente", "--endpoint", "https://10.1.2.3/x"])
    assert result.exit_code != 0 and "intern netwerk" in result.output
    with app.test_request_context():
        user = User(email="x@example.org", organisation_id=make_org(), role="deelnemer")
        db.session.add(user)
        db.session.flush()
        record.record(user, "completed", record.activity("/verhalen/tim", "module", "Tim"), "Verhaal uitgelezen: Tim")
        db.session.commit()
    result = runner.invoke(args=["xapi", "send"])
    assert result.exit_code == 1 and "0 van 1 leerrecords verstuurd" in result.output
    result = runner.invoke(args=["xapi", "status", "--org", "testgemeente"])
    assert "Wacht: 1" in result.output and "Verhaal uitgelezen: Tim" in result.output
    assert sender.UNREACHABLE in result.output
    with app.app_context():
        assert db.session.scalar(select(QueuedStatement)).state != SENT


def test_sent_statements_are_forgotten_after_a_month(app, make_user, store):
    with app.test_request_context():
        user = User(email="x@example.org", organisation_id=store, role="deelnemer")
        db.session.add(user)
        db.session.flush()
        for days in (31, 29):
            row = record.record(user, "completed", record.activity("/verhalen/tim", "module", "Tim"), f"{days}")
            row.state, row.sent_at = SENT, utcnow() - timedelta(days=days)
        record.record(user, "completed", record.activity("/verhalen/tim", "module", "Tim"), "wacht")
        db.session.commit()
        assert sender.purge_sent() == 1
        assert sorted(db.session.scalars(select(QueuedStatement.summary))) == ["29", "wacht"]


def test_the_privacy_statement_says_results_go_to_the_portal_only_when_they_do(app, client, auth, make_user, store):
    make_user()
    auth.login()
    assert "met een schuilnaam" in client.get("/privacy").text
    with app.app_context():
        db.session.get(RecordStore, store).active = False
        db.session.commit()
    assert "leerportaal" not in client.get("/privacy").text


def test_two_senders_never_claim_the_same_statement(app, make_user, store, database):
    """On PostgreSQL a claim skips the rows another sender has locked; SQLite has one sender only."""
    if not database.startswith("postgresql"):
        pytest.skip("FOR UPDATE SKIP LOCKED is PostgreSQL's")
    with app.test_request_context():
        user = User(email="x@example.org", organisation_id=store, role="deelnemer")
        db.session.add(user)
        db.session.flush()
        for number in range(4):
            record.record(user, "completed", record.activity(f"/verhalen/{number}", "module", "T"), str(number))
        db.session.commit()
        other = db.engine.connect()  # another worker, half way through its claim
        try:
            transaction = other.begin()
            held = other.execute(select(QueuedStatement.id).order_by(QueuedStatement.created_at).limit(2)
                                 .with_for_update()).scalars().all()
            claimed = [statement["id"] for statements in sender.claim(utcnow()).values() for statement in statements]
            assert len(claimed) == 2 and not set(claimed) & set(held)
            transaction.rollback()
        finally:
            other.close()


def test_a_deleted_account_takes_what_still_waits_with_it(app, client, auth, make_user, store):
    make_user()
    auth.login()
    walk_card(client)
    assert queued(app)
    assert client.submit("/account/verwijderen", {"current": PASSWORD}).status_code == 302
    assert queued(app) == []
