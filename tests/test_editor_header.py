"""The form for a card's header: it reads the YAML front matter and writes back only what changed (unchanged
keys, comments and the body stay byte for byte), adds, removes and moves kader rules in place, keeps what was
typed on an error, and never saves over another author's change of the header."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bril.editor_header import HeaderForm, fits, plain, read_header, write_header
from bril.models import Draft, User, db
from support.pages import posted_form
from support.sessions import login

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "dilemmas").glob("*.md"))


def test_every_bundled_header_fits_the_form_and_round_trips_unchanged(app):
    assert len(BUNDLED) >= 30
    with app.test_request_context():
        for path in BUNDLED:
            text = path.read_text(encoding="utf-8")
            assert fits(text), path.name
            form = HeaderForm.of(text)
            assert write_header(text, form.header(text)) == text, path.name


def test_a_changed_key_is_written_alone_and_comments_order_and_body_survive():
    text = (ROOT / "dilemmas" / BUNDLED[0].name).read_text(encoding="utf-8")
    text = text.replace("\nrol: ", "\n# Rol gekozen met het team.\nrol: ", 1)
    header = read_header(text)
    header["titel"] = "Een nieuwe titel"
    header["leeswijzer"]["doel"] = "Deelnemers oefenen het gesprek. " * 4
    written = write_header(text, header)
    assert plain(read_header(written)) == plain(header)  # a folded text ends with one line break
    assert "# Rol gekozen met het team." in written
    before, after = text.split("\n"), written.split("\n")
    changed = [line for line in after if line not in before]
    assert changed[0] == "titel: Een nieuwe titel" and all(line.startswith("  ") for line in changed[1:])
    assert written.split("\n---\n", 1)[1] == text.split("\n---\n", 1)[1]  # the body, byte for byte
    keys = [m.group(1) for m in re.finditer(r"^([a-z_]+):", written.split("\n---\n", 1)[0], re.M)]
    assert keys == [m.group(1) for m in re.finditer(r"^([a-z_]+):", text.split("\n---\n", 1)[0], re.M)]


def test_moving_or_adding_a_rule_keeps_every_unchanged_rule_as_written():
    text = BUNDLED[0].read_text(encoding="utf-8")
    first_rule = text.split("\n    - naam: ")[1]
    text = text.replace("      stappen: [spreekuur]\n", "      # Alleen bij het spreekuur.\n      stappen: [spreekuur]\n", 1)
    header = read_header(text)
    rules = header["kader"]["regels"]
    rules[0], rules[1] = rules[1], rules[0]
    rules.append({"naam": "Nieuw", "stappen": ["spreekuur"], "uitleg": "Wat de regel zegt.", "bron": "Wet"})
    written = write_header(text, header)
    assert plain(read_header(written)) == plain(header)
    moved = written.split("\n    - naam: ")[2]
    assert moved.startswith(first_rule.split("\n      stappen")[0]) and "# Alleen bij het spreekuur." in moved
    assert "      stappen: [spreekuur]" in moved and "    - naam: Nieuw\n      stappen:\n        - spreekuur" in written


@pytest.fixture
def writer(app, make_user):
    make_user("kop@example.org", role="procesbegeleider")
    with app.app_context():
        db.session.scalar(select(User).filter_by(email="kop@example.org")).author = True
        db.session.commit()
    return login(app, "kop@example.org")


@pytest.fixture
def card(app, writer):
    """A draft holding a bundled card's text."""
    created = writer.submit("/eigen/nieuw/dilemma", {"naam": "kop-kaart"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    with app.app_context():
        draft = db.session.get(Draft, draft_id)
        draft.text, draft.revision = BUNDLED[0].read_text(encoding="utf-8"), draft.revision + 1
        db.session.commit()
    return draft_id


def text_of(app, draft_id: int) -> str:
    with app.app_context():
        return db.session.get(Draft, draft_id).text


def test_the_page_links_from_the_editor_and_posting_it_unchanged_changes_nothing(app, writer, card):
    assert f'href="/eigen/{card}/kop"' in writer.get(f"/eigen/{card}").get_data(as_text=True)
    before = text_of(app, card)
    page = writer.get(f"/eigen/{card}/kop").get_data(as_text=True)
    assert "Kop van de kaart bewerken" not in page and 'name="regels-3-bron"' in page
    data = posted_form(page)
    assert "sextortion" in data["themas"]
    data["actie"] = "opslaan"
    assert writer.post(f"/eigen/{card}/kop", data=data).status_code == 302
    assert text_of(app, card) == before


def test_every_bundled_card_posted_through_the_form_unchanged_stays_byte_for_byte(app, writer, card):
    for path in BUNDLED:
        text = path.read_text(encoding="utf-8")
        with app.app_context():
            draft = db.session.get(Draft, card)
            draft.text, draft.revision = text, draft.revision + 1
            db.session.commit()
        data = posted_form(writer.get(f"/eigen/{card}/kop").get_data(as_text=True))
        data["actie"] = "opslaan"
        response = writer.post(f"/eigen/{card}/kop", data=data)
        assert response.status_code == 302, (path.name, response.get_data(as_text=True)[:3000])
        assert text_of(app, card) == text, path.name


def test_a_save_changes_only_the_header_and_rules_move_in_place(app, writer, card):
    before = text_of(app, card)
    data = posted_form(writer.get(f"/eigen/{card}/kop").get_data(as_text=True))
    data.update({"actie": "regel-neer-1", "titel": "Getypt en nog niet bewaard"})
    page = writer.post(f"/eigen/{card}/kop", data=data).get_data(as_text=True)
    assert "Regel 1 is verplaatst." in page and "Getypt en nog niet bewaard" in page
    data = posted_form(page)
    data["actie"] = "regel-erbij"
    data = posted_form(writer.post(f"/eigen/{card}/kop", data=data).get_data(as_text=True))
    data.update({"regels-4-naam": "Een nieuwe regel", "regels-4-uitleg": "Wat de regel zegt.",
                 "regels-4-bron": "Jeugdwet, art. 7.1.1", "regels-4-stappen": "spreekuur",
                 "themas": data["themas"] + ["armoede"], "actie": "opslaan"})
    assert writer.post(f"/eigen/{card}/kop", data=data).status_code == 302
    text = text_of(app, card)
    header, old = read_header(text), read_header(before)
    names = [r["naam"] for r in old["kader"]["regels"]]
    assert [r["naam"] for r in header["kader"]["regels"]] == [names[1], names[0], *names[2:], "Een nieuwe regel"]
    assert header["themas"] == old["themas"] + ["armoede"] and header["titel"] == "Getypt en nog niet bewaard"
    assert header["leeswijzer"] == old["leeswijzer"] and header["avg"] == old["avg"]
    assert text.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]


def test_an_error_keeps_what_was_typed_runs_the_privacy_guard_and_saves_nothing(app, writer, card):
    before = text_of(app, card)
    data = posted_form(writer.get(f"/eigen/{card}/kop").get_data(as_text=True))
    data.update({"titel": "", "doel": "Mijn eigen doel dat blijft staan.", "actie": "opslaan",
                 "regels-0-bron": "Bel 06-12345678 voor meer."})
    response = writer.post(f"/eigen/{card}/kop", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Mijn eigen doel dat blijft staan." in page and "Geef de kaart een titel." in page
    assert "telefoonnummer" in page
    assert 'href="#regels-0-bron"' in page and 'id="regels-0-bron"' in page  # the error summary leads to the wrong field
    assert text_of(app, card) == before


def test_the_checks_are_shown_at_their_field(app, writer, card):
    with app.app_context():
        draft = db.session.get(Draft, card)
        draft.text = draft.text.replace("\nrol: ggd\n", "\nrol: brandweer\n", 1)
        draft.revision += 1
        db.session.commit()
    page = writer.get(f"/eigen/{card}/kop").get_data(as_text=True)
    field = page.split('id="rol"')[1].split("<fieldset")[0]
    assert "Onbekende rol: brandweer" in field and 'class="error"' in field and "brandweer" in field.split("</select>")[1]
    data = posted_form(page)  # a save of another field keeps the unknown role for the check to name
    data.update({"titel": "Een andere titel", "actie": "opslaan"})
    assert writer.post(f"/eigen/{card}/kop", data=data).status_code == 302
    assert "\nrol: brandweer\n" in text_of(app, card)


def test_a_change_of_the_header_meanwhile_is_never_saved_over_and_both_are_kept(app, writer, card):
    mine = posted_form(writer.get(f"/eigen/{card}/kop").get_data(as_text=True))
    with app.app_context():  # another tab changes a step: my header save keeps it
        draft = db.session.get(Draft, card)
        draft.text, draft.revision = draft.text.replace("## Vraag", "## Vraag\n\nHun extra zin.", 1), draft.revision + 1
        db.session.commit()
    mine.update({"titel": "Mijn titel", "actie": "opslaan"})
    assert writer.post(f"/eigen/{card}/kop", data=mine).status_code == 302
    assert "Hun extra zin." in text_of(app, card) and "titel: Mijn titel" in text_of(app, card)
    with app.app_context():  # another tab changes the header: my save is refused, both on the page
        draft = db.session.get(Draft, card)
        draft.text, draft.revision = draft.text.replace("titel: Mijn titel", "titel: Hun titel"), draft.revision + 1
        db.session.commit()
    mine["titel"] = "Mijn tweede titel"
    response = writer.post(f"/eigen/{card}/kop", data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "titel: Hun titel" in page and 'value="Mijn tweede titel"' in page
    assert "titel: Hun titel" in text_of(app, card)
    again = posted_form(page)
    again["actie"] = "opslaan"
    assert writer.post(f"/eigen/{card}/kop", data=again).status_code == 302
    assert yaml.safe_load(text_of(app, card).split("---")[1])["titel"] == "Mijn tweede titel"
