"""The `pir-search` MkDocs plugin: the site's search, written after every build.

It takes the place of Material's search plugin, which parses the HTML of
every page again to build one `search_index.json` that the browser must
download whole before its first search. This one indexes each incident from
the record `pir generate` wrote (docs/generated/search-records.json) and
only the hand-written pages (playbooks, contributing guide, ...) from their
built HTML, then has Pagefind write a chunked bundle into site/pagefind/.

Because it runs in MkDocs' own post-build hook, `mkdocs serve` (`pir serve`)
indexes the temporary site it serves too, on every rebuild.

One option, `records_per_part` (2,000 unless set), is how many incidents
one part of the index holds (generator.site.search_index says why there are
parts); the tests set it low to build a small site in several parts.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from pir_reviews.site import search_index
from pir_reviews.core.errors import PirError
from pir_reviews.site.pages.search import FORMAT, RECORDS

log = logging.getLogger("mkdocs.plugins.pir-search")


def read_records(path: Path) -> list[dict[str, Any]]:
    """The records `pir generate` wrote; PluginError, naming the file, when missing or damaged."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PluginError(f"{path}: not found; build the site with `pir build` or `pir serve`, which write it") from None
    except (OSError, UnicodeDecodeError, ValueError) as err:
        raise PluginError(f"{path}: unreadable search records ({err}); run `pir generate` again") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("records"), list):
        raise PluginError(f"{path}: not search records of format {FORMAT}; run `pir generate` again")
    for number, found in enumerate(document["records"]):
        if not _is_record(found):
            raise PluginError(f"{path}: record {number} is not a search record; run `pir generate` again")
    return document["records"]


def _is_record(found: Any) -> bool:
    texts = ("url", "content", "language")
    return (isinstance(found, dict) and all(isinstance(found.get(key), str) for key in texts)
            and isinstance(found.get("meta"), dict) and all(isinstance(v, str) for v in found["meta"].values()))


class _AtLeastOne(c.Type):
    """A whole number of at least 1 (not true or false, which YAML would give as 1 and 0)."""

    def __init__(self, default: int):
        super().__init__(int, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise c.ValidationError(f"must be a whole number of at least 1, not {value!r}")
        return value


class SearchConfig(base.Config):
    """The plugin's options in mkdocs.yml."""

    records_per_part = _AtLeastOne(default=search_index.RECORDS_PER_PART)


class SearchPlugin(BasePlugin[SearchConfig]):
    """Indexes the incidents' records and the hand-written pages with Pagefind."""

    def on_pre_build(self, config) -> None:
        self._pages: list[tuple[str, str]] = []

    def on_files(self, files, config):
        """The records are the plugin's input, not a page of the site: they are not copied."""
        found = files.get_file_from_path(RECORDS)
        if found is not None:
            files.remove(found)
        return files

    def on_post_page(self, output: str, page, config) -> str:
        if not (page.meta or {}).get("pir_generated"):
            self._pages.append((page.url, output))
        return output

    def on_post_build(self, config) -> None:
        records = read_records(Path(config.docs_dir) / RECORDS)
        try:
            report = search_index.write_bundle(Path(config.site_dir), records, sorted(self._pages),
                                               self.config.records_per_part)
        except PirError as err:
            raise PluginError(f"search index: {err}") from err
        log.debug("pir-search: indexed %d incidents and %d pages in %d parts", report.records, report.pages,
                  report.parts)
