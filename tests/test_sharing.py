"""The shared library: an organisation offers a published version, another organisation never sees it until the
platform accepts it, sees it with its origin beside the title once accepted (self-study and the plan form), and
loses it for new
plans when it is withdrawn while a plan made with it keeps its version. Returning needs a comment; who offers
never accepts; the privacy guard reads the text again at offering. The review board: tests/test_review_board.py."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bril import authoring
from bril.authoring import Refused
from bril.libraries import library_for, session_library
from bril.models import Organisation, Publication, SessionPlan, SharedOffer, User, db
from bril.sharing import rules
from support.sharing import CARD, published_own_card
from support.sessions import act, login

TITLE = "Een niet-pluisgevoel bij de voordeur"
SHARED = "testgemeente--eigen-voordeur"  # A's short name, two dashes, the card's own name
ORIGIN = "Gemeente Testdorp"


def listed(html: str, title: str) -> bool:
    """Whether a library page lists or opens this title with its origin beside it (not inside it)."""
    return re.search(re.escape(title) + r'(</a>|</span>)?\s*<span class="origin">Van ' + ORIGIN + "</span>", html) is not None


@pytest.fixture
def world(app, make_org, make_user):
    """Organisation A (Gemeente Testdorp) with a published own card, organisation B, and a platformbeheerder."""
    make_org("testgemeente", "Gemeente Testdorp")
    make_user("a-beheer@example.org", role="beheerder", org="testgemeente")
    make_user("b-beheer@example.org", role="beheerder", org="andere-gemeente")
    make_user("b-begeleider@example.org", role="procesbegeleider", org="andere-gemeente")
    make_user("platform@example.org", role="platformbeheerder")
    version = published_own_card(app, "testgemeente")
    return {"version": version, "a": login(app, "a-beheer@example.org"), "b": login(app, "b-beheer@example.org"),
            "begeleider": login(app, "b-begeleider@example.org"), "platform": login(app, "platform@example.org")}


def offer(world, version_id: int | None = None):
    return world["a"].submit(f"/eigen/delen/{version_id or world['version']}/aanbieden", page="/eigen/delen/")


def decide(world, besluit: str, opmerking: str = ""):
    url = f"/platform/gedeeld/{world['version']}"
    return world["platform"].submit(url, {"besluit": besluit, "opmerking": opmerking})


def sees(client, slug: str = SHARED) -> bool:
    """Whether a client finds the shared card in its self-study list and can open it."""
    found = listed(client.get("/dilemmas/").get_data(as_text=True), TITLE)
    opened = client.get(f"/dilemmas/{slug}")
    assert found == (opened.status_code == 200) and found == listed(opened.get_data(as_text=True), TITLE)
    return found


def plan_choices(client) -> list[str]:
    return re.findall(r'<option value="(dilemma:[^"]+)"', client.get("/sessies/plannen/").get_data(as_text=True))


def state(app) -> str | None:
    with app.app_context():
        return db.session.scalar(select(SharedOffer.state))


def test_offer_accept_see_withdraw_and_an_existing_plan_keeps_its_version(app, world):
    page = world["a"].get("/eigen/delen/").get_data(as_text=True)
    assert "eigen-voordeur" in page and "niet aangeboden" in page
    assert offer(world).status_code == 302
    assert "aangeboden, wacht op beoordeling" in world["a"].get("/eigen/delen/").get_data(as_text=True)
    # Offered is not shared: B sees nothing, in self-study or in the plan form.
    assert not sees(world["b"]) and f"dilemma:{SHARED}" not in plan_choices(world["begeleider"])

    waiting = world["platform"].get("/platform/gedeeld/").get_data(as_text=True)
    assert "1 aanbod wacht op beoordeling" in waiting and "Gemeente Testdorp" in waiting
    review = world["platform"].get(f"/platform/gedeeld/{world['version']}").get_data(as_text=True)
    assert TITLE in review and "Een kier van de deur" in review  # read as a reader: the steps are there
    assert decide(world, "accepteren").status_code == 302 and state(app) == "geaccepteerd"

    assert sees(world["b"]) and f"dilemma:{SHARED}" in plan_choices(world["begeleider"])
    # B's insight names it with its origin too: the overview and the card's own page.
    for page in ("/inzicht/", f"/inzicht/kaart/{SHARED}"):
        assert listed(world["b"].get(page).get_data(as_text=True), TITLE), page
    assert "Gedeeld door Gemeente Testdorp" in world["b"].get(f"/dilemmas/{SHARED}/print").get_data(as_text=True)
    assert f"{TITLE} (van Gemeente Testdorp, " in world["begeleider"].get("/sessies/plannen/").get_data(as_text=True)
    # A has the card under its own name only, not twice.
    assert not sees(world["a"]) and world["a"].get("/dilemmas/eigen-voordeur").status_code == 200

    made = world["begeleider"].submit("/sessies/plannen/", {"title": "Met gedeelde kaart", "card": f"dilemma:{SHARED}"})
    assert made.status_code == 302
    plan_id = int(made.location.rsplit("/", 1)[1])
    with app.app_context():
        items = db.session.get(SessionPlan, plan_id).items
        assert {"soort": "dilemma", "ref": SHARED, "versie": 1}.items() <= next(
            i for i in items if i.get("ref") == SHARED).items()

    assert world["a"].submit(f"/eigen/delen/{world['version']}/intrekken", page="/eigen/delen/").status_code == 302
    assert state(app) == "ingetrokken"
    assert not sees(world["b"]) and f"dilemma:{SHARED}" not in plan_choices(world["begeleider"])
    # The plan made with it keeps it (whose it is beside it), and so does a session started from that plan. (B has
    # a bundled card of the same title: the plan's item names the card, not a bare "Een dilemmakaart".)
    planned = world["begeleider"].get(f"/sessies/plannen/{plan_id}").get_data(as_text=True)
    assert listed(planned, f"Dilemmakaart: {TITLE}")
    started = world["begeleider"].submit(f"/sessies/plannen/{plan_id}/start", page=f"/sessies/plannen/{plan_id}")
    with app.app_context():
        played = session_library(int(started.location.rsplit("/", 1)[1])).dilemmas[SHARED]
        assert (played.title, played.origin) == (TITLE, ORIGIN)
    workshop_id = int(started.location.rsplit("/", 1)[1])
    act(world["begeleider"], workshop_id, "volgende")  # to the card: the console's item line says whose it is
    console = world["begeleider"].get(f"/sessies/{workshop_id}").get_data(as_text=True)
    assert f'<strong>Dilemmakaart: {TITLE}</strong> <span class="origin">Van {ORIGIN}</span>' in console
    act(world["begeleider"], workshop_id, "volgende")  # past the card's introduction: its first step
    projector = world["begeleider"].get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert f'<p class="kicker">{TITLE} · van {ORIGIN}</p>' in projector  # the room sees whose card it plays


def test_returning_needs_a_comment_and_the_organisation_reads_it(app, world):
    offer(world)
    refused = decide(world, "terugsturen", "   ")
    assert refused.status_code == 422 and state(app) == "aangeboden"
    assert "Schrijf bij het terugsturen op wat er anders moet." in refused.get_data(as_text=True)
    assert decide(world, "terugsturen", "Maak de tweede stap korter.").status_code == 302
    assert state(app) == "teruggestuurd" and not sees(world["b"])
    page = world["a"].get("/eigen/delen/").get_data(as_text=True)
    assert "teruggestuurd met opmerkingen" in page and "Maak de tweede stap korter." in page
    assert "Opnieuw aanbieden" in page


def test_who_offers_never_accepts(app, world):
    offer(world)
    assert world["a"].submit(f"/platform/gedeeld/{world['version']}", {"besluit": "accepteren"},
                             page="/eigen/delen/").status_code == 403
    with app.app_context():
        shared = db.session.scalar(select(SharedOffer))
        beheerder = db.session.scalar(select(User).filter_by(email="a-beheer@example.org"))
        with pytest.raises(Refused, match="alleen de platformbeheerder en de beoordelaars"):
            rules.decide(shared, beheerder, accept=True)
        # On the review board, the offering organisation's own people still may not accept its offer.
        beheerder.shared_reviewer = True
        with pytest.raises(Refused, match="dit aanbod komt van je eigen organisatie"):
            rules.decide(shared, beheerder, accept=True)
    assert state(app) == "aangeboden"


def publication(app, text: str, slug: str) -> int:
    """A version stored as it was published before the checks grew (the guard reads it again at offering)."""
    with app.app_context():
        organisation = db.session.scalar(select(Organisation.id).filter_by(slug="testgemeente"))
        version = Publication(organisation_id=organisation, kind="dilemma", slug=slug, number=1, text=text)
        db.session.add(version)
        db.session.commit()
        return version.id


def test_the_privacy_guard_reads_the_text_again_and_names_the_field(app, world):
    text = CARD.replace("Deel je je gevoel, of wacht", "Bel 06-12345678. Deel je je gevoel, of wacht")
    refused = offer(world, publication(app, text, "oude-voordeur"))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Regel 3, het veld `samenvatting`: hier staat een telefoonnummer" in page
    assert "12345678" not in page and state(app) is None


def test_a_card_that_names_what_others_lack_is_refused_at_its_field(app, world):
    text = CARD.replace("verhalen:\n  - sanne", "verhalen:\n  - eigen-verhaal")
    refused = offer(world, publication(app, text, "verwijzende-voordeur"))
    assert refused.status_code == 422 and "Regel 8, het veld `verhalen`" in refused.get_data(as_text=True)
    assert state(app) is None


def test_the_platform_withdraws_an_accepted_card_with_a_reason(app, world):
    offer(world)
    decide(world, "accepteren")
    url = f"/platform/gedeeld/{world['version']}/intrekken"
    refused = world["platform"].submit(url, {"reden": ""}, page=f"/platform/gedeeld/{world['version']}")
    assert refused.status_code == 422 and "Schrijf op waarom" in refused.get_data(as_text=True)
    assert sees(world["b"])
    done = world["platform"].submit(url, {"reden": "De bron klopt niet meer."},
                                    page=f"/platform/gedeeld/{world['version']}")
    assert done.status_code == 302 and not sees(world["b"])
    page = world["a"].get("/eigen/delen/").get_data(as_text=True)
    assert "ingetrokken" in page and "De bron klopt niet meer." in page


def test_withdrawing_the_version_itself_takes_it_out_of_the_shared_library(app, world):
    offer(world)
    decide(world, "accepteren")
    assert sees(world["b"])
    with app.app_context():
        authoring.withdraw(db.session.get(Publication, world["version"]))
    assert not sees(world["b"])


def test_a_new_version_replaces_the_shared_one_only_once_accepted(app, world):
    offer(world)
    decide(world, "accepteren")
    with app.app_context():
        organisation = db.session.scalar(select(Organisation.id).filter_by(slug="testgemeente"))
        changed = CARD.replace(f"titel: {TITLE}", "titel: De voordeur, versie twee")
        db.session.add(Publication(organisation_id=organisation, kind="dilemma", slug="eigen-voordeur", number=2,
                                   text=changed))
        db.session.commit()
        second = db.session.scalar(select(Publication.id).filter_by(number=2))
        b = db.session.scalar(select(Organisation.id).filter_by(slug="andere-gemeente"))
    offer(world, second)
    with app.app_context():
        assert library_for(b).dilemmas[SHARED].title == TITLE
    world["platform"].submit(f"/platform/gedeeld/{second}", {"besluit": "accepteren"})
    with app.app_context():
        assert library_for(b).dilemmas[SHARED].title == "De voordeur, versie twee"
        assert library_for(b, {("dilemma", SHARED): 1}).dilemmas[SHARED].title == TITLE


def test_a_story_is_shared_the_same_way_and_a_returned_offer_can_be_offered_again(app, world):
    text = (Path(__file__).parent / "content" / "library" / "stories" / "tim.md").read_text(encoding="utf-8")
    with app.app_context():
        organisation = db.session.scalar(select(Organisation.id).filter_by(slug="testgemeente"))
        draft = authoring.create_draft(organisation, "verhaal", "eigen-tim", text, None)
        db.session.commit()
        story = authoring.publish(draft, None, reviewed=False).id
    offer(world, story)
    review = world["platform"].get(f"/platform/gedeeld/{story}").get_data(as_text=True)
    assert "Scène 2: Het schoolplein" in review and "De blik van de professional" in review  # as a reader reads it
    world["platform"].submit(f"/platform/gedeeld/{story}", {"besluit": "terugsturen", "opmerking": "Korter."})
    assert "Opnieuw aanbieden" in world["a"].get("/eigen/delen/").get_data(as_text=True)
    assert offer(world, story).status_code == 302
    world["platform"].submit(f"/platform/gedeeld/{story}", {"besluit": "accepteren"})
    assert listed(world["b"].get("/verhalen/").get_data(as_text=True), "Tim: een testverhaal over school")
    opened = world["b"].get("/verhalen/testgemeente--eigen-tim")
    assert opened.status_code == 200 and listed(opened.get_data(as_text=True), "Tim: een testverhaal over school")
