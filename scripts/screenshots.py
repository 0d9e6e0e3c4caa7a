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
            console = browser.new_page(viewport={"width": 1100, "height": 1400})
            console.goto(f"{base}/inloggen")
            console.get_by_label("E-mailadres").fill("begeleider@voorbeeld.nl")
            console.get_by_label("Wachtwoord", exact=True).fill(PASSWORD)
            console.get_by_role("button", name="Inloggen").click()
            console.goto(f"{base}/sessies/plannen/")
            console.get_by_label("Naam van het plan").fill("Teamochtend geldezels")
            console.get_by_role("button", name="Plan maken").click()
            console.get_by_label("Onderdeel").select_option("dilemma")
            console.get_by_label("Verhaal of dilemmakaart").select_option("dilemma:pas-uitgeleend")
            console.get_by_label("Minuten").fill("40")
            console.get_by_role("button", name="Toevoegen").click()
            console.screenshot(path=OUT / "plan.png", full_page=True)
            console.get_by_role("button", name="Start een sessie met dit plan").click()
            code = console.locator(".console-view .status strong").inner_text()
            projector = browser.new_page(viewport={"width": 1280, "height": 800})
            projector.context.add_cookies(console.context.cookies())
            projector.goto(console.url.split("#")[0] + "/scherm")
            projector.screenshot(path=OUT / "scherm-meedoen.png")
            phones = []
            for name, role in (("Uil", "wijkagent"), ("Mol", ""), ("Das", "klantmanager")):
                phone = browser.new_page(viewport={"width": 390, "height": 844})
                phone.goto(f"{base}/meedoen/{code}")
                phone.get_by_label("Bijnaam").fill(name)
                if role:
                    phone.get_by_label("Jouw rol (niet verplicht)").select_option(role)
                phone.get_by_role("button", name="Doe mee").click()
                phones.append(phone)
            for label in ("Volgende →", "Open stemming"):
                console.get_by_role("button", name=label, exact=True).click()
            for phone, option in zip(phones, (0, 1, 1)):
                phone.get_by_role("radio").nth(option).check()
                phone.get_by_role("button", name="Stem", exact=True).click()
                phone.locator(".vote-form .hint").get_by_text("ontvangen").wait_for()
            phones[0].screenshot(path=OUT / "deelnemer-stemmen.png", full_page=True)
            projector.locator(".vote-count").get_by_text("3 stemmen").wait_for()
            projector.screenshot(path=OUT / "scherm-stemmen.png")
            console.get_by_role("button", name="Toon uitslag", exact=True).click()
            projector.locator("table.results").first.wait_for()
            projector.screenshot(path=OUT / "scherm-uitslag.png", full_page=True)
            console.screenshot(path=OUT / "console.png", full_page=True)
            browser.close()
    finally:
        server.stop()


if __name__ == "__main__":
    main()
