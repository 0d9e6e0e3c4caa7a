"""Issue 16's figures in one run of a whole session, as the room uses it: a console at 1366×768, projectors at
1920×1080 and 1280×720, three phones at 390×844 and one at 360×640. The plan has a story scene, the card with
the most options on its first step (a tie and a second round on it), agreements and a closing. At every moment:
the console's primary action and the moment's tools in its first 768 px, no page load on the console; on every
phone no text squeezed into a narrow column and, when a vote opens, every option and "Ik pas" in the first
screen; the projectors fit, nothing cut, type at the room's size; axe without violations on every view."""
from __future__ import annotations

from playwright.sync_api import Browser, Page, expect

from browsing import LIVE, SHOTS, add_part, add_to_plan, assert_fits, axe_violations, login, new_plan, phone
from test_console import FOLD, first_screen
from test_phone_fit import CARD, CHARACTERS, SQUEEZED

SHOTS_HERE = SHOTS / "zaal"
PHONES = (("Uil", "wijkagent", 390, 844), ("Mol", "klantmanager", 390, 844), ("Das", None, 390, 844),
          ("Vink", "wijkagent", 360, 640))
EVERY_PHASE = {"welkom", "verhaal", "markeringen", "signalen", "situatie", "stemmen", "uitslag", "gevolg", "einde",
               "afspraken", "afsluiting"}


class Room:
    """The seven views of one session, and the checks of issue 16 at a moment."""

    def __init__(self, console: Page, projectors: list[Page], phones: list[Page]):
        self.console, self.projectors, self.phones = console, projectors, phones
        self.seen: list[str] = []
        self.loads: list[str] = []
        console.on("framenavigated", lambda frame: self.loads.append(frame.url) if frame == console.main_frame else None)

    @property
    def version(self) -> str:
        return self.console.locator(".console-view").get_attribute("data-versie")

    @property
    def phase(self) -> str:
        return self.console.locator(".console-view").get_attribute("data-fase")

    def in_step(self) -> None:
        """Every view shows the console's version of the room."""
        for page in (*self.projectors, *self.phones):
            expect(page.locator(f".live-view[data-versie='{self.version}']")).to_have_count(1, timeout=LIVE)

    def act(self, press) -> None:
        before = self.version
        press()
        expect(self.console.locator(".console-view")).not_to_have_attribute("data-versie", before, timeout=LIVE)
        self.in_step()

    def next(self) -> None:
        self.act(lambda: self.console.keyboard.press("ArrowRight"))

    def check(self, moment: str) -> None:
        phase = self.phase
        name = f"{len(self.seen):02d}-{moment}-{phase}"
        bottoms = first_screen(self.console)
        assert all(bottom <= FOLD for bottom in bottoms.values()), (name, bottoms)
        for projector in self.projectors:
            found = assert_fits(projector, name)
            if phase == "stemmen" and found["height"] >= 1080:
                assert found["question"] >= 40, (name, found)
            if phase == "welkom":
                assert found["qrHeight"] >= found["height"] / 3, (name, found)
        for page in self.phones:
            size = f"{page.viewport_size['width']}x{page.viewport_size['height']}"
            page.evaluate("window.scrollTo(0, 0)")
            assert page.evaluate(SQUEEZED, CHARACTERS) == [], (name, size)
            assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth"), (name, size)
            assert page.evaluate("window.zonderHerladen === true"), (name, size, "de telefoon laadde opnieuw")
            if phase == "stemmen":
                buttons = page.locator(".vote-option").all()
                assert len(buttons) == len(CARD.steps[CARD.start].options) + 1  # the options and "Ik pas"
                for box in (button.bounding_box() for button in buttons):
                    assert box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"], (name, size, box)
        if phase not in self.seen:  # axe once per kind of moment, on every view
            for page in (self.console, *self.projectors, self.phones[0], self.phones[-1]):
                assert axe_violations(page) == [], (name, page.viewport_size)
        SHOTS_HERE.mkdir(parents=True, exist_ok=True)
        self.console.screenshot(path=str(SHOTS_HERE / f"{name}-console.png"))
        self.projectors[1].screenshot(path=str(SHOTS_HERE / f"{name}-scherm-720.png"))
        self.phones[-1].screenshot(path=str(SHOTS_HERE / f"{name}-telefoon-360.png"))
        self.seen.append(phase)


def test_a_whole_session_at_the_rooms_sizes(browser: Browser, page: Page, live_server):
    console = page
    console.set_viewport_size({"width": 1366, "height": 768})
    login(console, live_server, "begeleider@example.org")
    new_plan(console, live_server, "De hele zaal")
    add_to_plan(console, "verhaal", "jeffrey", 15, scenes="1")
    add_to_plan(console, "dilemma", CARD.slug, 40)
    add_part(console, "afspraken")
    add_part(console, "afsluiting")
    console.get_by_role("button", name="Start een sessie met dit plan").click()
    code = console.locator(".console-view .status strong").last.inner_text()
    projectors = []
    for width, height in ((1920, 1080), (1280, 720)):
        projector = console.context.new_page()
        projector.set_viewport_size({"width": width, "height": height})
        projector.goto(console.url + "/scherm")
        projectors.append(projector)
    phones = [phone(browser, live_server, code, nickname, role, size=(width, height))
              for nickname, role, width, height in PHONES]
    for person in phones:
        person.evaluate("window.zonderHerladen = true")  # gone if the phone loads a page
    room = Room(console, projectors, phones)
    expect(console.locator(".console-view .status")).to_contain_text(f"{len(PHONES)} deelnemers", timeout=LIVE)
    expect(projectors[0].locator(".lobby-count")).to_contain_text(f"{len(PHONES)} doen mee", timeout=LIVE)
    room.check("lobby")

    second_round = False
    for _ in range(40):
        room.next()
        phase = room.phase
        if phase == "verhaal":
            room.check("scene")
            for person in phones:
                person.locator("input[name=zin]").first.check()
                person.get_by_role("button", name="Bewaar wat ik zie").click()
            expect(console.locator("[data-moment-tool=telling]")).to_contain_text(f"{len(PHONES)} van {len(PHONES)}",
                                                                                 timeout=LIVE)
        elif phase == "stemmen":
            room.check("stemming")
            for number, person in enumerate(phones):  # two and two: a tie, so no majority to follow
                person.locator(".vote-option").nth(number % 2).click()
                expect(person.locator("[data-stem-status]")).to_contain_text("Je stem is binnen")
            expect(console.locator("[data-moment-tool=telling]")).to_contain_text(f"{len(PHONES)} van {len(PHONES)}",
                                                                                 timeout=LIVE)
        elif phase == "uitslag" and not second_round:
            second_round = True
            room.check("gelijkspel")
            tool = console.locator("[data-moment-tool=tweede-ronde]")
            assert tool.bounding_box()["y"] + tool.bounding_box()["height"] <= FOLD
            room.act(lambda: tool.get_by_role("button").click())
            room.check("ronde-2")
            for person in phones:
                person.locator(".vote-option").nth(1).click()
                expect(person.locator("[data-stem-status]")).to_contain_text("Je stem is binnen: B")
            room.next()
            assert room.phase == "uitslag"
            room.check("uitslag-2")
            expect(console.locator("[data-primary]")).to_contain_text("Volg B")
        elif "beëindigen" in console.locator("[data-primary]").inner_text():
            room.check("laatste")
            break
        else:
            room.check("moment")
    assert EVERY_PHASE <= set(room.seen), room.seen
    assert room.loads == [], room.loads  # not one page load on the console through the whole session
