"""The form for one step of an own card, and what the step page and the editor show beside it: the checks of
this step at their fields, the card's shape (Twine's counts) and its route map. The fields come from the
draft's text and go back into it (editor_steps.py); the form never holds a second copy of the card."""
from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup
from flask_wtf.file import FileField
from wtforms import FieldList, FormField, HiddenField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from . import editor_fields, editor_steps
from .authoring import Checked
from .content.dilemmas import OUTCOMES
from .content.fields import SLUG, slugify
from .dilemma_map import draw_map
from .editor_steps import MAX_OPTIONS, MIN_OPTIONS, EndingFields, OptionFields, StepFields
from .forms import EntryForm, Form, rearrange_entries
from .privacy import NoPersonalData

PRIVATE = NoPersonalData()


class NameForm(Form):
    """The name (and so the address) of a new own card or story."""

    naam = StringField("Naam (wordt het adres)", validators=[DataRequired("Vul een naam in."), Length(max=80)])

    def validate_naam(self, field) -> None:
        field.data = slugify(field.data or "")
        if not SLUG.match(field.data):
            raise ValidationError("Een naam heeft letters of cijfers, bijvoorbeeld eigen-voordeur.")


class TextForm(Form):
    """The whole text of a draft, and the revision the writer started from."""

    tekst = TextAreaField("Tekst van het bestand")
    revisie = HiddenField()


class CommentForm(Form):
    """A reviewer's remark on one line or part of a draft."""

    veld = StringField("Bij welke regel of welk onderdeel?", validators=[
        DataRequired("Schrijf bij welke regel of welk onderdeel, bijvoorbeeld: regel 12."), Length(max=120)])
    opmerking = TextAreaField("Opmerking", validators=[DataRequired("Schrijf je opmerking."), Length(max=3000)])


class UploadForm(Form):
    """A .md file to put into a draft."""

    bestand = FileField("Bestand (.md)")


class OptionForm(EntryForm):
    """One option: what you do, where it leads, and what it means for the client and the people around them."""

    keuze = StringField("Wat je doet", validators=[DataRequired("Schrijf wat je doet bij deze optie."),
                                                   Length(max=300), PRIVATE])
    naar = SelectField("Leidt naar", validate_choice=False,
                       validators=[DataRequired("Kies waar deze optie naartoe leidt.")])
    client = StringField("Gevolg voor de cliënt", validators=[
        DataRequired("Schrijf wat deze keuze betekent voor de cliënt."), Length(max=600), PRIVATE])
    systeem = StringField("Gevolg voor de mensen om de cliënt heen", validators=[
        DataRequired("Schrijf wat deze keuze betekent voor de mensen om de cliënt heen."), Length(max=600), PRIVATE])


class StepForm(Form):
    """One step of a card: its title, situation, question, options and discussion prompts."""

    titel = StringField("Titel van de stap", validators=[DataRequired("Geef de stap een titel."), Length(max=120),
                                                         PRIVATE])
    situatie = TextAreaField("Situatie", validators=[DataRequired("Beschrijf de situatie."), PRIVATE])
    vraag = TextAreaField("Vraag", validators=[DataRequired("Schrijf de vraag aan de groep."), PRIVATE])
    opties = FieldList(FormField(OptionForm), min_entries=0, max_entries=MAX_OPTIONS + 1)
    gespreksvragen = TextAreaField("Gespreksvragen (één per regel)", validators=[
        DataRequired("Schrijf minstens twee gespreksvragen, één per regel."), PRIVATE])
    gezien = HiddenField()  # the step's fingerprint when the form was filled

    @classmethod
    def of(cls, text: str, step: StepFields) -> StepForm:
        """The form filled from a step as it stands in the text."""
        form = cls(formdata=None, titel=step.title, situatie=step.situation, vraag=step.question,
                   gespreksvragen="\n".join(step.prompts), gezien=editor_steps.fingerprint(text, step.id),
                   opties=[{"keuze": o.label, "naar": o.target, "client": o.client, "systeem": o.system}
                           for o in step.options])
        form.offer_targets(text, step.id)
        return form

    def offer_targets(self, text: str, step_id: str) -> None:
        """Every step and ending an option may lead to; a target that does not exist stays, marked."""
        nodes = [n for n in editor_steps.nodes_of(text) if n.id != step_id]
        choices = [SelectChoice("", "Kies een stap of einde")] + [
            SelectChoice(n.id, f"{'Stap' if n.kind == 'stap' else 'Einde'}: {n.title or n.id} ({n.id})") for n in nodes]
        known = {n.id for n in nodes}
        for entry in self.opties:
            target = entry.form.naar.data or ""
            entry.form.naar.choices = choices + ([SelectChoice(target, f"Bestaat niet: {target}")]
                                                 if target and target not in known else [])

    def fields(self, step_id: str, extra: str) -> StepFields:
        """The step as typed, ready to be written into the text."""
        return StepFields(step_id, self.titel.data or "", self.situatie.data or "", self.vraag.data or "",
                          [OptionFields(e.form.keuze.data or "", e.form.naar.data or "", e.form.client.data or "",
                                        e.form.systeem.data or "") for e in self.opties],
                          [p.strip() for p in (self.gespreksvragen.data or "").split("\n") if p.strip()], extra)

    def rearrange(self, action: str) -> str:
        """Add, remove or move an option in what was typed (nothing is saved); the Dutch note of what changed."""
        return rearrange_entries(self.opties, action, "optie", "Een stap", "de stap",
                                 {"keuze": "", "naar": "", "client": "", "systeem": ""}, MIN_OPTIONS, MAX_OPTIONS)


class EndingForm(Form):
    """One ending of a card: its title, how it turned out for the client and those around them, the reflection."""

    titel = StringField("Titel van het einde", validators=[DataRequired("Geef het einde een titel."),
                                                           Length(max=120), PRIVATE])
    uitkomst = SelectField("Hoe liep het af?", choices=[
        SelectChoice(key, label) for key, label in OUTCOMES.items()])
    reflectie = TextAreaField("Reflectie", validators=[DataRequired("Schrijf een korte reflectie."), PRIVATE])
    gezien = HiddenField()  # the ending's fingerprint when the form was filled

    @classmethod
    def of(cls, text: str, ending: EndingFields) -> EndingForm:
        """The form filled from an ending as it stands in the text."""
        return cls(formdata=None, titel=ending.title, uitkomst=ending.outcome or "gemengd",
                   reflectie=ending.reflection, gezien=editor_steps.fingerprint(text, ending.id))

    def fields(self, ending_id: str) -> EndingFields:
        """The ending as typed, ready to be written into the text."""
        return EndingFields(ending_id, self.titel.data or "", self.uitkomst.data or "", self.reflectie.data or "")


@dataclass(frozen=True)
class Sketch:
    """Enough of a card to draw its map while it does not pass the checks yet: the steps a route reaches,
    with only the options that lead to a step or ending."""

    title: str
    steps: dict
    endings: dict

    @property
    def start(self) -> str:
        return next(iter(self.steps))


@dataclass(frozen=True)
class SketchOption:
    number: int
    label: str
    target: str


@dataclass(frozen=True)
class SketchNode:
    id: str
    title: str
    options: tuple = ()


def sketch(text: str, unreached: tuple[str, ...]) -> Sketch | None:
    """The card as far as it can be drawn now (None when it has no step)."""
    nodes = editor_steps.nodes_of(text)
    known = {n.id for n in nodes if n.id not in unreached}
    options = editor_steps.options_of(text)
    steps = {n.id: SketchNode(n.id, n.title or n.id, tuple(
        SketchOption(i, o.label, o.target) for i, o in enumerate(options.get(n.id, []), 1) if o.target in known))
        for n in nodes if n.kind == "stap" and n.id in known}
    endings = {n.id: SketchNode(n.id, n.title or n.id) for n in nodes if n.kind == "einde"}
    return Sketch("concept", steps, endings) if steps else None


def card_map(checked: Checked, text: str, shape: editor_steps.Shape) -> Markup | None:
    """The route map: of the card itself when it passes the checks, else of the part that can be drawn."""
    if checked.item is not None and checked.kind == "dilemma":
        return draw_map(checked.item)
    drawable = sketch(text, shape.unreached)
    return draw_map(drawable) if drawable else None  # duck-typed: draw_map reads ids, titles, options


def step_notes(checked: Checked, text: str, step_id: str, kind: str = "Stap") -> dict[str, list[str]]:
    """The checks' problems and the B1 hints of one step (or ending), by the form field they belong to ("" for
    the part as a whole)."""
    prefix = f"{kind} {step_id}"
    parts = editor_fields.outline(text)
    notes: dict[str, list[str]] = {}
    found = [(p.field, p.message) for p in editor_fields.placed(checked.problems, parts)]
    found += [(w.field, w.message) for w in editor_fields.warnings(text)]
    for label, message in found:
        if label != prefix and not label.startswith(prefix + " · "):
            continue
        rest = label[len(prefix) + 3:]
        key = rest.lower()
        if key.startswith("optie "):
            key = "optie-" + str("ABCD".index(rest[6]) + 1 if rest[6] in "ABCD" else 0)
        elif key.startswith("gespreksvragen"):
            key = "gespreksvragen"
        elif key not in ("situatie", "vraag", "uitkomst", "reflectie"):
            key = ""
        notes.setdefault(key, []).append(message[:1].upper() + message[1:])
    return notes


@dataclass(frozen=True)
class StepLine:
    """A step in the editor's list: whether the form can hold it."""

    id: str
    title: str
    fits: bool


def shape_context(checked: Checked, text: str, with_steps: bool = True) -> dict:
    """What templates/authoring/_shape.html needs: the counts, the map and (on the editor) the steps."""
    shape = editor_steps.shape(text)
    context = {"shape": shape, "map_drawing": card_map(checked, text, shape)}
    if with_steps:
        nodes = editor_steps.nodes_of(text)
        context["steps"] = [StepLine(n.id, n.title, editor_steps.fits(text, n.id)) for n in nodes if n.kind == "stap"]
        context["endings"] = [StepLine(n.id, n.title, editor_steps.fits(text, n.id)) for n in nodes
                              if n.kind == "einde"]
    return context
