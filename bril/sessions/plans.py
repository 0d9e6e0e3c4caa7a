"""Session plans: a facilitator composes an agenda of stories, dilemma cards and rounds, with timings."""
from __future__ import annotations

import dataclasses
import hashlib
import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth import role_required
from ..content import Library
from ..tenancy import organisation_id, own_or_404
from ..libraries import library_for, library_here, pins_of, stamped
from ..models import SessionPlan, db
from .agenda import AgendaItem, duration, items, review_agenda
from ..forms import ButtonForm
from .forms import (AgendaForm, CardItemForm, ItemForm, NewPlanForm, OtherItemForm, PlanForm, RehearsalForm,
                    StoryItemForm, item_form)

bp = Blueprint("plans", __name__, url_prefix="/sessies/plannen")
bp.add_app_template_filter(duration, "duur")


def own_plan(plan_id: int) -> SessionPlan:
    return own_or_404(SessionPlan, plan_id)


def describe(item: dict) -> str:
    """A short Dutch description of an agenda item stored as JSON."""
    return AgendaItem.from_json(item).describe(library_here())


def plan_library(plan: SessionPlan):
    """The library a plan plays: its organisation's, with the versions of own cards and stories it was made with."""
    return library_for(organisation_id(), pins_of(plan.items))


@bp.route("/", methods=["GET", "POST"])
@role_required("procesbegeleider")
def index():
    """List the facilitator's plans and make a new one, with a story and a card if chosen."""
    form = NewPlanForm()
    if form.validate_on_submit():
        plan = SessionPlan(owner_id=current_user.id, title=form.title.data.strip(),
                           items=[stamped(item, organisation_id()).to_json() for item in form.agenda()])
        db.session.add(plan)
        db.session.commit()
        return redirect(url_for(".edit", plan_id=plan.id))
    plans = db.session.scalars(select(SessionPlan).filter_by(owner_id=current_user.id)
                               .order_by(SessionPlan.updated_at.desc())).all()
    return render_template("plans/index.html", plans=plans, form=form, describe=describe), \
        422 if form.errors else 200


@bp.route("/<int:plan_id>", methods=["GET", "POST"])
@role_required("procesbegeleider")
def edit(plan_id: int):
    """Show a plan with its agenda; add an item of the type whose form was sent."""
    plan = own_plan(plan_id)
    added = item_form(request.form.get("kind")) if request.method == "POST" else None
    if added is not None and added.validate_on_submit():
        item = stamped(added.item(), organisation_id())
        plan.items = [*plan.items, item.to_json()]
        db.session.commit()
        flash(f"Toegevoegd: {item.describe(plan_library(plan))}, {item.minutes} minuten.")
        return redirect(url_for(".edit", plan_id=plan.id) + "#agenda", 303)
    return render_edit(plan, added=added)


@bp.route("/<int:plan_id>/agenda", methods=["POST"])
@role_required("procesbegeleider")
def save_agenda(plan_id: int):
    """Save the minutes of every item at once, and move or remove an item if one of its buttons was pressed."""
    plan = own_plan(plan_id)
    form = AgendaForm()
    if not form.validate_on_submit():
        return render_edit(plan, agenda_form=form)
    if form.fingerprint.data != fingerprint(plan.items) or len(form.minutes.data) != len(plan.items):
        flash("Het plan is intussen ergens anders veranderd. Hieronder staat het zoals het nu is; "
              "pas het opnieuw aan.", "fout")
        return redirect(url_for(".edit", plan_id=plan.id) + "#agenda", 303)
    agenda = [dataclasses.replace(item, minutes=minutes)
              for item, minutes in zip(items(plan.items), form.minutes.data)]
    agenda, message, focus = rearrange(agenda, request.form.get("stap", ""), plan_library(plan))
    plan.items = [item.to_json() for item in agenda]
    db.session.commit()
    flash(message)
    return redirect(url_for(".edit", plan_id=plan.id, focus=focus) + "#agenda", 303)


def rearrange(agenda: list[AgendaItem], step: str,
              content: Library | None = None) -> tuple[list[AgendaItem], str, str]:
    """Apply a row button (`op:2`, `neer:2`, `weg:2`): the new agenda, what happened, which button gets focus."""
    verb, _, index = step.partition(":")
    if verb not in ("op", "neer", "weg") or not index.isdigit() or int(index) >= len(agenda):
        return agenda, "De minuten zijn opgeslagen.", ""
    index = int(index)
    name = agenda[index].describe(content or library_here(), short=True)
    if verb == "weg":
        del agenda[index]
        return agenda, f"Verwijderd: {name}.", ""
    other = index - 1 if verb == "op" else index + 1
    if not 0 <= other < len(agenda):
        return agenda, "De minuten zijn opgeslagen.", ""
    agenda[index], agenda[other] = agenda[other], agenda[index]
    # Keep the focus on the same kind of button of the moved item, or on the other one at the top or bottom.
    edge = other == 0 if verb == "op" else other == len(agenda) - 1
    focus = f"{'neer' if verb == 'op' else 'op'}:{other}" if edge else f"{verb}:{other}"
    return agenda, f"{name} staat nu op plaats {other + 1}.", focus


def fingerprint(agenda: list[dict]) -> str:
    """A short hash of the stored agenda, to notice that it changed between showing and saving."""
    return hashlib.sha256(json.dumps(agenda, sort_keys=True).encode()).hexdigest()[:16]


def render_edit(plan: SessionPlan, added: ItemForm | None = None, agenda_form: AgendaForm | None = None,
                rehearsal_form: RehearsalForm | None = None):
    """The plan page; a form that was sent with mistakes keeps what was typed and shows them once."""
    agenda = items(plan.items)
    if agenda_form is None:
        agenda_form = AgendaForm(formdata=None, data={"minutes": [i.minutes for i in agenda],
                                                      "fingerprint": fingerprint(plan.items)})
    add_forms = {kind: added if added is not None and added.kind.data == kind else form_class(formdata=None)
                 for kind, form_class in (("verhaal", StoryItemForm), ("dilemma", CardItemForm))}
    add_forms["ander"] = added if isinstance(added, OtherItemForm) else OtherItemForm(formdata=None)
    content = plan_library(plan)
    review = review_agenda(agenda, content)
    status = 422 if (added is not None and added.errors) or agenda_form.errors or (
        rehearsal_form is not None and rehearsal_form.errors) else 200
    return render_template("plans/edit.html", plan=plan, agenda_form=agenda_form, add_forms=add_forms,
                           review=review, focus=request.args.get("focus", ""), library=content,
                           title_form=PlanForm(title=plan.title),
                           rehearsal_form=rehearsal_form or RehearsalForm(formdata=None)), status


@bp.route("/<int:plan_id>/naam", methods=["POST"])
@role_required("procesbegeleider")
def rename(plan_id: int):
    """Change the name of a plan."""
    plan = own_plan(plan_id)
    form = PlanForm()
    if form.validate_on_submit():
        plan.title = form.title.data.strip()
        db.session.commit()
        flash("De naam is opgeslagen.")
    else:
        flash(" ".join(form.title.errors), "fout")
    return redirect(url_for(".edit", plan_id=plan.id))


@bp.route("/<int:plan_id>/kopie", methods=["POST"])
@role_required("procesbegeleider")
def copy(plan_id: int):
    """Make a copy of a plan to change for another team."""
    plan = own_plan(plan_id)
    if not ButtonForm().validate_on_submit():
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
    if ButtonForm().validate_on_submit():
        db.session.delete(plan)
        db.session.commit()
        flash("Het plan is verwijderd.")
    return redirect(url_for(".index"))
