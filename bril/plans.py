"""Session plans: a facilitator composes an agenda of stories, dilemma cards and rounds, with timings."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from .auth import role_required
from .extensions import library
from .models import SessionPlan, db

bp = Blueprint("plans", __name__, url_prefix="/sessies/plannen")

KINDS = {
    "welkom": "Welkom en kennismaking",
    "verhaal": "Een verhaal lezen",
    "dilemma": "Een dilemmakaart",
    "afsluiting": "Afsluitende ronde",
    "afspraken": "Afspraken maken",
}
DEFAULT_MINUTES = {"welkom": 10, "verhaal": 20, "dilemma": 45, "afsluiting": 10, "afspraken": 15}


class PlanForm(FlaskForm):
    title = StringField("Naam van het plan", validators=[DataRequired("Geef het plan een naam."),
                                                         Length(max=200, message="Hoogstens 200 tekens.")])


class ItemForm(FlaskForm):
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

    def item(self) -> dict:
        """The agenda item described by the form."""
        item = {"soort": self.kind.data, "minuten": self.minutes.data}
        if self.kind.data in ("verhaal", "dilemma"):
            item["ref"] = self.ref.data.partition(":")[2]
        if self.kind.data == "verhaal":
            parts = [int(p) for p in (self.scenes.data or "").replace(";", ",").split(",") if p.strip()]
            story = library().stories[item["ref"]]
            item["scenes"] = sorted(set(parts)) or list(range(1, len(story.scenes) + 1))
        return item


class EmptyForm(FlaskForm):
    """A button that only needs the CSRF token."""


def own_plan(plan_id: int) -> SessionPlan:
    plan = db.session.get(SessionPlan, plan_id)
    if plan is None or (plan.owner_id != current_user.id and current_user.role != "beheerder"):
        abort(404)
    return plan


def describe(item: dict) -> str:
    """A short Dutch description of an agenda item."""
    content = library()
    if item["soort"] == "verhaal" and item.get("ref") in content.stories:
        story = content.stories[item["ref"]]
        scenes = item.get("scenes") or []
        which = "alle scènes" if len(scenes) == len(story.scenes) else "scène " + ", ".join(map(str, scenes))
        return f"Verhaal: {story.title} ({which})"
    if item["soort"] == "dilemma" and item.get("ref") in content.dilemmas:
        return f"Dilemmakaart: {content.dilemmas[item['ref']].title}"
    return KINDS.get(item["soort"], item["soort"])


@bp.route("/", methods=["GET", "POST"])
@role_required("procesbegeleider")
def index():
    """List the facilitator's plans and make a new one."""
    form = PlanForm()
    if form.validate_on_submit():
        plan = SessionPlan(owner_id=current_user.id, title=form.title.data.strip(), items=[
            {"soort": "welkom", "minuten": DEFAULT_MINUTES["welkom"]}])
        db.session.add(plan)
        db.session.commit()
        return redirect(url_for(".edit", plan_id=plan.id))
    plans = db.session.scalars(select(SessionPlan).filter_by(owner_id=current_user.id)
                               .order_by(SessionPlan.updated_at.desc())).all()
    return render_template("plans/index.html", plans=plans, form=form, describe=describe)


@bp.route("/<int:plan_id>", methods=["GET", "POST"])
@role_required("procesbegeleider")
def edit(plan_id: int):
    """Show a plan with its agenda; add an item."""
    plan = own_plan(plan_id)
    form = ItemForm()
    if request.method == "GET":
        form.minutes.data = DEFAULT_MINUTES["dilemma"]
    if form.validate_on_submit():
        plan.items = [*plan.items, form.item()]
        db.session.commit()
        flash("Het onderdeel is toegevoegd.")
        return redirect(url_for(".edit", plan_id=plan.id))
    cards = [library().dilemmas[i["ref"]] for i in plan.items
             if i["soort"] == "dilemma" and i.get("ref") in library().dilemmas]
    return render_template("plans/edit.html", plan=plan, form=form, action=EmptyForm(), describe=describe,
                           title_form=PlanForm(title=plan.title), cards=cards, kinds=KINDS,
                           total=sum(i.get("minuten", 0) for i in plan.items))


@bp.route("/<int:plan_id>/naam", methods=["POST"])
@role_required("procesbegeleider")
def rename(plan_id: int):
    """Change the name of a plan."""
    plan = own_plan(plan_id)
    form = PlanForm()
    if form.validate_on_submit():
        plan.title = form.title.data.strip()
        db.session.commit()
    else:
        flash(" ".join(form.title.errors), "fout")
    return redirect(url_for(".edit", plan_id=plan.id))


@bp.route("/<int:plan_id>/onderdeel/<int:index>/<action>", methods=["POST"])
@role_required("procesbegeleider")
def move(plan_id: int, index: int, action: str):
    """Move an agenda item up or down, or remove it."""
    plan = own_plan(plan_id)
    items = list(plan.items)
    if not EmptyForm().validate_on_submit() or not 0 <= index < len(items) or action not in ("op", "neer", "weg"):
        abort(400)
    if action == "weg":
        items.pop(index)
    else:
        other = index - 1 if action == "op" else index + 1
        if 0 <= other < len(items):
            items[index], items[other] = items[other], items[index]
    plan.items = items
    db.session.commit()
    return redirect(url_for(".edit", plan_id=plan.id) + "#agenda")


@bp.route("/<int:plan_id>/kopie", methods=["POST"])
@role_required("procesbegeleider")
def copy(plan_id: int):
    """Make a copy of a plan to change for another team."""
    plan = own_plan(plan_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    twin = SessionPlan(owner_id=current_user.id, title=f"{plan.title} (kopie)", items=list(plan.items))
    db.session.add(twin)
    db.session.commit()
    flash("Er is een kopie van het plan gemaakt.")
    return redirect(url_for(".edit", plan_id=twin.id))


@bp.route("/<int:plan_id>/verwijderen", methods=["POST"])
@role_required("procesbegeleider")
def delete(plan_id: int):
    """Delete a plan; sessions already run keep their own copy of the agenda."""
    plan = own_plan(plan_id)
    if EmptyForm().validate_on_submit():
        db.session.delete(plan)
        db.session.commit()
        flash("Het plan is verwijderd.")
    return redirect(url_for(".index"))
