"""Wie is hiervan?, as bundled (wie-is-hiervan.yaml) with the bundled stories."""
from __future__ import annotations

import pytest

from bril.extensions import library


@pytest.fixture
def app(bundled_app):
    return bundled_app


def test_every_route_is_shown_with_its_contacts_and_stories(client, app):
    html = client.get("/wie-is-hiervan").get_data(as_text=True)
    with app.app_context():
        book = library().meldroutes
        stories = library().stories
    assert book.organisation in html
    for key, route in book.routes.items():
        assert f'id="{key}"' in html and route.title in html
        for contact in route.contacts:
            assert contact.who in html
    for story in stories.values():
        for key in story.meldroutes:
            section = html.split(f'id="{key}"')[1].split("</section>")[0]
            assert f'href="/verhalen/{story.slug}"' in section
