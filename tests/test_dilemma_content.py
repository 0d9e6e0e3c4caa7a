"""Dilemma cards as content: the format, every kind of mistake, and the bundled library's coverage."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app import ROOT
from bril.content import load_library, role_label
from support.library import BUNDLED_CONTENT

CONTENT = Path(__file__).parent / "content"
ROUTES = CONTENT / "wie-is-hiervan.yaml"

BROKEN = {
    "option-to-missing-step": (37, "wijst naar `collegaa`, maar die stap of dat einde bestaat niet"),
    "unreachable-step": (85, "bij `einde-zelf` kom je nooit"),
    "step-without-options": (49, "de stap `collega` heeft geen opties en is ook geen einde"),
    "loop-without-exit": (24, "vanaf `deur`, `collega` kom je nooit bij een einde"),
    "duplicate-step-id": (49, "de naam `deur` is al gebruikt op regel 24"),
    "too-few-prompts": (44, "minstens 2 gespreksvragen"),
    "missing-leeswijzer": (2, "de `leeswijzer` ontbreekt"),
    "incomplete-leeswijzer": (17, "de `tijd` in de leeswijzer is het aantal minuten"),
    "unknown-role": (4, "de rol `tandarts` bestaat niet"),
    # "Niet pluis" on line 6 is the key `niet-pluis` written freely and passes.
    "unknown-theme": (7, "het thema `sloepvaren` bestaat niet"),
    "unknown-story": (8, "het verhaal `bert` bestaat niet"),
    "unknown-meldroute": (10, "`mensenhandel` bestaat niet"),
    "unknown-piece-role": (46, "de rol `tandarts` bij dit puzzelstukje bestaat niet"),
    "option-without-consequence": (37, "mist wat de keuze betekent voor het systeem"),
    "one-option": (35, "een stap heeft 2 tot 4 opties"),
    "ending-without-reflection": (79, "het einde `einde-overleg` mist `## Reflectie`"),
    "missing-kader": (2, "het `kader` ontbreekt"),
    "kader-unknown-step": (32, "de stap `achterdeur` in het kader bestaat niet"),
    "kader-rule-without-source": (31, "het veld `bron` ontbreekt of is leeg"),
    "ending-without-outcome": (99, "het einde `einde-overleg` mist `## Uitkomst`"),
    "unknown-outcome": (101, "onder `## Uitkomst` staat één woord"),
    "step-minutes-unknown-step": (23, "in `tijd_per_stap` staat `colega`, maar die stap bestaat niet. Bedoel je `collega`?"),
    "missing-leeswijzer-part": (14, "het veld `nabespreking` ontbreekt of is leeg"),
}


def load_card(tmp_path: Path, source: Path):
    folder = tmp_path / "dilemmas"
    folder.mkdir()
    shutil.copy(source, folder / source.name)
    return load_library(CONTENT / "valid", folder, ROUTES, tmp_path)


def bundled():
    """The bundled library, parsed once per run (loading it asserts that it has no problems)."""
    return BUNDLED_CONTENT.load()


def test_example_card_parses_into_a_graph():
    library, problems = load_library(CONTENT / "valid", CONTENT / "dilemmas" / "valid", ROUTES, CONTENT)
    assert problems == []
    card = library.dilemmas["voordeur"]
    assert (card.role, card.stories, card.start) == ("wmo-consulent", ("anna",), "deur")
    assert list(card.steps) == ["deur", "collega"] and list(card.endings) == ["einde-wachten", "einde-overleg",
                                                                               "einde-zelf"]
    first = card.steps["deur"].options[0]
    assert (first.number, first.target, first.label) == (1, "collega", "Je noteert het en bespreekt het met een collega.")
    assert "niet alleen" in first.system and "merkt nog niets" in first.client
    assert card.depth == 2 and card.shortest == 1
    assert card.leeswijzer.minutes == 20 and len(card.leeswijzer.pitfalls) == 1
    assert library.dilemmas_for("anna") == [card]


def test_the_example_in_the_authors_guide_is_a_valid_card(tmp_path):
    guide = (ROOT / "docs" / "auteurs.md").read_text(encoding="utf-8")
    example = guide.split("## Een volledig klein voorbeeld")[1].split("```markdown\n", 1)[1].rsplit("```", 1)[0]
    (tmp_path / "voorbeeld.md").write_text(example.replace("  - harrie\n", "  - anna\n"), encoding="utf-8")
    library, problems = load_card(tmp_path, tmp_path / "voorbeeld.md")
    assert problems == [] and "voorbeeld" in library.dilemmas


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_card_is_reported_with_file_line_and_message(tmp_path, case):
    line, message = BROKEN[case]
    library, problems = load_card(tmp_path, CONTENT / "dilemmas" / "broken" / f"{case}.md")
    assert library is None
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    assert (matching[0].path, matching[0].line) == (f"dilemmas/{case}.md", line)


def test_every_broken_card_fixture_has_a_case():
    assert {p.stem for p in (CONTENT / "dilemmas" / "broken").glob("*.md")} == set(BROKEN)


def test_bundled_library_has_thirty_cards_of_varied_shape_covering_all_stories_and_eighteen_roles():
    library = bundled()
    cards = list(library.dilemmas.values())
    assert len(cards) >= 30
    assert {story for card in cards for story in card.stories} == set(library.stories)
    assert len({card.role for card in cards}) >= 18, sorted(role_label(c.role) for c in cards)
    single = [c for c in cards if len(c.steps) == 1 and all(o.target in c.endings for o in c.steps[c.start].options)]
    assert len(single) >= 4, "kaarten met één vraag, voor een grote zaal"
    assert len([c for c in cards if c.depth >= 5]) >= 4, "kaarten met vijf of meer beslissingen"
    both = [c for c in cards if {"beter", "slechter"} <= {e.outcome for e in c.endings.values()}]
    assert len(both) >= 5, "kaarten met een einde dat beter en een dat slechter afloopt"
    assert len({str(c.avg) for c in cards}) == len(cards), "elke kaart heeft een eigen AVG-tekst"
    for card in cards:
        assert set(card.leeswijzer.step_minutes) == set(card.steps), card.slug
        assert card.kader is not None and card.kader.rules, card.slug


@pytest.mark.parametrize("check", ["depth", "options", "prompts", "endings", "leeswijzer", "actions"])
def test_every_bundled_card_meets_the_content_rules(check):
    for card in bundled().dilemmas.values():
        if check == "depth":
            # A single-question card (one step, every option to an ending) is for a large hall.
            assert 2 <= card.depth or (card.depth == 1 and len(card.steps) == 1), card.slug
        elif check == "options":
            assert all(2 <= len(s.options) <= 4 and all(o.client and o.system for o in s.options)
                       for s in card.steps.values()), card.slug
        elif check == "prompts":
            assert all(len(s.prompts) >= 2 for s in card.steps.values()), card.slug
        elif check == "endings":
            assert card.endings and all(e.reflection for e in card.endings.values()), card.slug
        elif check == "leeswijzer":
            lw = card.leeswijzer
            assert lw.goal and lw.group_size and lw.minutes > 0 and lw.approach and lw.pitfalls, card.slug
        else:
            assert card.actions, card.slug


def test_stories_link_back_to_their_cards():
    library = bundled()
    for slug in library.stories:
        assert library.dilemmas_for(slug), slug
