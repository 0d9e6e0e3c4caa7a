"""Reach per role: sessions and participants per role chosen in a session, people alone per kind of account."""
from __future__ import annotations

import itertools
import random
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from bril.content.roles import role_label
from bril.insight.by_role import NO_ROLE, lines_of, role_reach
from bril.insight.figures import Period
from bril.insight.suppression import MINIMUM
from bril.models import Participant, User, Workshop, db, token_hash
from bril.models.accounts import ROLE_LABELS
from support.library import CARD
from test_insight_export import finished_walks, people
from test_insight_suppression import derivable_cells

CODES = itertools.count(1)


def session_with_roles(app, owner_email: str, roles: list[str | None], rehearsal: bool = False) -> None:
    """A counted session (or a rehearsal) whose participants chose `roles`."""
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email=owner_email))
        workshop = Workshop(owner_id=owner.id, title="Sessie", code=f"G{next(CODES):06d}", rehearsal=rehearsal,
                            agenda=[{"soort": "dilemma", "ref": CARD, "minuten": 30}])
        db.session.add(workshop)
        db.session.flush()
        for number, role in enumerate(roles):
            db.session.add(Participant(workshop_id=workshop.id, token_hash=token_hash(f"{workshop.code}-{number}"),
                                       nickname=f"Deelnemer {number}", role=role))
        db.session.commit()


def organisation_of(app, email: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.organisation_id).filter_by(email=email))


def test_sessions_and_participants_per_role_few_hidden_and_no_rehearsal(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    session_with_roles(app, "beheer@a.nl", ["wijkagent"] * 4 + ["boa"] * 3 + [None] * 2)
    session_with_roles(app, "beheer@a.nl", ["wijkagent"] * 3 + ["wmo-consulent"] * 9)
    session_with_roles(app, "beheer@a.nl", ["boa"] * 40, rehearsal=True)  # never counts
    session_with_roles(app, "begeleider@b.nl", ["boa"] * 20)  # another organisation's
    with app.app_context():
        found = role_reach(organisation_of(app, "beheer@a.nl"), Period.parse(None))
    lines = {line.label: line for line in found.roles}
    assert list(lines) == ["Boa of handhaving", "Wijkagent", "Wmo-consulent", NO_ROLE]
    assert (lines["Wijkagent"].participants.value, lines["Wijkagent"].sessions.value) == (7, 2)
    assert (lines["Wmo-consulent"].participants.value, lines["Wmo-consulent"].sessions.value) == (9, 1)
    # 3 boa's and 2 without a role: too few, and their sessions are hidden with them; the total of 21 stays.
    for few in ("Boa of handhaving", NO_ROLE):
        assert not lines[few].participants.shown and not lines[few].sessions.shown
    assert found.participants.value == 21


def test_people_alone_per_kind_of_account_in_the_period(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    readers = people(make_user, 6)
    for number in range(3):
        make_user(f"begeleider{number}@a.nl", role="procesbegeleider", org="a")
    finished_walks(app, readers + [f"begeleider{n}@a.nl" for n in range(3)], days_ago=0)
    finished_walks(app, readers, days_ago=0)  # twice: each person once
    finished_walks(app, people(make_user, 5, org="b"), days_ago=0)  # another organisation's
    ours = organisation_of(app, "beheer@a.nl")
    with app.app_context():
        found = role_reach(ours, Period.parse(None))
        long_ago = role_reach(ours, Period.parse("2001-1"))
    walkers = {line.label: line.walkers for line in found.accounts}
    assert list(walkers) == ["Deelnemer", "Procesbegeleider"]  # each person once; the other organisation not
    # The 3 procesbegeleiders are too few, and the 6 beside the total of 9 would give them away: hidden too.
    assert not walkers["Procesbegeleider"].shown and not walkers["Deelnemer"].shown and found.walkers.value == 9
    assert long_ago.empty


def test_the_reach_page_its_csv_the_summary_and_the_export_show_the_roles(app, make_user, client, auth, runner,
                                                                          tmp_path):
    make_user("beheer@a.nl", role="beheerder", org="a")
    session_with_roles(app, "beheer@a.nl", ["wijkagent"] * 6 + ["boa"] * 2 + ["wmo-consulent"] * 7)
    finished_walks(app, people(make_user, 5), days_ago=0)
    auth.login("beheer@a.nl")
    page = client.get("/inzicht/").get_data(as_text=True)
    assert "Bereik per rol" in page and "Wijkagent" in page and "Alleen geoefend, per soort account" in page
    summary = client.get("/inzicht/samenvatting").get_data(as_text=True)
    assert "Bereik per rol" in summary and "Wmo-consulent" in summary
    text = client.get("/inzicht/bereik.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [line.split(";") for line in text.splitlines()]
    assert ["Wmo-consulent", "1", "7"] in rows and ["Totaal", "", "15"] in rows and ["Deelnemer", "5"] in rows
    # The 2 boa's are too few, and the smallest other count goes with them, else 15 - 7 - 6 would give them away.
    for hidden in ("Boa of handhaving", "Wijkagent"):
        assert next(row for row in rows if row[0] == hidden)[1:] == ["verborgen", "verborgen"]
    result = runner.invoke(args=["inzicht", "export", "--org", "a", str(tmp_path)])
    assert result.exit_code == 0, result.output
    exported = (tmp_path / "bereik.csv").read_text(encoding="utf-8-sig")
    assert exported.splitlines() == text.splitlines()


@pytest.mark.parametrize("seed", range(30))
def test_random_roles_show_nothing_small_and_give_nothing_away(seed):
    """The role tables from random counts: no shown count of 1 to 4, no hidden one that the others and the total give
    away (the same search as for every table), and the number of sessions only beside a shown count of people."""
    chooser = random.Random(seed)
    roles = chooser.sample(["wijkagent", "boa", "jongerenwerker", "wmo-consulent", None], chooser.randrange(1, 6))
    in_sessions = [(role, n, chooser.randrange(1, n + 1)) for role, n in
                   ((role, chooser.choice([1, 2, 3, 4, 5, 6, 9])) for role in roles)]
    alone = [(kind, chooser.choice([0, 1, 3, 5, 8])) for kind in ("deelnemer", "procesbegeleider", "beheerder")]
    found = lines_of(in_sessions, alone)
    participants = {role_label(role) if role else NO_ROLE: n for role, n, _ in in_sessions}
    walkers = {ROLE_LABELS[kind]: n for kind, n in alone}
    for figures, counts, total in (
            ([line.participants for line in found.roles], [participants[line.label] for line in found.roles],
             found.participants),
            ([line.walkers for line in found.accounts], [walkers[line.label] for line in found.accounts],
             found.walkers)):
        for figure, n in zip(figures, counts):
            assert figure.value in (None, n)
        for figure in (*figures, total):
            assert not figure.shown or figure.value == 0 or figure.value >= MINIMUM
        shown = SimpleNamespace(cells=tuple((f,) for f in figures), row_totals=tuple(figures),
                                column_totals=(total,), total=total)
        assert derivable_cells(shown, [[n] for n in counts]) == [], f"uit te rekenen in {counts}"
    for line in found.roles:
        assert line.sessions.shown == line.participants.shown
