"""Run the real `pir` command line in a folder, as a person would there."""

from __future__ import annotations

import os

from click.testing import CliRunner

from pir_reviews.cli import main


def run(args, cwd, input=None):
    """`pir ARGS` with `cwd` as the current folder (restored afterwards)."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, input=input, catch_exceptions=False)
    finally:
        os.chdir(old)
