"""Form fields and checks shared by several features."""
from __future__ import annotations

import re

from wtforms import PasswordField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 12


def valid_email(form, field) -> None:
    """Check that a field holds something shaped like an e-mail address."""
    field.data = (field.data or "").strip().lower()
    if not EMAIL.match(field.data):
        raise ValidationError("Vul een geldig e-mailadres in, zoals naam@organisatie.nl.")


def new_password_fields() -> tuple[PasswordField, PasswordField]:
    """A new password and its repetition, with the same rules everywhere."""
    password = PasswordField("Nieuw wachtwoord", validators=[
        DataRequired("Kies een wachtwoord."),
        Length(min=MIN_PASSWORD, max=128,
               message=f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens. Een zin van een paar woorden "
                       "is sterk en makkelijk te onthouden."),
    ])
    confirm = PasswordField("Herhaal het nieuwe wachtwoord", validators=[
        DataRequired("Herhaal het wachtwoord."),
        EqualTo("password", message="De twee wachtwoorden zijn niet hetzelfde."),
    ])
    return password, confirm
