"""Session plans: a facilitator composes an agenda of stories, dilemma cards and rounds, with timings."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from ..auth import own_or_404, role_required
from ..extensions import library
from ..models import SessionPlan, db
from .agenda import DEFAULT_MINUTES, KINDS, AgendaItem, items
from .forms import EmptyForm, ItemForm, PlanForm

bp = Blueprint("plans", __name__, url_prefix="/sessies/plannen")


def own_plan(plan_id: int) -> SessionPlan:
    return own_or_404(SessionPlan, plan_id)


def describe(item: dict) -> str:
    """A short Dutch description of an agenda item stored as JSON."""
    return AgendaItem.from_json(item).describe(library())


@bp.route("/", methods=["GET", "POST"])
@role_required("procesbegeleider")
def index():
    """List the facilitator's plans and make a new one."""
    form = PlanForm()
    if form.validate_on_submit():
        plan = SessionPlan(owner_id=current_user.id, title=form.title.data.strip(),
                           items=[AgendaItem("welkom", DEFAULT_MINUTES["welkom"]).to_json()])
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
        plan.items = [*plan.items, form.item().to_json()]
        db.session.commit()
        flash("Het onderdeel is toegevoegd.")
        return redirect(url_for(".edit", plan_id=plan.id))
    agenda = items(plan.items)
    cards = [library().dilemmas[i.ref] for i in agenda if i.is_card and i.ref in library().dilemmas]
    return render_template("plans/edit.html", plan=plan, form=form, action=EmptyForm(), describe=describe,
                           title_form=PlanForm(title=plan.title), cards=cards, kinds=KINDS,
                           total=sum(i.minutes for i in agenda))


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
