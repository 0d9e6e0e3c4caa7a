"""Dates and times are shown in Dutch time, whatever the server's own zone."""
from __future__ import annotations

from datetime import datetime

from bril import clock


def test_stored_utc_is_shown_in_dutch_winter_and_summer_time():
    assert clock.date_time(datetime(2026, 12, 6, 23, 30)) == "07-12-2026 00:30"  # CET, UTC+1
    assert clock.date_time(datetime(2026, 7, 1, 9, 5)) == "01-07-2026 11:05"  # CEST, UTC+2
    assert clock.date(datetime(2026, 3, 29, 23, 0)) == "30-03-2026"
    assert clock.date(None) == "" and clock.date_time(None) == ""


def test_a_session_list_shows_the_start_in_dutch_time(facilitator, app):
    from sqlalchemy import select

    from bril.models import User, Workshop, db
    with app.app_context():
        owner = db.session.scalar(select(User).filter_by(email="begeleider@example.org"))
        db.session.add(Workshop(title="Avondsessie", code="ABC234", owner_id=owner.id,
                                created_at=datetime(2026, 12, 6, 18, 45)))
        db.session.commit()
    html = facilitator.get("/sessies/").get_data(as_text=True)
    assert "06-12-2026 19:45" in html and "18:45" not in html
