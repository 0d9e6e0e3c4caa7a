"""Walking a dilemma card, its map and its print page in a real browser."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from support.library import BUNDLED_CONTENT
from browsing import axe_violations, login

LIBRARY = BUNDLED_CONTENT.load()  # the browser tests run on the bundled content, parsed once per run
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

    # First choice, then change our mind once with the link back.
    choose(page, step.options[-1].label)
    expect(page.get_by_role("heading", name="Wat je keuze betekent")).to_be_visible()
    page.get_by_role("link", name="Terug naar de vorige stap").click()
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
        expect(page.locator(".consequences").first).to_contain_text("Voor de mensen om de cliënt heen")
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
    page.get_by_role("button", name="Kies deze optie").click()  # nothing chosen: the site's own message
    expect(page.get_by_role("heading", level=1)).to_contain_text(step.title)
    expect(page.get_by_role("alert")).to_have_text("Kies eerst een van de opties.")
    choose(page, step.options[0].label)
    expect(page.locator(".chosen")).to_contain_text(step.options[0].label)
    page.get_by_role("link", name="Terug naar de vorige stap").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(step.title)
    expect(page.get_by_role("radio", name=step.options[0].label, exact=True)).to_be_checked()


@pytest.mark.parametrize("size", [{"width": 1366, "height": 768}, {"width": 390, "height": 844}],
                         ids=["laptop", "telefoon"])
def test_the_browsers_back_button_and_the_step_counter(page: Page, live_server, size):
    page.set_viewport_size(size)
    card = deepest_card()
    first, kicker = card.steps[card.start], page.locator("h1 .kicker")
    page.goto(f"{live_server}/dilemmas/{card.slug}")
    page.get_by_role("button", name="Begin met de kaart").click()
    about = "ongeveer " if card.shortest < card.depth else ""
    expect(kicker).to_contain_text(f"Stap 1 van {about}{card.depth}")
    # Sent without a choice first: the message, and the page stays an address Back can return to.
    page.get_by_role("button", name="Kies deze optie").click()
    expect(page.get_by_role("alert")).to_have_text("Kies eerst een van de opties.")
    # Take the option that leads on to another step, then the next step.
    option = next(o for o in first.options if o.target in card.steps)
    choose(page, option.label)
    expect(page).to_have_url(re.compile(r"/lopen/1/gevolg$"))
    expect(kicker).to_contain_text("Stap 1 van")
    page.locator("form.actions button").click()
    expect(page).to_have_url(re.compile(r"/lopen/2$"))
    expect(kicker).to_contain_text("Stap 2 van")
    expect(page.get_by_role("heading", level=1)).to_contain_text(card.steps[option.target].title)

    # The browser's Back goes through the consequence to the first step, with the earlier choice marked.
    page.go_back()
    expect(page.locator(".chosen")).to_contain_text(option.label)
    page.go_back()
    expect(page).to_have_url(re.compile(r"/lopen/1$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(first.title)
    expect(page.get_by_role("radio", name=option.label, exact=True)).to_be_checked()
    expect(page.get_by_text("Wat je toen koos, staat aangevinkt")).to_be_visible()
    assert axe_violations(page) == []
    page.go_forward()
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_contain_text(card.steps[option.target].title)

    # Back again, and another choice: the walk goes on from the first step with that choice.
    page.go_back()
    page.go_back()
    other = next(o for o in first.options if o.number != option.number)
    choose(page, other.label)
    expect(page.locator(".chosen")).to_contain_text(other.label)
    page.locator("form.actions button").click()
    title = (card.endings[other.target] if other.target in card.endings else card.steps[other.target]).title
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


def test_the_print_deck_keeps_each_consequence_on_the_back_of_its_option(page: Page, live_server):
    card = deepest_card()
    page.goto(f"{live_server}/dilemmas/{card.slug}/print")
    page.emulate_media(media="print")
    cards = page.locator(".fold-card")
    expect(cards).to_have_count(sum(len(step.options) for step in card.steps.values()))
    options = [option for step in card.steps.values() for option in step.options]
    for index in (0, len(options) - 1):
        front, back = cards.nth(index).locator(".card-front"), cards.nth(index).locator(".card-back")
        expect(front).to_contain_text(options[index].label)
        expect(front).not_to_contain_text("Voor de cliënt")
        expect(back).to_contain_text("Voor de cliënt")
        expect(back).to_contain_text(options[index].client.striptags()[:40])
        # Side by side, equally high, so folding on the middle line puts the back behind the front.
        f, b = front.bounding_box(), back.bounding_box()
        assert abs(f["y"] - b["y"]) < 1 and abs(f["height"] - b["height"]) < 1 and b["x"] >= f["x"] + f["width"] - 1
        assert page.evaluate("e => getComputedStyle(e).borderRightStyle", front.element_handle()) == "solid"
    # The step cards list the options without their consequences.
    for step_card, step in zip(page.locator(".card-step").all(), card.steps.values()):
        expect(step_card).not_to_contain_text("Voor de cliënt")
    expect(page.locator(".screen-only")).to_be_hidden()


def test_map_holds_every_step_and_option_of_the_card(page: Page, live_server):
    card = deepest_card()
    page.goto(f"{live_server}/dilemmas/{card.slug}/routes")
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
    page.wait_for_url(re.compile(r"/lopen/1$"))
    page.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    expect(page.get_by_role("radio").first).to_be_checked()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio").nth(1)).to_be_checked()
    page.get_by_role("button", name="Kies deze optie").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Wat je keuze betekent")).to_be_visible()
    page.get_by_role("link", name="Alle routes in één overzicht").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/routes$"))
    page.get_by_role("link", name="Ga naar de tekstversie").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#overzicht$"))
    # The scrollable drawing is reachable by keyboard, so it can be scrolled with the arrow keys.
    region = page.get_by_role("region", name=re.compile("Overzicht van de routes"))
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
