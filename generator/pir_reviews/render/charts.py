"""Static SVG charts for the insights page, readable without JavaScript.

Pure: numbers in, an SVG string out. Every chart carries a <title>, a <desc>
and text labels, so a screen reader (or a reader with images off) gets the
same facts; the page also shows the numbers as tables. Numbers are printed
with one decimal at most and ids come from the chart's name, so the output is
byte-identical for the same input.
"""

from __future__ import annotations

import math
import re
from typing import Mapping, Sequence

from pir_reviews.core.browse import slug
from pir_reviews.core.statistics import median, percentile
from pir_reviews.render.escape import html_text

SEVERITY_COLOURS = {"sev1": "#b71c1c", "sev2": "#e65100", "sev3": "#f9a825", "sev4": "#546e7a"}
OTHER_COLOUR = "#757575"
WIDTH = 760
# A group with more values than this is drawn as a histogram, not one dot per value.
DOT_LIMIT = 150
BINS = 40

# Characters XML 1.0 does not allow at all, even escaped (most C0 controls,
# lone surrogates, U+FFFE and U+FFFF).
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """Text for SVG (or any XML we emit): escaped, without the characters XML forbids."""
    return html_text(_NOT_XML.sub("", text))


def number(value: float) -> str:
    """A number with at most one decimal: 12, 12.5, -3 (never "-0")."""
    text = f"{value:.1f}"
    if text.endswith(".0"):
        text = text[:-2]
    return "0" if text == "-0" else text


def _nice_step(top: float, ticks: int = 5) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` gridlines up to `top`."""
    if top <= 0:
        return 1.0
    raw = top / ticks
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def _open(chart_id: str, title: str, description: str, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="pir-chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" style="max-width:100%;height:auto" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="sans-serif" font-size="11">',
        f'<title id="{chart_id}-title">{xml_text(title)}</title>',
        f'<desc id="{chart_id}-desc">{xml_text(description)}</desc>',
    ]


def monthly_bars(months: Sequence[str], counts_by_severity: Mapping[str, Sequence[int]]) -> str:
    """Stacked bars of incidents per month, one colour per severity, with a legend.

    `counts_by_severity` maps each severity to one count per month, aligned
    with `months`. Each bar segment has its own tooltip title with the numbers.
    """
    chart_id = "chart-incidents-per-month"
    title = "Incidents per month, by severity"
    height, left, right, top, bottom = 260, 44, 12, 34, 36
    if not months:
        parts = _open(chart_id, title, "No incidents yet, so there is nothing to plot.", 60)
        parts += ['<text x="10" y="35">No incidents yet.</text>', "</svg>"]
        return "\n".join(parts)
    severities = list(counts_by_severity)
    totals = [sum(counts_by_severity[s][i] for s in severities) for i in range(len(months))]
    step = max(1.0, _nice_step(max(max(totals), 1)))
    y_top = step * math.ceil(max(max(totals), 1) / step)
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    slot = plot_w / len(months)
    bar = max(slot * 0.8, 1.0)
    description = (
        f"Stacked bars, one per month from {months[0]} to {months[-1]}; each bar is split by severity "
        f"({', '.join(severities)}). The most incidents in one month was {max(totals)}. "
        "The table after the chart lists the same numbers."
    )
    parts = _open(chart_id, title, description, height)
    x = left
    for severity in severities:  # legend
        colour = SEVERITY_COLOURS.get(severity, OTHER_COLOUR)
        parts.append(f'<rect x="{x}" y="8" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{x + 16}" y="18">{xml_text(severity)}</text>')
        x += 24 + 8 * len(severity)
    for k in range(round(y_top / step) + 1):  # y axis and gridlines
        tick = k * step
        y = top + plot_h - tick / y_top * plot_h
        parts.append(f'<line x1="{left}" y1="{number(y)}" x2="{WIDTH - right}" y2="{number(y)}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{number(y + 4)}" text-anchor="end">{number(tick)}</text>')
    label_every = max(1, math.ceil(len(months) / 12))
    for i, month in enumerate(months):
        x0 = left + i * slot + (slot - bar) / 2
        base = top + plot_h
        for severity in severities:
            count = counts_by_severity[severity][i]
            if not count:
                continue
            h = count / y_top * plot_h
            base -= h
            colour = SEVERITY_COLOURS.get(severity, OTHER_COLOUR)
            parts.append(
                f'<rect x="{number(x0)}" y="{number(base)}" width="{number(bar)}" height="{number(h)}" fill="{colour}">'
                f"<title>{xml_text(f'{month}: {count} {severity}')}</title></rect>"
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{number(left + i * slot + slot / 2)}" y="{height - bottom + 16}" '
                f'text-anchor="middle">{xml_text(month)}</text>'
            )
    parts.append(f'<line x1="{left}" y1="{top + plot_h}" x2="{WIDTH - right}" y2="{top + plot_h}" stroke="#333"/>')
    parts.append("</svg>")
    return "\n".join(parts)


def distribution(name: str, values_by_group: Mapping[str, Sequence[float]]) -> str:
    """One row per group: every value as a dot (a histogram when there are many),
    the median as a solid line and the 90th percentile as a dashed line.

    Each row is labelled with its group, n, median and p90 in text.
    """
    chart_id = f"chart-{slug(name)}"
    groups = list(values_by_group)
    row_h, left, right, top, bottom = 44, 170, 16, 10, 30
    height = top + row_h * max(len(groups), 1) + bottom
    everything = [v for g in groups for v in values_by_group[g]]
    low = min([0.0, *everything])
    high = max([1.0, *everything])
    step = _nice_step(high - low)
    high = low + step * math.ceil((high - low) / step)
    plot_w = WIDTH - left - right

    def x_of(value: float) -> float:
        return left + (value - low) / (high - low) * plot_w

    description = (
        f"{name}: one row per group. Each dot is one incident with a known value; a group with more than "
        f"{DOT_LIMIT} values is drawn as bars counting incidents per range. The solid line marks the median "
        "and the dashed line the 90th percentile. Incidents with no known value are not drawn."
    )
    parts = _open(chart_id, name, description, height)
    for i, group in enumerate(groups):
        values = sorted(values_by_group[group])
        y0 = top + i * row_h
        middle = y0 + row_h / 2
        colour = SEVERITY_COLOURS.get(group, OTHER_COLOUR)
        parts.append(f'<text x="4" y="{number(middle - 3)}">{xml_text(f"{group} (n={len(values)})")}</text>')
        if not values:
            parts.append(f'<text x="4" y="{number(middle + 11)}" fill="#555">no known values</text>')
            continue
        mid, p90 = median(values), percentile(values, 90)
        parts.append(
            f'<text x="4" y="{number(middle + 11)}" fill="#555">'
            f"{xml_text(f'median {number(mid)}, p90 {number(p90)}')}</text>"
        )
        parts.append(f'<line x1="{left}" y1="{number(middle)}" x2="{WIDTH - right}" y2="{number(middle)}" stroke="#eee"/>')
        if len(values) <= DOT_LIMIT:
            for j, value in enumerate(values):
                jitter = ((j % 5) - 2) * 3
                parts.append(
                    f'<circle cx="{number(x_of(value))}" cy="{number(middle + jitter)}" r="3" '
                    f'fill="{colour}" fill-opacity="0.6"><title>{xml_text(number(value))}</title></circle>'
                )
        else:
            width = (high - low) / BINS
            counts = [0] * BINS
            for value in values:
                counts[min(int((value - low) / width), BINS - 1)] += 1
            peak = max(counts)
            for b, count in enumerate(counts):
                if not count:
                    continue
                h = count / peak * (row_h - 12)
                label = f"{number(low + b * width)} to {number(low + (b + 1) * width)}: {count}"
                parts.append(
                    f'<rect x="{number(x_of(low + b * width))}" y="{number(middle + (row_h - 12) / 2 - h)}" '
                    f'width="{number(plot_w / BINS)}" height="{number(h)}" fill="{colour}" fill-opacity="0.6">'
                    f"<title>{xml_text(label)}</title></rect>"
                )
        for value, label, dash in ((mid, "median", ""), (p90, "p90", ' stroke-dasharray="4 3"')):
            parts.append(
                f'<line x1="{number(x_of(value))}" y1="{y0 + 4}" x2="{number(x_of(value))}" y2="{y0 + row_h - 4}" '
                f'stroke="#111" stroke-width="2"{dash}><title>{xml_text(f"{label} {number(value)}")}</title></line>'
            )
    axis_y = top + row_h * max(len(groups), 1)
    parts.append(f'<line x1="{left}" y1="{axis_y}" x2="{WIDTH - right}" y2="{axis_y}" stroke="#333"/>')
    for k in range(round((high - low) / step) + 1):
        tick = low + k * step
        parts.append(f'<text x="{number(x_of(tick))}" y="{axis_y + 14}" text-anchor="middle">{number(tick)}</text>')
    parts.append(f'<text x="{WIDTH - right}" y="{axis_y + 27}" text-anchor="end">minutes</text>')
    parts.append("</svg>")
    return "\n".join(parts)
