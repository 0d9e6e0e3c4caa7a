"""The forms of team sessions: joining, the parking lot, agreements, and composing a plan."""
from __future__ import annotations

from wtforms import IntegerField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from ..content import ROLES
from ..extensions import library
from ..forms import Form
from ..privacy import NoPersonalData
from .agenda import KINDS, AgendaItem


class EmptyForm(Form):
    """A button that only needs the CSRF token."""


class CodeForm(Form):
    code = StringField("Code van de sessie", validators=[DataRequired("Vul de code in die op het scherm staat.")])


class JoinForm(Form):
    nickname = StringField("Bijnaam", validators=[
        DataRequired("Kies een bijnaam. Dat mag een verzonnen naam zijn."),
        Length(max=40, message="Een bijnaam is hoogstens 40 tekens."), NoPersonalData()])
    role = SelectField("Jouw rol (niet verplicht)", default="",
                       choices=[SelectChoice("", "Ik kies geen rol")] + [SelectChoice(k, v) for k, v in ROLES.items()])


class HallJoinForm(Form):
    """Joining in a large hall: no nickname, a role if you like."""

    role = JoinForm.role


class ParkingForm(Form):
    text = TextAreaField("Zet iets op de parkeerplaats", validators=[
        DataRequired("Schrijf eerst iets op."), Length(max=500, message="Hoogstens 500 tekens."), NoPersonalData()])


class AnswerForm(Form):
    text = TextAreaField("Jouw antwoord (anoniem)", validators=[
        DataRequired("Schrijf eerst iets op."), Length(max=280, message="Hoogstens 280 tekens."), NoPersonalData()])


class AgreementForm(Form):
    what = TextAreaField("Wat spreken we af?", validators=[
        DataRequired("Schrijf op wat jullie afspreken."), Length(max=1000), NoPersonalData()])
    who = SelectField("Wie doet het? (een rol, geen naam)",
                      choices=[SelectChoice(k, v) for k, v in ROLES.items()] + [SelectChoice("team", "Het hele team")])
    by_when = StringField("Wanneer?", validators=[DataRequired("Schrijf op wanneer, bijvoorbeeld 'binnen twee weken'."),
                                                  Length(max=100), NoPersonalData()])
    meldroute = SelectField("Bij welke meldroute hoort het? (Wie is hiervan?)", choices=[], validate_choice=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.meldroute.choices = [SelectChoice("", "Geen")] + [
            SelectChoice(key, route.title) for key, route in library().meldroutes.routes.items()]


class PlanForm(Form):
    title = StringField("Naam van het plan", validators=[DataRequired("Geef het plan een naam."),
                                                         Length(max=200, message="Hoogstens 200 tekens.")])


class ItemForm(Form):
    kind = SelectField("Onderdeel", choices=[SelectChoice(k, v) for k, v in KINDS.items()])
    ref = SelectField("Verhaal of dilemmakaart (alleen bij een verhaal of kaart)", choices=[], validate_choice=False)
    scenes = StringField("Welke scènes? (leeg is alle scènes, of bijvoorbeeld 1,2,4)")
    minutes = IntegerField("Minuten", validators=[NumberRange(min=1, max=480, message="Vul 1 tot 480 minuten in.")])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        content = library()
        self.ref.choices = ([SelectChoice("", "(geen)")]
                            + [SelectChoice(f"verhaal:{s.slug}", f"Verhaal: {s.title}") for s in content.stories.values()]
                            + [SelectChoice(f"dilemma:{d.slug}", f"Kaart: {d.title}") for d in content.dilemmas.values()])

    def validate_ref(self, field) -> None:
        kind, _, slug = (field.data or "").partition(":")
        if self.kind.data in ("verhaal", "dilemma"):
            if kind != self.kind.data:
                raise ValidationError("Kies bij dit onderdeel een "
                                      f"{'verhaal' if self.kind.data == 'verhaal' else 'dilemmakaart'}.")
            known = library().stories if kind == "verhaal" else library().dilemmas
            if slug not in known:
                raise ValidationError("Dit verhaal of deze kaart bestaat niet.")

    def validate_scenes(self, field) -> None:
        if self.kind.data != "verhaal" or not (field.data or "").strip():
            return
        story = library().stories.get((self.ref.data or "").partition(":")[2])
        parts = [p.strip() for p in field.data.replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise ValidationError("Schrijf de scènes als nummers met komma's, zoals 1,2,4.")
        if story and any(not 1 <= int(p) <= len(story.scenes) for p in parts):
            raise ValidationError(f"Dit verhaal heeft de scènes 1 tot en met {len(story.scenes)}.")

    def item(self) -> AgendaItem:
        """The agenda item described by the form."""
        if self.kind.data not in ("verhaal", "dilemma"):
            return AgendaItem(self.kind.data, self.minutes.data)
        ref = self.ref.data.partition(":")[2]
        if self.kind.data == "dilemma":
            return AgendaItem("dilemma", self.minutes.data, ref)
        parts = [int(p) for p in (self.scenes.data or "").replace(";", ",").split(",") if p.strip()]
        story = library().stories[ref]
        return AgendaItem("verhaal", self.minutes.data, ref,
                          tuple(sorted(set(parts)) or range(1, len(story.scenes) + 1)))
