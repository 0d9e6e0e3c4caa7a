"""Reading stories through the test client: library, scenes, reveal, closing page, reflections."""
from __future__ import annotations

import re

from sqlalchemy import func, select

from bril.extensions import library
from bril.models import Reflection, SceneAnswer, StoryProgress, db

STORIES = ("ruben", "sanne", "tim")  # the fixture library's stories (tests/content/library)


def signal_keys(app, slug: str, number: int) -> list[str]:
    with app.app_context():
        return [s.passage for s in library().stories[slug].scenes[number - 1].signals]


def plain_keys(app, slug: str, number: int) -> list[str]:
    with app.app_context():
        scene = library().stories[slug].scenes[number - 1]
        return [p.key for p in scene.passages if p.signal is None]


def test_home_and_library_list_every_story_in_dutch(client):
    for url in ("/", "/verhalen/"):
        response = client.get(url)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and '<html lang="nl">' in html
        for slug in STORIES:
            assert f'href="/verhalen/{slug}"' in html


def test_every_story_answers_with_intro_scenes_and_closing(client, app):
    for slug in STORIES:
        with app.app_context():
            count = len(library().stories[slug].scenes)
        assert "Begin met lezen" in client.get(f"/verhalen/{slug}").get_data(as_text=True)
        for number in range(1, count + 1):
            page = client.get(f"/verhalen/{slug}/scene/{number}").get_data(as_text=True)
            assert "Wat zie jij?" in page and 'name="zin"' in page
        closing = client.get(f"/verhalen/{slug}/afsluiting").get_data(as_text=True)
        assert "Blik van de professional" in closing and "Gespreksvragen" in closing and "Wie is hiervan?" in closing


def test_library_filters_by_theme_and_by_role(client):
    html = client.get("/verhalen/?thema=geldezel").get_data(as_text=True)
    assert 'href="/verhalen/ruben"' in html and 'href="/verhalen/sanne"' not in html
    html = client.get("/verhalen/?rol=leerkracht").get_data(as_text=True)
    assert 'href="/verhalen/tim"' in html and 'href="/verhalen/sanne"' not in html
    html = client.get("/verhalen/?thema=pooierboy").get_data(as_text=True)
    assert 'href="/verhalen/sanne"' in html and 'href="/verhalen/ruben"' not in html
    html = client.get("/verhalen/?thema=pooierboy&rol=leerkracht").get_data(as_text=True)
    assert "Geen verhalen gevonden" in html


def test_unknown_story_or_scene_gives_dutch_404(client):
    for url in ("/verhalen/niemand", "/verhalen/ruben/scene/0", "/verhalen/ruben/scene/99",
                "/verhalen/ruben/scene/99/signalen"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Pagina niet gevonden" in response.get_data(as_text=True)


def test_spotting_reveals_found_missed_and_extra_passages(client, app):
    signals, plain = signal_keys(app, "ruben", 1), plain_keys(app, "ruben", 1)
    response = client.submit("/verhalen/ruben/scene/1", {"zin": [signals[0], plain[0]]})
    assert response.status_code == 302 and response.location.endswith("/verhalen/ruben/scene/1/signalen")
    html = client.get(response.location).get_data(as_text=True)
    assert f"Je vond <strong>1 van de {len(signals)}</strong> signalen" in html
    assert "je koos 1 zin die hier geen signaal is" in html
    assert html.count("(signaal, gevonden)") == 1
    assert html.count("(signaal, gemist)") == len(signals) - 1
    assert html.count("(jouw keuze, geen signaal)") == 1
    assert "Volgende scène" in html and 'href="/verhalen/ruben/scene/2"' in html


def test_unknown_passage_keys_are_ignored(client, app):
    client.submit("/verhalen/ruben/scene/1", {"zin": ["999", "<script>"]})
    html = client.get("/verhalen/ruben/scene/1/signalen").get_data(as_text=True)
    assert "Je vond <strong>0 van de" in html and "(jouw keuze, geen signaal)" not in html


def test_reveal_before_answering_sends_reader_back_to_the_scene(client):
    response = client.get("/verhalen/sanne/scene/2/signalen")
    assert response.status_code == 302 and response.location.endswith("/verhalen/sanne/scene/2")


def test_last_reveal_leads_to_the_closing_page(client, app):
    with app.app_context():
        last = len(library().stories["sanne"].scenes)
    client.submit(f"/verhalen/sanne/scene/{last}", {})
    html = client.get(f"/verhalen/sanne/scene/{last}/signalen").get_data(as_text=True)
    assert 'href="/verhalen/sanne/afsluiting"' in html and "Naar de afsluiting" in html


def test_closing_page_links_the_story_to_its_reporting_routes(client, app):
    html = client.get("/verhalen/tim/afsluiting").get_data(as_text=True)
    with app.app_context():
        keys = library().stories["tim"].meldroutes
    assert keys
    for key in keys:
        assert f'href="/wie-is-hiervan#{key}"' in html


def test_anonymous_answers_are_kept_in_the_session(client, app):
    signals = signal_keys(app, "tim", 1)
    client.submit("/verhalen/tim/scene/1", {"zin": signals})
    html = client.get("/verhalen/tim/scene/1").get_data(as_text=True)
    for key in signals:
        assert re.search(rf'value="{key}"\s+checked', html)
    assert "Log in</a> om een reflectie te schrijven" in client.get("/verhalen/tim/afsluiting").get_data(
        as_text=True)


def test_logged_in_reader_resumes_where_they_left_off(client, auth, make_user, app):
    make_user()
    auth.login()
    client.submit("/verhalen/sanne/scene/1", {"zin": signal_keys(app, "sanne", 1)})
    client.get("/verhalen/sanne/scene/2")
    html = client.get("/verhalen/sanne").get_data(as_text=True)
    assert "Verder lezen waar je was" in html and 'href="/verhalen/sanne/scene/2"' in html
    with app.app_context():
        answer = db.session.scalar(select(SceneAnswer))
        assert (answer.story, answer.scene, answer.found) == ("sanne", 1, answer.total)
        assert db.session.scalar(select(StoryProgress.resume_url)) == "/verhalen/sanne/scene/2"


def test_progress_overview_shows_scenes_and_signals_per_story(client, auth, make_user, app):
    make_user()
    auth.login()
    first = signal_keys(app, "ruben", 1)
    client.submit("/verhalen/ruben/scene/1", {"zin": first[:1]})
    client.submit("/verhalen/ruben/scene/2", {"zin": signal_keys(app, "ruben", 2)})
    html = client.get("/account/").get_data(as_text=True)
    with app.app_context():
        story = library().stories["ruben"]
    row = html.split('href="/verhalen/ruben"')[1].split("</tr>")[0]
    assert f"2 van {len(story.scenes)}" in row
    assert f"{1 + len(signal_keys(app, 'ruben', 2))} van {story.signal_count}" in row
    assert "Verder lezen" in row


def test_changing_an_answer_replaces_the_earlier_one(client, auth, make_user, app):
    make_user()
    auth.login()
    signals = signal_keys(app, "tim", 1)
    client.submit("/verhalen/tim/scene/1", {"zin": []})
    client.submit("/verhalen/tim/scene/1", {"zin": signals})
    with app.app_context():
        answers = db.session.scalars(select(SceneAnswer)).all()
        assert len(answers) == 1 and answers[0].found == len(signals)


def test_story_is_done_only_when_every_scene_was_answered(client, auth, make_user, app):
    make_user()
    auth.login()

    def status() -> str:
        html = client.get("/account/").get_data(as_text=True)
        return html.split('href="/verhalen/sanne"')[1].split("</tr>")[0]

    client.get("/verhalen/sanne/afsluiting")
    assert "Afgerond" not in status()
    with app.app_context():
        count = len(library().stories["sanne"].scenes)
    for number in range(1, count + 1):
        client.submit(f"/verhalen/sanne/scene/{number}", {"zin": ["1"]})
    client.get("/verhalen/sanne/afsluiting")
    assert "Afgerond" in status()


def test_answers_given_before_logging_in_are_kept(client, make_user, app):
    make_user()
    signals = signal_keys(app, "ruben", 1)
    client.submit("/verhalen/ruben/scene/1", {"zin": signals})
    client.submit("/inloggen", {"email": "consulent@example.org", "password": "een lang wachtwoord voor tests"})
    with app.app_context():
        answer = db.session.scalar(select(SceneAnswer))
        assert (answer.story, answer.scene, answer.found) == ("ruben", 1, len(signals))
    html = client.get("/verhalen/ruben/scene/1/signalen").get_data(as_text=True)
    assert f"Je vond <strong>{len(signals)} van de {len(signals)}</strong>" in html


def test_clean_reflection_is_stored_and_shown_only_to_its_author(client, auth, make_user, app):
    make_user()
    make_user("ander@example.org")
    auth.login()
    text = "Ik let voortaan beter op post die blijft liggen bij mijn klanten."
    response = client.submit("/verhalen/ruben/afsluiting", {"body": text}, follow_redirects=True)
    assert "Je reflectie is opgeslagen" in response.get_data(as_text=True)
    assert text in response.get_data(as_text=True)
    auth.logout()
    auth.login("ander@example.org")
    assert text not in client.get("/verhalen/ruben/afsluiting").get_data(as_text=True)
    assert text not in client.get("/account/").get_data(as_text=True)


def test_reflection_with_personal_data_is_refused_and_nothing_is_stored(client, auth, make_user, app):
    make_user()
    auth.login()
    cases = {
        "Klant met BSN 111222333 besproken.": "een BSN",
        "Mail hem op j.de.vries@example.nl morgen.": "een e-mailadres",
        "Bel zijn moeder op 06-12345678 als het niet lukt.": "een telefoonnummer",
    }
    for text, kind in cases.items():
        response = client.submit("/verhalen/ruben/afsluiting", {"body": text})
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "niet opgeslagen" in html and kind in html
        assert f"{text}</textarea>" in html  # what was typed stays in the form
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reflection)) == 0


def test_anonymous_reader_cannot_store_a_reflection(client, app):
    client.submit("/verhalen/ruben/afsluiting", {"body": "Een gedachte."}, page="/verhalen/ruben/scene/1")
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Reflection)) == 0
