"""The insights page (insights/index.md): what the archive says as a whole.

Incidents per month, response-time distributions (medians and 90th
percentiles, never averages), recurring contributing-factor categories, the
services with the most incidents and how action items are followed through.
Every chart comes with a table of the same numbers.

The page is an HTML body (insights.html.j2) that the pir MkDocs plugin takes
as it is (render.prerendered).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from markupsafe import Markup

from pir_reviews.core.browse import groups as group_reviews, slugs
from pir_reviews.core.statistics import Distribution, Insights, RESPONSE_METRICS, insights as compute_insights
from pir_reviews.render import charts
from pir_reviews.render import headings, prerendered, templating
from pir_reviews.core.models import METRIC_TITLES, Review
from pir_reviews.site.pages import SiteContext

METRIC_MEANINGS = {
    "time_to_detect_min": "from the start of impact to detection",
    "time_to_acknowledge_min": "from detection to the first acknowledgement",
    "time_to_contain_min": "from the start of impact to containment (no new impact)",
    "time_to_mitigate_min": "from the start of impact to the end of customer impact",
    "time_to_resolve_min": "from the start of impact to resolution",
}


@dataclass(frozen=True)
class MonthRow:
    month: str
    counts: tuple[int, ...]  # aligned with the page's severities
    total: int


@dataclass(frozen=True)
class MetricSection:
    metric: str
    title: str
    meaning: str
    rows: tuple[Distribution, ...]  # "all" first, then each severity
    chart: Markup  # SVG, every value in it escaped by render.charts
    id: str  # the id of the section's heading


@dataclass(frozen=True)
class ServiceRow:
    name: str
    slug: str
    incidents: int


def _svg(chart: str) -> Markup:
    """A chart of render.charts as markup: charts.py escapes every text and number it writes
    (xml_text, number) and takes its ids and colours from fixed tables."""
    return Markup(chart)


def month_rows(data: Insights) -> tuple[MonthRow, ...]:
    """The numbers behind the monthly chart, one row per month."""
    severities = list(data.per_month)
    rows = []
    for i, month in enumerate(data.months):
        counts = tuple(data.per_month[s][i] for s in severities)
        rows.append(MonthRow(month, counts, sum(counts)))
    return tuple(rows)


def metric_sections(data: Insights) -> tuple[MetricSection, ...]:
    """One section per response metric: its table rows and its chart."""
    sections = []
    for metric in RESPONSE_METRICS:
        rows = tuple(d for d in data.distributions if d.metric == metric)
        title = METRIC_TITLES[metric]
        chart = _svg(charts.distribution(f"{title} (minutes)", {d.group: d.values for d in rows}))
        sections.append(MetricSection(metric, title, METRIC_MEANINGS[metric], rows, chart, headings.slug(title)))
    return tuple(sections)


def render(reviews: Sequence[Review], context: SiteContext) -> dict[str, str]:
    """The insights page, judged as of context.as_of for action items."""
    data = compute_insights(reviews, context.as_of)
    # The same slugs as the browse pages, which are made from every service.
    service_slugs = slugs(group_reviews(reviews).by_service)
    services = tuple(ServiceRow(name, service_slugs[name], count) for name, count in data.top_services)
    body = templating.render_html(
        "insights.html.j2",
        data=data,
        as_of=context.as_of.isoformat(),
        severities=tuple(data.per_month),
        months=month_rows(data),
        monthly_chart=_svg(charts.monthly_bars(data.months, data.per_month)),
        sections=metric_sections(data),
        services=services,
        follow=data.follow_through,
    )
    return {"insights/index.md": prerendered.page("Insights", body)}
