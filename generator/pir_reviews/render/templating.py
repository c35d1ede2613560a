"""The one Jinja environment every page template is rendered with.

Templates produce Markdown, so autoescape is off and escaping is explicit:
every piece of incident text goes through the filter for its context (`md`,
`inline`, `cell`, `attr`, `html`, `fm`, `link`, `json_html`). Undefined
names are errors, not empty strings. A template is rendered once; generated
text is never fed back in as a template, so `{{ ... }}` written by an author
stays text.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2

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


def environment(override_dir: Path | None = None) -> jinja2.Environment:
    """A fresh environment; templates in `override_dir` win over the packaged ones."""
    loaders: list[jinja2.BaseLoader] = []
    if override_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(override_dir)))
    loaders.append(jinja2.PackageLoader("pir_reviews.render", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=1)
def _default() -> jinja2.Environment:
    return environment()


def render(template_name: str, **context: Any) -> str:
    """Render a packaged template with the shared default environment."""
    return _default().get_template(template_name).render(**context)
