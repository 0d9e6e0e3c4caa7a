"""No typed word lost while the server is away: a save that fails (the server restarting) leaves the text on
screen, says so, and is sent again by itself once the server answers, without another key press."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from bril.models import Draft, db
from browsing import axe_violations, login

TYPED = "Tijdens het huisbezoek hoor je boven iemand lopen, maar de bewoner zegt dat hij alleen woont."


def test_a_save_that_fails_is_sent_again_by_itself(page: Page, live_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.add_init_script("window.brilEditorRetryMs = 400;")
    login(page, live_server, "beheer@example.org")
    page.goto(f"{live_server}/eigen/")
    page.get_by_label("Naam (wordt het adres)").fill("weg-en-terug")
    page.get_by_role("button", name="Nieuwe kaart").click()
    expect(page.get_by_text("Geen fouten gevonden.")).to_be_visible()
    draft_id = int(page.url.rstrip("/").rsplit("/", 1)[1])

    away = {"on": True}

    def server(route):
        if away["on"] and route.request.method == "POST":
            route.abort("connectionrefused")
        else:
            route.continue_()

    page.route(re.compile(rf".*/eigen/{draft_id}$"), server)
    area = page.get_by_label("Tekst van het bestand")
    area.fill(area.input_value().replace("Beschrijf hier wat de professional ziet of hoort.", TYPED))
    expect(page.locator("#opgeslagen")).to_contain_text("Opslaan lukte niet. Je tekst staat er nog")
    expect(area).to_have_value(re.compile(TYPED))
    assert axe_violations(page) == []
    away["on"] = False  # the server is back
    expect(page.locator("#opgeslagen")).to_contain_text("Opgeslagen om")
    with live_server.app.app_context():
        assert TYPED in db.session.scalar(select(Draft.text).where(Draft.id == draft_id))
