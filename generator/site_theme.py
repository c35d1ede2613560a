"""The `pir` MkDocs plugin: pir's theme overrides and assets, from the installed package.

An archive's mkdocs.yml lists `plugins: [search, pir]` and names no theme
folder of its own: the templates that escape page titles, the edit button
that opens an incident's YAML, the stylesheet and the archive table script
all come with pir and are upgraded with it. The plugin puts pir's theme
folder right after the archive's own `custom_dir` (when there is one), so an
archive can still override a single template, the way MkDocs lets
custom_dir override a theme.
"""

from __future__ import annotations

from importlib.resources import as_file, files

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin

THEME = "theme"
EXTRA_CSS = ("assets/pir/pir.css",)
EXTRA_JAVASCRIPT = ("assets/pir/archive-table.js",)


def theme_folder() -> str:
    """pir's theme folder on disk (package data; the package is installed unzipped)."""
    with as_file(files(__package__) / THEME) as folder:
        return str(folder)


class PirTheme(BasePlugin):
    """Adds pir's theme folder and its stylesheet and script to the site's configuration."""

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
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
