"""Maak hier een casus van: a new card or story that starts from a session's parked questions and question-round
answers, through the privacy guard (a text with personal data stays behind, and so does what a removed participant
wrote); only for a writer who may open that session's report."""
from __future__ import annotations

from sqlalchemy import select

from bril.models import Answer, Draft, ParkingPost, Participant, User, db
from support.sessions import join, login, start_session


def test_a_case_starts_from_what_the_room_said_without_personal_data(app, make_user):
    make_user("begeleider@example.org", role="procesbegeleider")
    make_user("ander@example.org", role="procesbegeleider")
    with app.app_context():
        for email in ("begeleider@example.org", "ander@example.org"):
            db.session.scalar(select(User).filter_by(email=email)).author = True
        db.session.commit()
    facilitator = login(app, "begeleider@example.org")
    workshop_id, code = start_session(facilitator, app)
    join(app, code, "Vos")
    join(app, code, "Uil")
    with app.app_context():
        fox, owl = db.session.scalars(select(Participant).order_by(Participant.id)).all()
        owl.removed = True
        db.session.add_all([
            ParkingPost(workshop_id=workshop_id, text="Mag ik dit bespreken met de wijkagent?", participant_id=fox.id),
            ParkingPost(workshop_id=workshop_id, text="Bel me op 06-12345678", participant_id=fox.id),
            ParkingPost(workshop_id=workshop_id, text="Iets wat weg moest", participant_id=owl.id),
            Answer(workshop_id=workshop_id, item=0, text="# Een jongen met een nieuwe scooter en veel contant geld",
                   participant_id=fox.id),
            Answer(workshop_id=workshop_id, item=0, text="Ze woont op de Dorpsstraat 12", participant_id=fox.id)])
        db.session.commit()

    assert login(app, "ander@example.org").get(f"/eigen/uit-sessie/{workshop_id}").status_code == 404
    overview = facilitator.get("/eigen/").get_data(as_text=True)
    assert f"/eigen/uit-sessie/{workshop_id}" in overview
    report = facilitator.get(f"/sessies/{workshop_id}/verslag").get_data(as_text=True)
    assert f'href="/eigen/uit-sessie/{workshop_id}">Maak hier een casus van' in report
    page = facilitator.get(f"/eigen/uit-sessie/{workshop_id}").get_data(as_text=True)
    assert "Mag ik dit bespreken met de wijkagent?" in page and "nieuwe scooter" in page
    assert "2 teksten bleven achter" in page
    assert "06-12345678" not in page and "Dorpsstraat" not in page and "Iets wat weg moest" not in page

    refused = facilitator.submit(f"/eigen/uit-sessie/{workshop_id}", {"naam": "", "soort": "dilemma"})
    assert refused.status_code == 422 and "Vul een naam in." in refused.get_data(as_text=True)
    made = facilitator.submit(f"/eigen/uit-sessie/{workshop_id}", {"naam": "scooter-en-geld", "soort": "dilemma"})
    assert made.status_code == 302
    with app.app_context():
        draft = db.session.scalar(select(Draft).filter_by(slug="scooter-en-geld"))
        assert "- Antwoord in de vragenronde: Een jongen met een nieuwe scooter en veel contant geld" in draft.text
        assert "- Vraag op de parkeerplaats: Mag ik dit bespreken met de wijkagent?" in draft.text
        assert "06-12345678" not in draft.text and "Dorpsstraat" not in draft.text
    assert "Geen fouten gevonden." in facilitator.get(made.location).get_data(as_text=True)
    story = facilitator.submit(f"/eigen/uit-sessie/{workshop_id}", {"naam": "scooter-verhaal", "soort": "verhaal"})
    assert "Geen fouten gevonden." in facilitator.get(story.location).get_data(as_text=True)
