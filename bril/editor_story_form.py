"""The form for a story's header and closing (editor_story.py reads and writes them): title, the person, the
summary, themes, roles, source, the professional's view, the questions, the reporting routes ("Wie is
hiervan?") and the linked cards. Questions and routes are added, removed and moved in what was typed, as a
card's options and rules are; a save writes back only what changed. A conflict keeps both texts (409), an
error keeps what was typed (422), and the checks' own words stand beside the field they belong to."""
from __future__ import annotations

import copy

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from wtforms import FieldList, FormField, HiddenField, SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from . import clock, drafts, editor_fields, markup
from .content.body import HEADING
from .content.roles import ROLES
from .content.single import STORY
from .content.stories import MAX_QUESTIONS, MIN_QUESTIONS
from .content.themes import THEMES, theme_key
from .editor_header import header_lines, read_header, ticked
from .editor_story import QUESTIONS, VIEW, Closing, fingerprint, fits, parts_source, read_closing, save_story, sections
from .forms import EntryForm, Form, rearrange_entries
from .libraries import library_here
from .models import Draft
from .privacy import NoPersonalData
from .reporting import book_for

PRIVATE = NoPersonalData()
MAX_ROUTES = 8
# The fields of the header by the label editor_fields gives their lines; the person's two keys share one place.
HEADER_FIELDS = {"titel": "titel", "persoon": "persoon", "naam": "persoon", "leeftijd": "persoon",
                 "samenvatting": "samenvatting", "themas": "themas", "rollen": "rollen", "meldroutes": "meldroutes",
                 "dilemmas": "dilemmas", "bron": "bron"}


def ticks(label: str) -> SelectMultipleField:
    """A list of boxes to tick (its choices are set per page)."""
    return SelectMultipleField(label, choices=[], widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
                               validate_choice=False)


class QuestionForm(EntryForm):
    """One discussion question after the story."""

    vraag = TextAreaField("Vraag", validators=[DataRequired("Schrijf de vraag, of haal hem weg."), Length(max=400),
                                             PRIVATE])


class RouteForm(EntryForm):
    """One reporting route ("Wie is hiervan?") a reader is shown after the story."""

    route = SelectField("Meldroute", choices=[], validate_choice=False,
                        validators=[DataRequired("Kies een meldroute, of haal hem weg.")])


class StoryForm(Form):
    """A story's header and closing: everything of the file outside its scenes."""

    titel = StringField("Titel", validators=[DataRequired("Geef het verhaal een titel."), Length(max=160), PRIVATE])
    naam = StringField("Voornaam van de persoon", validators=[
        DataRequired("Geef de persoon een verzonnen voornaam."), Length(max=60), PRIVATE])
    leeftijd = StringField("Leeftijd", validators=[DataRequired("Schrijf de leeftijd, bijvoorbeeld 21 of scholier, 15."),
                                                   Length(max=40), PRIVATE])
    samenvatting = TextAreaField("Samenvatting", validators=[DataRequired("Schrijf een korte samenvatting."), PRIVATE])
    themas = ticks("Thema's")
    rollen = ticks("Rollen")
    bron = StringField("Bron", validators=[DataRequired("Schrijf waar het verhaal vandaan komt."), Length(max=500),
                                           PRIVATE])
    blik = TextAreaField("Blik van de professional", validators=[
        DataRequired("Schrijf wat een professional zag en deed."), PRIVATE])
    vragen = FieldList(FormField(QuestionForm, label="Gespreksvraag"), min_entries=0, max_entries=MAX_QUESTIONS + 1)
    meldroutes = FieldList(FormField(RouteForm, label="Meldroute"), min_entries=0, max_entries=MAX_ROUTES + 1)
    dilemmas = ticks("Dilemmakaarten bij dit verhaal")
    gezien = HiddenField()  # the fingerprint of the header and closing when the form was filled

    @classmethod
    def of(cls, text: str) -> StoryForm:
        """The form filled from the header and closing as they stand in the text."""
        data, closing = read_header(text) or {}, read_closing(text)
        person = data.get("persoon") or {}
        return cls(formdata=None, titel=data.get("titel") or "", naam=str(person.get("naam") or ""),
                   leeftijd=str(person.get("leeftijd") or ""), samenvatting=(data.get("samenvatting") or "").strip(),
                   bron=data.get("bron") or "", themas=[theme_key(str(t)) for t in data.get("themas") or []],
                   rollen=[str(r) for r in data.get("rollen") or []], dilemmas=[str(d) for d in data.get("dilemmas") or []],
                   blik=closing.view, vragen=[{"vraag": q} for q in closing.questions],
                   meldroutes=[{"route": str(r)} for r in data.get("meldroutes") or []], gezien=fingerprint(text))

    def offer(self, text: str, organisation_id: int) -> StoryForm:
        """The choices: known themes, roles, the organisation's routes and cards; a name the lists do not know
        stays on offer, marked, so that a save does not drop it (the check names it)."""
        data = read_header(text) or {}
        self.themas.choices = [SelectChoice(k, v) for k, v in sorted(THEMES.items(), key=lambda i: i[1].lower())]
        self.rollen.choices = [SelectChoice(k, v) for k, v in ROLES.items()]
        cards = library_here().dilemmas
        self.dilemmas.choices = [SelectChoice(k, c.title) for k, c in sorted(cards.items(), key=lambda i: i[1].title)]
        self.dilemmas.choices += [SelectChoice(str(d), f"Onbekende kaart: {d}") for d in data.get("dilemmas") or []
                                  if str(d) not in cards]
        routes = book_for(organisation_id).routes
        offered = [SelectChoice("", "Kies een meldroute")] + [SelectChoice(k, r.title) for k, r in routes.items()]
        offered += [SelectChoice(str(r), f"Onbekende meldroute: {r}") for r in data.get("meldroutes") or []
                    if str(r) not in routes]
        for entry in self.meldroutes:
            entry.form.route.choices = offered
        return self

    def validate_blik(self, field) -> None:
        # A line that is a level-1 heading would end the professional's view and start an unknown part.
        heading = next((line for line in (field.data or "").split("\n") if (m := HEADING.match(line))
                        and len(m.group(1)) == 1), None)
        if heading:
            raise ValidationError(f"Een regel mag niet met één # en een spatie beginnen, want dan wordt het een "
                                  f"nieuw kopje. Gebruik ## voor een tussenkopje. Dit klopt niet: {heading.strip()}")

    def header(self, text: str) -> dict:
        """The header the text will have: what was there, with what the form holds in its place."""
        new = copy.deepcopy(read_header(text) or {})
        for name in ("titel", "samenvatting", "bron"):
            new[name] = (getattr(self, name).data or "").strip()
        person = new.get("persoon") if isinstance(new.get("persoon"), dict) else {}
        age = (self.leeftijd.data or "").strip()
        # 54 stays the number 54 in the file when nobody changed it, and a new age of digits is a number too.
        if str(person.get("leeftijd") or "").strip() != age:
            person["leeftijd"] = int(age) if age.isdigit() else age
        person["naam"] = (self.naam.data or "").strip()
        new["persoon"] = person
        for name, known, key in (("themas", THEMES, theme_key), ("rollen", ROLES, str),
                                 ("dilemmas", library_here().dilemmas, str)):
            old = list(new.get(name) or [])
            chosen = ticked(old, getattr(self, name).data or [], known, key)
            if sorted(map(str, chosen)) != sorted(map(str, old)):
                new[name] = chosen
        routes = [entry.form.route.data for entry in self.meldroutes]
        if routes != [str(r) for r in new.get("meldroutes") or []]:
            new["meldroutes"] = routes
        return {k: v for k, v in new.items() if v not in ([], None) or k in (read_header(text) or {})}

    def closing(self) -> Closing:
        return Closing((self.blik.data or "").replace("\r\n", "\n"), [e.form.vraag.data or "" for e in self.vragen])

    def rearrange(self, action: str) -> str:
        """Add, remove or move a question or route in what was typed (nothing is saved); the Dutch note."""
        if action.startswith("vraag-"):
            return rearrange_entries(self.vragen, action, "vraag", "Een verhaal", "het verhaal", {"vraag": ""},
                                     MIN_QUESTIONS, MAX_QUESTIONS, plural="gespreksvragen")
        return rearrange_entries(self.meldroutes, action, "meldroute", "Een verhaal", "het verhaal", {"route": ""},
                                 0, MAX_ROUTES)


def story_notes(draft: Draft) -> dict[str, list[str]]:
    """The checks' problems and the B1 hints of the header and closing, by the form field they belong to; a
    problem in a scene belongs to the scene's form and is left out."""
    text = draft.text
    _, end = header_lines(text)
    view, questions = sections(text, VIEW), sections(text, QUESTIONS)
    parts = editor_fields.outline(text)
    found = [(p.line, p.field, p.message) for p in editor_fields.placed(drafts.checked(draft).problems, parts)]
    found += [(w.line, w.field, w.message) for w in editor_fields.warnings(text)]
    notes: dict[str, list[str]] = {}
    for line, label, message in found:
        key = where(line, label, message, end, view, questions)
        if key is not None:
            notes.setdefault(key, []).append(message[:1].upper() + message[1:])
    return notes


def where(line: int, label: str, message: str, end: int, view, questions) -> str | None:
    """The field a problem on a line belongs to ("" for the header as a whole), or None when it is a scene's."""
    if line <= end + 1:
        return HEADER_FIELDS.get(label.lower(), "")
    if view and view[0].start < line <= view[0].end or f"`# {VIEW}`" in message:
        return "blik"
    if questions and questions[0].start < line <= questions[0].end or f"`# {QUESTIONS}`" in message:
        return "vragen"
    return None


def story_page(draft: Draft, form: StoryForm, *, note: str = "", theirs: str = "", status: int = 200):
    return render_template("authoring/story.html", draft=draft, form=form, note=note, theirs=theirs,
                           notes=story_notes(draft), view=markup.render(form.blik.data or ""), fewest=MIN_QUESTIONS,
                           most=MAX_QUESTIONS, most_routes=MAX_ROUTES), status


def handle(draft: Draft):
    """The story form's view: a button moves or adds a question or route in what was typed, or shows the view
    as a reader will see it; a save writes the header and closing back."""
    if draft.kind != STORY or not fits(draft.text):
        abort(404)
    if request.method == "GET":
        return story_page(draft, StoryForm.of(draft.text).offer(draft.text, draft.organisation_id))
    form = StoryForm()
    action = request.form.get("actie", "opslaan")
    if action == "voorbeeld":
        return story_page(draft, form.offer(draft.text, draft.organisation_id),
                          note="Het voorbeeld toont nu wat je typte. Het is nog niet opgeslagen.")
    if action != "opslaan":
        note = form.rearrange(action)
        return story_page(draft, form.offer(draft.text, draft.organisation_id), note=note)
    form.offer(draft.text, draft.organisation_id)
    if not form.validate_on_submit():
        return story_page(draft, form, status=422)
    if not save_story(draft, form.header(draft.text), form.closing(), form.gezien.data or "", current_user):
        # The next save is a deliberate one over theirs, which stays on the page beside the form.
        form.gezien.data = fingerprint(draft.text)
        return story_page(draft, form, theirs=parts_source(draft.text), status=409)
    flash(f"Verhaal opgeslagen om {clock.local(draft.updated_at).strftime('%H:%M')}.")
    return redirect(url_for("authoring.header", draft_id=draft.id))
