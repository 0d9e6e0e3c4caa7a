"""Deep linking (a teacher picks a story or card, the portal gets a signed answer) and grades back to the portal
(Assignment and Grade Services), against the real platform of tests/lti_platform.py."""
from __future__ import annotations

import base64
import json
import re
from datetime import timedelta

import pytest
from joserfc import jwt
from joserfc.jwk import KeySet
from sqlalchemy import select, update

from bril import clock
from bril.lti import grades as lti_grades
from bril.lti import scores
from bril.models import FAILED, GRADE_OPEN, SENT, WAITING, LtiGrade, db, utcnow
from lti_platform import INSTRUCTOR, LearningPortal, launch, register
from support import PASSWORD
from support.walking import read_story, walk_card

CARD_URL = "http://localhost/dilemmas/voordeur"
STORY_URL = "http://localhost/verhalen/tim"
DEEP_LINK = "LtiDeepLinkingRequest"
CONTENT_ITEMS = "https://purl.imsglobal.org/spec/lti-dl/claim/content_items"


@pytest.fixture(scope="module")
def running_portal():
    portal = LearningPortal().start()
    yield portal
    portal.stop()


@pytest.fixture
def portal(app, make_org, running_portal):
    running_portal.scores.clear()
    running_portal.token_requests.clear()
    running_portal.down = False
    register(app, running_portal, make_org())
    return running_portal


def grades(app) -> list[LtiGrade]:
    with app.app_context():
        found = list(db.session.scalars(select(LtiGrade).order_by(LtiGrade.id)))
        db.session.expunge_all()
        return found


def send(app, now=None) -> tuple[int, int]:
    with app.app_context():
        return scores.send_due(now)


def test_finishing_a_launched_card_sends_a_completed_score_to_the_line_item(app, client, portal):
    assert launch(client, portal, target=CARD_URL, sub="learner-7").status_code == 303
    [grade] = grades(app)
    assert grade.state == GRADE_OPEN and grade.lineitem.endswith("/lineitem?type_id=7")
    assert send(app) == (0, 0) and portal.scores == []  # nothing finished yet: nothing is sent
    walk_card(client)
    assert grades(app)[0].state == WAITING
    assert send(app) == (1, 1)
    [(path, score)] = portal.scores
    assert re.fullmatch(r"/lineitems/[\w-]+/lineitem/scores\?type_id=7", path)
    assert score["userId"] == "learner-7" and score["scoreGiven"] == 1 and score["scoreMaximum"] == 1
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    assert score["timestamp"].endswith("+00:00")
    assert grades(app)[0].state == SENT and send(app) == (0, 0)  # sent once
    # The token came through the client-credentials grant with the tool's signed assertion (checked there).
    assert [request["grant_type"] for request in portal.token_requests] == ["client_credentials"]


def test_finishing_a_launched_story_sends_its_score(app, client, portal):
    assert launch(client, portal, target=STORY_URL).status_code == 303
    read_story(client)
    assert send(app) == (1, 1) and portal.scores[0][1]["scoreGiven"] == 1


def test_a_launch_of_something_finished_before_is_graded_at_once(app, client, portal):
    assert launch(client, portal, target=CARD_URL).status_code == 303
    walk_card(client)
    send(app)
    portal.scores.clear()
    assert launch(client, portal, target=CARD_URL).status_code == 303  # a second course's line item
    assert [grade.state for grade in grades(app)] == [SENT, WAITING]
    assert send(app) == (1, 1)


def test_a_launch_without_grades_keeps_none(app, client, portal):
    assert launch(client, portal, target=CARD_URL, lineitem=False).status_code == 303
    walk_card(client)
    assert grades(app) == [] and send(app) == (0, 0)


def test_a_portal_that_is_down_gets_the_score_later_and_once(app, client, portal):
    assert launch(client, portal, target=CARD_URL).status_code == 303
    walk_card(client)
    portal.down = True
    assert send(app) == (1, 0)
    [grade] = grades(app)
    assert grade.state == WAITING and grade.attempts == 1 and "leerportaal" in grade.last_error
    assert grade.next_attempt_at > utcnow() and send(app) == (0, 0)  # it waits before trying again
    portal.down = False
    assert send(app, utcnow() + timedelta(hours=1)) == (1, 1) and len(portal.scores) == 1
    assert grades(app)[0].state == SENT


def test_a_refused_token_request_is_written_down_in_dutch_and_shown_to_the_beheerder(app, client, portal, auth,
                                                                                    make_user):
    assert launch(client, portal, target=CARD_URL).status_code == 303
    walk_card(client)
    portal.tool_keys = None  # the portal no longer knows the tool's key: every assertion is refused
    assert send(app) == (1, 0)
    assert "geen toegang tot het cijferboek (fout 401)" in grades(app)[0].last_error
    with app.app_context():
        grade = db.session.get(LtiGrade, grades(app)[0].id)
        grade.attempts = 11
        db.session.commit()
    send(app, utcnow() + timedelta(days=1))
    assert grades(app)[0].state == FAILED
    make_user("beheer@example.org", role="beheerder")
    auth.login("beheer@example.org")
    page = client.get("/beheer/leerportaal/lti").get_data(as_text=True)
    assert "<dt>Mislukt</dt><dd>1</dd>" in page and "geen toegang tot het cijferboek" in page


def test_deep_linking_lets_a_teacher_pick_and_answers_the_portal_signed(app, client, portal):
    response = launch(client, portal, message_type=DEEP_LINK, roles=[INSTRUCTOR], sub="docent-1")
    assert response.status_code == 303 and response.location == "/lti/kiezen"
    page = client.get("/lti/kiezen").get_data(as_text=True)
    assert "Een niet-pluisgevoel bij de voordeur" in page and "Tim: een testverhaal over school" in page
    nothing = client.submit("/lti/kiezen", {})
    assert nothing.status_code == 422 and "Kies een verhaal of dilemmakaart" in nothing.get_data(as_text=True)
    answer = client.submit("/lti/kiezen", {"keuze": ["kaart:voordeur", "verhaal:tim"]})
    text = answer.get_data(as_text=True)
    assert answer.status_code == 200 and f'action="{portal.url("/deeplinks")}"' in text
    assert f"form-action 'self' {portal.issuer}" in answer.headers["Content-Security-Policy"]
    token = re.search(r'name="JWT" value="([^"]+)"', text).group(1)
    claims = jwt.decode(token, portal.tool_keys, algorithms=["RS256"]).claims
    assert claims["iss"] == portal.client_id and claims["aud"] == portal.issuer
    assert claims["https://purl.imsglobal.org/spec/lti/claim/message_type"] == "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/version"] == "1.3.0"
    assert claims["https://purl.imsglobal.org/spec/lti/claim/deployment_id"] == portal.deployment_id
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"].startswith("data-")
    items = claims[CONTENT_ITEMS]
    assert [item["url"] for item in items] == [CARD_URL, STORY_URL]
    assert items[0] == {"type": "ltiResourceLink", "title": "Een niet-pluisgevoel bij de voordeur", "url": CARD_URL,
                        "lineItem": {"scoreMaximum": 1, "label": "Een niet-pluisgevoel bij de voordeur",
                                     "resourceId": "kaart:voordeur"}}
    assert client.get("/lti/kiezen").status_code == 404  # the pick is answered once


def test_deep_linking_without_grades_offers_no_line_item(app, client, portal):
    launch(client, portal, message_type=DEEP_LINK, roles=[INSTRUCTOR], lineitem=False)
    text = client.submit("/lti/kiezen", {"keuze": "kaart:voordeur"}).get_data(as_text=True)
    token = re.search(r'name="JWT" value="([^"]+)"', text).group(1)
    [item] = jwt.decode(token, portal.tool_keys, algorithms=["RS256"]).claims[CONTENT_ITEMS]
    assert "lineItem" not in item


def test_a_learner_cannot_pick_content(app, client, portal):
    response = launch(client, portal, message_type=DEEP_LINK)
    assert response.status_code == 403 and "docent" in response.get_data(as_text=True)
    assert client.get("/lti/kiezen").status_code == 404


def test_the_send_command_sends_what_is_due(app, client, portal, runner):
    """`flask lti send` (for cron), after a launch whose login initiation came as a GET."""
    start = client.get("/lti/inloggen", query_string=portal.login_initiation(portal.prepare(target=CARD_URL)))
    assert start.status_code == 302 and start.location.startswith(portal.url("/auth?"))
    assert launch(client, portal, target=CARD_URL).status_code == 303
    walk_card(client)
    result = runner.invoke(args=["lti", "send"])
    assert result.exit_code == 0 and "1 van 1 cijfers verstuurd" in result.output
    assert len(portal.scores) == 1


def failed_grade(app, client, portal) -> None:
    """A finished card whose grade the portal refused until the sender gave up."""
    assert launch(client, portal, target=CARD_URL).status_code == 303
    walk_card(client)
    keys, portal.tool_keys = portal.tool_keys, None  # the portal no longer knows the tool's key
    send(app)
    with app.app_context():
        db.session.execute(update(LtiGrade).values(attempts=11))
        db.session.commit()
    send(app, utcnow() + timedelta(days=1))
    portal.tool_keys = keys  # the beheerder repaired the coupling
    assert grades(app)[0].state == FAILED


def test_a_beheerder_sees_a_failed_grade_and_sends_it_again(app, client, portal, make_user, make_org):
    failed_grade(app, client, portal)
    make_user("beheer@example.org", role="beheerder")
    beheer = app.test_client()
    beheer.submit("/inloggen", {"email": "beheer@example.org", "password": PASSWORD})
    page = beheer.get("/beheer/leerportaal/lti").get_data(as_text=True)
    assert "Mislukte cijfers" in page and "Een niet-pluisgevoel bij de voordeur" in page and ">12<" in page
    assert "geen toegang tot het cijferboek" in page and "leerportaal.invalid" not in page  # never who
    [grade] = grades(app)
    assert f'data-label="Afgerond op">{clock.date_time(grade.completed_at)}<' in page  # in Dutch time, not UTC
    with app.app_context():  # another organisation's beheerder sends nothing of this one's
        assert lti_grades.send_again(make_org("elders"), grade.id) == 0
    response = beheer.submit("/beheer/leerportaal/lti/opnieuw", {"grade": grade.id}, page="/beheer/leerportaal/lti",
                             follow_redirects=True)
    assert "1 cijfer gaat opnieuw naar het leerportaal." in response.get_data(as_text=True)
    again = grades(app)[0]
    assert again.state == WAITING and again.attempts == 0 and again.last_error is None
    assert send(app) == (1, 1) and len(portal.scores) == 1 and grades(app)[0].state == SENT
    response = beheer.submit("/beheer/leerportaal/lti/opnieuw", {}, page="/beheer/leerportaal/lti",
                             follow_redirects=True)
    assert "Er was geen mislukt cijfer meer om te versturen." in response.get_data(as_text=True)


def signing_kid(assertion: str) -> str:
    header = assertion.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]


def test_a_new_key_signs_while_the_old_one_stays_published_until_it_is_retired(app, client, portal, runner):
    old = client.get("/lti/sleutels.json").get_json()["keys"]
    assert len(old) == 1 and "d" not in old[0]  # the public half only
    made = runner.invoke(args=["lti", "new-key"])
    assert made.exit_code == 0 and "tekent vanaf nu" in made.output
    published = client.get("/lti/sleutels.json").get_json()["keys"]
    assert len(published) == 2 and old[0] in published and all("d" not in key for key in published)
    new_kid = next(key["kid"] for key in published if key["kid"] != old[0]["kid"])
    portal.tool_keys = KeySet.import_key_set({"keys": published})  # the portal fetched the set again
    assert launch(client, portal, target=CARD_URL).status_code == 303
    walk_card(client)
    assert send(app) == (1, 1) and len(portal.scores) == 1
    assert signing_kid(portal.token_requests[-1]["client_assertion"]) == new_kid
    retired = runner.invoke(args=["lti", "retire-keys"])
    assert retired.exit_code == 0 and f"1 oude sleutel weggehaald: {old[0]['kid']}." in retired.output
    assert [key["kid"] for key in client.get("/lti/sleutels.json").get_json()["keys"]] == [new_kid]
