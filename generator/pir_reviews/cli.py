"""The `pir` command line: options only. What each command does is in `commands/`."""

from __future__ import annotations

import sys
import traceback
from datetime import date
from pathlib import Path
from typing import Callable

import click

from pir_reviews import DISTRIBUTION
# commands.analysing (and the classifier behind it) is imported by the three
# commands that use it: generate, build and validate start faster without it.
from pir_reviews.commands import authoring, checking, follow_up, importing, publishing
from pir_reviews.commands.console import Console, stdin_reader
from pir_reviews.core.errors import InvalidInput, PirError
from pir_reviews.core.models import RCA_METHODS, SEVERITIES
from pir_reviews.load import checks

REPORT_HINT = "this is a bug in pir; please report it with the command and the input file (run with --debug for the traceback)"
FORMATS = click.Choice(["text", "json", "markdown"])


class _Group(click.Group):
    """Turns our errors into messages and exit codes, and bugs into exit 3."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except InvalidInput as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            ctx.exit(exc.exit_code)
        except PirError as exc:
            if str(exc):
                click.echo(f"pir: {exc}", err=True)
            ctx.exit(exc.exit_code)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except Exception as exc:  # a bug: one line, a hint, exit 3
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            else:
                first = str(exc).splitlines()[0] if str(exc) else ""
                click.echo(f"pir: internal error: {type(exc).__name__}: {first}\npir: {REPORT_HINT}", err=True)
            ctx.exit(3)


def _date(ctx, param, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def _address(ctx, param, value: str) -> str:
    host, sep, port = value.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise click.BadParameter(f"{value!r} is not HOST:PORT with a port from 1 to 65535")
    return value


def _ask(question: str, default: str | None, check: Callable[[str], object] | None) -> str:
    """Ask at the terminal; when `check` refuses the answer (checks.Refused), say why and ask again."""

    def accept(text: str) -> str:
        try:
            check(text)
        except checks.Refused as exc:
            raise click.BadParameter(str(exc)) from None
        return text

    return click.prompt(question, default=default, show_default=bool(default), err=True,
                        value_proc=accept if check is not None else None)


def _interactive() -> bool:
    """Whether a person is at the terminal (only then are missing values asked for)."""
    return sys.stdin.isatty()


def _console() -> Console:
    """The terminal as commands see it: prompts only when a person is at it."""
    return Console(echo=lambda text, err: click.echo(text, err=err), read_stdin=stdin_reader, ask=_ask,
                   at_terminal=_interactive())


ROOT = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True, help="The archive's folder (with mkdocs.yml and incidents/).")
AS_OF = click.option("--as-of", callback=_date, metavar="YYYY-MM-DD", help="Judge overdue action items as of this day (default: SOURCE_DATE_EPOCH, else today in UTC).")
OUTPUT = click.option("--output", "-o", default="-", metavar="FILE", show_default=True, help="Write here instead of standard output.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
@click.version_option(package_name=DISTRIBUTION)
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Post-incident reviews as YAML: validate, analyse, publish."""
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True, help="text for people, json for tools, github for workflow annotations.")
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--summary", "summary", metavar="FILE", help="Also append a Markdown report (for $GITHUB_STEP_SUMMARY).")
@click.option("--changed", multiple=True, metavar="PATH", help="An incident file changed by the pull request: its review goes into the summary (repeatable).")
@click.option("--changed-list", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="A file listing the changed incident files, one per line (may be empty).")
@AS_OF
def validate(paths, fmt, strict, summary, changed, changed_list, as_of):
    """Check incident files (default: incidents/); exit 1 on any error."""
    checking.run_validate(list(paths), fmt, strict, summary, changed, changed_list, as_of, _console())


@main.command()
@click.option("--title", help="One line: what broke, for whom.")
@click.option("--severity", type=click.Choice(SEVERITIES, case_sensitive=False), help="Declared severity (any case; stored as sev1..sev4).")
@click.option("--service", "services", multiple=True, help="An affected service (repeat for several).")
@click.option("--started-at", help="When customer impact began, with an offset (e.g. 2024-03-15T14:30:00Z).")
@click.option("--id", "ident", help="Use this id instead of the next free INC-YYYY-MMDD-NNN.")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("incidents"), show_default=True, help="The folder of incident files; the file goes into its <year>/ sub-folder.")
def new(title, severity, services, started_at, ident, folder):
    """Scaffold incidents/<year>/<id>.yaml (never overwrites)."""
    authoring.run_new(title, severity.lower() if severity else None, tuple(services), started_at, ident, folder, _console())


@main.command()
@click.argument("source", default="-", metavar="[INPUT]")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="text for people, json for tools, markdown for pages and pull requests.")
@OUTPUT
@click.option("--interactive", is_flag=True, help="Answer the impact questions one by one.")
def classify(source, fmt, output, interactive):
    """Severity and response for an incident, the older JSON shape, or text on stdin."""
    from pir_reviews.commands import analysing

    analysing.run_classify(source, fmt, output, interactive, _console())


@main.command()
@click.argument("source", metavar="INPUT")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="text for people, json for tools, markdown for pages and pull requests.")
@OUTPUT
@click.option("--gap-analysis", is_flag=True, help="List quiet stretches in the text output.")
@click.option("--severity", type=click.Choice(SEVERITIES), help="Targets and gap threshold of this severity (default: declared, else computed).")
def timeline(source, fmt, output, gap_analysis, severity):
    """Milestones, response metrics, phases, gaps and targets of a timeline."""
    from pir_reviews.commands import analysing

    analysing.run_timeline(source, fmt, output, gap_analysis, severity, _console())


@main.command()
@click.argument("source", metavar="INPUT")
@click.option("--timeline", "events_file", metavar="EVENTS", help="A file of further timeline events (any timeline shape).")
@click.option("--rca-method", type=click.Choice([*RCA_METHODS, "all"]), default="all", show_default=True, help="Show one root-cause analysis method, or all of them.")
@click.option("--format", "fmt", type=FORMATS, default="markdown", show_default=True, help="markdown for pages and pull requests, text for people, json for tools.")
@OUTPUT
@AS_OF
def review(source, events_file, rca_method, fmt, output, as_of):
    """The post-incident review document."""
    from pir_reviews.commands import analysing

    analysing.run_review(source, events_file, rca_method, fmt, output, as_of, _console())


@main.command("import")
@click.argument("kind", type=click.Choice(["slack", "pagerduty", "csv", "github-deployments"]))
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--channel", metavar="NAME", help="slack: the incident's channel (name, #name or id).")
@click.option("--tz", metavar="ZONE", help="slack: the workspace's time zone (IANA name), which day files follow.")
@click.option("--since", metavar="TIMESTAMP", help="Leave out events before this instant (with an offset).")
@click.option("--until", metavar="TIMESTAMP", help="Leave out events after this instant (with an offset).")
@click.option("--exclude-user", "exclude_users", multiple=True, metavar="NAME", help="Leave out this person's or bot's messages (repeatable).")
@click.option("--grep", metavar="REGEX", help="Keep only events whose message matches (case-insensitive).")
@click.option("--into", metavar="INCIDENT.yaml", help="Add the events to this incident's timeline instead of printing them.")
def import_events(kind, sources, channel, tz, since, until, exclude_users, grep, into):
    """Timeline events from a Slack export, PagerDuty log entries, a CSV file or GitHub deployments, as YAML.

    A SOURCE of - is standard input (for every kind but slack).
    """
    importing.run_import(kind, sources, channel, tz, since, until, exclude_users, grep, into, _console())


@main.command()
@ROOT
@AS_OF
def generate(root, as_of):
    """Validate incidents/ and write the site's pages into docs/generated/."""
    publishing.run_generate(root, as_of, _console())


@main.command()
@ROOT
@AS_OF
@click.option("--audience", type=click.Choice(["internal", "public"]), default="internal", show_default=True, help="public: the customer-facing site of the public incidents, their public fields only.")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), help="Build into this folder (default site/, or site-public/ for --audience public).")
def build(root, as_of, audience, site_dir):
    """Generate, then build the site into site/ with MkDocs (strict)."""
    publishing.run_build(root, as_of, audience, site_dir, _console())


@main.command()
@ROOT
@AS_OF
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT", callback=_address, help="Where to serve the preview.")
def serve(root, as_of, dev_addr):
    """Generate and serve the site with live reload; edits to incidents/ show at once."""
    publishing.run_serve(root, as_of, dev_addr, _console())


@main.group(invoke_without_command=True)
@ROOT
@click.option("--status", type=click.Choice(["open", "overdue", "done", "all"]), default="open", show_default=True, help="open: open or in progress; done: done or won't do.")
@click.option("--owner", metavar="NAME", help="Only this owner's items (Unassigned: items without one).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv", "markdown"]), default="text", show_default=True, help="csv is Jira's CSV import shape; markdown is for a job summary.")
@OUTPUT
@AS_OF
@click.pass_context
def actions(ctx, root, status, owner, fmt, output, as_of):
    """Every action item of the archive, with its status and whether it is overdue."""
    ctx.obj.update(root=root, as_of=as_of)
    if ctx.invoked_subcommand is None:
        follow_up.run_actions(root, status, owner, fmt, output, as_of, _console())


@actions.group()
def sync():
    """Keep action items and a tracker in step."""


@sync.command("github")
@click.option("--repo", required=True, metavar="OWNER/NAME", help="The repository whose issues track the action items.")
@click.option("--api-url", default="https://api.github.com", show_default=True, metavar="URL", help="The REST API's address (GitHub Enterprise: https://HOST/api/v3).")
@click.option("--label", default="pir-action", show_default=True, help="The label every issue opened by pir carries.")
@click.option("--dry-run", is_flag=True, help="Print the plan; open, change and write nothing.")
@click.option("--write", is_flag=True, help="Record each issue's URL and status in the incident files.")
@click.pass_context
def sync_github(ctx, repo, api_url, label, dry_run, write):
    """Open a GitHub issue per open action item without a link, and read issue states back."""
    follow_up.run_sync_github(ctx.obj["root"], repo, api_url, label, dry_run, write, ctx.obj["as_of"], _console())


@main.command()
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path), metavar="[DIR]")
@click.option("--site-name", help="The site's title (default: asked in a terminal, else \"Post-incident reviews\").")
@click.option("--site-url", metavar="URL", help="Where the site will be published (default: the GitHub Pages address of --repo-url).")
@click.option("--repo-url", metavar="URL", help="The archive's repository, e.g. https://github.com/ORG/REPO (for edit links).")
@click.option("--empty", is_flag=True, help="No example incident.")
def init(folder, site_name, site_url, repo_url, empty):
    """Scaffold an archive in DIR: incidents/, mkdocs.yml, workflows, pre-commit, schema (never overwrites)."""
    authoring.run_init(folder, site_name, site_url, repo_url, empty, _console())


@main.command()
@click.option("--check", "check_file", type=click.Path(dir_okay=False, path_type=Path), help="Exit 1 if this file differs from the generated schema.")
@click.option("--services", is_flag=True, help="The schema of services.yaml (schema/services.schema.json) instead.")
def schema(check_file, services):
    """Print the JSON Schema of format v1 (schema/incident.schema.json)."""
    authoring.run_schema(check_file, services, _console())


if __name__ == "__main__":  # pragma: no cover
    main()
