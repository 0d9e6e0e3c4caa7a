"""Walking a dilemma card, its map and its print page in a real browser."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from app import ROOT
from bril.content import load_library
from browsing import axe_violations, login

LIBRARY, _ = load_library(ROOT / "stories", ROOT / "dilemmas", ROOT / "wie-is-hiervan.yaml", ROOT)
CARDS = list(LIBRARY.dilemmas.values())


def deepest_card():
    return max(CARDS, key=lambda card: (card.depth, card.slug))


def choose(page: Page, label: str) -> None:
    page.get_by_role("radio", name=label, exact=True).check()
    page.get_by_role("button", name="Kies deze optie").click()


def test_walk_a_card_to_an_ending_going_back_once(page: Page, live_server):
    card = deepest_card()
    page.goto(f"{live_server}/dilemmas/")
    page.get_by_role("link", name=card.title).click()
    page.get_by_role("button", name="Begin met de kaart").click()
    step = card.steps[card.start]
    expect(page.get_by_role("heading", level=1)).to_contain_text(step.title)

    # First choice, then change our mind once.
    choose(page, step.options[-1].label)
    expect(page.get_by_role("heading", name="Wat je keuze betekent")).to_be_visible()
    page.get_by_role("button", name="Eén stap terug").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(step.title)

    taken = []
    node = card.start
    while node in card.steps:
        step = card.steps[node]
        # Take the option that keeps the route longest, so the walk passes several steps.
        option = max(step.options, key=lambda o: (o.target in card.steps and o.target not in
                                                  {s.id for s, _ in taken}, -o.number))
        choose(page, option.label)
        expect(page.locator(".consequences").first).to_contain_text("Voor de cliënt")
        expect(page.locator(".consequences").first).to_contain_text("Voor het systeem rond de cliënt")
        taken.append((step, option))
        page.locator("form.actions button").click()
        node = option.target
    ending = card.endings[node]
    expect(page.get_by_role("heading", level=1)).to_contain_text(ending.title)
    route = page.locator("ol.route > li")
    expect(route).to_have_count(len(taken))
    for index, (step, option) in enumerate(taken):
        expect(route.nth(index)).to_contain_text(step.title)
        expect(route.nth(index)).to_contain_text(option.label)
    assert len(taken) >= 2
    assert axe_violations(page) == []


def test_walk_works_without_javascript(nojs_page: Page, live_server):
    page = nojs_page
    card = CARDS[-1]
    page.goto(f"{live_server}/dilemmas/{card.slug}")
    page.get_by_role("button", name="Begin met de kaart").click()
    step = card.steps[card.start]
    choose(page, step.options[0].label)
    expect(page.locator(".chosen")).to_contain_text(step.options[0].label)
    page.get_by_role("button", name="Eén stap terug").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(step.title)
    page.get_by_role("button", name="Kies deze optie").click()  # nothing chosen: the browser's own check
    expect(page.get_by_role("heading", level=1)).to_contain_text(step.title)


def test_map_holds_every_step_and_option_of_the_card(page: Page, live_server):
    card = deepest_card()
    page.goto(f"{live_server}/dilemmas/{card.slug}/kaart")
    svg = page.locator("svg.dilemma-map")
    expect(svg).to_be_visible()
    outline = page.locator("ol.outline")
    svg_text = svg.text_content()
    for step in card.steps.values():
        expect(outline).to_contain_text(step.title)
        assert step.title.split()[0] in svg_text
        for option in step.options:
            expect(outline).to_contain_text(option.label)
            expect(svg.locator("path.edge title", has_text=option.label)).to_have_count(1)
    for ending in card.endings.values():
        expect(page.locator(f"#einde-{ending.id}")).to_contain_text(ending.title)
    edges = sum(len(step.options) for step in card.steps.values())
    expect(svg.locator("path.edge")).to_have_count(edges)
    assert axe_violations(page) == []


def test_walk_and_map_work_by_keyboard(page: Page, live_server):
    card = CARDS[0]
    page.goto(f"{live_server}/dilemmas/{card.slug}")
    page.get_by_role("button", name="Begin met de kaart").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/lopen$"))
    page.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("radio").first).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio").nth(1)).to_be_checked()
    page.get_by_role("button", name="Kies deze optie").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Wat je keuze betekent")).to_be_visible()
    page.get_by_role("link", name="Bekijk de kaart").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/kaart$"))
    page.get_by_role("link", name="Ga naar de tekstversie").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#overzicht$"))
    # The scrollable drawing is reachable by keyboard, so it can be scrolled with the arrow keys.
    region = page.get_by_role("region", name=re.compile("Kaart"))
    region.focus()
    expect(region).to_be_focused()


@pytest.mark.parametrize("url", ["/dilemmas/", "/dilemmas/?rol=klantmanager"])
def test_dilemma_library_has_no_violations(page: Page, live_server, url):
    page.goto(live_server + url)
    assert axe_violations(page) == []


def test_step_and_consequence_pages_have_no_violations(page: Page, live_server):
    card = CARDS[0]
    login(page, live_server)
    page.goto(f"{live_server}/dilemmas/{card.slug}")
    assert axe_violations(page) == []
    page.get_by_role("button", name=re.compile("Begin met de kaart|Opnieuw beginnen")).first.click()
    assert axe_violations(page) == []
    choose(page, card.steps[card.start].options[0].label)
    assert axe_violations(page) == []


def test_print_pages_have_no_violations_and_no_navigation(page: Page, live_server):
    for card in CARDS:
        page.goto(f"{live_server}/dilemmas/{card.slug}/print")
        expect(page.locator("nav")).to_have_count(0)
        expect(page.locator(".card-step")).to_have_count(len(card.steps))
        assert axe_violations(page) == [], card.slug
    page.emulate_media(media="print")
    expect(page.locator(".screen-only")).to_be_hidden()
