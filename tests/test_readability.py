"""The Flesch-Douma score of Dutch text, with syllables counted as vowel groups (pyphen is not installed)."""
from __future__ import annotations

import pytest

from bril.readability import B1_MINIMUM, score, sentences, syllables


@pytest.mark.parametrize(("word", "count"), [
    ("kat", 1), ("eten", 2), ("open", 2), ("idee", 2), ("ideeën", 3), ("cliënt", 2), ("huisbezoek", 3),
    ("beroepsgeheim", 4), ("mensenhandel", 4), ("team", 1), ("AVG", 3), ("Wmo", 3), ("geldezel", 3),
])
def test_syllables_are_dutch_vowel_groups(word, count):
    assert syllables(word) == count


def test_sentences_end_at_a_full_stop_but_not_after_an_abbreviation():
    assert sentences("Hij belt bijv. de wijkagent. Zij wacht af! Wat nu?") == [
        "Hij belt bijv. de wijkagent.", " Zij wacht af!", " Wat nu?"]


def test_a_plain_sentence_reaches_b1_with_the_douma_formula():
    plain = score("Je ziet een jongen bij de deur. Hij kijkt weg als je hem groet.")
    assert (plain.words, plain.sentences, plain.syllables) == (14, 2, 15)
    assert plain.value == pytest.approx(206.84 - 0.77 * (100 * 15 / 14) - 0.93 * 7)
    assert plain.b1 and plain.hint() == ""


def test_a_long_hard_sentence_gets_a_hint_naming_what_to_change():
    hard = score("De professional constateert gedurende het huisbezoek een aanzienlijke hoeveelheid onverklaarbare "
                 "financiële transacties die mogelijkerwijs duiden op betrokkenheid bij criminele activiteiten.")
    assert hard.value < B1_MINIMUM and not hard.b1
    assert "maak ze korter" in hard.hint() and "B1" in hard.hint()
    long_words = score("Gemeentelijke schuldhulpverleningsinstanties ondersteunen arbeidsongeschikte uitkeringsgerechtigden "
                       "bij administratieve verplichtingen.")
    assert not long_words.b1 and "kortere, gewone woorden" in long_words.hint()


def test_a_short_text_is_not_judged_and_markup_is_not_read():
    assert score("Wat doe je?").b1
    assert score("") is None
    marked = score("Hij [[leent zijn pas uit|pas]] aan een vriend. → stap-twee")
    assert (marked.words, marked.sentences) == (8, 1)
