"""Measure the editor's autosave and the form for a story's header and closing.

Run from the project root:
    .venv/bin/python bench/story_editor.py [--repeat 20] [--database postgresql://postgres@127.0.0.1:5432/NAME]
Without --database it runs on a new SQLite file, with the bundled library. Prints the median and the slowest, in
milliseconds, each time on a text this process never saw (a bundled story, or the 40-step card of
bench/authoring.py, its words marked with the run):
  autosave a story          the editor's save as JSON: the checks, readability, preview and the scene list redrawn
  autosave a 40-step card   the same for a card: with its shape, steps, endings and route map redrawn
  open the story form       the form of a story's header and closing, with the checks beside its fields
  save the story form       a changed title and a moved question written back, then the redirect
A benchmark, not a test. It empties the tables of the database it is given.
"""
from __future__ import annotations

import argparse
import json
import importlib.util
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from app import ROOT, create_app  # noqa: E402
from bril import authoring, security  # noqa: E402
from bril.models import Organisation, User, db  # noqa: E402
from support import PASSWORD, Client  # noqa: E402
from support.pages import posted_form  # noqa: E402

SPEC = importlib.util.spec_from_file_location("bench_authoring", Path(__file__).parent / "authoring.py")
CARDS = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(CARDS)
STORY = (ROOT / "stories" / "harrie.md").read_text(encoding="utf-8")


def story_text(run: int) -> str:
    """The bundled story with its words marked with `run`, so nothing of it was parsed or rendered before."""
    return STORY.replace("Harrie is 54", f"Harrie is 54 (ronde {run})").replace(
        "# Scène: Alleen in de flat", f"# Scène: Alleen in de flat, ronde {run}")


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
    app.test_client_class = Client
    with app.app_context():
        db.drop_all()
        db.create_all()
        organisation = Organisation(name="Bench", slug="bench")
        db.session.add(organisation)
        db.session.flush()
        author = User(email="auteur@bench.nl", role="procesbegeleider", organisation_id=organisation.id,
                      password_hash=security.hash_password(PASSWORD), author=True)
        db.session.add(author)
        db.session.commit()
        stories = [authoring.create_draft(organisation.id, "verhaal", f"verhaal-{run}", STORY, author).id
                   for run in range(args.repeat)]
        cards = [authoring.create_draft(organisation.id, "dilemma", f"kaart-{run}", CARDS.card_text(run), author).id
                 for run in range(args.repeat)]
        db.session.commit()
        db.session.remove()
    browser = app.test_client()
    assert browser.submit("/inloggen", {"email": "auteur@bench.nl", "password": PASSWORD}).status_code == 302
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      browser.get(f"/eigen/{stories[0]}").get_data(as_text=True)).group(1)
    timings: dict[str, list[float]] = {}

    def autosave(label: str, draft_id: int, text: str, expect: str) -> None:
        start = time.perf_counter()
        answer = browser.post(f"/eigen/{draft_id}", data={"csrf_token": token, "tekst": text, "revisie": "1"},
                              headers={"Accept": "application/json"}).get_json()
        timings.setdefault(label, []).append(ms(start))
        assert answer["ok"] and expect in json.dumps(answer, ensure_ascii=False), label

    for run, (story_id, card_id) in enumerate(zip(stories, cards)):
        autosave("autosave a story", story_id, story_text(run), f"ronde {run}")
        autosave("autosave a 40-step card", card_id, CARDS.card_text(5000 + run), "stap-40")
        start = time.perf_counter()
        page = browser.get(f"/eigen/{story_id}/kop").get_data(as_text=True)
        timings.setdefault("open the story form", []).append(ms(start))
        data = posted_form(page)
        data.update({"titel": f"Harrie, ronde {run}", "actie": "vraag-neer-1"})
        data = posted_form(browser.post(f"/eigen/{story_id}/kop", data=data).get_data(as_text=True))
        data["actie"] = "opslaan"
        start = time.perf_counter()
        response = browser.post(f"/eigen/{story_id}/kop", data=data)
        timings.setdefault("save the story form", []).append(ms(start))
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    with app.app_context():
        db.session.remove()
        db.drop_all()
    print(f"database: {url.split(':', 1)[0]}; a story of {len(STORY)} characters, a card of "
          f"{CARDS.STEPS} steps; {args.repeat} runs")
    for label, values in timings.items():
        print(f"{label:26s} median {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms")


if __name__ == "__main__":
    main()
