"""Every bundled card's pages answer: intro, map and print."""
from __future__ import annotations

import pytest

from bril.extensions import library


@pytest.fixture
def app(bundled_app):
    """These are content tests: every bundled card and story."""
    return bundled_app


def test_every_card_has_an_intro_a_map_and_a_print_page(client, app):
    with app.app_context():
        cards = list(library().dilemmas.values())
    assert cards
    for card in cards:
        for suffix in ("", "/routes", "/print"):
            response = client.get(f"/dilemmas/{card.slug}{suffix}")
            assert response.status_code == 200, (card.slug, suffix)
        html = client.get(f"/dilemmas/{card.slug}/print").get_data(as_text=True)
        assert "<nav" not in html and html.count('class="cut card-step"') == len(card.steps)
        pieces = sum(len(step.pieces) for step in card.steps.values())
        assert html.count('class="cut card-piece"') == pieces
        assert html.count('class="cut fold-card"') == sum(len(step.options) for step in card.steps.values())
        # The facilitator's part: the whole Leeswijzer and the kader with every rule of the card.
        assert "Nabespreking" in html and "Zo speel je de kaart" in html and "Wat de regels zeggen" in html
        assert all(str(rule.name) in html for rule in card.kader.rules)
        intro = client.get(f"/dilemmas/{card.slug}").get_data(as_text=True)
        assert "Wat de regels zeggen bij deze kaart" in intro and "Tijd per stap" in intro


def test_story_closing_page_links_to_its_cards(client, app):
    with app.app_context():
        pairs = [(slug, [d.slug for d in library().dilemmas_for(slug)]) for slug in library().stories]
    for slug, cards in pairs:
        html = client.get(f"/verhalen/{slug}/afsluiting").get_data(as_text=True)
        for card in cards:
            assert f'href="/dilemmas/{card}"' in html
