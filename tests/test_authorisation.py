"""Every route, every method, as every kind of user, against another organisation's data.

Organisation B has a procesbegeleider with a plan and a running session (a participant, an answer, a
parked question), a deelnemer with a reflection, and a pending invitation. The callers are nobody,
the deelnemer, procesbegeleider and beheerder of organisation A, a platformbeheerder, and a participant
of A's own session. `EXPECTED` holds the answer each gets; a route without an entry fails the test. A
deelnemer of A on the shared library's review board gets a deelnemer's answers, except `REVIEW_BOARD`'s.
CSRF is off here (it is tested on its own), so every post reaches the view.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bril import authoring
from bril.models import Answer, Organisation, ParkingPost, Participant, Reflection, User, Workshop, db
from support import PASSWORD, close_app, make_app
from support.library import CARD, STORY

CARD_TEXT = (Path(__file__).parent / "content" / "library" / "dilemmas" / "voordeur.md").read_text(encoding="utf-8")
from support.sessions import make_plan

CALLERS = ("niemand", "deelnemer", "procesbegeleider", "beheerder", "platformbeheerder", "sessiedeelnemer")

# Shorthands for a row of answers, one per caller in CALLERS order.
PUBLIC = (200,) * 6
ACCOUNT = (302, 200, 200, 200, 200, 302)              # logged in: anyone with an account
FACILITATOR = (302, 403, 200, 200, 403, 302)          # a procesbegeleider (or a beheerder) of A
FOREIGN = (302, 403, 404, 404, 403, 302)              # B's plan or session: not found for A
FOREIGN_USER = (302, 403, 403, 404, 403, 302)         # B's user: a beheerder of A does not find it
PLATFORM = (302, 403, 403, 403, 200, 302)


def row(*answers: int) -> tuple[int, ...]:
    assert len(answers) == len(CALLERS)
    return answers


EXPECTED: dict[tuple[str, str], tuple[int, ...]] = {
    ("GET", "static"): PUBLIC,
    ("GET", "main.index"): PUBLIC,
    ("GET", "main.favicon"): PUBLIC,
    ("GET", "statements.privacy"): PUBLIC,
    ("GET", "statements.accessibility"): PUBLIC,
    ("GET", "meldroute.index"): PUBLIC,
    ("GET", "meldroute.edit"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.index"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.card"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.card_csv"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.reach_csv"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.summary"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.own"): FACILITATOR,
    ("GET", "insight.own_csv"): FACILITATOR,
    ("GET", "insight.agreements"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.agreements_csv"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.story"): row(302, 403, 403, 200, 403, 302),
    ("GET", "insight.story_csv"): row(302, 403, 403, 200, 403, 302),
    ("POST", "meldroute.edit"): row(302, 403, 403, 200, 403, 302),
    ("GET", "stories.index"): PUBLIC,
    ("GET", "stories.intro"): PUBLIC,
    ("GET", "stories.scene"): PUBLIC,
    ("POST", "stories.scene"): row(302, 302, 302, 302, 302, 302),
    ("GET", "stories.reveal"): PUBLIC,
    ("GET", "stories.closing"): PUBLIC,
    ("POST", "stories.closing"): PUBLIC,
    ("GET", "dilemmas.index"): PUBLIC,
    ("GET", "dilemmas.intro"): PUBLIC,
    ("GET", "dilemmas.map_view"): PUBLIC,
    ("GET", "dilemmas.old_map_address"): (301,) * 6,
    ("GET", "dilemmas.print_view"): PUBLIC,
    ("POST", "dilemmas.start"): (302,) * 6,
    ("GET", "dilemmas.walk"): (302,) * 6,
    ("GET", "dilemmas.step"): PUBLIC,  # each caller's own walk, begun by dilemmas.start above
    ("GET", "dilemmas.consequence"): (302,) * 6,
    ("GET", "dilemmas.ending"): (302,) * 6,
    ("POST", "dilemmas.choose"): (302,) * 6,
    ("POST", "dilemmas.proceed"): (302,) * 6,
    ("POST", "dilemmas.reflect"): row(404, 302, 302, 302, 302, 404),
    ("GET", "auth.login"): PUBLIC,
    ("POST", "auth.login"): PUBLIC,
    ("POST", "auth.logout"): row(302, 302, 302, 302, 302, 302),
    ("GET", "auth.accept_invitation"): PUBLIC,
    # B signs in with passwords only: its provider address is not found, and no sign-in is under way.
    ("GET", "oidc.start"): (404,) * 6,
    ("GET", "oidc.callback"): (302,) * 6,
    ("GET", "oidc_settings.edit"): row(302, 403, 403, 200, 403, 302),
    ("POST", "oidc_settings.edit"): row(302, 403, 403, 422, 403, 302),
    ("GET", "xapi_settings.edit"): row(302, 403, 403, 200, 403, 302),
    ("POST", "xapi_settings.edit"): row(302, 403, 403, 422, 403, 302),
    ("POST", "xapi_settings.retry"): row(302, 403, 403, 302, 403, 302),
    ("POST", "auth.accept_invitation"): PUBLIC,
    ("GET", "account.overview"): ACCOUNT,
    ("GET", "account.download"): ACCOUNT,
    ("GET", "account.password"): ACCOUNT,
    ("POST", "account.password"): ACCOUNT,
    ("GET", "account.delete"): ACCOUNT,
    ("POST", "account.delete"): ACCOUNT,
    ("POST", "account.delete_reflection"): row(302, 404, 404, 404, 404, 302),
    ("GET", "admin.users"): row(302, 403, 403, 200, 403, 302),
    ("POST", "admin.users"): row(302, 403, 403, 200, 403, 302),
    ("GET", "admin.organisation"): row(302, 403, 403, 200, 403, 302),
    ("POST", "admin.organisation"): row(302, 403, 403, 422, 403, 302),
    ("POST", "admin.set_role"): FOREIGN_USER,
    ("POST", "admin.new_link"): FOREIGN_USER,
    ("POST", "admin.set_author"): FOREIGN_USER,
    ("POST", "admin.delete_user"): FOREIGN_USER,
    ("GET", "platform.index"): PLATFORM,
    ("POST", "platform.index"): row(302, 403, 403, 403, 422, 302),
    ("GET", "platform.rename"): PLATFORM,
    ("POST", "platform.rename"): row(302, 403, 403, 403, 422, 302),
    ("POST", "platform.add_reviewer"): row(302, 403, 403, 403, 422, 302),
    ("POST", "platform.remove_reviewer"): row(302, 403, 403, 403, 404, 302),  # B's user is on no board
    ("GET", "plans.index"): FACILITATOR,
    ("POST", "plans.index"): row(302, 403, 422, 422, 403, 302),
    ("GET", "plans.edit"): FOREIGN,
    ("POST", "plans.edit"): FOREIGN,
    ("POST", "plans.rename"): FOREIGN,
    ("POST", "plans.save_agenda"): FOREIGN,
    ("POST", "plans.copy"): FOREIGN,
    ("POST", "plans.delete"): FOREIGN,
    ("POST", "workshops.start"): FOREIGN,
    ("POST", "workshops.rehearse"): FOREIGN,
    ("POST", "workshops.rehearsal_tick"): FOREIGN,
    ("GET", "workshops.index"): FACILITATOR,
    ("GET", "workshops.console"): FOREIGN,
    ("GET", "workshops.projector"): FOREIGN,
    ("GET", "workshops.qr"): FOREIGN,
    ("POST", "workshops.act"): FOREIGN,
    ("POST", "workshops.show_answer"): FOREIGN,
    ("POST", "workshops.participant_access"): FOREIGN,
    ("POST", "workshops.parked_answered"): FOREIGN,
    ("POST", "workshops.agree"): FOREIGN,
    ("GET", "workshops.report"): FOREIGN,
    ("GET", "workshops.report_markdown"): FOREIGN,
    ("GET", "workshops.report_csv"): FOREIGN,
    # Joining B's session with its code is open to anyone: that is what the code on the screen is for.
    # Eigen casussen: an author or beheerder of A; B's drafts and versions are not found.
    ("GET", "authoring.index"): row(302, 403, 403, 200, 403, 302),
    ("POST", "authoring.new"): row(302, 403, 403, 422, 403, 302),
    ("POST", "authoring.copy"): row(302, 403, 403, 302, 403, 302),
    ("GET", "authoring.edit"): FOREIGN_USER,
    ("POST", "authoring.edit"): FOREIGN_USER,
    ("GET", "authoring.preview"): FOREIGN_USER,
    ("GET", "authoring.preview_walk"): FOREIGN_USER,
    ("POST", "authoring.submit"): FOREIGN_USER,
    ("POST", "authoring.review"): FOREIGN_USER,
    ("POST", "authoring.remark"): FOREIGN_USER,
    ("POST", "authoring.publish"): FOREIGN_USER,
    ("GET", "authoring.history"): FOREIGN_USER,
    ("GET", "authoring.step"): FOREIGN_USER, ("POST", "authoring.step"): FOREIGN_USER,
    ("GET", "authoring.ending"): FOREIGN_USER, ("POST", "authoring.ending"): FOREIGN_USER,
    ("GET", "authoring.header"): FOREIGN_USER, ("POST", "authoring.header"): FOREIGN_USER,
    ("GET", "authoring.scene"): FOREIGN_USER, ("POST", "authoring.scene"): FOREIGN_USER,
    ("POST", "authoring.scenes"): FOREIGN_USER,
    ("POST", "authoring.steps"): FOREIGN_USER, ("GET", "authoring.room"): FOREIGN_USER,
    ("GET", "authoring.room_screen"): FOREIGN_USER,
    ("GET", "authoring.from_report"): FOREIGN_USER, ("POST", "authoring.from_report"): FOREIGN_USER,
    ("POST", "authoring.withdraw"): FOREIGN_USER,
    ("GET", "authoring.download_draft"): FOREIGN_USER,
    ("GET", "authoring.download_version"): FOREIGN_USER,
    ("POST", "authoring.upload"): FOREIGN_USER,
    # The shared library: A's writers offer A's versions (B's are not found); the platform decides on offers
    # (B's version here was never offered, so the platform does not find it as an offer).
    ("GET", "sharing.offers"): row(302, 403, 403, 200, 403, 302),
    ("POST", "sharing.offer"): FOREIGN_USER,
    ("POST", "sharing.withdraw"): FOREIGN_USER,
    ("GET", "sharing.review_list"): PLATFORM,
    ("GET", "sharing.review"): row(302, 403, 403, 403, 404, 302),
    ("POST", "sharing.review"): row(302, 403, 403, 403, 404, 302),
    ("POST", "sharing.platform_withdraw"): row(302, 403, 403, 403, 404, 302),
    ("GET", "live.enter_code"): PUBLIC,
    ("POST", "live.enter_code"): PUBLIC,
    ("GET", "live.participant"): PUBLIC,
    ("POST", "live.participant"): PUBLIC,
    # LTI: the portal's side needs a launch (none here); the keys are public; the settings are a beheerder's.
    ("GET", "lti.login_initiation"): (400,) * 6,
    ("POST", "lti.login_initiation"): (400,) * 6,
    ("POST", "lti.launch"): (403,) * 6,
    ("GET", "lti.resume"): (410,) * 6,  # an unknown hand-over token
    ("GET", "lti.pick"): (404,) * 6,
    ("POST", "lti.pick"): (404,) * 6,
    ("GET", "lti.auto_post"): PUBLIC,
    ("GET", "lti.jwks"): PUBLIC,
    ("GET", "lti_settings.edit"): row(302, 403, 403, 200, 403, 302),
    ("POST", "lti_settings.edit"): row(302, 403, 403, 422, 403, 302),
    ("POST", "lti_settings.send_again"): row(302, 403, 403, 302, 403, 302),
    # Without having joined B's session, nobody reads or changes anything in it.
    ("GET", "live.snapshot"): (403,) * 6,
    ("GET", "live.stream"): (403,) * 6,
    ("POST", "live.vote"): (403,) * 6,
    ("POST", "live.mark"): (403,) * 6,
    ("POST", "live.answer"): (403,) * 6,
    ("POST", "live.me_too"): (403,) * 6,
    ("POST", "live.park"): (403,) * 6,
}

# A reviewer of the shared library (a deelnemer of A named by the platform) opens the offers, and nothing else
# a deelnemer could not; B's version was never offered, so it is not found as an offer.
REVIEW_BOARD = {("GET", "sharing.review_list"): 200, ("GET", "sharing.review"): 404, ("POST", "sharing.review"): 404,
                ("POST", "sharing.platform_withdraw"): 404}


@pytest.fixture
def world(database_url, tmp_path):
    app = make_app(database_url, WTF_CSRF_ENABLED=False, JOIN_MAX_FAILURES=10_000)
    from bril import security
    with app.app_context():
        orgs = {slug: Organisation(slug=slug, name=slug.title()) for slug in ("a", "b")}
        db.session.add_all(orgs.values())
        db.session.flush()
        for email, role, org in (("a-deelnemer@x.nl", "deelnemer", "a"), ("a-begeleider@x.nl", "procesbegeleider", "a"),
                                 ("a-beheer@x.nl", "beheerder", "a"), ("platform@x.nl", "platformbeheerder", None),
                                 ("b-begeleider@x.nl", "procesbegeleider", "b"), ("b-deelnemer@x.nl", "deelnemer", "b"),
                                 ("a-beoordelaar@x.nl", "deelnemer", "a")):
            db.session.add(User(email=email, role=role, password_hash=security.hash_password(PASSWORD),
                                organisation_id=orgs[org].id if org else None))
        db.session.scalar(select(User).filter_by(email="a-beoordelaar@x.nl")).shared_reviewer = True
        invited = User(email="b-nieuw@x.nl", role="deelnemer", organisation_id=orgs["b"].id,
                       invite_token="uitnodiging-b", invite_expires=__import__("datetime").datetime(2999, 1, 1))
        db.session.add(invited)
        db.session.commit()

    def client_of(email: str | None):
        client = app.test_client()
        if email:
            assert client.post("/inloggen", data={"email": email, "password": PASSWORD}).status_code == 302
        return client

    sessions = {}
    for org in ("a", "b"):
        owner = client_of(f"{org}-begeleider@x.nl")
        plan_id = make_plan(app, f"{org}-begeleider@x.nl")
        workshop_id = int(owner.post(f"/sessies/plannen/{plan_id}/start").location.rsplit("/", 1)[1])
        owner.post(f"/sessies/{workshop_id}/actie/vragenronde")
        with app.app_context():
            code = db.session.get(Workshop, workshop_id).code
        phone = app.test_client()
        assert phone.post(f"/meedoen/{code}", data={"nickname": f"Uil{org}"}).status_code == 302
        phone.post(f"/live/{code}/antwoord", data={"text": "Ik twijfel."})
        phone.post(f"/live/{code}/parkeren", data={"text": "Wie belt Veilig Thuis?"})
        sessions[org] = {"plan_id": plan_id, "workshop_id": workshop_id, "code": code, "phone": phone}
    b_reflection = client_of("b-deelnemer@x.nl")
    b_reflection.post(f"/verhalen/{STORY}/afsluiting", data={"body": "Mijn les."})
    with app.app_context():
        b = sessions["b"]
        ids = {
            "plan_id": b["plan_id"], "workshop_id": b["workshop_id"], "code": b["code"],
            "participant_id": db.session.scalar(select(Participant.id).filter_by(workshop_id=b["workshop_id"])),
            "answer_id": db.session.scalar(select(Answer.id).filter_by(workshop_id=b["workshop_id"])),
            "target_id": db.session.scalar(select(ParkingPost.id).filter_by(workshop_id=b["workshop_id"])),
            "post_id": db.session.scalar(select(ParkingPost.id).filter_by(workshop_id=b["workshop_id"])),
            "user_id": db.session.scalar(select(User.id).filter_by(email="b-begeleider@x.nl")),
            "reflection_id": db.session.scalar(select(Reflection.id)),
            "organisation_id": db.session.scalar(select(Organisation.id).filter_by(slug="b")),
        }
        draft = authoring.create_draft(ids["organisation_id"], "dilemma", "eigen-b", CARD_TEXT, None)
        db.session.commit()
        ids["draft_id"], ids["version_id"] = draft.id, authoring.publish(draft, None, reviewed=False).id
    assert ids["reflection_id"] and ids["answer_id"] and ids["target_id"]
    def participant_of_a():
        phone = app.test_client()
        assert phone.post(f"/meedoen/{sessions['a']['code']}", data={"nickname": "Mol"}).status_code == 302
        return phone

    emails = {"deelnemer": "a-deelnemer@x.nl", "procesbegeleider": "a-begeleider@x.nl",
              "beheerder": "a-beheer@x.nl", "platformbeheerder": "platform@x.nl", "beoordelaar": "a-beoordelaar@x.nl"}

    def new_caller(caller: str):
        return participant_of_a() if caller == "sessiedeelnemer" else client_of(emails.get(caller))

    yield app, ids, new_caller
    close_app(app)


# Requests that change who the caller is (log out, join a session, end the account): each gets a fresh
# caller, so the other requests keep theirs.
FRESH = {("POST", "auth.logout"), ("POST", "live.participant"), ("POST", "live.enter_code"),
         ("POST", "account.delete"), ("POST", "auth.accept_invitation"), ("POST", "auth.login")}


VALUES = {"slug": None, "number": 1, "name": "volgende", "action": "verwijder", "kind": "vraag", "node": "deur",
          "filename": "css/bril.css", "token": "uitnodiging-b", "step_id": "deur", "ending_id": "einde-samen",
          "fase": "situatie", "screen": "projector"}


def url_for_rule(rule, ids: dict) -> str:
    """The rule's address with B's objects (or a harmless value) in every part."""
    def value(match: re.Match) -> str:
        name = match.group(1).split(":")[-1]
        if name == "slug" and rule.endpoint == "oidc.start":
            return "b"
        if name == "slug":
            return STORY if rule.endpoint.startswith(("stories", "insight.story")) else CARD
        if name == "kind" and rule.endpoint.startswith("authoring"):
            return "dilemma"
        if name == "action" and rule.endpoint == "workshops.show_answer":
            return "toon"
        if name == "action" and rule.endpoint == "workshops.parked_answered":
            return "beantwoord"
        return str(ids.get(name, VALUES.get(name)))
    return re.sub(r"<([^>]+)>", value, rule.rule)


TITLE = re.compile(r"<title>[^<>]+ · Ondermijningsbril</title>")


def test_every_route_answers_every_caller_as_expected(world):
    app, ids, new_caller = world
    callers = {caller: new_caller(caller) for caller in (*CALLERS, "beoordelaar")}
    rules = [(method, rule) for rule in app.url_map.iter_rules()
             for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    missing = sorted({(m, r.endpoint) for m, r in rules} - set(EXPECTED))
    assert not missing, f"routes without an entry in EXPECTED: {missing}"
    wrong, titles = [], {}
    for method, rule in rules:
        url = url_for_rule(rule, ids)
        answers = dict(zip(CALLERS, EXPECTED[(method, rule.endpoint)]))
        answers["beoordelaar"] = REVIEW_BOARD.get((method, rule.endpoint), answers["deelnemer"])
        for caller, expected in answers.items():
            client = new_caller(caller) if (method, rule.endpoint) in FRESH else callers[caller]
            response = client.open(url, method=method, data={})
            if response.status_code == 200 and response.mimetype == "text/html":
                titles[url] = TITLE.search(response.get_data(as_text=True))
            response.close()
            if response.status_code != expected:
                wrong.append(f"{method} {url} as {caller}: {response.status_code}, expected {expected}")
    assert not wrong, "\n".join(wrong)
    # A browser's tab shows a page's title as plain text: a tag or a whole section in it showed as code there.
    assert not [url for url, title in titles.items() if title is None], "pages without a title of plain text"
