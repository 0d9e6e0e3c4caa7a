"""The forms of team sessions: joining, the parking lot, agreements, and composing a plan."""
from __future__ import annotations

from wtforms import (BooleanField, FieldList, HiddenField, SelectChoice, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.widgets import CheckboxInput, ListWidget
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..content import ROLES
from ..libraries import library_here
from ..forms import Form, WholeNumberField
from ..privacy import NoPersonalData
from ..reporting import book_here
from .agenda import DEFAULT_MINUTES, KINDS, AgendaItem
from .vocabulary import WHOLE_TEAM, who_label


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
                      choices=[SelectChoice(k, v) for k, v in ROLES.items()] + [SelectChoice(WHOLE_TEAM, who_label(WHOLE_TEAM, str))])
    by_when = StringField("Wanneer?", validators=[DataRequired("Schrijf op wanneer, bijvoorbeeld 'binnen twee weken'."),
                                                  Length(max=100), NoPersonalData()])
    meldroute = SelectField("Bij welke meldroute hoort het? (Wie is hiervan?)", choices=[], validate_choice=False)

    def __init__(self, *args, book=None, **kwargs) -> None:
        """`book`: the reporting routes to choose from (default: those of the reader's organisation)."""
        super().__init__(*args, **kwargs)
        self.meldroute.choices = [SelectChoice("", "Geen")] + [
            SelectChoice(key, route.title) for key, route in (book or book_here()).routes.items()]

    def validate_meldroute(self, field) -> None:
        """Only a route of the organisation's own Wie is hiervan? (or none)."""
        if field.data and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Kies een meldroute uit de lijst. Deze route kent jullie organisatie niet.")


class RehearsalForm(Form):
    """Try a plan alone: how many simulated participants, and which roles they take in turn."""

    people = WholeNumberField("Hoeveel nagespeelde deelnemers?", default=30, validators=[
        InputRequired("Vul in met hoeveel deelnemers je wilt oefenen, bijvoorbeeld 30."),
        NumberRange(min=5, max=60, message="Kies 5 tot 60 deelnemers.")])
    roles = SelectMultipleField("Welke rollen hebben ze?",
                                default=["wijkagent", "jongerenwerker", "klantmanager", "wmo-consulent", "wijkteam",
                                         "woonconsulent", "leerkracht", "schuldhulpverlener"],
                                choices=[SelectChoice(k, v) for k, v in ROLES.items()],
                                validate_choice=False, widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())

    def validate_roles(self, field) -> None:
        if any(role not in ROLES for role in field.data or []):
            raise ValidationError("Kies rollen uit de lijst.")


class PlanForm(Form):
    title = StringField("Naam van het plan", validators=[DataRequired("Geef het plan een naam."),
                                                         Length(max=200, message="Hoogstens 200 tekens.")])


class NewPlanForm(PlanForm):
    """A new plan, filled in one go: a story and a card between the usual opening and closing."""

    story = SelectField("Verhaal (niet verplicht)", choices=[], validate_choice=False)
    card = SelectField("Dilemmakaart (niet verplicht)", choices=[], validate_choice=False)
    closing = BooleanField("Met een afsluitende ronde en afspraken aan het eind", default=True)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.story.choices = [SelectChoice("", "Geen verhaal"), *StoryItemForm().ref.choices]
        self.card.choices = [SelectChoice("", "Geen kaart"), *CardItemForm().ref.choices]

    def validate_story(self, field) -> None:
        if field.data and field.data not in {c.value for c in self.story.choices}:
            raise ValidationError("Kies een verhaal uit de lijst.")

    def validate_card(self, field) -> None:
        if field.data and field.data not in {c.value for c in self.card.choices}:
            raise ValidationError("Kies een dilemmakaart uit de lijst.")

    def agenda(self) -> list[AgendaItem]:
        """Welcome, the chosen story and card with their usual times, then closing and agreements if asked."""
        agenda = [AgendaItem("welkom", DEFAULT_MINUTES["welkom"])]
        if self.story.data:
            story = library_here().stories[self.story.data.partition(":")[2]]
            agenda.append(AgendaItem("verhaal", DEFAULT_MINUTES["verhaal"], story.slug,
                                     tuple(range(1, len(story.scenes) + 1))))
        if self.card.data:
            card = library_here().dilemmas[self.card.data.partition(":")[2]]
            agenda.append(AgendaItem("dilemma", card.leeswijzer.minutes, card.slug))
        if self.closing.data and (self.story.data or self.card.data):
            agenda += [AgendaItem(kind, DEFAULT_MINUTES[kind]) for kind in ("afsluiting", "afspraken")]
        return agenda


def minutes_field(label: str, field_id: str) -> WholeNumberField:
    """Minutes for a new agenda item; left empty, the item gets its usual time."""
    return WholeNumberField(label, id=field_id, validators=[
        Optional(), NumberRange(min=1, max=480, message="Vul 1 tot 480 minuten in.")])


class ItemForm(Form):
    """Add one item to a plan. Three small forms share this shape, so each shows only what its type needs.

    Every variant posts `kind`, `ref`, `scenes` and `minutes`, so a script or an old bookmark that posts
    the fields of the single form we had before still works.
    """

    kind = HiddenField()

    def item(self) -> AgendaItem:
        """The agenda item described by the form."""
        return AgendaItem(self.kind.data, self.minutes.data or DEFAULT_MINUTES[self.kind.data])


def from_whom(item) -> str:
    """A shared card's or story's origin, first in the brackets behind its title in a list to choose from."""
    return f"van {item.origin}, " if item.origin else ""


class StoryItemForm(ItemForm):
    ref = SelectField("Verhaal", id="verhaal-keuze", choices=[], validate_choice=False)
    scenes = StringField("Welke scènes? (leeg: alle scènes, of bijvoorbeeld 1,2,4)", id="verhaal-scenes")
    minutes = minutes_field(f"Minuten (leeg: {DEFAULT_MINUTES['verhaal']})", "verhaal-minuten")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.data = "verhaal"
        self.ref.choices = [SelectChoice(f"verhaal:{s.slug}", f"{s.title} ({from_whom(s)}{len(s.scenes)} scènes)")
                            for s in library_here().stories.values()]

    def validate_ref(self, field) -> None:
        if field.data.partition(":")[2] not in library_here().stories:
            raise ValidationError("Kies een verhaal uit de lijst.")

    def validate_scenes(self, field) -> None:
        if not (field.data or "").strip():
            return
        parts = [p.strip() for p in field.data.replace(";", ",").split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise ValidationError("Schrijf de scènes als nummers met komma's, zoals 1,2,4.")
        story = library_here().stories.get(self.ref.data.partition(":")[2])
        if story and any(not 1 <= int(p) <= len(story.scenes) for p in parts):
            raise ValidationError(f"{story.title} heeft de scènes 1 tot en met {len(story.scenes)}.")

    def item(self) -> AgendaItem:
        story = library_here().stories[self.ref.data.partition(":")[2]]
        chosen = {int(p) for p in (self.scenes.data or "").replace(";", ",").split(",") if p.strip()}
        return AgendaItem("verhaal", self.minutes.data or DEFAULT_MINUTES["verhaal"], story.slug,
                          tuple(sorted(chosen) or range(1, len(story.scenes) + 1)))


class CardItemForm(ItemForm):
    ref = SelectField("Dilemmakaart", id="kaart-keuze", choices=[], validate_choice=False)
    minutes = minutes_field("Minuten (leeg: de tijd uit de leeswijzer)", "kaart-minuten")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind.data = "dilemma"
        cards = sorted(library_here().dilemmas.values(), key=lambda d: d.title)
        self.ref.choices = [SelectChoice(f"dilemma:{d.slug}",
                                         f"{d.title} ({from_whom(d)}{ROLES.get(d.role, d.role)}, "
                                         f"{d.leeswijzer.minutes} min.)")
                            for d in cards]

    def validate_ref(self, field) -> None:
        if field.data.partition(":")[2] not in library_here().dilemmas:
            raise ValidationError("Kies een dilemmakaart uit de lijst.")

    def item(self) -> AgendaItem:
        card = library_here().dilemmas[self.ref.data.partition(":")[2]]
        return AgendaItem("dilemma", self.minutes.data or card.leeswijzer.minutes, card.slug)


class OtherItemForm(ItemForm):
    kind = SelectField("Onderdeel", id="ander-soort",
                       choices=[SelectChoice(k, KINDS[k]) for k in ("welkom", "afsluiting", "afspraken")])
    minutes = minutes_field("Minuten (leeg: de gewone tijd)", "ander-minuten")


def item_form(kind: str | None) -> ItemForm:
    """The add-form for the type of item that was posted."""
    return {"verhaal": StoryItemForm, "dilemma": CardItemForm}.get(kind or "", OtherItemForm)()


class AgendaForm(Form):
    """The whole agenda at once: the minutes of every item, and which button was pressed (move or remove)."""

    minutes = FieldList(WholeNumberField("Minuten", validators=[
        InputRequired("Vul het aantal minuten in."), NumberRange(min=1, max=480, message="Vul 1 tot 480 minuten in.")]))
    # The agenda as the page showed it: if it changed since (another tab), we do not apply moves to the wrong item.
    fingerprint = HiddenField()
