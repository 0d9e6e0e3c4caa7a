"""The checks at the field: every problem names the step or field it belongs to, every text a reader reads
gets a B1 hint when it is too hard, and a kader rule without a source is a warning that does not block."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import select

from bril.editor_fields import field_at, outline, placed, readings, sourceless_rules, warnings
from bril.content.problems import Problem, Problems
from bril.content.single import parse_text
from bril.models import User, db
from bril.starters import CARD, STORY
from support.sessions import login

ROOT = Path(__file__).resolve().parent.parent
STARTER = CARD.format(story="anna")
HARD = ("De professional constateert gedurende het huisbezoek een aanzienlijke hoeveelheid onverklaarbare "
        "financiële transacties die mogelijkerwijs duiden op betrokkenheid bij criminele activiteiten.")


def line_of(text: str, piece: str) -> int:
    return text[:text.index(piece)].count("\n") + 1


def test_every_line_of_a_card_belongs_to_a_named_field():
    parts = outline(STARTER)
    assert field_at(parts, line_of(STARTER, "Beschrijf hier")) == "Stap begin · Situatie"
    assert field_at(parts, line_of(STARTER, "- Cliënt: Wat merkt")) == "Stap begin · Optie A · Cliënt"
    assert field_at(parts, line_of(STARTER, "- Je wacht af.")) == "Stap begin · Optie B"
    assert field_at(parts, line_of(STARTER, "Wie is hiervan?")) == "Stap begin · Gespreksvragen 2"
    assert field_at(parts, line_of(STARTER, "  doel:")) == "Leeswijzer · doel"
    assert field_at(parts, line_of(STARTER, "Je mag een twijfel")) == "Kader · regel 1 · uitleg"
    assert field_at(parts, line_of(STARTER, "Samen zie je meer.")) == "Einde einde-samen · Reflectie"
    assert field_at(parts, line_of(STARTER, "bron: \"Eigen casus")) == "Bron"
    assert field_at(parts, line_of(STARTER, "---\n\n# Stap")) == "Kop van het bestand"
    assert placed([Problem("x.md", line_of(STARTER, "## Vraag") + 2, "iets")], parts)[0].field == "Stap begin · Vraag"


def test_a_story_names_its_scenes_by_number():
    parts = outline(STORY)
    assert field_at(parts, line_of(STORY, "Sam heeft nieuwe kleren")) == "Scène 2"
    assert field_at(parts, line_of(STORY, "- stem:")) == "Scène 3 · Signalen 1"


def test_a_hard_text_gets_a_hint_beside_its_field_and_a_plain_one_none():
    assert warnings(STARTER) == []
    text = STARTER.replace("Beschrijf hier wat de professional ziet of hoort.", HARD)
    (warning,) = warnings(text)
    assert warning.field == "Stap begin · Situatie" and warning.line == line_of(text, HARD)
    assert "B1" in warning.message and "korter" in warning.message


def test_a_kader_rule_with_a_placeholder_source_is_a_warning():
    text = STARTER.replace('bron: "Autoriteit Persoonsgegevens, *Algemene verordening gegevensbescherming*"',
                           'bron: "nog invullen"')
    (warning,) = sourceless_rules(text)
    assert warning.field == "Kader · regel 1" and "geen bron" in warning.message
    assert warning.line == line_of(text, "- naam: Het beroepsgeheim")


def test_every_bundled_file_has_an_outline_that_places_every_line():
    for path in sorted((ROOT / "dilemmas").glob("*.md")) + sorted((ROOT / "stories").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        parts = outline(text)
        assert parts, path
        assert sourceless_rules(text) == [], path  # every bundled rule names its source
        body = text.index("\n---\n", 4) + 5
        assert all(field_at(parts, n) != "Tekst" for n in range(text[:body].count("\n") + 2, text.count("\n") + 1)
                   if text.split("\n")[n - 1].strip()), path


@pytest.fixture
def author(app, make_user):
    make_user("schrijver@example.org", role="procesbegeleider")
    with app.app_context():
        db.session.scalar(select(User).filter_by(email="schrijver@example.org")).author = True
        db.session.commit()
    return login(app, "schrijver@example.org")


def test_the_editor_shows_problems_and_hints_with_their_field_and_the_autosave_sends_them(author):
    created = author.submit("/eigen/nieuw/dilemma", {"naam": "velden-kaart"}, page="/eigen/")
    draft_id = int(created.location.rsplit("/", 1)[1])
    page = author.get(f"/eigen/{draft_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    text = author.get(f"/eigen/{draft_id}/download").get_data(as_text=True)
    text = text.replace("Beschrijf hier wat de professional ziet of hoort.", HARD)
    text = text.replace("  - Systeem: Wat betekent het voor de mensen om de cliënt heen?\n- Je wacht af.", "- Je wacht af.")
    answer = author.post(f"/eigen/{draft_id}", data={"csrf_token": token, "tekst": text, "revisie": 1},
                         headers={"Accept": "application/json"}).get_json()
    assert answer["ok"]
    assert {"veld": "Stap begin · Optie A", "regel": line_of(text, "- Je bespreekt")} == {
        k: v for k, v in answer["problemen"][0].items() if k != "melding"}
    assert "Systeem" in answer["problemen"][0]["melding"]
    assert "<strong>Stap begin · Situatie</strong>: Lastig om te lezen" in answer["waarschuwingen"]
    assert answer["waarschuwingen"].count("<li>") == 1 and "Score per tekst" in answer["waarschuwingen"]
    page = author.get(f"/eigen/{draft_id}").get_data(as_text=True)
    assert "<strong>Stap begin · Optie A</strong>: de optie" in page
    assert "<strong>Stap begin · Situatie</strong>: Lastig om te lezen" in page
    assert re.search(r'data-regel="\d+">Stap begin · Vraag</a></th>\s*<td>te kort voor een score', page)
    assert re.search(r'>Stap begin · Situatie</a></th>\s*<td>-?\d+ · lastig', page)


def test_every_text_has_a_reading_and_a_short_one_no_score():
    found = {r.field: r for r in readings(STARTER)}
    assert found["Stap begin · Vraag"].score is None  # "Wat doe je?" is too short to judge
    assert found["Leeswijzer · alleen"].score > 60 and found["Leeswijzer · alleen"].b1
    assert "Stap begin · Optie A · Systeem" in found and "Kader · regel 1 · uitleg" in found


BROKEN = ROOT / "tests" / "content"
# A broken fixture, the words of the problem it is about, and the field the editor puts that problem beside.
PLACES = [
    ("dilemmas/broken/kader-rule-without-source.md", "het veld `bron` ontbreekt", "Kader · regel 1 · bron"),
    ("dilemmas/broken/kader-unknown-step.md", "`achterdeur` in het kader", "Kader · regel 1"),
    ("dilemmas/broken/missing-kader.md", "het `kader` ontbreekt", "Kader"),
    ("dilemmas/broken/missing-leeswijzer-part.md", "`nabespreking` ontbreekt", "Leeswijzer · nabespreking"),
    ("dilemmas/broken/one-option.md", "2 tot 4 opties", "Stap deur · Opties"),
    ("dilemmas/broken/option-without-consequence.md", "mist wat de keuze betekent", "Stap deur · Optie A"),
    ("dilemmas/broken/option-to-missing-step.md", "bestaat niet", "Stap deur · Optie A"),
    ("dilemmas/broken/too-few-prompts.md", "gespreksvragen nodig", "Stap deur · Gespreksvragen"),
    ("dilemmas/broken/unknown-outcome.md", "staat één woord", "Einde einde-overleg · Uitkomst"),
    ("dilemmas/broken/unknown-piece-role.md", "`tandarts` bij dit puzzelstukje", "Stap deur · Puzzelstukjes 1"),
    ("dilemmas/broken/unknown-role.md", "de rol `tandarts` bestaat niet", "Rol"),
    ("dilemmas/broken/unknown-story.md", "`bert` bestaat niet", "Verhalen"),
    ("dilemmas/broken/unreachable-step.md", "kom je nooit", "Einde einde-zelf"),
    ("broken/missing-title.md", "het veld `titel` ontbreekt", "Titel"),
    ("broken/explanation-without-signal.md", "de uitleg `extra`", "Scène 1 · Signalen 2"),
    ("broken/empty-scene.md", "is leeg", "Scène 2"),
    ("broken/unknown-field.md", "het veld `bron` ontbreekt", "Bron"),
    ("broken/questions-incomplete.md", "dader of slachtoffer", "Gespreksvragen"),
]


@pytest.mark.parametrize(("fixture", "about", "field"), PLACES)
def test_a_broken_fixture_shows_its_problem_beside_the_right_field(fixture, about, field):
    path = BROKEN / fixture
    text = path.read_text(encoding="utf-8")
    problems = Problems()
    parse_text(text, path, problems, kind="dilemma" if fixture.startswith("dilemmas") else "verhaal", slug="x",
               stories={"anna"}, dilemmas=set(), meldroutes={"niet-pluis", "schulden", "mensenhandel"})
    placed_here = placed(problems.items, outline(text))
    assert [p.message for p in placed_here] == [p.message for p in problems.items]  # the check's own words
    assert field in [p.field for p in placed_here if about in p.message], placed_here
