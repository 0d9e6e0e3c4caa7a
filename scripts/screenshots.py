"""Make the screenshots in docs/procesbegeleider.md: the console, the projector and a phone, mid-session.

Run from the project root after ./scripts/test has installed everything:  .venv/bin/python scripts/screenshots.py
"""
from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from servers import Server, flask, server_env  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

PASSWORD = "een lang wachtwoord voor screenshots"
OUT = ROOT / "docs" / "img"


def main() -> None:
    env = server_env(f"sqlite:///{Path(tempfile.mkdtemp()) / 'shots.sqlite3'}")
    flask(env, "db", "upgrade")
    flask(env, "users", "create", "begeleider@voorbeeld.nl", "--role", "procesbegeleider", "--password", PASSWORD)
    server = Server(env).start()
    base = server.url
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS)
            console = browser.new_context(viewport={"width": 1366, "height": 768}, locale="nl-NL").new_page()
            console.goto(f"{base}/inloggen")
            console.get_by_label("E-mailadres").fill("begeleider@voorbeeld.nl")
            console.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
            console.get_by_role("button", name="Inloggen").click()
            console.goto(f"{base}/sessies/plannen/")
            console.get_by_label("Naam van het plan").fill("Teamochtend geldezels")
            console.get_by_label("Dilemmakaart (niet verplicht)").select_option("dilemma:pas-uitgeleend")
            console.get_by_role("button", name="Plan maken").click()
            minutes = console.locator(".plan-item").nth(1).get_by_label("minuten")
            minutes.fill("40")
            minutes.press("Tab")
            console.get_by_text("de leeswijzer rekent op").wait_for()
            console.screenshot(path=OUT / "plan.png", full_page=True)
            console.get_by_role("button", name="Start een sessie met dit plan").click()
            code = console.locator(".console-view .status strong").last.inner_text()
            projector = console.context.new_page()
            projector.set_viewport_size({"width": 1920, "height": 1080})
            projector.goto(console.url.split("#")[0] + "/scherm")
            phones = []
            for name, role in (("Uil", "wijkagent"), ("Mol", ""), ("Das", "klantmanager")):
                phone = browser.new_page(viewport={"width": 390, "height": 844})
                phone.goto(f"{base}/meedoen/{code}")
                phone.get_by_label("Bijnaam").fill(name)
                if role:
                    phone.get_by_label("Jouw rol (niet verplicht)").select_option(role)
                phone.get_by_role("button", name="Doe mee").click()
                phones.append(phone)
            projector.locator(".lobby-count").get_by_text("3", exact=True).wait_for()
            projector.screenshot(path=OUT / "scherm-meedoen.png")

            def next_step(phase: str) -> None:
                """Press the console's primary action and wait until the projector shows the next moment."""
                console.keyboard.press("ArrowRight")
                projector.locator(f".live-view[data-fase='{phase}']").wait_for()
                projector.wait_for_timeout(200)  # screen.js fits the moment

            next_step("situatie")
            next_step("stemmen")
            for phone, option in zip(phones, (0, 1, 1)):
                phone.locator(".vote-option").nth(option).click()
                phone.locator("[data-stem-status]").get_by_text("Je stem is binnen").wait_for()
            phones[0].screenshot(path=OUT / "deelnemer-stemmen.png")
            projector.locator(".vote-count").get_by_text("3 van 3").wait_for()
            projector.screenshot(path=OUT / "scherm-stemmen.png")
            next_step("uitslag")
            projector.screenshot(path=OUT / "scherm-uitslag.png")
            console.screenshot(path=OUT / "console.png")
            next_step("gevolg")
            projector.screenshot(path=OUT / "scherm-gevolg.png")
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
