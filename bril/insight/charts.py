"""Charts drawn on the server as SVG: bars of our share beside everyone's, each chart with its table.

A chart never stands alone: the page puts the same figures in a table beside it, for screen readers, for
copying and for print. A hidden figure draws no bar; the chart says "verborgen" where it would be.
"""
from __future__ import annotations

from markupsafe import Markup, escape

from .figures import Comparison
from .trends import Trend

ROW = 46  # px per option: two bars and a gap
LABEL_WIDTH = 300
BAR_WIDTH = 360


def share(figure_value: int | None, total: int | None) -> float | None:
    if figure_value is None or not total:
        return None
    return figure_value / total


def percent(value: float | None) -> str:
    return "verborgen" if value is None else f"{round(value * 100)}%"


def comparison_svg(comparison: Comparison, title: str) -> Markup:
    """Two bars per option: this organisation (dark) and all organisations (light), as shares of their totals."""
    height = ROW * len(comparison.labels) + 30
    width = LABEL_WIDTH + BAR_WIDTH + 90
    parts = [f'<svg class="insight-chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for index, label in enumerate(comparison.labels):
        top = 10 + index * ROW
        short = label if len(label) <= 42 else label[:40] + "…"
        parts.append(f'<text x="0" y="{top + 20}" class="chart-label">{escape(short)}</text>')
        for offset, (figure, total, kind) in enumerate(((comparison.ours[index], comparison.our_total.value, "ours"),
                                                        (comparison.everyone[index], comparison.total.value, "all"))):
            value = share(figure.value, total)
            y = top + offset * 18
            if value is None:
                parts.append(f'<text x="{LABEL_WIDTH}" y="{y + 13}" class="chart-hidden">verborgen</text>')
                continue
            parts.append(f'<rect x="{LABEL_WIDTH}" y="{y}" width="{max(1.0, value * BAR_WIDTH):.1f}" height="16" '
                         f'class="bar-{kind}"/>')
            parts.append(f'<text x="{LABEL_WIDTH + value * BAR_WIDTH + 6:.1f}" y="{y + 13}" '
                         f'class="chart-value">{percent(value)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def quarter_label(key: str) -> str:
    year, quarter = key.split("-")
    return f"K{quarter} {year}"


def trend_svg(trend: Trend, title: str) -> Markup:
    """Per quarter, oldest at the top: two bars, this organisation (dark) and all organisations (light).

    A story's bars are the share of signals seen; a card's the number of people, against the largest shown."""
    shares = any(v is not None for v in trend.everyone_share)
    largest = max((f.value for f in (*trend.ours, *trend.everyone) if f.value), default=1)
    height = ROW * len(trend.periods) + 30
    parts = [f'<svg class="insight-chart trend-chart" viewBox="0 0 {160 + BAR_WIDTH + 90} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for index, period in enumerate(trend.periods):
        top = 10 + index * ROW
        parts.append(f'<text x="0" y="{top + 20}" class="chart-label">{escape(quarter_label(period.key))}</text>')
        for offset, (figure, part, kind) in enumerate(((trend.ours[index], trend.our_share[index], "ours"),
                                                       (trend.everyone[index], trend.everyone_share[index], "all"))):
            y = top + offset * 18
            value = part if shares else (None if figure.value is None else figure.value / largest)
            if value is None:
                word = "verborgen" if figure.value is None else "geen"
                parts.append(f'<text x="160" y="{y + 13}" class="chart-hidden">{word}</text>')
                continue
            shown = percent(part) if shares else str(figure.value)
            parts.append(f'<rect x="160" y="{y}" width="{max(1.0, value * BAR_WIDTH):.1f}" height="16" '
                         f'class="bar-{kind}"/>')
            parts.append(f'<text x="{160 + value * BAR_WIDTH + 6:.1f}" y="{y + 13}" class="chart-value">{shown}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def line_svg(periods, figures, title: str) -> Markup:
    """One bar per quarter, oldest at the top, against the largest shown count; "verborgen" where hidden."""
    largest = max((f.value for f in figures if f.value), default=1)
    height = 26 * len(periods) + 20
    parts = [f'<svg class="insight-chart trend-chart" viewBox="0 0 {160 + BAR_WIDTH + 90} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    for index, (period, figure) in enumerate(zip(periods, figures)):
        y = 10 + index * 26
        parts.append(f'<text x="0" y="{y + 13}" class="chart-label">{escape(quarter_label(period.key))}</text>')
        if figure.value is None:
            parts.append(f'<text x="160" y="{y + 13}" class="chart-hidden">verborgen</text>')
            continue
        width = figure.value / largest * BAR_WIDTH
        parts.append(f'<rect x="160" y="{y}" width="{max(1.0, width):.1f}" height="16" class="bar-ours"/>')
        parts.append(f'<text x="{160 + width + 6:.1f}" y="{y + 13}" class="chart-value">{figure.value}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
