"""Every moment of every card and story fits the projector: each step's situation, open vote and
two-round result, each option's consequence, each ending's two pages, each scene with its marks and
signals. The room's state is set in the database and the projector page is loaded at 1280×720 (the
same shape as 1920×1080: type scales with the screen height, so what fits here fits there)."""
from __future__ import annotations

import os
import threading
from collections import deque

import pytest
from playwright.sync_api import Browser, expect
from werkzeug.serving import make_server

from app import create_app
from support.library import BUNDLED_CONTENT
from bril import security
from bril.content import Dilemma
from bril.extensions import library
from bril.models import SceneMark, SessionPlan, User, Vote, Workshop, db
from bril.sessions import broker, changes
from bril.sessions.situation import situate
from bril.sessions.vocabulary import VoteState
from browsing import SCREEN_METRICS, SHOTS, login, smallest_allowed
from support import PASSWORD, agenda


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """A server of its own (this test writes the room's state straight into its database)."""
    folder = tmp_path_factory.mktemp("fit")
    app = create_app({"TESTING": True, "SECRET_KEY": "fit", "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'fit.sqlite3'}",
                      **BUNDLED_CONTENT.config, "LIBRARY": BUNDLED_CONTENT.load()})  # every bundled card must fit
    with app.app_context():
        db.create_all()
        owner = User(email="begeleider@example.org", role="procesbegeleider",
                     password_hash=security.hash_password(PASSWORD))
        db.session.add(owner)
        db.session.flush()
        content = library()
        items = ([agenda.card(slug, 45) for slug in content.dilemmas]
                 + [agenda.story(slug, (), 20) for slug in content.stories])
        plan = SessionPlan(owner_id=owner.id, title="Alles op het scherm", items=items)
        db.session.add(plan)
        db.session.commit()
        workshop_id = changes.start(plan, owner.id).id
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}", workshop_id
    server.shutdown()
    thread.join(timeout=5)


def routes(card: Dilemma) -> dict[str, list[list]]:
    """A shortest route (step id, option number) from the start to every step and ending."""
    found, queue = {card.start: []}, deque([card.start])
    while queue:
        node = queue.popleft()
        step = card.steps.get(node)
        for number, option in enumerate(step.options if step else (), start=1):
            if option.target not in found:
                found[option.target] = [*found[node], [node, number]]
                queue.append(option.target)
    return found


def card_moments(card: Dilemma):
    """(name, state) for every moment of a card a projector can show."""
    for node, route in routes(card).items():
        step = card.steps.get(node)
        if step is None:
            yield f"{card.slug}/{node}/einde", {"route": route, "vote": "dicht"}
            continue
        yield f"{card.slug}/{node}/situatie", {"route": route, "vote": "dicht"}
        yield f"{card.slug}/{node}/stemmen", {"route": route, "vote": "open"}
        yield f"{card.slug}/{node}/uitslag", {"route": route, "vote": "onthuld", "round": 2, "votes": len(step.options)}
        for number in range(1, len(step.options) + 1):
            yield f"{card.slug}/{node}/gevolg-{number}", {"route": [*route, [node, number]], "vote": VoteState.CONSEQUENCE}


def story_moments(story):
    for scene in story.scenes:
        for vote in ("dicht", "gesloten", "onthuld"):
            yield f"{story.slug}/scene-{scene.number}/{vote}", {"scene": scene.number, "vote": vote, "marks": True}


def set_room(app, workshop_id: int, item: int, state: dict) -> int:
    """Put the room in `state` as a new version, and say so to the open screens; the version is returned."""
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        workshop.item, workshop.route, workshop.vote = item, state.get("route", []), state["vote"]
        workshop.page, workshop.round, workshop.scene = state.get("page", 0), state.get("round", 1), state.get("scene", 1)
        workshop.version += 1
        db.session.query(Vote).filter_by(workshop_id=workshop_id).delete()
        db.session.query(SceneMark).filter_by(workshop_id=workshop_id).delete()
        if state.get("votes"):
            node = situate(workshop, library()).step.id
            for round_ in (1, 2):
                for option in range(1, state["votes"] + 1):
                    db.session.add(Vote(workshop_id=workshop_id, item=item, step=node, round=round_,
                                        participant_id=None, option=option, role=None))
        if state.get("marks"):
            # Every sentence marked: the heat map at its fullest.
            scene = library().stories[workshop.agenda[item]["ref"]].scenes[workshop.scene - 1]
            db.session.add(SceneMark(workshop_id=workshop_id, item=item, scene=workshop.scene, participant_id=None,
                                     passages=[passage.key for passage in scene.passages]))
        # Announced as a change of state: the open projector gets the new moment through its stream, as in a room.
        broker.commit_and_publish(db.session, workshop_id, "state", workshop.version)
        return workshop.version


GROUPS = 4  # the cards and stories in four parts, so that the test workers share them


@pytest.mark.slow  # every moment of all thirty bundled cards and five stories: minutes on a busy machine
@pytest.mark.parametrize("group", range(GROUPS))
def test_every_moment_of_every_card_and_story_fits_the_projector(browser: Browser, room, group: int):
    app, base, workshop_id = room
    page = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 720}).new_page()
    login(page, base, "begeleider@example.org")
    with app.app_context():
        content = library()
        agenda = db.session.get(Workshop, workshop_id).agenda
    moments = []
    only = os.environ.get("BRIL_SCHERM_ALLEEN", "").split(",")  # while writing a card: `pas-uitgeleend,jeffrey`
    for item, entry in enumerate(agenda):
        if item % GROUPS != group or (only != [""] and entry["ref"] not in only):
            continue
        if entry["soort"] == "dilemma":
            moments += [(item, name, state) for name, state in card_moments(content.dilemmas[entry["ref"]])]
        else:
            moments += [(item, name, state) for name, state in story_moments(content.stories[entry["ref"]])]
    too_long, shown = [], 0
    page.goto(f"{base}/sessies/{workshop_id}/scherm")
    for item, name, state in moments:
        for sheet in range(20):  # every page of a long moment, as the facilitator steps through them
            version = set_room(app, workshop_id, item, {**state, "page": sheet})
            with app.app_context():
                if sheet >= len(situate(db.session.get(Workshop, workshop_id), library()).sheets):
                    break
            # The moment arrives through the stream, and screen.js fits it as it replaces the old one.
            page.wait_for_selector(f".live-view[data-versie='{version}']", state="attached")
            found = page.evaluate(SCREEN_METRICS)
            shown += 1
            if name.startswith(("pas-uitgeleend/", "jeffrey/scene-1/")):  # to look at, beside the room's own run
                page.screenshot(path=SHOTS / f"scherm-voorbeeld-{name.replace('/', '-')}-{sheet + 1}.png")
            if found["scrollHeight"] > found["height"] or found["mainOverflow"] > 1 or found["scrollWidth"] > found["width"]:
                too_long.append(f"{name} (deel {sheet + 1}): {found['mainOverflow']} px te lang")
            elif found["clipped"] or found["smallest"] < smallest_allowed(found["height"]):
                too_long.append(f"{name} (deel {sheet + 1}): afgesneden {found['clipped']}, kleinste letter "
                                f"{found['smallest']:.1f} px")
                page.screenshot(path=SHOTS / f"te-lang-{name.replace('/', '-')}-{sheet + 1}.png")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / f"scherm-past-{group + 1}.txt").write_text(f"{len(moments)} momenten, {shown} schermen, "
                                                        f"{len(too_long)} te lang\n" + "\n".join(too_long))
    assert len(moments) > 150 or only != [""]  # each part holds 206-271 moments of the bundled content
    assert too_long == [], too_long


def test_the_fullscreen_button_steps_aside_until_the_mouse_moves(browser: Browser, room):
    app, base, workshop_id = room
    page = browser.new_context(locale="nl-NL", viewport={"width": 1920, "height": 1080}).new_page()
    login(page, base, "begeleider@example.org")
    page.goto(f"{base}/sessies/{workshop_id}/scherm")
    button = page.get_by_role("button", name="Volledig scherm")
    expect(button).to_have_css("opacity", "1")  # seen when the page opens
    expect(button).to_have_css("opacity", "0", timeout=6000)  # then out of the room's way
    page.mouse.move(900, 500)
    expect(button).to_have_css("opacity", "1")
    expect(button).to_have_css("opacity", "0", timeout=6000)
    page.keyboard.press("Tab")  # a keyboard user finds it too
    expect(button).to_be_focused()
    expect(button).to_have_css("opacity", "1")
