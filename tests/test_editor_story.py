"""The form for a story's header and closing: it reads the front matter, the professional's view and the
questions, writes back only what changed (unchanged keys, comments, the scenes byte for byte), adds, removes
and moves questions and reporting routes in place, keeps what was typed on an error, shows the checks at their
field, and never saves over another author's change."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from markupsafe import escape
from sqlalchemy import select

from bril.editor_header import read_header
from bril.editor_scenes import scenes_of
from bril.editor_story import Closing, fits, read_closing, sections, write_story
from bril import drafts
from bril.models import Draft, User, db
from support.pages import posted_form
from support.sessions import login

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = sorted((ROOT / "stories").glob("*.md"))


def test_every_bundled_story_fits_and_is_written_back_unchanged():
    assert len(BUNDLED) >= 5
    for path in BUNDLED:
        text = path.read_text(encoding="utf-8")
        assert fits(text), path.name
        assert write_story(text, read_header(text), read_closing(text)) == text, path.name


def test_a_changed_view_or_question_touches_only_its_own_lines_and_the_scenes_stay():
    text = BUNDLED[0].read_text(encoding="utf-8")
    closing = read_closing(text)
    closing.view += "\n\nEen nieuwe alinea."
    closing.questions = closing.questions[1:] + closing.questions[:1]
    written = write_story(text, read_header(text), closing)
    before, after = text.split("\n"), written.split("\n")
    assert [line for line in after if line not in before] == ["Een nieuwe alinea."]
    assert sorted(before + ["", "Een nieuwe alinea."]) == sorted(after)
    end = scenes_of(text)[-1].end
    assert after[:end] == before[:end]
    assert read_closing(written).questions == closing.questions


def test_a_missing_view_is_put_before_the_questions_and_a_paragraph_break_counts_as_a_change():
    text = BUNDLED[0].read_text(encoding="utf-8")
    view = sections(text, "Blik van de professional")[0]
    lines = text.split("\n")
    without = "\n".join(lines[:view.start] + lines[view.end:])
    written = write_story(without, read_header(without), Closing("Wat zij zag.", read_closing(without).questions))
    assert "# Blik van de professional\n\nWat zij zag.\n\n# Gespreksvragen" in written
    joined = read_closing(text)
    joined.view = joined.view.replace("\n\n", "\n", 1)
    assert write_story(text, read_header(text), joined) != text


def test_a_story_whose_questions_hold_other_lines_is_not_offered():
    text = BUNDLED[0].read_text(encoding="utf-8")
    assert not fits(text.replace("# Gespreksvragen\n\n", "# Gespreksvragen\n\nEen losse zin.\n", 1))
    assert not fits(text + "\n# Gespreksvragen\n\n- Nog een vraag?\n")
    assert not fits(text.replace("persoon:\n", "persoon: Harrie\nx:\n", 1))


@pytest.fixture
def writer(app, make_user):
    make_user("verhaal@example.org", role="procesbegeleider")
    with app.app_context():
        db.session.scalar(select(User).filter_by(email="verhaal@example.org")).author = True
        db.session.commit()
    return login(app, "verhaal@example.org")


def put_text(app, draft_id: int, text: str) -> None:
    with app.app_context():
        draft = db.session.get(Draft, draft_id)
        draft.text, draft.revision = text, draft.revision + 1
        db.session.commit()


def text_of(app, draft_id: int) -> str:
    with app.app_context():
        return db.session.get(Draft, draft_id).text


@pytest.fixture
def story(app, writer):
    """A draft holding a bundled story's text."""
    created = writer.submit("/eigen/nieuw/verhaal", {"naam": "kop-verhaal"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    put_text(app, draft_id, BUNDLED[0].read_text(encoding="utf-8"))
    return draft_id


def form_of(writer, story: int, **changes) -> dict:
    data = posted_form(writer.get(f"/eigen/{story}/kop").get_data(as_text=True))
    data.update({"actie": "opslaan", **changes})
    return data


def test_every_bundled_story_posted_through_the_form_unchanged_stays_byte_for_byte(app, writer, story):
    assert f'href="/eigen/{story}/kop"' in writer.get(f"/eigen/{story}").get_data(as_text=True)
    for path in BUNDLED:
        text = path.read_text(encoding="utf-8")
        put_text(app, story, text)
        response = writer.post(f"/eigen/{story}/kop", data=form_of(writer, story))
        assert response.status_code == 302, (path.name, response.get_data(as_text=True)[:3000])
        assert text_of(app, story) == text, path.name


def test_the_new_story_a_writer_starts_from_is_offered_and_round_trips(app, writer):
    created = writer.submit("/eigen/nieuw/verhaal", {"naam": "nieuw-verhaal"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    before = text_of(app, draft_id)
    assert writer.post(f"/eigen/{draft_id}/kop", data=form_of(writer, draft_id)).status_code == 302
    assert text_of(app, draft_id) == before
    data = form_of(writer, draft_id, actie="meldroute-erbij")
    page = writer.post(f"/eigen/{draft_id}/kop", data=data).get_data(as_text=True)
    data = posted_form(page)
    data.update({"meldroutes-0-route": "niet-pluis", "actie": "opslaan"})
    assert writer.post(f"/eigen/{draft_id}/kop", data=data).status_code == 302
    text = text_of(app, draft_id)
    assert read_header(text)["meldroutes"] == ["niet-pluis"] and text.split("\n---\n", 1)[1] == before.split("\n---\n", 1)[1]


def test_a_save_writes_only_what_changed_and_questions_and_routes_move_in_place(app, writer, story):
    before = text_of(app, story)
    old_header, old_closing = read_header(before), read_closing(before)
    data = form_of(writer, story, actie="vraag-neer-1", titel="Getypt en nog niet bewaard")
    page = writer.post(f"/eigen/{story}/kop", data=data).get_data(as_text=True)
    assert "Vraag 1 is verplaatst. Sla het verhaal op om dat te bewaren." in page
    assert 'value="Getypt en nog niet bewaard"' in page and text_of(app, story) == before
    data = posted_form(page)
    data["actie"] = "vraag-erbij"
    data = posted_form(writer.post(f"/eigen/{story}/kop", data=data).get_data(as_text=True))
    data.update({"vragen-5-vraag": "Wat doe jij morgen anders?", "actie": "meldroute-op-2",
                 "rollen": data["rollen"] + ["leerkracht"]})
    data = posted_form(writer.post(f"/eigen/{story}/kop", data=data).get_data(as_text=True))
    data["actie"] = "opslaan"
    assert writer.post(f"/eigen/{story}/kop", data=data).status_code == 302
    text = text_of(app, story)
    header, closing = read_header(text), read_closing(text)
    questions = old_closing.questions
    assert closing.questions == [questions[1], questions[0], *questions[2:], "Wat doe jij morgen anders?"]
    routes = old_header["meldroutes"]
    assert header["meldroutes"] == [routes[1], routes[0], *routes[2:]]
    assert header["rollen"] == old_header["rollen"] + ["leerkracht"] and header["titel"] == "Getypt en nog niet bewaard"
    assert header["persoon"] == old_header["persoon"] and closing.view == old_closing.view
    end = scenes_of(before)[-1].end
    assert text.split("\n---\n", 1)[1].split("\n")[:end - len(before.split("\n---\n", 1)[0].split("\n"))] \
        == before.split("\n---\n", 1)[1].split("\n")[:end - len(before.split("\n---\n", 1)[0].split("\n"))]
    assert "\nsamenvatting: >\n" in text and "leeftijd: 54\n" in text  # untouched keys keep their style


def test_the_fewest_and_most_questions_are_kept_and_a_route_is_removed(app, writer, story):
    page = writer.post(f"/eigen/{story}/kop", data=form_of(writer, story, actie="vraag-erbij")).get_data(as_text=True)
    assert 'name="vragen-5-vraag"' in page and 'value="vraag-erbij"' not in page  # six: no button for a seventh
    data = posted_form(page)
    data["actie"] = "vraag-erbij"
    assert "Een verhaal heeft hoogstens 6 gespreksvragen." in writer.post(f"/eigen/{story}/kop", data=data).get_data(as_text=True)
    data = form_of(writer, story, actie="meldroute-weg-1")
    data = posted_form(writer.post(f"/eigen/{story}/kop", data=data).get_data(as_text=True))
    data["actie"] = "opslaan"
    routes = read_header(text_of(app, story))["meldroutes"]
    assert writer.post(f"/eigen/{story}/kop", data=data).status_code == 302
    assert read_header(text_of(app, story))["meldroutes"] == routes[1:]


def test_an_error_keeps_what_was_typed_runs_the_privacy_guard_and_saves_nothing(app, writer, story):
    before = text_of(app, story)
    data = form_of(writer, story, titel="", blik="Mijn eigen blik die blijft staan.\n\nMail naar jan@example.nl.",
                   **{"vragen-2-vraag": "", "vragen-3-vraag": "Een vraag die ik net typte?"})
    response = writer.post(f"/eigen/{story}/kop", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Geef het verhaal een titel." in page and "Schrijf de vraag, of haal hem weg." in page
    assert "e-mailadres" in page and "Mijn eigen blik die blijft staan." in page
    assert "Een vraag die ik net typte?</textarea>" in page
    assert 'href="#vragen-2-vraag"' in page and 'id="vragen-2-vraag"' in page  # the summary's link leads to the question's field
    assert text_of(app, story) == before
    data = form_of(writer, story, blik="Goed.\n# Een nieuw kopje")
    response = writer.post(f"/eigen/{story}/kop", data=data)
    assert response.status_code == 422 and "Dit klopt niet: # Een nieuw kopje" in response.get_data(as_text=True)


def test_the_checks_are_shown_at_their_field_in_the_words_of_content_check(app, writer, story):
    text = text_of(app, story).replace("  - wijkteam\n", "  - brandweer\n", 1)
    text = text.replace("- Is Harrie dader of slachtoffer?", "- Is Harrie schuldig?", 1)
    put_text(app, story, text)
    page = writer.get(f"/eigen/{story}/kop").get_data(as_text=True)
    roles = page.split('id="rollen"')[1].split("</fieldset>")[0]
    assert "De rol `brandweer` bestaat niet." in roles
    questions = page.split('id="vragen"')[1].split('id="meldroutes"')[0]
    assert "Er ontbreekt een vraag over dader of slachtoffer." in questions
    data = posted_form(page)  # a save of another field keeps the unknown role for the check to name
    data.update({"bron": "Eigen casus", "actie": "opslaan"})
    assert writer.post(f"/eigen/{story}/kop", data=data).status_code == 302
    assert "  - brandweer\n" in text_of(app, story) and 'bron: Eigen casus' in text_of(app, story)


def test_the_preview_shows_the_view_as_typed_without_saving(app, writer, story):
    before = text_of(app, story)
    data = form_of(writer, story, actie="voorbeeld", blik="Eerste alinea met **vet**.\n\nTweede alinea.")
    page = writer.post(f"/eigen/{story}/kop", data=data).get_data(as_text=True)
    preview = page.split('id="blik-voorbeeld-kop"')[1].split("</section>")[0]
    assert "<strong>vet</strong>" in preview and "<p>Tweede alinea.</p>" in preview
    assert text_of(app, story) == before


def test_a_change_meanwhile_is_never_saved_over_and_both_are_kept(app, writer, story):
    mine = form_of(writer, story)
    put_text(app, story, text_of(app, story).replace("# Scène: Een vreemde geur", "# Scène: Hun geur", 1))
    mine["titel"] = "Mijn titel"  # a scene changed meanwhile: my save keeps it
    assert writer.post(f"/eigen/{story}/kop", data=mine).status_code == 302
    assert "# Scène: Hun geur" in text_of(app, story) and "titel: Mijn titel" in text_of(app, story)
    put_text(app, story, text_of(app, story).replace("- Wat zou het sluiten", "- Hun vraag: wat zou het sluiten", 1))
    mine["titel"] = "Mijn tweede titel"
    response = writer.post(f"/eigen/{story}/kop", data=mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "- Hun vraag: wat zou het sluiten" in page
    assert 'value="Mijn tweede titel"' in page and "titel: Mijn titel" in text_of(app, story)
    again = posted_form(page)
    again["actie"] = "opslaan"
    assert writer.post(f"/eigen/{story}/kop", data=again).status_code == 302
    text = text_of(app, story)
    assert yaml.safe_load(text.split("---")[1])["titel"] == "Mijn tweede titel" and "Hun vraag" not in text


def test_a_story_the_form_cannot_hold_has_no_form_and_a_card_keeps_its_own(app, writer, story):
    put_text(app, story, text_of(app, story).replace("# Gespreksvragen\n\n", "# Gespreksvragen\n\nLos.\n", 1))
    assert writer.get(f"/eigen/{story}/kop").status_code == 404
    assert f'href="/eigen/{story}/kop"' not in writer.get(f"/eigen/{story}").get_data(as_text=True)
    created = writer.submit("/eigen/nieuw/dilemma", {"naam": "een-kaart"}, page="/eigen/")
    assert "Kop van de kaart" in writer.get(f"{created.location}/kop").get_data(as_text=True)


def test_the_autosave_redraws_the_scene_list_from_the_saved_text(app, writer, story):
    text = text_of(app, story).replace("# Scène: Alleen in de flat", "# Scène: Een nieuwe eerste titel", 1)
    editor = writer.get(f"/eigen/{story}").get_data(as_text=True)
    token = editor.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    with app.app_context():
        revision = db.session.get(Draft, story).revision
    answer = writer.post(f"/eigen/{story}", data={"csrf_token": token, "tekst": text, "revisie": str(revision)},
                         headers={"Accept": "application/json"}).get_json()
    assert answer["ok"] and "<strong>Een nieuwe eerste titel</strong>" in answer["scenes"]
    assert f'href="/eigen/{story}/scene/5"' in answer["scenes"] and answer["vorm"] == ""


def test_another_organisations_writer_finds_no_story_form(app, writer, story, make_user):
    before = text_of(app, story)
    data = form_of(writer, story, titel="Van een ander")
    make_user("ander@example.org", role="beheerder", org="andere-gemeente")
    other = login(app, "ander@example.org")
    assert other.get(f"/eigen/{story}/kop").status_code == 404
    own = other.get("/eigen/").get_data(as_text=True)
    data["csrf_token"] = own.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert other.post(f"/eigen/{story}/kop", data=data).status_code == 404
    assert text_of(app, story) == before


# A broken fixture, words of each problem content check finds in it, and the field of the story form that problem
# stands beside ("": above the form).
BROKEN = {"missing-title": {"`titel`": "titel"}, "unknown-theme": {"thema": "themas"}, "unknown-role": {"rol": "rollen"},
          "missing-view": {"Blik van de professional": "blik"}, "questions-incomplete": {"": "vragen"},
          "unknown-meldroute": {"mensen-handel": "meldroutes"}, "unknown-dilemma": {"dilemmakaart": "dilemmas"},
          "unknown-field": {"`bronn`": "", "`bron` ontbreekt": "bron"}}
# The places on the page in their order, each a field's own part up to the next.
PLACES = ['id="titel"', 'id="persoon"', 'id="samenvatting"', 'id="themas"', 'id="rollen"', 'id="bron"',
          'id="blik"', 'id="vragen"', 'id="meldroutes"', 'id="dilemmas"', "Verhaal opslaan</button>\n"]


def place_of(page: str, field: str) -> str:
    """The part of the page from a field to the next one ("": from the title of the page to the form)."""
    if not field:
        return page.split("<h1", 1)[1].split('class="step-form"', 1)[0]
    start = PLACES.index(f'id="{field}"')
    return page.split(PLACES[start], 1)[1].split(PLACES[start + 1], 1)[0]


def test_every_broken_fixture_shows_the_words_of_content_check_beside_its_field(app, writer, story):
    for name in BROKEN:
        text = (ROOT / "tests" / "content" / "broken" / f"{name}.md").read_text(encoding="utf-8")
        # The fixture's route is missing from the routes of content check's own test, not from this library's.
        put_text(app, story, text.replace("  - mensenhandel\n", "  - mensen-handel\n"))
        with app.test_request_context():
            with app.app_context():
                problems = drafts.checked(db.session.get(Draft, story)).problems
        assert problems, name
        page = writer.get(f"/eigen/{story}/kop").get_data(as_text=True)
        for problem in problems:
            field = next(field for words, field in BROKEN[name].items() if words in problem.message)
            message = escape(problem.message[:1].upper() + problem.message[1:])
            assert message in place_of(page, field), (name, problem.message)
