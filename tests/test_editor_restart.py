"""No typed word lost across a restart: what the editor saved (by the autosave or the step form) is in the
database, and a new app on the same database (the server started again) serves it as it was typed; so does
a new login after the old one ended."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bril.models import User, db
from support import close_app, make_app
from support.sessions import login

TYPED = "Een buurvrouw belt: er staat al dagen een bestelbus voor de deur, ’s nachts met draaiende motor."


@pytest.fixture
def author(app, make_user):
    make_user("herstart@example.org", role="procesbegeleider")
    with app.app_context():
        db.session.scalar(select(User).filter_by(email="herstart@example.org")).author = True
        db.session.commit()
    return login(app, "herstart@example.org")


def test_a_saved_draft_is_there_after_a_restart_and_a_new_login(app, database, author):
    created = author.submit("/eigen/nieuw/dilemma", {"naam": "herstart-kaart"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    page = author.get(f"/eigen/{draft_id}").get_data(as_text=True)
    text = author.get(f"/eigen/{draft_id}/download").get_data(as_text=True).replace(
        "Beschrijf hier wat de professional ziet of hoort.", TYPED)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    answer = author.post(f"/eigen/{draft_id}", data={"csrf_token": token, "tekst": text, "revisie": 1},
                         headers={"Accept": "application/json"}).get_json()
    assert answer["ok"] and answer["revisie"] == 2
    # A step saved through its form too, just before the server goes down.
    form = author.get(f"/eigen/{draft_id}/stap/begin").get_data(as_text=True)
    data = {name: value for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)}
    data.update({"titel": "Een bus voor de deur", "situatie": TYPED, "vraag": "Wat doe je met dit telefoontje?",
                 "gespreksvragen": "Wat weet je echt?\nWie is hiervan?", "actie": "opslaan"})
    for option in range(2):
        data.update({f"opties-{option}-{key}": value for key, value in
                     re.findall(rf'name="opties-{option}-(keuze|client|systeem)"[^>]*value="([^"]*)"', form)})
        data[f"opties-{option}-naar"] = ("einde-samen", "einde-wachten")[option]
    assert author.post(f"/eigen/{draft_id}/stap/begin", data=data).status_code == 302
    before = author.get(f"/eigen/{draft_id}/download").get_data(as_text=True)
    assert TYPED in before and "# Stap begin: Een bus voor de deur" in before

    restarted = make_app(database)  # the server starts again on the same database
    try:
        again = login(restarted, "herstart@example.org")
        assert again.get(f"/eigen/{draft_id}/download").get_data(as_text=True) == before
        page = again.get(f"/eigen/{draft_id}").get_data(as_text=True)
        assert "Een buurvrouw belt" in page and 'name="revisie" value="3"' in page
    finally:
        close_app(restarted)
    assert author.submit("/uitloggen", page="/eigen/").status_code == 302
    assert author.get(f"/eigen/{draft_id}").status_code in (302, 401)
    assert login(app, "herstart@example.org").get(f"/eigen/{draft_id}/download").get_data(as_text=True) == before
