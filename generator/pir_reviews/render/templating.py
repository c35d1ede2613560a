"""The Jinja environments the page templates are rendered with.

Markdown templates (`*.md.j2`) have autoescape off and escape explicitly:
every piece of incident text goes through the filter for its context (`md`,
`inline`, `cell`, `attr`, `html`, `fm`, `link`, `json_html`). Undefined
names are errors, not empty strings. A template is rendered once; generated
text is never fed back in as a template, so `{{ ... }}` written by an author
stays text.

HTML templates (`*.html.j2`, the bodies of the site's generated pages) are
autoescaped: every value is text unless a filter below returns markup
(`paragraphs`, `lines`), and control characters are dropped from every
value on the way out.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup

from pir_reviews.render import escape
from pir_reviews.core.timeformat import duration as minutes, utc


FILTERS = {
    "md": escape.markdown_text,
    "inline": escape.inline,
    "cell": escape.table_cell,
    "attr": escape.attr,
    "html": escape.html_text,
    "html_lines": escape.html_lines,
    "fm": escape.front_matter_str,
    "url": escape.safe_url,
    "link": escape.link,
    "json_html": escape.json_for_html,
    "utc": utc,
    "minutes": minutes,
}


def _day(at) -> str:
    """The UTC day of a moment ("2024-03-15")."""
    return utc(at).split(" ", 1)[0]


def _hour(at) -> str:
    """The UTC time of day of a moment ("14:30"), for a table whose header says UTC."""
    return utc(at).removesuffix(" UTC").split(" ", 1)[1]


HTML_FILTERS = {
    "paragraphs": lambda s: Markup(escape.html_paragraphs(s)),
    "lines": lambda s: Markup(escape.html_lines(s)),
    "line": lambda s: Markup(escape.html_line(s)),
    "url": escape.safe_url,
    "utc": utc,
    "day": _day,
    "hour": _hour,
    "minutes": minutes,
}


def _finalize(value: Any) -> Any:
    if isinstance(value, str) and not isinstance(value, Markup):
        return escape.clean_text(value)
    return value


def _text(value: Any) -> Markup:
    """A value as a template's `{{ value }}` writes it: control characters dropped, then escaped."""
    return markupsafe.escape(_finalize(value))


def heading(level: int, title: str, id: str) -> Markup:
    """A heading with the id and permanent link Python-Markdown gave it (without its title attribute, a
    tooltip saying "Permanent link": a review page has some thirty headings). A function rather than a
    macro, as review_link is: a macro call costs several times as much, and a review page makes thirty."""
    level, id = _text(level), _text(id)
    return Markup(f'<h{level} id="{id}">{_text(title)}<a class="headerlink" href="#{id}">¶</a></h{level}>')


def review_link(prefix: str, row: Any) -> Markup:
    """A link to a review's page ("INC-...: title"), `prefix` leading from the page it is on to reviews/."""
    return Markup(f'<a href="{_text(prefix)}{_text(row.id)}.md">{escape.html_line(row.id)}: {escape.html_line(row.title)}</a>')


HTML_GLOBALS = {"heading": heading, "review_link": review_link}


def _environment(loader: jinja2.BaseLoader, filters: dict, globals: dict | None = None, **escaping: Any) -> jinja2.Environment:
    """An environment with the options every template shares: strict, trailing newline kept, tidy blocks."""
    env = jinja2.Environment(
        loader=loader,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        **escaping,
    )
    env.filters.update(filters)
    env.globals.update(globals or {})
    return env


def html_environment() -> jinja2.Environment:
    """The environment of the HTML templates: autoescaped, strict, control characters dropped."""
    return _environment(jinja2.PackageLoader("pir_reviews.render", "templates"), HTML_FILTERS, HTML_GLOBALS,
                        autoescape=True, finalize=_finalize)


@lru_cache(maxsize=1)
def _default_html() -> jinja2.Environment:
    return html_environment()


def render_html(template_name: str, **context: Any) -> str:
    """Render a packaged HTML template (autoescaped)."""
    return _default_html().get_template(template_name).render(**context)


def environment(override_dir: Path | None = None) -> jinja2.Environment:
    """A fresh environment; templates in `override_dir` win over the packaged ones."""
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(override_dir)))
    loaders.append(jinja2.PackageLoader("pir_reviews.render", "templates"))
    return _environment(jinja2.ChoiceLoader(loaders), FILTERS, autoescape=False)


@lru_cache(maxsize=1)
def _default() -> jinja2.Environment:
    return environment()


def render(template_name: str, **context: Any) -> str:
    """Render a packaged template with the shared default environment."""
    return _default().get_template(template_name).render(**context)
