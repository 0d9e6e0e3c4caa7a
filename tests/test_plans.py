"""Planning a session: a plan in one go, add-forms per type, minutes and order edited in place, the
Leeswijzer's time as a warning, one error message per mistake."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bril.extensions import library
from bril.models import SessionPlan, db
from bril.sessions.agenda import AgendaItem, duration
from bril.sessions.plans import rearrange
from support import agenda
from support.library import CARD, STORY

OTHER_STORY = "sanne"  # a second story of the fixture library, with three scenes


def stored(app, plan_id: int) -> list[dict]:
    with app.app_context():
        return db.session.get(SessionPlan, plan_id).items


def new_plan(facilitator, **fields) -> str:
    response = facilitator.submit("/sessies/plannen/", {"title": "Ochtend met het wijkteam", **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.location


def options(html: str, select_id: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select[^>]*id="{select_id}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"[^>]*>([^<]*)</option>', select)


def agenda_post(facilitator, plan_url: str, minutes: list[str], step: str | None = None, fingerprint: str | None = None):
    page = facilitator.get(plan_url).get_data(as_text=True)
    data = {"csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1),
            "fingerprint": fingerprint or re.search(r'name="fingerprint" type="hidden" value="([^"]+)"', page).group(1),
            **{f"minutes-{i}": value for i, value in enumerate(minutes)}}
    if step:
        data["stap"] = step
    return facilitator.post(f"{plan_url}/agenda", data=data)


def test_a_plan_in_one_go_takes_the_leeswijzer_time(facilitator, app):
    plan_url = new_plan(facilitator, story=f"verhaal:{STORY}", card=f"dilemma:{CARD}", closing="y")
    items = stored(app, int(plan_url.rsplit("/", 1)[1]))
    with app.app_context():
        advised = library().dilemmas[CARD].leeswijzer.minutes
        scenes = len(library().stories[STORY].scenes)
    assert items == [agenda.welcome(10), agenda.story(STORY, range(1, scenes + 1), 20), agenda.card(CARD, advised),
                     agenda.closing(10), agenda.agreements(15)]
    page = facilitator.get(plan_url).get_data(as_text=True)
    total = 10 + 20 + advised + 10 + 15
    assert f"Totaal: {duration(total)}" in page and "Let op" not in page


def test_a_plan_with_only_a_name_has_a_welcome(facilitator, app):
    plan_url = new_plan(facilitator)
    assert stored(app, int(plan_url.rsplit("/", 1)[1])) == [agenda.welcome(10)]


def test_a_new_plan_refuses_an_unknown_card_and_keeps_the_name(facilitator):
    response = facilitator.submit("/sessies/plannen/", {"title": "Mijn plan", "card": "dilemma:bestaat-niet"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and html.count("Kies een dilemmakaart uit de lijst.") == 1
    assert 'value="Mijn plan"' in html


def test_each_add_form_lists_only_its_own_type(facilitator, app):
    page = facilitator.get(new_plan(facilitator)).get_data(as_text=True)
    stories, cards = options(page, "verhaal-keuze"), options(page, "kaart-keuze")
    with app.app_context():
        assert [value for value, _ in stories] == [f"verhaal:{slug}" for slug in library().stories]
        assert sorted(value for value, _ in cards) == sorted(f"dilemma:{slug}" for slug in library().dilemmas)
        card = library().dilemmas[CARD]
    assert f"{card.title} (" in dict(cards)[f"dilemma:{CARD}"]
    assert f"{card.leeswijzer.minutes} min.)" in dict(cards)[f"dilemma:{CARD}"]
    assert [value for value, _ in options(page, "ander-soort")] == ["welkom", "afsluiting", "afspraken"]


def test_adding_items_of_each_type_with_and_without_minutes(facilitator, app):
    plan_url = new_plan(facilitator)
    plan_id = int(plan_url.rsplit("/", 1)[1])
    added = facilitator.submit(plan_url, {"kind": "verhaal", "ref": f"verhaal:{OTHER_STORY}", "scenes": "3, 1", "minutes": ""})
    assert added.status_code == 303
    facilitator.submit(plan_url, {"kind": "dilemma", "ref": f"dilemma:{CARD}", "minutes": "40"})
    facilitator.submit(plan_url, {"kind": "afspraken", "minutes": ""})
    assert stored(app, plan_id)[1:] == [agenda.story(OTHER_STORY, [1, 3], 20), agenda.card(CARD, 40),
                                        agenda.agreements(15)]
    page = facilitator.get(plan_url).get_data(as_text=True)
    assert "Toegevoegd: Afspraken maken, 15 minuten." in page


@pytest.mark.parametrize(("fields", "message"), [
    ({"kind": "verhaal", "ref": f"verhaal:{OTHER_STORY}", "scenes": "1,9", "minutes": "20"}, "heeft de scènes 1 tot en met"),
    ({"kind": "verhaal", "ref": f"dilemma:{CARD}", "scenes": "1,9", "minutes": "20"}, "Kies een verhaal uit de lijst."),
    ({"kind": "verhaal", "ref": f"verhaal:{OTHER_STORY}", "scenes": "1,9", "minutes": "0"}, "Vul 1 tot 480 minuten in."),
])
def test_a_mistake_in_an_add_form_shows_once_and_keeps_what_was_typed(facilitator, app, fields, message):
    plan_url = new_plan(facilitator)
    response = facilitator.submit(plan_url, fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert html.count(message) == 1, "the message stands at its field only, the summary links there"
    assert 'value="1,9"' in html and re.search(rf'<option selected value="{fields["ref"]}"', html) or \
        fields["ref"].startswith("dilemma:")
    assert html.count('class="error-summary"') == 1, "only the form that was sent shows its mistakes"
    assert len(stored(app, int(plan_url.rsplit("/", 1)[1]))) == 1


def test_minutes_and_order_are_changed_in_place(facilitator, app):
    plan_url = new_plan(facilitator, story=f"verhaal:{STORY}", card=f"dilemma:{CARD}", closing="y")
    plan_id = int(plan_url.rsplit("/", 1)[1])
    response = agenda_post(facilitator, plan_url, ["5", "25", "50", "10", "15"], step="op:2")
    assert response.status_code == 303 and "focus=op:1" in response.location
    kinds = [(i["soort"], i["minuten"]) for i in stored(app, plan_id)]
    assert kinds == [("welkom", 5), ("dilemma", 50), ("verhaal", 25), ("afsluiting", 10), ("afspraken", 15)]
    page = facilitator.get(response.location).get_data(as_text=True)
    assert "staat nu op plaats 2" in page and re.search(r'value="op:1"\s+class="secondary small"\s+data-focus', page)
    agenda_post(facilitator, plan_url, ["5", "50", "25", "10", "15"], step="op:1")
    assert stored(app, plan_id)[0]["soort"] == "dilemma"
    agenda_post(facilitator, plan_url, ["50", "5", "25", "10", "15"], step="weg:4")
    assert [i["soort"] for i in stored(app, plan_id)] == ["dilemma", "welkom", "verhaal", "afsluiting"]
    agenda_post(facilitator, plan_url, ["50", "5", "30", "10"])
    assert [i["minuten"] for i in stored(app, plan_id)] == [50, 5, 30, 10]


def test_wrong_minutes_keep_what_was_typed_and_change_nothing(facilitator, app):
    plan_url = new_plan(facilitator, card=f"dilemma:{CARD}", closing="")
    plan_id = int(plan_url.rsplit("/", 1)[1])
    before = stored(app, plan_id)
    response = agenda_post(facilitator, plan_url, ["0", "abc"], step="neer:0")
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and stored(app, plan_id) == before
    assert 'value="0"' in html and 'value="abc"' in html
    assert html.count("Vul 1 tot 480 minuten in.") == 1 and html.count("Vul een heel getal in, zoals 30.") == 1
    assert 'href="#minutes-0"' in html and 'href="#minutes-1"' in html


def test_an_agenda_changed_elsewhere_is_not_overwritten(facilitator, app):
    plan_url = new_plan(facilitator, card=f"dilemma:{CARD}", closing="")
    plan_id = int(plan_url.rsplit("/", 1)[1])
    stale = re.search(r'name="fingerprint" type="hidden" value="([^"]+)"',
                      facilitator.get(plan_url).get_data(as_text=True)).group(1)
    facilitator.submit(plan_url, {"kind": "afsluiting", "minutes": "10"})
    before = stored(app, plan_id)
    response = agenda_post(facilitator, plan_url, ["7", "8"], step="weg:0", fingerprint=stale)
    assert stored(app, plan_id) == before
    assert "intussen ergens anders veranderd" in facilitator.get(response.location).get_data(as_text=True)


def test_a_card_with_less_time_than_its_leeswijzer_is_flagged(facilitator, app):
    plan_url = new_plan(facilitator, card=f"dilemma:{CARD}", closing="")
    with app.app_context():
        advised = library().dilemmas[CARD].leeswijzer.minutes
    agenda_post(facilitator, plan_url, ["10", str(advised - 25)])
    page = facilitator.get(plan_url).get_data(as_text=True)
    assert "Let op: je plant minder tijd dan de leeswijzer vraagt." in page
    assert f"{advised - 25} minuten gepland, de leeswijzer rekent op {advised} minuten" in page
    agenda_post(facilitator, plan_url, ["10", str(advised)])
    assert "Let op" not in facilitator.get(plan_url).get_data(as_text=True)


def test_the_duration_reads_as_hours_and_minutes():
    assert [duration(m) for m in (0, 1, 45, 60, 61, 105)] == [
        "0 minuten", "1 minuut", "45 minuten", "1 uur", "1 uur en 1 minuut", "1 uur en 45 minuten"]


def test_rearrange_moves_removes_and_ignores_what_makes_no_sense(app):
    agenda = [AgendaItem("welkom", 5), AgendaItem("afsluiting", 10), AgendaItem("afspraken", 15)]
    with app.app_context():
        assert [i.kind for i in rearrange(list(agenda), "neer:0")[0]] == ["afsluiting", "welkom", "afspraken"]
        assert rearrange(list(agenda), "neer:1")[2] == "op:2", "at the bottom the focus goes to the other button"
        assert rearrange(list(agenda), "op:0")[0] == agenda
        assert rearrange(list(agenda), "weg:9")[0] == agenda
        assert rearrange(list(agenda), "kapot")[1] == "De minuten zijn opgeslagen."
        assert [i.kind for i in rearrange(list(agenda), "weg:1")[0]] == ["welkom", "afspraken"]


def test_the_plan_list_shows_the_total_in_hours(facilitator, app):
    new_plan(facilitator, card=f"dilemma:{CARD}", closing="y")
    with app.app_context():
        total = 10 + library().dilemmas[CARD].leeswijzer.minutes + 10 + 15
    page = facilitator.get("/sessies/plannen/").get_data(as_text=True)
    assert f"4 onderdelen · {duration(total)} ·" in page and total > 60


def test_only_the_owner_edits_a_plan(facilitator, app, client, make_user, auth):
    plan_url = new_plan(facilitator)
    with app.app_context():
        assert db.session.scalar(select(SessionPlan.id)) == int(plan_url.rsplit("/", 1)[1])
    make_user("ander@example.org", role="procesbegeleider")
    auth.logout()
    auth.login("ander@example.org")
    assert client.get(plan_url).status_code == 404
    assert client.post(f"{plan_url}/agenda", data={}).status_code in (400, 404)


def test_empty_minutes_in_the_agenda_ask_for_a_number(facilitator, app):
    plan_url = new_plan(facilitator)
    response = agenda_post(facilitator, plan_url, [" "])
    assert response.status_code == 422 and response.get_data(as_text=True).count("Vul het aantal minuten in.") == 1


def test_a_plan_is_copied_renamed_and_deleted(facilitator, app):
    plan_url = new_plan(facilitator, card=f"dilemma:{CARD}", closing="y")
    copy = facilitator.submit(f"{plan_url}/kopie", page=plan_url)
    assert copy.status_code == 302
    facilitator.submit(f"{copy.location}/naam", {"title": "Middag met de wijkagenten"}, page=copy.location)
    facilitator.submit(f"{plan_url}/verwijderen", page=plan_url)
    with app.app_context():
        plans = db.session.scalars(select(SessionPlan)).all()
        assert [p.title for p in plans] == ["Middag met de wijkagenten"] and len(plans[0].items) == 4
