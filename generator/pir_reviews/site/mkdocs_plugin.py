"""The MkDocs plugin that pir ships (entry point `pir` in `mkdocs.plugins`).

An archive's mkdocs.yml lists `plugins: [pir, search]` and names no theme
folder of its own: the templates that escape page titles, the edit button
that opens an incident's YAML, the stylesheet and the archive table script
all come with pir (package data, `pir_reviews/theme/`) and are upgraded with
it. The plugin also takes the bodies of the review pages as the HTML pir
rendered, instead of Markdown to convert. pir's theme folder goes right after the archive's own `custom_dir` (when
there is one), so an archive can still override a single template, the way
MkDocs lets custom_dir override a theme.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import TYPE_CHECKING

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority

from pir_reviews.site import html_bodies

if TYPE_CHECKING:
    from pir_reviews.site import fan_out

EXTRA_CSS = ("assets/pir/pir.css", html_bodies.ICONS_CSS)
EXTRA_JAVASCRIPT = ("assets/pir/archive-table.js", "assets/pir/search.js")


def theme_folder() -> str:
    """pir's theme folder on disk (package data; the package is installed unzipped)."""
    with as_file(files("pir_reviews") / "theme") as folder:
        return str(folder)


class PirPlugin(BasePlugin):
    """Adds pir's theme folder, its stylesheet and its script to the site's configuration,
    hands MkDocs the HTML of the pages pir rendered itself (site.html_bodies), makes
    every generated page smaller once built (html_bodies.compact_page) and writes the
    stylesheet of the icons taken out of them (assets/pir/icons.css). On a large
    archive the generated pages are built by one worker per core (site.fan_out)."""

    _command: str | None = None  # what MkDocs' on_startup said; `pir build` runs MkDocs without it
    _dirty = False

    def on_startup(self, command: str, dirty: bool) -> None:
        self._command, self._dirty = command, dirty

    def on_pre_build(self, config) -> None:
        self._sidebars: dict[str, str] = {}
        self._icons: dict[str, str] = {}  # icon class -> SVG path, for html_bodies.icons_css
        self._links: dict = {}  # links resolved on generated pages, shared by this build's pages
        self._workers: fan_out.Workers | None = None

    def on_nav(self, nav, config, files):
        self._nav = nav
        return nav

    @event_priority(-100)  # after every other plugin's: the workers start from the finished environment
    def on_env(self, env, config, files):
        # Imported here, not with this module: `pir generate` loads the plugin to read
        # mkdocs.yml, and fan_out brings MkDocs' builder (and gzip) that only a build needs.
        from pir_reviews.site import fan_out

        env.globals["pir_memo"] = self._memo
        pages = [file.page for file in files.documentation_pages()
                 if file.page is not None and (file.page.meta or {}).get("pir_generated")]
        if fan_out.eligible(config, pages, self._command, self._dirty):
            self._workers = fan_out.start(pages, config, files, self._nav, env, self._icons)
        return env

    def _memo(self, key: str, caller) -> str:
        """The sidebar rendered by `caller` for this key, rendered once per build (theme/main.html)."""
        if key not in self._sidebars:
            self._sidebars[key] = caller()
        return self._sidebars[key]

    def on_page_context(self, context, page, config, nav):
        """A page outside the navigation shares its sidebar with every such page in its folder.

        The sidebar's links are relative to the page, so two pages at the same
        depth under different folders (browse/tags/db/, action-items/owners/ann/)
        do not share it: the key is the folder of the page's URL.
        """
        if page not in nav.pages:
            context["pir_nav_key"] = page.url.rstrip("/").rpartition("/")[0] + "/"
        return context

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        html_bodies.take_as_html(page, self._links)
        return markdown

    def on_post_page(self, output: str, page, config) -> str:
        """Generated pages, the bulk of a large site, are made smaller (html_bodies.compact_page)."""
        if (page.meta or {}).get("pir_generated") and output:  # empty: a worker built it (site.fan_out)
            if html_bodies.is_prerendered(page):
                page.content = ""  # written out with this output; nothing reads it again
            return html_bodies.compact_page(output, self._icons, self._material_search)
        return output

    @event_priority(-50)  # after pir-search's, which indexes while the workers finish
    def on_post_build(self, config) -> None:
        """The stylesheet of the icons that compact_page took out of the generated pages."""
        if self._workers is not None:
            from pir_reviews.site import fan_out

            running, self._workers = self._workers, None
            fan_out.finish(running, self._icons)
        path = Path(config.site_dir) / html_bodies.ICONS_CSS
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(html_bodies.icons_css(self._icons), encoding="utf-8")

    def on_build_error(self, error) -> None:
        if getattr(self, "_workers", None) is not None:
            from pir_reviews.site import fan_out

            running, self._workers = self._workers, None
            fan_out.stop(running)

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        self._material_search = any(name in config.plugins for name in ("search", "material/search"))
        folder = theme_folder()
        dirs = config.theme.dirs
        if folder not in dirs:
            dirs.insert(1 if config.theme.custom_dir else 0, folder)
        for path in EXTRA_CSS:
            if path not in config.extra_css:
                config.extra_css.append(path)
        for path in EXTRA_JAVASCRIPT:
            if path not in [str(script) for script in config.extra_javascript]:
                config.extra_javascript.append(path)
        return config
