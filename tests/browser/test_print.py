"""On paper and under the site's own rules: every card prints in at most six A4 pages, the session report prints
as a clean PDF, no page breaks the Content-Security-Policy (the route map's width included), and the favicon is
there."""
from __future__ import annotations

import re
import statistics

import pytest
from playwright.sync_api import Page, expect

from browsing import login
from servers import Browserless
from support import PASSWORD
from support.library import BUNDLED_CONTENT

LIBRARY = BUNDLED_CONTENT.load()
CARD = "hennep-op-zolder"
MM = 96 / 25.4  # CSS pixels per millimetre
# The width the printed text has on A4: the page less print.css's and bril.css's side margins.
CARD_WIDTH, REPORT_WIDTH = round((210 - 16) * MM), round((210 - 30) * MM)


def pdf_pages(pdf: bytes) -> int:
    """The number of pages in a PDF that Chromium wrote."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def overflowing(page: Page, width: int, selector: str) -> list[str]:
    """The elements that reach past `width` (the printed text's right edge), as short descriptions."""
    return page.evaluate("""([width, selector]) => [...document.querySelectorAll(selector)]
        .filter(e => e.getBoundingClientRect().right > width + 0.5)
        .map(e => e.tagName + '.' + e.className + ': ' + e.textContent.trim().slice(0, 40))""", [width, selector])


@pytest.mark.slow  # every bundled card: a minute
def test_every_bundled_card_prints_in_at_most_six_a4_pages(page: Page, live_server):
    pages = {}
    for slug in sorted(LIBRARY.dilemmas):
        page.goto(f"{live_server}/dilemmas/{slug}/print")
        pages[slug] = pdf_pages(page.pdf(prefer_css_page_size=True))
    print(f"\nA4 pages per printed card: max {max(pages.values())}, median {statistics.median(pages.values())}, "
          f"min {min(pages.values())} over {len(pages)} cards")
    assert max(pages.values()) <= 6, {slug: n for slug, n in pages.items() if n > 6}
    assert min(pages.values()) >= 2  # a real print: the front sheet and the cards


@pytest.mark.slow
def test_printed_cards_cut_nothing_at_the_right_edge(page: Page, live_server):
    page.set_viewport_size({"width": CARD_WIDTH, "height": 1100})
    page.emulate_media(media="print")
    for slug in sorted(LIBRARY.dilemmas):
        page.goto(f"{live_server}/dilemmas/{slug}/print")
        assert page.evaluate("document.documentElement.scrollWidth") <= CARD_WIDTH, slug
        assert overflowing(page, CARD_WIDTH, "main *") == [], slug


def report_with_votes(base: str) -> int:
    """A session on one card, run to its result with three phones, with a parked question and two agreements; its id."""
    facilitator = Browserless(base)
    facilitator.submit("/inloggen", {"email": "begeleider@example.org", "password": PASSWORD})
    plan = facilitator.submit("/sessies/plannen/", {"title": "Verslag op papier"}).url.split(base)[1]
    facilitator.submit(plan, {"kind": "dilemma", "ref": f"dilemma:{CARD}", "minutes": "30"})
    console = facilitator.submit(f"{plan}/start", {}, page=plan).url.split(base)[1]
    workshop_id = int(console.rsplit("/", 1)[1])
    code = facilitator.get(console).split("code <strong>")[1][:6]
    facilitator.submit(f"{console}/actie/volgende", {}, page=console)
    facilitator.submit(f"{console}/actie/stemming-open", {}, page=console)
    for number, option in enumerate((1, 1, 2)):
        phone = Browserless(base)
        phone.submit(f"/meedoen/{code}", {"nickname": f"Telefoon {number}"})
        phone.submit(f"/live/{code}/stem", {"optie": str(option)}, page=f"/meedoen/{code}", accept="application/json")
        if number == 0:
            phone.submit(f"/live/{code}/parkeren", {"text": "Wie belt de woningcorporatie als er weer iets is?"},
                         page=f"/meedoen/{code}")
    for action in ("stemming-dicht", "stemming-onthul"):
        facilitator.submit(f"{console}/actie/{action}", {}, page=console)
    for what in ("We bespreken signalen van hennep voortaan in het wijkteamoverleg, met de woonconsulent erbij.",
                 "We vragen de privacyfunctionaris wat we mogen delen met de corporatie en de wijkagent."):
        facilitator.submit(f"{console}/afspraak", {"what": what, "who": "team", "by_when": "binnen twee weken",
                                                   "meldroute": ""}, page=console)
    facilitator.submit(f"{console}/actie/einde", {}, page=console)
    return workshop_id


def test_the_report_prints_as_a_clean_pdf_with_a_title_block(page: Page, live_server):
    workshop_id = report_with_votes(live_server)
    page.add_init_script("window.print = () => { window.printed = (window.printed || 0) + 1; };")
    login(page, live_server, "begeleider@example.org")
    page.goto(f"{live_server}/sessies/{workshop_id}/verslag")
    expect(page.locator(".results")).not_to_have_count(0)
    expect(page.locator("table").last).to_contain_text("hennep")
    button = page.get_by_role("button", name="Afdrukken of opslaan als pdf")
    button.click()
    assert page.evaluate("window.printed") == 1
    page.set_viewport_size({"width": REPORT_WIDTH, "height": 1000})
    page.emulate_media(media="print")
    for hidden in ("nav", ".site-header", ".site-footer", ".actions", "button", ".crumbs"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator(".report-head h1")).to_have_text("Verslag: Verslag op papier")
    expect(page.locator(".report-head")).to_contain_text("verslag van een teamsessie")
    assert page.evaluate("document.documentElement.scrollWidth") <= REPORT_WIDTH
    assert overflowing(page, REPORT_WIDTH, "main *") == []
    # No table broken over two pages, no heading left alone at the foot of a page.
    assert page.evaluate("[...document.querySelectorAll('main table')].every(t => getComputedStyle(t).breakInside"
                         " === 'avoid')")
    assert page.evaluate("getComputedStyle(document.querySelector('main h2')).breakAfter") == "avoid"
    pdf = page.pdf(prefer_css_page_size=True)
    print(f"\nThe report of one card with three votes and two agreements: {pdf_pages(pdf)} A4 pages")
    assert 1 <= pdf_pages(pdf) <= 2


def test_without_javascript_the_report_explains_how_to_print(nojs_page: Page, live_server):
    workshop_id = report_with_votes(live_server)
    login(nojs_page, live_server, "begeleider@example.org")
    nojs_page.goto(f"{live_server}/sessies/{workshop_id}/verslag")
    expect(nojs_page.get_by_role("button", name="Afdrukken of opslaan als pdf")).to_be_hidden()
    expect(nojs_page.get_by_text("Druk de pagina af (Ctrl+P")).to_be_visible()


PAGES = ["/", "/verhalen/", "/verhalen/harrie", "/verhalen/harrie/scene/1", "/dilemmas/", f"/dilemmas/{CARD}",
         f"/dilemmas/{CARD}/routes", f"/dilemmas/{CARD}/print", "/wie-is-hiervan", "/meedoen", "/inloggen",
         "/privacy", "/toegankelijkheid"]


def watch_policy(page: Page) -> list[str]:
    """Collect every Content-Security-Policy violation the page reports, by event and on the console."""
    violations: list[str] = []
    page.on("console", lambda message: violations.append(message.text)
            if "Content Security Policy" in message.text else None)
    page.expose_binding("reportViolation", lambda source, text: violations.append(text))
    page.add_init_script("""document.addEventListener('securitypolicyviolation', e =>
        window.reportViolation(e.violatedDirective + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));""")
    return violations


def test_no_page_breaks_the_sites_own_content_security_policy(page: Page, live_server):
    violations = watch_policy(page)
    for url in PAGES:
        page.goto(live_server + url)
        page.wait_for_load_state("networkidle")
        assert violations == [], url
    workshop_id = report_with_votes(live_server)
    login(page, live_server, "begeleider@example.org")
    for url in ("/sessies/plannen/", "/sessies/", f"/sessies/{workshop_id}/verslag", f"/dilemmas/{CARD}/lopen/1"):
        page.goto(live_server + url)
        page.wait_for_load_state("networkidle")
        assert violations == [], url


def test_the_live_room_breaks_no_policy_either(browser, page: Page, live_server):
    violations = watch_policy(page)
    facilitator = Browserless(live_server)
    facilitator.submit("/inloggen", {"email": "begeleider@example.org", "password": PASSWORD})
    plan = facilitator.submit("/sessies/plannen/", {"title": "Regels"}).url.split(live_server)[1]
    facilitator.submit(plan, {"kind": "dilemma", "ref": f"dilemma:{CARD}", "minutes": "30"})
    console = facilitator.submit(f"{plan}/start", {}, page=plan).url.split(live_server)[1]
    code = facilitator.get(console).split("code <strong>")[1][:6]
    login(page, live_server, "begeleider@example.org")
    for url in (console, f"{console}/scherm"):
        page.goto(live_server + url)
        page.wait_for_load_state("networkidle")
        assert violations == [], url
    phone = browser.new_context(locale="nl-NL").new_page()
    phone_violations = watch_policy(phone)
    phone.goto(f"{live_server}/meedoen/{code}")
    phone.get_by_label("Bijnaam").fill("Merel")
    phone.get_by_role("button", name=re.compile("Doe mee")).click()
    phone.wait_for_load_state("networkidle")
    assert phone_violations == []
    phone.context.close()


def test_the_route_map_takes_its_intended_width_without_a_style_attribute(page: Page, live_server):
    violations = watch_policy(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{live_server}/dilemmas/{CARD}/routes")
    svg = page.locator("svg.dilemma-map")
    assert svg.get_attribute("style") is None
    drawing = float(svg.get_attribute("viewBox").split()[2])
    widths = page.evaluate("e => [getComputedStyle(e).maxWidth, getComputedStyle(e).minWidth]", svg.element_handle())
    assert widths == [f"{drawing:.0f}px", f"{drawing * 2 / 3:.0f}px"]
    assert svg.bounding_box()["width"] <= drawing
    page.set_viewport_size({"width": 390, "height": 844})
    assert svg.bounding_box()["width"] >= drawing * 2 / 3 - 1  # scrolls sideways rather than shrink further
    assert violations == []


@pytest.mark.parametrize("url", ["/", f"/dilemmas/{CARD}/print", "/meedoen"])
def test_the_favicon_is_linked_and_served(page: Page, live_server, url):
    page.goto(live_server + url)
    for link in page.locator("link[rel=icon]").all():
        answer = page.request.get(live_server + link.get_attribute("href"))
        assert answer.status == 200 and answer.headers["content-type"].startswith("image/")
    expect(page.locator("link[rel=icon]")).to_have_count(2)
    assert page.request.get(f"{live_server}/favicon.ico").status == 200
