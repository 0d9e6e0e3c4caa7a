"""Insight as files and as reach: `flask inzicht export`, the reach per quarter, the CSV that Dutch Excel opens."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bril.models import DilemmaWalk, User, db, utcnow
from support.library import CARD
from test_insight import card_of, session_with_votes


def finished_walks(app, emails: list[str], days_ago: int) -> None:
    """One finished walk of the fixture card per person, `days_ago` days ago."""
    with app.app_context():
        step = next(iter(card_of(app).steps))
        at = utcnow() - timedelta(days=days_ago)
        for email in emails:
            user_id = db.session.scalar(select(User.id).filter_by(email=email))
            db.session.add(DilemmaWalk(dilemma=CARD, user_id=user_id, decisions=[[step, 1]], started_at=at,
                                       ended_at=at))
        db.session.commit()


def people(make_user, count: int, org: str = "a", start: int = 0) -> list[str]:
    emails = [f"lezer{number}@{org}.nl" for number in range(start, start + count)]
    for email in emails:
        make_user(email, role="deelnemer", org=org)
    return emails


def test_reach_counts_each_person_once_in_their_first_quarter_and_hides_a_few(app, make_user, client, auth):
    make_user("beheer@a.nl", role="beheerder", org="a")
    early, late = people(make_user, 6), people(make_user, 2, start=6)
    finished_walks(app, early, days_ago=200)  # two quarters back or more
    finished_walks(app, early + late, days_ago=0)  # the six again: they count in their first quarter only
    auth.login("beheer@a.nl")
    response = client.get("/inzicht/bereik.csv")
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    walked = next(line.split(";") for line in lines if line.startswith("Nieuw: mensen die voor het eerst alleen"))
    assert walked[-1] == "8"  # everyone once
    # The oldest quarter shown holds the six, this one the two: 2 is too few, and 8 - 6 would give it away.
    assert walked[1] == walked[-2] == "verborgen" and set(walked[2:-2]) <= {"0"}


def test_export_writes_the_pages_tables_with_the_same_suppression(app, make_user, runner, tmp_path):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    session_with_votes(app, "beheer@a.nl", [1] * 7 + [2] * 6 + [3] * 2)
    session_with_votes(app, "begeleider@b.nl", [1] * 9 + [2] * 3)
    session_with_votes(app, "beheer@a.nl", [3] * 30, rehearsal=True)  # never counts
    result = runner.invoke(args=["inzicht", "export", "--org", "a", str(tmp_path / "uit")])
    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in (tmp_path / "uit").iterdir()) == ["bereik.csv", f"kaart-{CARD}.csv"]
    raw = (tmp_path / "uit" / f"kaart-{CARD}.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads UTF-8
    rows = [line.split(";") for line in raw.decode("utf-8-sig").splitlines()]
    assert rows[0][:4] == ["Stap", "Waar", "Keuze", "Jullie organisatie"]
    figures = rows[1:rows.index([""])]  # the trend per quarter follows after an empty line
    sessions = [row for row in figures if row[1].startswith("In sessies") and row[0] == rows[1][0]]  # step 1
    ours = {row[2].split(":")[0]: row[3] for row in sessions}
    assert ours["A"] == "7" and ours["C"] == "verborgen" and list(ours.values()).count("verborgen") >= 2
    assert sessions[1][4] == "46,7"  # 7 of A's 15 as a percentage with a decimal comma; the rehearsal's 30 left out
    bereik = (tmp_path / "uit" / "bereik.csv").read_text(encoding="utf-8-sig")
    assert bereik.startswith("Wat;") and "Sessies gehouden" in bereik


def test_export_refuses_an_unknown_organisation_and_a_folder_it_cannot_write(app, make_user, runner, tmp_path):
    make_user("beheer@a.nl", role="beheerder", org="a")
    unknown = runner.invoke(args=["inzicht", "export", "--org", "nergens", str(tmp_path)])
    assert unknown.exit_code != 0 and "er is geen organisatie met korte naam nergens" in unknown.output
    blocked = tmp_path / "een-bestand"
    blocked.write_text("geen map")
    refused = runner.invoke(args=["inzicht", "export", "--org", "a", str(blocked / "uit")])
    assert refused.exit_code == 1 and "Kan niet schrijven in de map" in refused.output
