"""The base form of the site, and the fields and checks that several features share."""
from __future__ import annotations

import re

import wtforms
from flask import request
from flask_wtf import FlaskForm
from wtforms import FieldList, FormField, IntegerField, PasswordField, TextAreaField
from wtforms.validators import DataRequired, EqualTo, Length, StopValidation, ValidationError

from .privacy import NoPersonalData

EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 12
# C0 and C1 control characters except tab, line feed and carriage return (a browser sends \r\n).
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def strip_control(value):
    """Drop control characters such as NUL from text; leave other values alone."""
    return CONTROL.sub("", value) if isinstance(value, str) else value


class Form(FlaskForm):
    """The base of every form on the site: no field accepts control characters."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            # A list or a sub-form takes no filters; the fields of a sub-form filter themselves (EntryForm).
            if unbound_field.field_class in (FieldList, FormField):
                return unbound_field.bind(form=form, **options)
            # PostgreSQL refuses NUL in text with an error, SQLite stores it; nobody means to type either.
            filters = [strip_control, *unbound_field.kwargs.get("filters", ())]
            return unbound_field.bind(form=form, filters=filters, **options)


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


class WholeNumberField(IntegerField):
    """A number field that says in Dutch, once, when what was typed is not a whole number."""

    def process_formdata(self, valuelist) -> None:
        if valuelist and not valuelist[0].strip():
            self.data, self.raw_data = None, [""]  # blank is empty: `Optional` or `InputRequired` decides
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een heel getal in, zoals 30.") from None

    def pre_validate(self, form) -> None:
        if self.process_errors:  # one message is enough: do not add "1 to 480" to "not a number"
            raise StopValidation()


class EntryForm(wtforms.Form):
    """One repeated part of a form (an option, a kader rule, a question) in a FieldList of FormFields: a sub-form
    without a CSRF token of its own, whose fields take the site's filter against control characters themselves."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            return unbound_field.bind(form=form, filters=[strip_control], **options)


class ButtonForm(Form):
    """A button that only needs the CSRF token (the rest, such as the chosen option, is in the button)."""


class ReflectionForm(Form):
    """A private reflection after a story or a walk through a card; the page may name what it reflects on."""

    body = TextAreaField("Jouw reflectie", validators=[
        DataRequired("Schrijf eerst iets op."),
        Length(max=5000, message="Een reflectie is hoogstens 5000 tekens."),
        NoPersonalData(),
    ])

    def __init__(self, *args, label: str | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if label:
            self.body.label.text = label


def wants_json() -> bool:
    """The page's script asked for JSON (a live action, a vote); a plain form gets a page or a redirect."""
    return request.accept_mimetypes.best == "application/json"


def rearrange_entries(entries, action: str, kind: str, holder: str, saved: str, blank: dict,
                      fewest: int, most: int, plural: str = "") -> str:
    """Add, remove or move one of a form's repeated parts (`entries`, a FieldList of `kind`s: "optie", "regel")
    in what was typed, nothing saved; the Dutch note of what changed, or "" for an action that means nothing.

    `action` is what the pressed button sends: "optie-erbij", or "optie-weg-2", "optie-op-2", "optie-neer-2".
    `holder` names what holds them in a refusal ("Een stap"), `saved` what the author saves ("de stap"); `plural`
    is the Dutch plural when it is not `kind` + "s" ("gespreksvragen")."""
    plural = plural or f"{kind}s"
    rows = [dict(entry.form.data) for entry in entries]
    verb, _, number = action.rpartition("-")
    index = int(number) - 1 if number.isdigit() else -1
    label = kind.capitalize()
    if action == f"{kind}-erbij":
        if len(rows) >= most:
            return f"{holder} heeft hoogstens {most} {plural}."
        rows.append(dict(blank))
        note = f"{label} {len(rows)} staat erbij. Vul hem in en sla {saved} op."
    elif not 0 <= index < len(rows):
        return ""
    elif verb == f"{kind}-weg":
        if len(rows) <= fewest:
            return f"{holder} heeft minstens {fewest} {plural}."
        rows.pop(index)
        note = f"{label} {index + 1} is weg. Sla {saved} op om dat te bewaren."
    elif verb in (f"{kind}-op", f"{kind}-neer"):
        other = index - 1 if verb == f"{kind}-op" else index + 1
        if not 0 <= other < len(rows):
            return ""
        rows[index], rows[other] = rows[other], rows[index]
        note = f"{label} {index + 1} is verplaatst. Sla {saved} op om dat te bewaren."
    else:
        return ""
    while len(entries):
        entries.pop_entry()
    for row in rows:
        entries.append_entry(row)
    return note

