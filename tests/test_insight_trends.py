"""Insight per quarter: a card's people and a story's share of signals seen, ours beside everyone, nobody exposed."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bril.insight.figures import Period
from bril.insight.trends import card_insight, story_insight
from bril.models import DilemmaWalk, User, db, utcnow
from support.library import CARD
from test_insight import card_of
from test_insight_filters import session_with_roles
from test_insight_signals import session_marks, signal_keys, story_of


def organisation_of(email: str) -> int:
    return db.session.scalar(select(User.organisation_id).filter_by(email=email))


def test_a_cards_people_per_quarter_hide_a_few_and_what_gives_them_away(app, make_user, client, auth):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    long_ago = utcnow() - timedelta(days=200)
    session_with_roles(app, "beheer@a.nl", [("wijkagent", 1)] * 7)
    session_with_roles(app, "beheer@a.nl", [("wijkagent", 2)] * 3, created=long_ago)  # 3: too few
    session_with_roles(app, "begeleider@b.nl", [("wijkagent", 2)] * 8, created=long_ago)
    session_with_roles(app, "beheer@a.nl", [("wijkagent", 3)] * 20, created=long_ago)
    with app.app_context():
        step = next(iter(card_of(app).steps))
        db.session.add_all(DilemmaWalk(dilemma=CARD, decisions=[[step, 1]]) for _ in range(6))  # others, now
        db.session.commit()
        trend = card_insight(organisation_of("beheer@a.nl"), card_of(app), Period.parse(None))[1]
    assert trend.periods[0].start <= long_ago < trend.periods[0].end and len(trend.periods) >= 3
    assert trend.ours[0].value == 23 and trend.everyone[0].value == 31  # 3 + 20 ours, 8 of B
    assert trend.ours[-1].value == 7 and trend.everyone[-1].value == 13
    for ours, everyone in zip(trend.ours, trend.everyone):
        assert ours.value in (None, 0) or ours.value >= 5
        if ours.shown and everyone.shown:
            assert everyone.value - ours.value == 0 or everyone.value - ours.value >= 5
    auth.login("beheer@a.nl")
    page = client.get(f"/inzicht/kaart/{CARD}").get_data(as_text=True)
    assert "Per kwartaal" in page and "trend-chart" in page and "23 mensen" in page


def test_a_storys_share_of_signals_seen_per_quarter_only_over_five_people_or_more(app, make_user):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    keys = signal_keys(app)
    session_marks(app, "beheer@a.nl", [keys] * 3 + [keys[:1]] * 3)  # 6 people, 9 of 12 signals seen
    session_marks(app, "begeleider@b.nl", [[]] * 2)  # 2 people of B: hidden, and so is what gives them away
    session_marks(app, "beheer@a.nl", [keys] * 30, rehearsal=True)  # never counts
    with app.app_context():
        trend = story_insight(organisation_of("beheer@a.nl"), story_of(app), Period.parse(None))[1]
    # 6 + 2: B's 2 would follow from everyone's 8 minus our 6, so one of the two is hidden, with its share.
    assert trend.ours[-1].value is None or trend.everyone[-1].value is None
    assert (trend.our_share[-1] is None) == (trend.ours[-1].value is None)
    session_marks(app, "begeleider@b.nl", [[]] * 5)  # now 7 people of B
    with app.app_context():
        trend = story_insight(organisation_of("beheer@a.nl"), story_of(app), Period.parse(None))[1]
    assert trend.ours[-1].value == 6 and trend.our_share[-1] == 9 / 12  # two signals in the first scene
    assert trend.everyone[-1].value == 13 and trend.everyone_share[-1] == 9 / 26
    with app.app_context():
        by_role = story_insight(organisation_of("beheer@a.nl"), story_of(app), Period.parse(None), "wijkagent")[1]
    assert by_role.empty  # nobody joined as wijkagent


def test_a_quarter_never_gives_back_a_total_the_card_page_hides(app, make_user):
    """Three of A's people voted (hidden on the page) and twenty walked alone (shown): a quarter of 23 would give
    the three back as 23 - 20."""
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    make_user("lezer@a.nl", org="a")
    session_with_roles(app, "beheer@a.nl", [("wijkagent", 1)] * 3)
    session_with_roles(app, "begeleider@b.nl", [("wijkagent", 2)] * 8)
    with app.app_context():
        step = next(iter(card_of(app).steps))
        walker = db.session.scalar(select(User.id).filter_by(email="lezer@a.nl"))
        db.session.add_all(DilemmaWalk(dilemma=CARD, user_id=walker, decisions=[[step, 2]]) for _ in range(20))
        db.session.commit()
        steps, trend = card_insight(organisation_of("beheer@a.nl"), card_of(app), Period.parse(None))
    assert steps[0].teams.our_total.value is None and steps[0].alone.our_total.value == 20
    assert trend.ours[-1].value is None


def test_the_csv_files_and_the_export_hold_the_trend_as_the_page_shows_it(app, make_user, client, auth, runner,
                                                                         tmp_path):
    make_user("beheer@a.nl", role="beheerder", org="a")
    make_user("begeleider@b.nl", role="procesbegeleider", org="b")
    long_ago = utcnow() - timedelta(days=200)
    session_with_roles(app, "beheer@a.nl", [("wijkagent", 1)] * 7)
    session_with_roles(app, "beheer@a.nl", [("wijkagent", 3)] * 20, created=long_ago)
    session_with_roles(app, "begeleider@b.nl", [("wijkagent", 2)] * 8, created=long_ago)
    keys = signal_keys(app)
    session_marks(app, "beheer@a.nl", [keys] * 3 + [keys[:1]] * 3)
    session_marks(app, "begeleider@b.nl", [[]] * 7)
    auth.login("beheer@a.nl")
    card = client.get(f"/inzicht/kaart/{CARD}/tabel.csv").get_data(as_text=True).lstrip("\ufeff")
    rows = [line.split(";") for line in card.splitlines()]
    start = rows.index(["Per kwartaal: mensen die bij de eerste stap kozen", "Jullie organisatie: mensen",
                        "Alle organisaties: mensen"])
    assert rows[start - 1] == [""]  # an empty line between the two tables
    with app.app_context():
        trend = card_insight(organisation_of("beheer@a.nl"), card_of(app), Period.parse(None))[1]
    quarters = rows[start + 1:]
    assert [row[0] for row in quarters] == [period.label for period in trend.periods]
    assert quarters[0][1:] == ["20", "28"] and quarters[-1][1:] == ["7", "7"]
    story = client.get(f"/inzicht/verhaal/{story_of(app).slug}/tabel.csv").get_data(as_text=True).lstrip("\ufeff")
    lines = [line.split(";") for line in story.splitlines()]
    header = next(row for row in lines if row[0] == "Per kwartaal: signalen gezien")
    assert header[3:] == ["Jullie organisatie: gezien (%)", "Alle organisaties: gezien (%)"]
    assert lines[-1][1:] == ["6", "13", "75,0", "34,6"]  # 9 of 12 signals; 9 of 26
    result = runner.invoke(args=["inzicht", "export", "--org", "a", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / f"kaart-{CARD}.csv").read_text(encoding="utf-8-sig").splitlines() == card.splitlines()
    exported = (tmp_path / f"verhaal-{story_of(app).slug}.csv").read_text(encoding="utf-8-sig")
    assert exported.splitlines() == story.splitlines()
