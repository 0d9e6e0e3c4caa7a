"""The form for one scene of an own story: it reads one `# Scène` part out of the draft's text and writes only
that part back (the rest byte for byte), keeps what was typed on an error, runs the privacy guard, shows the
checks at their field, and never saves over another author's change of the same scene."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from bril.editor_scenes import add_scene, fits, move_scene, read_scene, remove_scene, scenes_of, write_scene
from bril.models import Draft, User, db
from support.pages import posted_form
from support.sessions import login

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "stories").glob("*.md"))


def test_every_bundled_scene_fits_the_form_and_a_change_touches_only_its_own_lines():
    assert len(BUNDLED) >= 5
    for path in BUNDLED:
        text = path.read_text(encoding="utf-8")
        assert len(scenes_of(text)) >= 3, path.name
        for part in scenes_of(text):
            assert fits(text, part.number), (path.name, part.number)
            scene = read_scene(text, part.number)
            assert write_scene(text, part.number, scene) == text, (path.name, part.number)
            scene.title = "Een andere titel"
            lines, written = text.split("\n"), write_scene(text, part.number, scene).split("\n")
            assert [i for i, (a, b) in enumerate(zip(lines, written)) if a != b] == [part.start]
            assert len(lines) == len(written) and written[part.start] == "# Scène: Een andere titel"


def test_a_scene_with_a_line_the_form_has_no_field_for_is_not_offered():
    text = BUNDLED[0].read_text(encoding="utf-8").replace("## Signalen\n\n", "## Signalen\n\nEen losse regel.\n", 1)
    assert not fits(text, 1) and fits(text, 2)


def test_scenes_are_added_moved_and_removed_in_the_text():
    text = BUNDLED[0].read_text(encoding="utf-8")
    titles = [p.title for p in scenes_of(text)]
    added = add_scene(text)
    assert [p.title for p in scenes_of(added)] == titles + ["Nieuwe scène"]
    assert added.index("# Scène: Nieuwe scène") < added.index("# Blik van de professional")
    assert "[[Een zin die een signaal is.|nieuw-signaal-1]]" in added and "- nieuw-signaal-1: " in added
    assert "|nieuw-signaal-2]]" in add_scene(added)
    assert remove_scene(added, len(titles) + 1) == text
    moved = move_scene(text, 2, -1)
    assert [p.title for p in scenes_of(moved)] == [titles[1], titles[0], *titles[2:]]
    assert move_scene(moved, 1, 1) == text and move_scene(text, 1, -1) == text
    assert sorted(moved.split("\n")) == sorted(text.split("\n"))


@pytest.fixture
def writer(app, make_user):
    make_user("scene@example.org", role="procesbegeleider")
    with app.app_context():
        db.session.scalar(select(User).filter_by(email="scene@example.org")).author = True
        db.session.commit()
    return login(app, "scene@example.org")


def put_text(app, draft_id: int, text: str) -> None:
    with app.app_context():
        draft = db.session.get(Draft, draft_id)
        draft.text, draft.revision = text, draft.revision + 1
        db.session.commit()


@pytest.fixture
def story(app, writer):
    """A draft holding a bundled story's text."""
    created = writer.submit("/eigen/nieuw/verhaal", {"naam": "eigen-verhaal"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    put_text(app, draft_id, BUNDLED[0].read_text(encoding="utf-8"))
    return draft_id


def text_of(app, draft_id: int) -> str:
    with app.app_context():
        return db.session.get(Draft, draft_id).text


def test_the_editor_links_every_scene_and_every_bundled_scene_posted_unchanged_stays_byte_for_byte(app, writer, story):
    editor = writer.get(f"/eigen/{story}").get_data(as_text=True)
    assert all(f'href="/eigen/{story}/scene/{n}"' in editor for n in range(1, 6))
    for path in BUNDLED:
        text = path.read_text(encoding="utf-8")
        put_text(app, story, text)
        for part in scenes_of(text):
            page = writer.get(f"/eigen/{story}/scene/{part.number}").get_data(as_text=True)
            response = writer.post(f"/eigen/{story}/scene/{part.number}", data=posted_form(page))
            assert response.status_code == 302, (path.name, part.number, response.get_data(as_text=True)[:2000])
        assert text_of(app, story) == text, path.name


def test_a_save_changes_only_that_scene_in_the_files_notation(app, writer, story):
    before = text_of(app, story)
    data = posted_form(writer.get(f"/eigen/{story}/scene/2").get_data(as_text=True))
    data["tekst"] += "\r\n\r\n[[Ray heeft altijd contant geld.|veel-contant]] Harrie vraagt niets."
    data["actie"] = "signalen"  # the new marking gets its own pair of fields, its name fixed
    page = writer.post(f"/eigen/{story}/scene/2", data=data).get_data(as_text=True)
    assert "Schrijf nu waarom dit een signaal is: ‘veel-contant’." in page and text_of(app, story) == before
    assert 'name="signalen-3-naam" type="hidden" value="veel-contant"' in page
    data = posted_form(page)
    data["signalen-3-uitleg"] = "Wie altijd contant betaalt, wil vaak geen spoor achterlaten."
    assert writer.post(f"/eigen/{story}/scene/2", data=data).status_code == 302
    text = text_of(app, story)
    old, new = scenes_of(before)[1], scenes_of(text)[1]
    assert text.split("\n")[:old.start] == before.split("\n")[:old.start]
    assert text.split("\n")[new.end:] == before.split("\n")[old.end:]
    scene = "\n".join(text.split("\n")[new.start:new.end])
    assert "\n\n[[Ray heeft altijd contant geld.|veel-contant]] Harrie vraagt niets.\n\n## Signalen\n" in scene
    assert scene.rstrip().endswith("- veel-contant: Wie altijd contant betaalt, wil vaak geen spoor achterlaten.")
    assert "\r" not in text
    assert "Scène opgeslagen" in writer.get(f"/eigen/{story}/scene/2").get_data(as_text=True)


def test_a_signals_name_is_fixed_while_the_prose_carries_it_and_a_loose_explanation_can_go(app, writer, story):
    page = writer.get(f"/eigen/{story}/scene/1").get_data(as_text=True)
    assert 'name="signalen-0-naam" type="hidden" value="dagbesteding-dicht"' in page
    assert "Waarom is ‘dagbesteding-dicht’ een signaal?" in page and 'id="signalen-0-naam" name' not in page
    data = posted_form(page)
    data["tekst"] = data["tekst"].replace("|eenzaam]]", "|alleen]]")  # renamed in the prose
    data["actie"] = "opslaan"
    response = writer.post(f"/eigen/{story}/scene/1", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "Schrijf waarom `alleen` een signaal is." in page
    assert "Deze uitleg hoort bij geen zin in de tekst." in page and 'name="signalen-1-naam" type="text" value="eenzaam"' in page
    data = posted_form(page)
    data.update({"signalen-1-naam": "", "signalen-1-uitleg": "", "actie": "opslaan",
                 "signalen-4-uitleg": data["signalen-1-uitleg"]})
    assert writer.post(f"/eigen/{story}/scene/1", data=data).status_code == 302
    scene = read_scene(text_of(app, story), 1)
    assert [name for name, _ in scene.signals] == ["dagbesteding-dicht", "laaggeletterd", "zegt-dat-het-goed-gaat",
                                                   "alleen"]


def test_an_error_keeps_what_was_typed_runs_the_privacy_guard_and_saves_nothing(app, writer, story):
    before = text_of(app, story)
    data = posted_form(writer.get(f"/eigen/{story}/scene/1").get_data(as_text=True))
    data.update({"titel": "", "tekst": data["tekst"] + " Bel Harrie op 06-12345678.",
                 "signalen-4-naam": "", "signalen-4-uitleg": "zonder naam", "signalen-0-uitleg": ""})
    response = writer.post(f"/eigen/{story}/scene/1", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef de scène een titel." in page and "telefoonnummer" in page
    assert "Bel Harrie op 06-12345678." in page and "zonder naam</textarea>" in page
    assert "Dit klopt niet: zonder naam" in page and "Schrijf waarom `dagbesteding-dicht` een signaal is." in page
    assert text_of(app, story) == before


def test_the_checks_are_shown_at_their_field(app, writer, story):
    put_text(app, story, text_of(app, story).replace("- eenzaam: ", "- alleen: ", 1))
    page = writer.get(f"/eigen/{story}/scene/1").get_data(as_text=True)
    prose = page.split('id="tekst"')[1].split('id="signalen"')[0]
    signals = page.split('id="signalen"')[1]
    assert "Het signaal `eenzaam` heeft geen uitleg" in prose
    assert "De uitleg `alleen` hoort bij geen enkel signaal" in signals


def test_a_change_of_the_scene_meanwhile_is_never_saved_over_and_both_are_kept(app, writer, story):
    mine = posted_form(writer.get(f"/eigen/{story}/scene/1").get_data(as_text=True))
    put_text(app, story, text_of(app, story).replace("# Scène: Een vreemde geur", "# Scène: Hun geur", 1))
    mine["titel"] = "Mijn titel"  # another scene changed meanwhile: my save keeps it
    assert writer.post(f"/eigen/{story}/scene/1", data=mine).status_code == 302
    assert "# Scène: Hun geur" in text_of(app, story) and "# Scène: Mijn titel" in text_of(app, story)
    put_text(app, story, text_of(app, story).replace("# Scène: Mijn titel", "# Scène: Hun titel", 1))
    mine["titel"] = "Mijn tweede titel"
    response = writer.post(f"/eigen/{story}/scene/1", data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "# Scène: Hun titel" in page and 'value="Mijn tweede titel"' in page
    assert "# Scène: Hun titel" in text_of(app, story)
    assert writer.post(f"/eigen/{story}/scene/1", data={**posted_form(page), "actie": "opslaan"}).status_code == 302
    assert "# Scène: Mijn tweede titel" in text_of(app, story) and "Hun titel" not in text_of(app, story)


def test_a_card_or_a_scene_that_is_not_there_has_no_scene_form(app, writer, story):
    assert writer.get(f"/eigen/{story}/scene/9").status_code == 404
    created = writer.submit("/eigen/nieuw/dilemma", {"naam": "een-kaart"}, page="/eigen/")
    assert writer.get(f"{created.location}/scene/1").status_code == 404


def test_the_editor_adds_moves_and_removes_scenes_and_refuses_a_scene_moved_meanwhile(app, writer, story):
    before, url = text_of(app, story), f"/eigen/{story}/scenes"
    titles = [p.title for p in scenes_of(before)]
    page = f"/eigen/{story}"
    assert writer.submit(url, {"actie": "erbij"}, page=page).status_code == 302
    assert [p.title for p in scenes_of(text_of(app, story))] == titles + ["Nieuwe scène"]
    assert "# Blik van de professional" in text_of(app, story)
    response = writer.submit(url, {"actie": "erbij"}, page=page)  # five bundled scenes and one new: the most
    assert len(scenes_of(text_of(app, story))) == 6
    assert "Een verhaal heeft hoogstens 6 scènes." in writer.get(response.location).get_data(as_text=True)
    writer.submit(url, {"actie": "weg", "scene": "6", "titel": "Nieuwe scène"}, page=page)
    assert text_of(app, story) == before
    writer.submit(url, {"actie": "omlaag", "scene": "1", "titel": titles[0]}, page=page)
    assert [p.title for p in scenes_of(text_of(app, story))][:2] == [titles[1], titles[0]]
    moved = text_of(app, story)  # the list was read before the move: scene 1 is another scene now
    response = writer.submit(url, {"actie": "weg", "scene": "1", "titel": titles[0]}, page=page)
    assert text_of(app, story) == moved
    assert "Die scène staat niet meer op die plek." in writer.get(response.location).get_data(as_text=True)
    assert writer.submit(url, {"actie": "onbekend"}, page=page).status_code == 400


def test_a_heading_in_the_prose_is_refused_and_a_scene_taken_out_meanwhile_keeps_what_was_typed(app, writer, story):
    before = text_of(app, story)
    data = posted_form(writer.get(f"/eigen/{story}/scene/5").get_data(as_text=True))
    data["tekst"] += "\n\n# Blik van de professional"
    response = writer.post(f"/eigen/{story}/scene/5", data=data)
    assert response.status_code == 422 and "mag niet met # beginnen" in response.get_data(as_text=True)
    assert text_of(app, story) == before
    part = scenes_of(before)[4]
    lines = before.split("\n")
    put_text(app, story, "\n".join(lines[:part.start] + lines[part.end:]))
    data["tekst"] = "Mijn tekst die blijft staan. [[Een signaal.|mijn-signaal]]"
    response = writer.post(f"/eigen/{story}/scene/5", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "Deze scène is er niet meer" in page
    assert "Mijn tekst die blijft staan." in page
    assert len(scenes_of(text_of(app, story))) == 4
