"""Structured forms for a card's steps: they read from and write back into the draft's Markdown (the text
stays the one truth), add, remove and reorder options and steps in place, keep what was typed on an error,
never save over another author's change of the same step, and show the card's shape and map after a save."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bril.editor_steps import (EndingFields, add_ending, add_step, fits, move_step, nodes_of, read_ending, read_step,
                               remove_step, shape, write_ending, write_step)
from bril.models import Draft, User, db
from bril.starters import CARD
from support.pages import posted_form
from support.sessions import login

ROOT = Path(__file__).resolve().parent.parent
STARTER = CARD.format(story="anna")


def test_every_bundled_step_fits_the_form_and_writes_back_to_the_same_card():
    for path in sorted((ROOT / "dilemmas").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for node in nodes_of(text):
            if node.kind == "stap":
                assert fits(text, node.id), (path.name, node.id)
                again = write_step(text, read_step(text, node.id))
                assert read_step(again, node.id) == read_step(text, node.id)
                assert [n.id for n in nodes_of(again)] == [n.id for n in nodes_of(text)]


def test_a_step_with_a_line_the_form_has_no_field_for_is_not_offered():
    text = STARTER.replace("## Situatie\n", "Een losse regel.\n\n## Situatie\n")
    assert not fits(text, "begin") and fits(STARTER, "begin")


def test_steps_are_added_moved_and_removed_in_the_text():
    text, new = add_step(STARTER)
    assert new == "stap-2" and [n.id for n in nodes_of(text)] == ["begin", "stap-2", "einde-samen", "einde-wachten"]
    assert shape(text).unreached == ("stap-2",)
    moved = move_step(text, "stap-2", -1)
    assert [n.id for n in nodes_of(moved) if n.kind == "stap"] == ["stap-2", "begin"]
    assert move_step(moved, "stap-2", -1) == moved  # the first step cannot go higher
    assert [n.id for n in nodes_of(remove_step(moved, "begin"))] == ["stap-2", "einde-samen", "einde-wachten"]
    assert remove_step(text, "stap-2").rstrip("\n") == STARTER.rstrip("\n")


def test_the_shape_counts_what_twine_counts():
    counted = shape(STARTER)
    assert (counted.unreached, counted.dangling, counted.unused_endings, counted.longest, counted.shortest) == (
        (), (), (), 1, 1)
    broken = STARTER.replace("→ einde-wachten", "→ nergens")
    counted = shape(broken)
    assert counted.dangling == (("begin", 2),) and counted.unused_endings == ("einde-wachten",)
    text, new = add_step(STARTER)
    deeper = text.replace("- Je wacht af. → einde-wachten", f"- Je wacht af. → {new}")
    assert (shape(deeper).longest, shape(deeper).shortest, shape(deeper).unreached) == (2, 1, ())


@pytest.fixture
def writer(app, make_user):
    make_user("stappen@example.org", role="procesbegeleider")
    with app.app_context():
        db.session.scalar(select(User).filter_by(email="stappen@example.org")).author = True
        db.session.commit()
    return login(app, "stappen@example.org")


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def text_of(app, draft_id: int) -> str:
    with app.app_context():
        return db.session.get(Draft, draft_id).text


@pytest.fixture
def card(writer):
    created = writer.submit("/eigen/nieuw/dilemma", {"naam": "stappen-kaart"}, page="/eigen/")
    return int(created.location.rsplit("/", 1)[1])


def test_the_form_reads_the_step_and_a_save_writes_only_that_step_back(app, writer, card):
    page = writer.get(f"/eigen/{card}/stap/begin").get_data(as_text=True)
    assert "Beschrijf hier wat de professional ziet of hoort." in page and 'value="Je wacht af."' in page
    data = posted_form(page)
    data.update({"situatie": "Een moeder vertelt dat haar zoon nieuwe schoenen heeft.", "actie": "opslaan",
                 "opties-1-keuze": "Je vraagt door."})
    response = writer.post(f"/eigen/{card}/stap/begin", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    text = text_of(app, card)
    assert "Een moeder vertelt dat haar zoon nieuwe schoenen heeft." in text
    assert "- Je vraagt door. → einde-wachten" in text
    assert text.split("# Einde einde-samen")[1] == STARTER.split("# Einde einde-samen")[1]
    assert "Geen fouten gevonden." in writer.get(f"/eigen/{card}").get_data(as_text=True)


def test_an_error_keeps_what_was_typed_and_saves_nothing(app, writer, card):
    before = text_of(app, card)
    data = posted_form(writer.get(f"/eigen/{card}/stap/begin").get_data(as_text=True))
    data.update({"situatie": "Mijn eigen zin die blijft staan.", "vraag": "", "actie": "opslaan",
                 "opties-0-client": "Bel 06-12345678 voor meer."})
    response = writer.post(f"/eigen/{card}/stap/begin", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mijn eigen zin die blijft staan." in page and "Schrijf de vraag aan de groep." in page
    assert "telefoonnummer" in page
    assert 'href="#opties-0-client"' in page and 'id="opties-0-client"' in page  # the error summary leads to the wrong field
    assert text_of(app, card) == before


def test_options_are_added_moved_and_removed_in_place_and_saved_together(app, writer, card):
    data = posted_form(writer.get(f"/eigen/{card}/stap/begin").get_data(as_text=True))
    data.update({"actie": "optie-erbij", "situatie": "Getypt en nog niet bewaard."})
    page = writer.post(f"/eigen/{card}/stap/begin", data=data).get_data(as_text=True)
    assert "Optie 3 staat erbij." in page and "Getypt en nog niet bewaard." in page and "Optie C" in page
    data = posted_form(page)
    data.update({"opties-2-keuze": "Je belt de wijkagent.", "opties-2-naar": "einde-samen",
                 "opties-2-client": "De cliënt merkt niets.", "opties-2-systeem": "De buren voelen zich gezien.",
                 "actie": "optie-op-3"})
    page = writer.post(f"/eigen/{card}/stap/begin", data=data).get_data(as_text=True)
    data = posted_form(page)
    assert data["opties-1-keuze"] == "Je belt de wijkagent."
    data["actie"] = "optie-weg-1"
    data = posted_form(writer.post(f"/eigen/{card}/stap/begin", data=data).get_data(as_text=True))
    data["actie"] = "opslaan"
    assert writer.post(f"/eigen/{card}/stap/begin", data=data).status_code == 302
    options = read_step(text_of(app, card), "begin").options
    assert [o.label for o in options] == ["Je belt de wijkagent.", "Je wacht af."]
    assert options[0].system == "De buren voelen zich gezien."


def test_a_change_elsewhere_is_kept_and_a_change_of_the_same_step_is_never_saved_over(app, writer, card):
    mine = posted_form(writer.get(f"/eigen/{card}/stap/begin").get_data(as_text=True))
    # Another tab changes the title of the card in the source: my step save keeps it.
    with app.app_context():
        draft = db.session.get(Draft, card)
        draft.text, draft.revision = draft.text.replace("Een nieuwe dilemmakaart", "Andere titel"), draft.revision + 1
        db.session.commit()
    mine.update({"vraag": "Wat doe jij nu?", "actie": "opslaan"})
    assert writer.post(f"/eigen/{card}/stap/begin", data=mine).status_code == 302
    assert "Andere titel" in text_of(app, card) and "Wat doe jij nu?" in text_of(app, card)
    # Another tab changes this very step: my save is refused, both texts are on the page.
    with app.app_context():
        draft = db.session.get(Draft, card)
        draft.text, draft.revision = draft.text.replace("Wat doe jij nu?", "Hun vraag?"), draft.revision + 1
        db.session.commit()
    mine["vraag"] = "Mijn vraag?"
    response = writer.post(f"/eigen/{card}/stap/begin", data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Hun vraag?" in page and "Mijn vraag?" in page
    assert "Iemand anders heeft deze stap intussen opgeslagen" in page
    assert "Hun vraag?" in text_of(app, card)
    again = posted_form(page)
    again["actie"] = "opslaan"
    assert writer.post(f"/eigen/{card}/stap/begin", data=again).status_code == 302
    assert "Mijn vraag?" in text_of(app, card)


def test_steps_are_added_moved_removed_and_the_counts_and_map_follow(app, writer, card):
    page = writer.get(f"/eigen/{card}").get_data(as_text=True)
    assert "Stappen waar geen route komt</dt>\n  <dd>geen" in page and "dilemma-map" in page

    def press(actie, stap=""):
        token = csrf(writer.get(f"/eigen/{card}").get_data(as_text=True))
        return writer.post(f"/eigen/{card}/stappen", data={"csrf_token": token, "actie": actie, "stap": stap})

    assert press("erbij").status_code == 302
    page = writer.get(f"/eigen/{card}").get_data(as_text=True)
    assert "Stappen waar geen route komt</dt>\n  <dd>1: <code>stap-2</code>" in page and "dilemma-map" in page
    press("omhoog", "stap-2")
    assert [n.id for n in nodes_of(text_of(app, card)) if n.kind == "stap"] == ["stap-2", "begin"]
    press("weg", "begin")
    assert press("weg", "stap-2").status_code == 302
    assert [n.id for n in nodes_of(text_of(app, card)) if n.kind == "stap"] == ["stap-2"]
    assert "minstens één stap" in writer.get(f"/eigen/{card}").get_data(as_text=True)


def test_the_autosave_sends_the_counts_and_map_again(app, writer, card):
    page = writer.get(f"/eigen/{card}").get_data(as_text=True)
    text = text_of(app, card).replace("→ einde-wachten", "→ nergens")
    answer = writer.post(f"/eigen/{card}", data={"csrf_token": csrf(page), "tekst": text, "revisie": 1},
                         headers={"Accept": "application/json"}).get_json()
    assert "stap <code>begin</code> optie B" in answer["vorm"] and "dilemma-map" in answer["vorm"]


def test_every_bundled_ending_fits_its_form_and_an_ending_is_added_and_written():
    for path in sorted((ROOT / "dilemmas").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        for node in nodes_of(text):
            if node.kind == "einde":
                assert fits(text, node.id), (path.name, node.id)
    added = add_ending(STARTER)
    assert [n.id for n in nodes_of(added)][-1] == "einde-1" and shape(added).unused_endings == ("einde-1",)
    written = write_ending(added, EndingFields("einde-1", "Te laat", "slechter", "Je hoort het pas later."))
    assert read_ending(written, "einde-1") == EndingFields("einde-1", "Te laat", "slechter", "Je hoort het pas later.")
    assert written.startswith(STARTER.rstrip("\n"))


def test_the_ending_form_writes_back_keeps_typing_on_an_error_and_endings_come_and_go(app, writer, card):
    page = writer.get(f"/eigen/{card}/einde/einde-samen").get_data(as_text=True)
    assert "Samen zie je meer." in page and '<option selected value="beter">' in page
    data = posted_form(page, marker=f'action="/eigen/{card}/einde/einde-samen"')
    data.update({"titel": "Samen verder", "reflectie": "", "uitkomst": "gemengd"})
    refused = writer.post(f"/eigen/{card}/einde/einde-samen", data=data)
    assert refused.status_code == 422 and "Schrijf een korte reflectie." in refused.get_data(as_text=True)
    assert 'value="Samen verder"' in refused.get_data(as_text=True)
    data["reflectie"] = "Samen zie je meer dan alleen."
    assert writer.post(f"/eigen/{card}/einde/einde-samen", data=data).status_code == 302
    assert read_ending(text_of(app, card), "einde-samen") == EndingFields(
        "einde-samen", "Samen verder", "gemengd", "Samen zie je meer dan alleen.")

    def press(actie, stap=""):
        token = csrf(writer.get(f"/eigen/{card}").get_data(as_text=True))
        return writer.post(f"/eigen/{card}/stappen", data={"csrf_token": token, "actie": actie, "stap": stap})

    press("einde-erbij")
    page = writer.get(f"/eigen/{card}").get_data(as_text=True)
    assert "Eindes waar je nooit komt</dt>\n  <dd>1: <code>einde-1</code>" in page
    press("einde-weg", "einde-1")
    press("einde-weg", "einde-wachten")
    assert [n.id for n in nodes_of(text_of(app, card)) if n.kind == "einde"] == ["einde-samen"]
    press("einde-weg", "einde-samen")
    assert "minstens één einde" in writer.get(f"/eigen/{card}").get_data(as_text=True)
