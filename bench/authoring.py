"""Measure publishing an organisation's own card: a generated card of 40 steps, published 20 times.

Run from the project root:
    .venv/bin/python bench/authoring.py [--repeat 20] [--database postgresql://postgres@127.0.0.1:5432/NAME]
Without --database it runs on a new SQLite file. Prints the median and the slowest, in milliseconds:
  publish (checked before)  the text was checked when it went to review, as in the real flow
  publish (never seen)      a text this process never parsed (every Markdown fragment new)
  library after publishing  the organisation's library on the next request (must not parse again)
  open the editor (new text)  the author's GET of the editor of a draft this process never showed (the checks
                            beside the fields, the readability of every text, the route map, all worked out)
  open the editor again     the same page once more
  open a step's form        the form of one step of that draft
A benchmark, not a test. It empties the tables of the database it is given.
"""
from __future__ import annotations

import argparse
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
from support import PASSWORD, Client  # noqa: E402
from bril.libraries import library_for  # noqa: E402
from bril.models import Organisation, User, db  # noqa: E402

TEMPLATE = ROOT / "tests" / "content" / "library"
STEPS = 40


def card_text(run: int, steps: int = STEPS) -> str:
    """A valid card of `steps` steps in a row (each: on, or stop at an ending), its words marked with `run`."""
    header = (TEMPLATE / "dilemmas" / "voordeur.md").read_text(encoding="utf-8").split("\n---\n", 1)[0]
    header = header.replace("titel: Een niet-pluisgevoel bij de voordeur", f"titel: Veertig stappen, ronde {run}")
    header = re.sub(r"    deur: 10\n    collega: 10", "    stap-1: 10\n    stap-2: 10", header)
    header = header.replace("stappen: [deur, collega]", "stappen: [stap-1, stap-2]")
    parts = [header, "---", ""]
    for n in range(1, steps + 1):
        onward = f"stap-{n + 1}" if n < steps else "einde-samen"
        parts.append(f"""# Stap stap-{n}: Het {n}e gesprek

## Situatie

Ronde {run}, gesprek {n}. De bewoner vertelt iets meer over de mensen die langskomen. Je twijfelt
of je dit moet delen, en met wie.

## Vraag

Wat doe je na gesprek {n}?

## Opties

- Je bespreekt het met een collega en gaat verder. → {onward}
  - Cliënt: De bewoner merkt nog niets (ronde {run}, stap {n}).
  - Systeem: Je collega kan meekijken; je staat er niet alleen voor.
- Je laat het rusten tot je iets zeker weet. → einde-wachten
  - Cliënt: Als er iets mis is, duurt het langer voor er hulp komt.
  - Systeem: Andere signalen in de buurt blijven los van elkaar liggen.

## Gespreksvragen

- Wat zag je precies in gesprek {n}, en wat vul je zelf in?
- Wanneer is een gevoel genoeg om te delen?
""")
    parts.append(f"""# Einde einde-wachten: Je wacht af

## Uitkomst

slechter

## Reflectie

Wachten voelt veilig, maar een signaal alleen wordt zelden een feit (ronde {run}).

# Einde einde-samen: Samen kijken

## Uitkomst

beter

## Reflectie

Samen zie je meer. Wat had je nodig om deze stap eerder te zetten?
""")
    return "\n".join(parts)


def approved(organisation_id: int, author: User, reviewer: User, slug: str, text: str, checked_before: bool):
    """A draft approved by a second person; its text checked on the way (as in the real flow) or not."""
    draft = authoring.create_draft(organisation_id, "dilemma", slug, text, author)
    db.session.commit()
    if checked_before:
        assert authoring.submit(draft).ok, authoring.submit(draft).problems[:3]
    else:
        draft.state = "ter-beoordeling"
    authoring.review(draft, reviewer, approve=True)
    return draft


def ms(start: float) -> float:
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a new SQLite file)")
    args = parser.parse_args()
    url = args.database or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "STORIES_DIR": TEMPLATE / "stories",
                      "DILEMMAS_DIR": TEMPLATE / "dilemmas", "MELDROUTE_FILE": TEMPLATE / "wie-is-hiervan.yaml"})
    timings: dict[str, list[float]] = {"publish (checked before)": [], "publish (never seen)": [],
                                       "library after publishing": []}
    with app.app_context():
        db.drop_all()
        db.create_all()
        organisation = Organisation(name="Bench", slug="bench")
        db.session.add(organisation)
        db.session.flush()
        author = User(email="auteur@bench.nl", role="procesbegeleider", organisation_id=organisation.id,
                      password_hash=security.hash_password(PASSWORD), author=True)
        reviewer = User(email="lezer@bench.nl", role="beheerder", organisation_id=organisation.id)
        db.session.add_all([author, reviewer])
        db.session.commit()
        assert len(authoring.check(organisation.id, card_text(0), Path("dilemmas/x.md"),
                                   kind="dilemma").item.steps) == STEPS
        for run in range(1, args.repeat + 1):
            for checked_before, label in ((True, "publish (checked before)"), (False, "publish (never seen)")):
                slug = f"veertig-{run}-{int(checked_before)}"
                draft = approved(organisation.id, author, reviewer, slug, card_text(run * 2 + checked_before),
                                 checked_before)
                start = time.perf_counter()
                authoring.publish(draft, reviewer)
                timings[label].append(ms(start))
            start = time.perf_counter()
            assert f"veertig-{run}-1" in library_for(organisation.id).dilemmas
            timings["library after publishing"].append(ms(start))
        draft_ids = []
        for run in range(args.repeat):  # a new text for each: nothing of it parsed or rendered before
            draft_ids.append(authoring.create_draft(organisation.id, "dilemma", f"bewerken-{run}",
                                                    card_text(1000 + run), author).id)
            db.session.commit()
        db.session.remove()
    app.test_client_class = Client
    browser = app.test_client()
    assert browser.submit("/inloggen", {"email": "auteur@bench.nl", "password": PASSWORD}).status_code == 302
    for draft_id in draft_ids:
        for label, address in (("open the editor (new text)", f"/eigen/{draft_id}"),
                               ("open the editor again", f"/eigen/{draft_id}"),
                               ("open a step's form", f"/eigen/{draft_id}/stap/stap-20")):
            start = time.perf_counter()
            response = browser.get(address)
            timings.setdefault(label, []).append(ms(start))
            assert response.status_code == 200 and "stap-20" in response.get_data(as_text=True)
    with app.app_context():
        db.session.remove()
        db.drop_all()
    print(f"database: {url.split(':', 1)[0]}; a card of {STEPS} steps, "
          f"{len(card_text(0))} characters; {args.repeat} runs")
    for label, values in timings.items():
        print(f"{label:26s} median {statistics.median(values):7.1f} ms   max {max(values):7.1f} ms")


if __name__ == "__main__":
    main()
