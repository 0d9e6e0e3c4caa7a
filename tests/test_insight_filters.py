"""Insight narrowed by quarters and role: the figures, the page, its CSV link and the jump from the overview."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from bril.insight.figures import Period, card_figures
from bril.insight.filters import Filter
from bril.models import Participant, User, Vote, Workshop, db, token_hash
from support.library import CARD
from test_insight import CODES, card_of, walks


def session_with_roles(app, email: str, votes: list[tuple[str, int]], created: datetime | None = None) -> None:
    """A session on the fixture card; each (role, option) is one participant's round-1 vote at the first step."""
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email=email))
        workshop = Workshop(owner_id=owner.id, title="Sessie", code=f"R{next(CODES):06d}",
                            agenda=[{"soort": "dilemma", "ref": CARD, "minuten": 30}],
                            **({"created_at": created} if created else {}))
        db.session.add(workshop)
        db.session.flush()
        step = next(iter(card_of(app).steps))
        for number, (role, option) in enumerate(votes):
            participant = Participant(workshop_id=workshop.id, nickname=f"D{number}", role=role,
                                      token_hash=token_hash(f"{workshop.code}-{number}"))
            db.session.add(participant)
            db.session.flush()
            db.session.add(Vote(workshop_id=workshop.id, item=0, step=step, round=1, option=option, role=role,
                                participant_id=participant.id))
        db.session.commit()


def first_step(app, email: str, period: Period, role: str = ""):
    with app.app_context():
        organisation = db.session.scalar(select(User.organisation_id).filter_by(email=email))
        return card_figures(organisation, card_of(app), period, role)[0]


def test_a_span_of_quarters_reads_either_way_round_and_a_strange_role_means_all():
    chosen = Filter.from_args(MultiDict({"van": "2026-3", "tot": "2026-1", "rol": "<script>"}))
    assert (chosen.first, chosen.last, chosen.role) == ("2026-1", "2026-3", "")
    assert chosen.period.start == datetime(2026, 1, 1) and chosen.period.end == datetime(2026, 10, 1)
    assert chosen.period.label == "van 1e kwartaal van 2026 tot en met 3e kwartaal van 2026"
    assert Filter.from_args(MultiDict({"kwartaal": "2025-4"})).period.label == "4e kwartaal van 2025"
    assert Filter.from_args(MultiDict({"rol": "wijkagent"})).args() == {"rol": "wijkagent"}


def test_a_role_counts_only_its_votes_and_leaves_walks_alone_out(app, make_user, client, auth):
    make_user("beheer@a.nl", role="beheerder", org="a")
    session_with_roles(app, "beheer@a.nl", [("wijkagent", 1)] * 6 + [("jongerenwerker", 2)] * 7)
    session_with_roles(app, "beheer@a.nl", [("wijkagent", 2)] * 9, created=datetime(2024, 2, 1))
    walks(app, None, [1] * 8)
    everything = Period.parse(None)
    assert first_step(app, "beheer@a.nl", everything).teams.our_total.value == 22
    agents = first_step(app, "beheer@a.nl", everything, "wijkagent")
    assert agents.teams.our_total.value == 15 and agents.alone.total.value == 0
    this_year = Filter.from_args(MultiDict({"van": f"{datetime.now().year}-1", "rol": "wijkagent"}))
    assert first_step(app, "beheer@a.nl", this_year.period, "wijkagent").teams.our_total.value == 6
    auth.login("beheer@a.nl")
    page = client.get(f"/inzicht/kaart/{CARD}?rol=wijkagent").get_data(as_text=True)
    assert "Wie alleen oefent, kiest geen rol" in page and "Wijkagent" in page
    assert f'href="/inzicht/kaart/{CARD}/tabel.csv?rol=wijkagent"' in page
    csv = client.get(f"/inzicht/kaart/{CARD}/tabel.csv?rol=wijkagent")
    assert 'filename="inzicht-bankpas-wijkagent.csv"' in csv.headers["Content-Disposition"]
    jump = client.get(f"/inzicht/?onderwerp=kaart:{CARD}&rol=wijkagent&van=2025-1")
    assert jump.status_code == 302 and jump.location.endswith(f"/inzicht/kaart/{CARD}?van=2025-1&rol=wijkagent")
