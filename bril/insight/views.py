"""Insight pages for an organisation's beheerder: reach over time, choices per card, signals per story."""
from __future__ import annotations

from flask import Blueprint, Response, abort, render_template, request

from ..auth import role_required
from ..libraries import library_here
from ..tenancy import organisation_id
from .charts import comparison_svg, percent, share
from .figures import Period, card_figures, quarters_with_data, recent_reach
from .suppression import MINIMUM
from .signals import story_signals
from .tables import card_table, excel_csv, reach_table, signals_table

bp = Blueprint("insight", __name__, url_prefix="/inzicht")


@bp.route("/")
@role_required("beheerder")
def index():
    """Reach over the last quarters, and the cards to look into."""
    periods, measures = recent_reach(organisation_id())
    return render_template("insight/index.html", periods=periods, reach=measures,
                           cards=sorted(library_here().dilemmas.values(), key=lambda card: card.title),
                           stories=sorted(library_here().stories.values(), key=lambda story: story.title),
                           minimum=MINIMUM)


@bp.route("/bereik.csv")
@role_required("beheerder")
def reach_csv():
    return csv_download(reach_table(*recent_reach(organisation_id())), "inzicht-bereik.csv")


def figures_for(slug: str):
    card = library_here().dilemmas.get(slug)
    if card is None:
        abort(404)
    period = Period.parse(request.args.get("kwartaal"))
    return card, period, card_figures(organisation_id(), card, period)


@bp.route("/kaart/<slug>")
@role_required("beheerder")
def card(slug: str):
    """Per step: how the organisation's teams voted and its people chose alone, beside all organisations."""
    found, period, steps = figures_for(slug)
    return render_template("insight/card.html", card=found, period=period, steps=steps,
                           periods=quarters_with_data(), chart=comparison_svg, percent=percent, share=share,
                           minimum=MINIMUM)


@bp.route("/kaart/<slug>/tabel.csv")
@role_required("beheerder")
def card_csv(slug: str):
    """The same figures as a table that Dutch Excel opens in columns."""
    found, period, steps = figures_for(slug)
    return csv_download(card_table(steps), f"inzicht-{found.slug}{'-' + period.key if period.key else ''}.csv")


def csv_download(table, name: str) -> Response:
    return Response(excel_csv(table), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def signals_for(slug: str):
    story = library_here().stories.get(slug)
    if story is None:
        abort(404)
    period = Period.parse(request.args.get("kwartaal"))
    return story, period, story_signals(organisation_id(), story, period)


@bp.route("/verhaal/<slug>")
@role_required("beheerder")
def story(slug: str):
    """Per scene: which signals the organisation's people saw and missed, alone and in sessions, beside everyone."""
    found, period, scenes = signals_for(slug)
    return render_template("insight/story.html", story=found, period=period, scenes=scenes,
                           periods=quarters_with_data(), chart=comparison_svg, percent=percent, share=share,
                           minimum=MINIMUM)


@bp.route("/verhaal/<slug>/tabel.csv")
@role_required("beheerder")
def story_csv(slug: str):
    found, period, scenes = signals_for(slug)
    return csv_download(signals_table(scenes), f"inzicht-{found.slug}{'-' + period.key if period.key else ''}.csv")
