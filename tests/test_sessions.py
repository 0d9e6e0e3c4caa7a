"""The sessions package on its own: agenda items, the version cache, the broker, the majority rule, the
route replay, the room's moment, versions under concurrency, the atomic vote, and GETs that write nothing."""
from __future__ import annotations

import re
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from bril.content.routes import replay
from bril.extensions import library
from bril.models import Participant, SceneMark, SessionPlan, User, Vote, Workshop, db, utcnow
from bril.sessions import actions, broker, changes, hotpath, queries
from bril.sessions.agenda import AgendaItem, items
from bril.sessions.cache import VersionCache
from bril.sessions.moment import moment_at, moment_for, moments
from support import agenda
from support.library import CARD, STORY, route_to
from support.sessions import act, join, post_json, run_in_threads, start_session, to_card, vote, walk


# Agenda ----------------------------------------------------------------------------------------------

def test_agenda_item_reads_and_writes_the_stored_json(app):
    stored = agenda.story(STORY, [1, 3], 15)
    item = AgendaItem.from_json(stored)
    assert (item.kind, item.ref, item.scenes, item.minutes, item.is_story) == ("verhaal", STORY, (1, 3), 15, True)
    assert item.to_json() == stored
    with app.app_context():
        title = library().stories[STORY].title
        assert item.describe(library()) == f"Verhaal: {title} (scène 1, 3)"
        assert item.describe(library(), short=True) == f"Verhaal: {title}"
        assert AgendaItem("dilemma", 30, CARD).describe(library()).startswith("Dilemmakaart: ")
    with app.app_context():
        assert AgendaItem("afspraken").describe(library()) == "Afspraken maken"
    assert [i.kind for i in items([agenda.welcome(5), stored])] == ["welkom", "verhaal"]


# The version cache ------------------------------------------------------------------------------------

def test_version_cache_builds_a_value_once_however_many_ask_at_once():
    cache: VersionCache[int] = VersionCache(10)
    started, calls = threading.Event(), []

    def build() -> int:
        calls.append(1)
        started.wait(1)
        return 42

    results = []
    threads = [threading.Thread(target=lambda: results.append(cache.get(("w", 1), build))) for _ in range(20)]
    for thread in threads:
        thread.start()
    started.set()
    for thread in threads:
        thread.join()
    assert results == [42] * 20 and len(calls) == 1 and cache.builds == 1


def test_version_cache_forgets_the_least_recently_used_and_may_refuse_to_keep():
    cache: VersionCache[str] = VersionCache(2)
    cache.get(1, lambda: "een")
    cache.get(2, lambda: "twee")
    cache.get(1, lambda: "nooit")  # used again: 2 is now the oldest
    cache.get(3, lambda: "drie")
    assert cache.peek(1) == "een" and cache.peek(2) is None and len(cache) == 2
    assert cache.get(4, lambda: "vier", keep=lambda value: False) == "vier" and cache.peek(4) is None


def test_version_cache_survives_a_failing_build():
    cache: VersionCache[int] = VersionCache()
    with pytest.raises(ZeroDivisionError):
        cache.get("k", lambda: 1 // 0)
    assert cache.get("k", lambda: 7) == 7


# The broker ---------------------------------------------------------------------------------------------

def test_broker_delivers_each_kind_only_to_the_streams_that_show_it():
    hub = broker.InProcessBroker()
    phone = hub.subscribe(1, frozenset({"state"}))
    projector = hub.subscribe(1, frozenset({"state", "votes"}))
    elsewhere = hub.subscribe(2, frozenset({"state", "votes"}))
    hub.deliver(1, "votes", 5)
    hub.deliver(1, "state", 6)
    assert phone.get(0.01) == ("state", 6) and phone.get(0.01) is None
    assert projector.drain(0.05) == [("votes", 5), ("state", 6)]
    assert elsewhere.get(0.01) is None
    assert hub.count(1) == 2 and hub.count() == 3
    phone.close()
    projector.close()
    assert hub.count(1) == 0 and 1 not in hub.subscriptions


def test_closing_the_broker_ends_open_and_new_streams():
    hub = broker.InProcessBroker()
    stream = hub.subscribe(1, frozenset({"state"}))
    broker.close_all_streams()
    assert stream.get(0.01) == broker.CLOSING
    assert hub.subscribe(1, frozenset({"state"})).get(0.01) == broker.CLOSING


# Rules without the database -----------------------------------------------------------------------------

@pytest.mark.parametrize("totals, expected", [
    (Counter({1: 3, 2: 1}), 1),
    (Counter({1: 2, 2: 2}), None),           # a tie is the facilitator's choice
    (Counter({0: 9, 3: 1}), 3),              # passes do not count
    (Counter({0: 4}), None),
    (Counter(), None),
    (Counter({1: 0, 2: 1}), 2),
])
def test_majority_option(totals, expected):
    assert queries.majority_option(totals) == expected


def test_replay_follows_a_route_and_stops_where_it_no_longer_fits(app):
    with app.app_context():
        card = library().dilemmas[CARD]
    first = card.steps[card.start]
    second = first.options[0].target
    position = replay(card, [(card.start, 1)])
    assert position.node == second and position.last.option == first.options[0]
    assert replay(card, [(card.start, 9)]).node == card.start          # no option 9
    assert replay(card, [("bestaat-niet", 1)]).node == card.start      # a step that is not there
    assert replay(card, [(card.start, 1), (card.start, 1)]).node == second


# The moment -----------------------------------------------------------------------------------------------

def workshop_row(app, workshop_id: int) -> Workshop:
    workshop = db.session.get(Workshop, workshop_id)
    db.session.refresh(workshop)
    return workshop


def test_moment_follows_the_room_through_agenda_card_vote_and_end(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phones = [join(app, code, name, role) for name, role in (("Ree", "wijkagent"), ("Hert", "wijkagent"),
                                                             ("Haas", ""))]
    with app.app_context():
        first = moment_for(workshop_row(app, workshop_id), library())
        assert (first.phase, first.present, first.roles, first.step) == ("welkom", 3, (("wijkagent", 2),), None)
    act(facilitator, workshop_id, "volgende")
    with app.app_context():
        story = moment_for(workshop_row(app, workshop_id), library())
        assert story.phase == "verhaal" and story.scene.number == 1 and story.scene.signals
    act(facilitator, workshop_id, "volgende")  # scene 2
    act(facilitator, workshop_id, "volgende")  # the card
    act(facilitator, workshop_id, "stemming-open")
    for phone, option in zip(phones, (1, 1, 2)):
        vote(phone, code, option)
    act(facilitator, workshop_id, "stemming-onthul")
    with app.app_context():
        revealed = moment_for(workshop_row(app, workshop_id), library())
        card = library().dilemmas[CARD]
        assert revealed.phase == "uitslag" and revealed.step.id == card.start and revealed.vote == "onthuld"
        assert revealed.results[1].totals == Counter({1: 2, 2: 1}) and revealed.results[1].count == 3
        assert revealed.results[1].by_role == {"wijkagent": Counter({1: 2})}
        assert revealed.count == 3 and revealed.prompt == card.steps[card.start].prompts[0]
    act(facilitator, workshop_id, "volg")
    with app.app_context():
        consequence = moment_for(workshop_row(app, workshop_id), library())
        assert consequence.phase == "gevolg" and consequence.choice.option.number == 1
    act(facilitator, workshop_id, "volgende")
    with app.app_context():
        nxt = moment_for(workshop_row(app, workshop_id), library())
        assert nxt.phase in ("situatie", "einde") and nxt.item_index == consequence.item_index
    act(facilitator, workshop_id, "einde")
    with app.app_context():
        ended = moment_for(workshop_row(app, workshop_id), library())
        assert ended.phase == "afgelopen" and ended.ended and len(ended.route) == 1


def test_leaving_a_card_before_its_ending_needs_confirmation(facilitator, app):
    workshop_id, _ = start_session(facilitator, app)
    to_card(facilitator, workshop_id)
    act(facilitator, workshop_id, "volgende")
    with app.app_context():
        still = moment_for(workshop_row(app, workshop_id), library())
        assert still.phase == "situatie" and still.item.is_card
    act(facilitator, workshop_id, "volgende", bevestig="ja")
    with app.app_context():
        moved = moment_for(workshop_row(app, workshop_id), library())
        assert moved.item.kind == "afspraken"


def test_moment_is_computed_once_per_version_and_anew_after_a_change(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    with app.app_context():
        workshop = workshop_row(app, workshop_id)
        before = moments().builds
        one = moment_for(workshop, library())
        assert moment_for(workshop, library()) is one and moment_at(workshop_id, one.version, library()) is one
        assert moments().builds == before + 1
    join(app, code, "Vos")
    with app.app_context():
        later = moment_at(workshop_id, one.version + 1, library())
        assert later.version == one.version + 1 and later.present == 1 and later is not one


def test_pieces_show_only_when_shown_and_only_to_their_role(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    with app.app_context():
        card = library().dilemmas[CARD]
    step = next(s for s in card.steps.values() if s.pieces)
    role = step.pieces[0][0]
    own = tuple(piece for piece in step.pieces if piece[0] == role)
    without = next(r for r in ("wijkagent", "klantmanager", "wijkteam", "leerkracht")
                   if r not in {r for r, _ in step.pieces})
    owner, other = join(app, code, "Vos", role), join(app, code, "Das", without)
    with app.app_context():
        welcome = moment_for(workshop_row(app, workshop_id), library())
        assert welcome.step is None and welcome.pieces == () and welcome.pieces_for(role) == ()
    to_card(facilitator, workshop_id)
    walk(facilitator, workshop_id, route_to(card, step.id))
    with app.app_context():
        hidden = moment_for(workshop_row(app, workshop_id), library())
    assert hidden.step.id == step.id and not hidden.pieces_shown
    assert hidden.pieces == () and hidden.pieces_for(role) == ()
    assert str(own[0][1]) not in owner.get(f"/meedoen/{code}").get_data(as_text=True)

    act(facilitator, workshop_id, "puzzelstukjes")
    with app.app_context():
        shown = moment_for(workshop_row(app, workshop_id), library())
    assert shown.pieces_shown and shown.pieces == step.pieces
    assert shown.pieces_for(role) == own and shown.pieces_for(without) == () and shown.pieces_for(None) == ()
    assert str(own[0][1]) in owner.get(f"/meedoen/{code}").get_data(as_text=True)
    other_page = other.get(f"/meedoen/{code}").get_data(as_text=True)
    assert all(str(piece) not in other_page for _, piece in step.pieces)

    act(facilitator, workshop_id, "puzzelstukjes")  # hidden again
    with app.app_context():
        again = moment_for(workshop_row(app, workshop_id), library())
    assert again.pieces == () and again.pieces_for(role) == ()
    assert str(own[0][1]) not in owner.get(f"/meedoen/{code}").get_data(as_text=True)


# Versions and votes under concurrency ------------------------------------------------------------------------

def plain_session(app) -> int:
    with app.app_context():
        user = User(email="b@example.org", role="procesbegeleider")
        db.session.add(user)
        db.session.commit()
        plan = SessionPlan(owner_id=user.id, title="Gelijktijdig", items=[agenda.card(CARD, 30)])
        db.session.add(plan)
        db.session.commit()
        return changes.start(plan, user.id).id


def test_concurrent_changes_never_share_a_version(app):
    workshop_id = plain_session(app)
    with app.app_context():
        start_version = db.session.get(Workshop, workshop_id).version

        console = broker.subscribe(workshop_id, frozenset({"console"}))  # hears the version of every join

    def join_one(index: int) -> None:
        changes.join(db.session.get(Workshop, workshop_id), f"deelnemer {index}", None)

    run_in_threads(app, 12, join_one)
    announced = []
    while len(announced) < 12 and (message := console.get(5)) is not None:
        announced.append(message[1])
    console.close()
    assert sorted(announced) == list(range(start_version + 1, start_version + 13))
    with app.app_context():
        assert db.session.get(Workshop, workshop_id).version == start_version + 12
        assert db.session.scalar(select(func.count()).select_from(Participant)) == 12


def test_a_double_sent_vote_is_one_row_and_no_error(app):
    workshop_id = plain_session(app)
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        _, token = changes.join(workshop, "Dubbel", "wijkagent")
        assert actions.perform(db.session.get(Workshop, workshop_id), "stemming-open", {}) is None
        code = db.session.get(Workshop, workshop_id).code

    def send(index: int) -> bool:
        with hotpath.autocommit() as connection:
            who = hotpath.voter(connection, code, token)
            moment = moment_at(who.workshop_id, who.version, library())
            return hotpath.cast_vote(connection, who, moment.step.id, len(moment.step.options), index % 3 + 1)

    assert run_in_threads(app, 8, send) == [True] * 8
    with app.app_context():
        rows = db.session.execute(select(Vote.option, Vote.role)).all()
        assert len(rows) == 1 and rows[0].role == "wijkagent"


# Reading writes nothing; polling is cheap when nothing changed --------------------------------------------------

def test_get_requests_write_nothing(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Lezer")
    to_card(facilitator, workshop_id)
    act(facilitator, workshop_id, "stemming-open")
    writes = []

    def watch(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            writes.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", watch)
    try:
        for client, url in ((phone, f"/meedoen/{code}"), (phone, f"/live/{code}/stand?weergave=deelnemer"),
                            (facilitator, f"/sessies/{workshop_id}"), (facilitator, f"/sessies/{workshop_id}/scherm"),
                            (facilitator, f"/live/{code}/stand?weergave=scherm"),
                            (facilitator, f"/sessies/{workshop_id}/verslag")):
            assert client.get(url).status_code == 200, url
    finally:
        event.remove(engine, "before_cursor_execute", watch)
    assert writes == []


def test_a_poll_without_change_gets_only_the_version(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Peiler")
    full = phone.get(f"/live/{code}/stand?weergave=deelnemer").get_json()
    assert "html" in full and full["mijn_stem"] is None
    same = phone.get(f"/live/{code}/stand?weergave=deelnemer&sinds={full['versie']}").get_json()
    assert same == {"versie": full["versie"]}
    act(facilitator, workshop_id, "volgende")
    changed = phone.get(f"/live/{code}/stand?weergave=deelnemer&sinds={full['versie']}").get_json()
    assert changed["versie"] > full["versie"] and "html" in changed


# "Wat zie jij?" together ------------------------------------------------------------------------------------

def mark(phone, code: str, keys: list[str]):
    token = re.search(r'data-csrf="([^"]+)"', phone.get(f"/meedoen/{code}").get_data(as_text=True)).group(1)
    return phone.post(f"/live/{code}/zinnen", data={"csrf_token": token, "zin": keys},
                      headers={"Accept": "application/json"})


def test_the_room_marks_sentences_together_and_sees_who_saw_what(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phones = [join(app, code, name) for name in ("Kauw", "Gaai", "Ekster")]
    act(facilitator, workshop_id, "volgende")  # scene 1 of the story
    with app.app_context():
        scene = library().stories[STORY].scenes[0]
    signal = scene.signals[0].passage
    other = next(p.key for p in scene.passages if p.key not in {s.passage for s in scene.signals})
    assert mark(phones[0], code, [signal]).get_json()["ok"]
    assert mark(phones[1], code, [signal, other, "bestaat-niet"]).get_json()["zinnen"] == [signal, other]
    assert mark(phones[1], code, [signal]).status_code == 200  # changed: one row per participant
    assert mark(phones[2], code, [other]).status_code == 200
    projector = facilitator.get(f"/live/{code}/stand?weergave=scherm").get_json()
    assert projector["stemmen"] == 3 and "van 3</strong> vinkten aan" in projector["html"]  # the count is live
    act(facilitator, workshop_id, "stemming-dicht")  # "Toon wat de groep zag"
    assert mark(phones[2], code, [signal]).status_code == 409
    heat = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert 'data-fase="markeringen"' in heat and "2&times;" in heat and "1&times;" in heat
    act(facilitator, workshop_id, "stemming-onthul")  # "Toon de signalen"
    reveal = phones[0].get(f"/live/{code}/stand?weergave=deelnemer").get_json()["html"]
    assert "<strong>2 van 3</strong> zagen" in reveal and "geen signaal in dit verhaal" in reveal
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SceneMark)) == 3
    act(facilitator, workshop_id, "einde")
    report = facilitator.get(f"/sessies/{workshop_id}/verslag.md").get_data(as_text=True)
    assert "2 van 3 zagen dit signaal" in report


# The Leiden question round ---------------------------------------------------------------------------------

def test_the_question_round_collects_anonymous_answers_the_facilitator_shows(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phones = [join(app, code, name) for name in ("Spreeuw", "Mus")]
    assert post_json(phones[0], code, f"/live/{code}/antwoord", {"text": "Ik zou het vragen"}).status_code == 409
    act(facilitator, workshop_id, "vragenronde")
    assert post_json(phones[0], code, f"/live/{code}/antwoord", {"text": "Bel me op 06-12345678"}).status_code == 422
    assert post_json(phones[0], code, f"/live/{code}/antwoord", {"text": "Ik durf het niet te vragen"}).get_json()["ok"]
    with app.app_context():
        from bril.models import Answer
        answer_id = db.session.scalar(select(Answer.id))
    screen = facilitator.get(f"/live/{code}/stand?weergave=scherm").get_json()["html"]
    assert "1 antwoord binnen" in screen and "Ik durf het niet" not in screen  # not shown yet
    facilitator.submit(f"/sessies/{workshop_id}/antwoord/{answer_id}/toon", page=f"/sessies/{workshop_id}")
    assert post_json(phones[1], code, f"/live/{code}/ikook/antwoord/{answer_id}", {}).get_json()["ok"]
    again = post_json(phones[1], code, f"/live/{code}/ikook/antwoord/{answer_id}", {})  # once: a second tap is
    assert again.status_code == 200 and not again.get_json()["ok"]                     # not counted, and says so
    assert "telde al mee" in again.get_json()["melding"]
    screen = facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True)
    assert "Ik durf het niet te vragen" in screen and "1&times; ik ook" in screen
    assert "Spreeuw" not in screen and "Mus" not in screen
    act(facilitator, workshop_id, "einde")
    report = facilitator.get(f"/sessies/{workshop_id}/verslag.md").get_data(as_text=True)
    assert "- Ik durf het niet te vragen (1× ik ook)" in report and "Spreeuw" not in report


def test_a_large_hall_joins_without_a_nickname_and_the_lobby_counts(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    act(facilitator, workshop_id, "grote-zaal")
    phone = app.test_client()
    page = phone.get(f"/meedoen/{code}").get_data(as_text=True)
    assert "een bijnaam is niet nodig" in page and 'name="nickname"' not in page
    assert phone.submit(f"/meedoen/{code}", {"role": "wijkagent"}).status_code == 302
    assert "Jij: Deelnemer " in phone.get(f"/meedoen/{code}").get_data(as_text=True)
    lobby = " ".join(facilitator.get(f"/sessies/{workshop_id}/scherm").get_data(as_text=True).split())
    assert "<strong>1</strong> doet mee: 1× wijkagent" in lobby and "Deelnemer " not in lobby


# The projector's pages -------------------------------------------------------------------------------------

def test_blocks_are_packed_in_order_and_a_long_block_stands_alone():
    from bril.sessions import sheets
    third = sheets.PAGE_BUDGET // 3
    assert sheets.pack([("a", third), ("b", third), ("c", third), ("d", 3 * third + 1), ("e", 10)]) == (
        ("a", "b", "c"), ("d",), ("e",))
    assert sheets.pack([("a", sheets.PAGE_BUDGET), ("b", 1)]) == (("a",), ("b",))
    assert sheets.pack([]) == ((),)
    assert sheets.cost("<p>twaalf tekens</p>") == sheets.BLOCK_COST + sheets.LINE_COST + len("twaalf tekens")


def test_an_ending_keeps_what_happened_apart_from_what_to_do():
    from markupsafe import Markup

    from bril.sessions import sheets
    short = sheets.ending_sheets(Markup("<p>Kort.</p>"), ["A"], [Markup("Bel")], ["Politie"], Markup("<p>AVG</p>"))
    assert short == (("verloop", "route"), ("doen", "wie", "avg"))
    long = sheets.ending_sheets(Markup("<p>Kort.</p>"), [], [Markup("x" * 900)], ["Politie"], Markup("y" * 900))
    assert long == (("verloop", "route"), ("doen", "wie"), ("avg",))
    assert sheets.ending_sheets(Markup("<p>Kort.</p>"), [], [], [], None) == (("verloop", "route"),)


def test_a_long_ending_is_stepped_through_page_by_page_and_back(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    participant = join(app, code, "Uil")
    to_card(facilitator, workshop_id)
    with app.app_context():
        card = library().dilemmas[CARD]
        workshop = workshop_row(app, workshop_id)
        ending = next(iter(card.endings))
        route = next(r for r in all_routes(card) if r[-1][2] == ending)
        workshop.route = [[step, option] for step, option, _ in route]
        workshop.version += 1
        db.session.commit()
        pages = len(moment_for(workshop_row(app, workshop_id), library()).sheets)
    assert pages >= 2
    seen = []
    for number in range(pages):
        console = facilitator.get(f"/live/{code}/stand?weergave=console").get_json()["html"]
        projector = facilitator.get(f"/live/{code}/stand?weergave=scherm").get_json()["html"]
        assert f"deel {number + 1} van {pages}" in projector
        seen.append(projector)
        if number < pages - 1:
            act(facilitator, workshop_id, "volgende")
            assert "Toon wat je nu kunt doen" in console or f"deel {number + 2} van {pages}" in console
    assert "Wat je kunt doen" in "".join(seen) and "Over privacy (AVG)" in "".join(seen)
    assert "Wat je kunt doen" not in seen[0], "what to do comes after what happened"
    phone = participant.get(f"/live/{code}/stand?weergave=deelnemer").get_json()["html"]
    assert "Wat je kunt doen" in phone and "Over privacy (AVG)" in phone, "a phone shows the whole ending"
    act(facilitator, workshop_id, "vorige")
    with app.app_context():
        back = moment_for(workshop_row(app, workshop_id), library())
    assert (back.phase, back.page) == ("einde", pages - 2)
    act(facilitator, workshop_id, "volgende")
    act(facilitator, workshop_id, "volgende")
    with app.app_context():
        assert moment_for(workshop_row(app, workshop_id), library()).phase == "afspraken"


def all_routes(card):
    """Every (step, option, target) path from the start to an ending."""
    found, stack = [], [(card.start, [])]
    while stack:
        node, path = stack.pop()
        step = card.steps.get(node)
        if step is None:
            found.append(path)
            continue
        for number, option in enumerate(step.options, start=1):
            if all(option.target != t for _, _, t in path):
                stack.append((option.target, [*path, (node, number, option.target)]))
    return found


@pytest.mark.parametrize("item, session_minutes, item_minutes, behind", [
    (0, 2, 2, 0),     # two minutes into the welcome (5 planned): on time, not "3 minuten voor"
    (0, 9, 9, 4),     # the welcome ran 4 minutes over its 5
    (2, 25, 3, 2),    # welcome and story planned 20, done in 22; 3 minutes into the card: 2 behind
    (2, 12, 2, -10),  # welcome and story done in 10 of their 20 planned: 10 ahead
    (2, 60, 40, 10),  # 20 for the first two, then the card ran 40 of its 30: 10 behind
])
def test_the_time_cue_counts_against_the_plan_up_to_where_the_session_is(facilitator, app, item, session_minutes,
                                                                         item_minutes, behind):
    """Planned minutes of the items done plus the minutes on the current item, up to its own plan, against the
    time spent (plan of start_session: welkom 5, verhaal 15, dilemma 30, afspraken 10)."""
    workshop_id, _ = start_session(facilitator, app)
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_id)
        now = utcnow()
        workshop.item = item
        workshop.created_at = now - timedelta(minutes=session_minutes)
        workshop.item_started_at = now - timedelta(minutes=item_minutes)
        workshop.version += 1
        db.session.commit()
        moment = moment_for(workshop_row(app, workshop_id), library())
        assert moment.minutes_behind(now) == behind
    console = facilitator.get(f"/sessies/{workshop_id}").get_data(as_text=True)
    assert ("Je loopt" in console) == (behind > 0) and ("voor op het plan" in console) == (behind < 0)
    if behind:
        assert f"{abs(behind)} minuten" in console
