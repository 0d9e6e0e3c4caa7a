"""The base form: no control characters reach the database, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from flask_wtf import FlaskForm
from sqlalchemy import select

from bril.forms import Form, strip_control
from bril.models import ParkingPost, Participant, db
from support.sessions import join, start_session


def subclasses(cls: type) -> list[type]:
    return [sub for direct in cls.__subclasses__() for sub in (direct, *subclasses(direct))]


def test_control_characters_are_stripped_but_tabs_and_line_breaks_stay():
    assert strip_control("a\x00b\x07c\td\r\ne\x1bf\x7fg\x85h") == "abc\td\r\nefgh"
    assert strip_control("Één café 👩‍⚕️") == "Één café 👩‍⚕️"
    assert strip_control(None) is None and strip_control(3) == 3


def test_every_form_of_the_site_uses_the_base_form(app):
    forms = [cls for cls in subclasses(FlaskForm) if cls.__module__.startswith("bril.") and cls is not Form]
    assert len(forms) >= 15
    assert [cls.__qualname__ for cls in forms if not issubclass(cls, Form)] == []


def test_nickname_with_nul_joins_without_nul(facilitator, app):
    _, code = start_session(facilitator, app)
    join(app, code, "Vos\x00je\x07")
    refused = app.test_client().submit(f"/meedoen/{code}", {"nickname": "\x00\x00"})
    assert refused.status_code == 200 and "Kies een bijnaam" in refused.get_data(as_text=True)
    with app.app_context():
        assert list(db.session.scalars(select(Participant.nickname))) == ["Vosje"]


def test_parked_text_with_nul_is_stored_without_nul(facilitator, app):
    workshop_id, code = start_session(facilitator, app)
    phone = join(app, code, "Uil")
    answer = phone.submit(f"/live/{code}/parkeren", {"text": "Wie\x00 belt\r\nde wijkagent?"}, page=f"/meedoen/{code}")
    assert answer.status_code == 302
    facilitator.submit(f"/live/{code}/parkeren", {"text": "Van\x00 de begeleider"}, page=f"/sessies/{workshop_id}")
    with app.app_context():
        assert list(db.session.scalars(select(ParkingPost.text).order_by(ParkingPost.id))) == [
            "Wie belt\r\nde wijkagent?", "Van de begeleider"]
