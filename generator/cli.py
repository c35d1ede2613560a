"""The `pir` command line: options only. The work is in `commands`, `scaffold` and `site`."""

from __future__ import annotations

import sys
import traceback
from datetime import date, datetime
from pathlib import Path

import click

from generator import commands, scaffold
from generator.errors import InvalidInput, PirError, UsageError

REPORT_HINT = "this is a bug in pir; please report it with the command and the input file (run with --debug for the traceback)"
FORMATS = click.Choice(["text", "json", "markdown"])
RCA = ("five_whys", "fishbone", "bow_tie", "timeline")


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


def _read(source: str) -> tuple[bytes, str]:
    if source == "-":
        return sys.stdin.buffer.read(), "<stdin>"
    path = Path(source)
    if path.is_dir():
        raise UsageError(f"{source} is a folder; give one file (or - for standard input)")
    try:
        return path.read_bytes(), source
    except OSError as exc:
        raise UsageError(f"cannot read {source}: {exc.strerror}") from None


def _ask(question: str, default: str | None) -> str:
    return click.prompt(question, default=default, show_default=bool(default), err=True)


def _echo(text: str) -> None:
    click.echo(text)


ROOT = click.option("--root", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True, help="The archive's folder (with mkdocs.yml and incidents/).")
AS_OF = click.option("--as-of", callback=_date, metavar="YYYY-MM-DD", help="Judge overdue action items as of this day (default: SOURCE_DATE_EPOCH, else today in UTC).")
OUTPUT = click.option("--output", "-o", default="-", metavar="FILE", show_default=True, help="Write here instead of standard output.")


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of internal errors.")
@click.version_option(package_name="pir")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Post-incident reviews as YAML: validate, analyse, publish."""
    ctx.obj = {"debug": debug}


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json", "github"]), default="text", show_default=True)
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--summary", "summary", metavar="FILE", help="Also append a Markdown report (for $GITHUB_STEP_SUMMARY).")
@click.option("--changed", multiple=True, metavar="PATH", help="An incident file changed by the pull request: its review goes into the summary (repeatable).")
@click.option("--changed-list", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="A file listing the changed incident files, one per line (may be empty).")
@AS_OF
def validate(paths, fmt, strict, summary, changed, changed_list, as_of):
    """Check incident files (default: incidents/); exit 1 on any error."""
    targets = list(paths) or [Path("incidents")]
    problems, reviews, files = commands.validate(targets, Path("."), strict, as_of or commands.as_of_default())
    if fmt == "github":
        annotations = commands.validate_github(problems)
        if annotations:
            click.echo(annotations)
        click.echo(commands.validate_text(problems, files), err=True)
    else:
        click.echo(commands.validate_json(problems, files) if fmt == "json" else commands.validate_text(problems, files))
    if summary:
        commands.append_summary(Path(summary), problems, reviews, changed, changed_list)
    if any(p.level == "error" for p in problems):
        sys.exit(1)


@main.command()
@click.option("--title", help="One line: what broke, for whom.")
@click.option("--severity", type=click.Choice(["sev1", "sev2", "sev3", "sev4"]), help="Declared severity.")
@click.option("--service", "services", multiple=True, help="An affected service (repeat for several).")
@click.option("--started-at", help="When customer impact began, with an offset (e.g. 2024-03-15T14:30:00Z).")
@click.option("--id", "ident", help="Use this id instead of the next free INC-YYYY-MMDD-NNN.")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("incidents"), show_default=True)
def new(title, severity, services, started_at, ident, folder):
    """Scaffold incidents/<year>/<id>.yaml (never overwrites)."""
    interactive = sys.stdin.isatty()
    if title is None:
        if not interactive:
            raise UsageError("--title is required (or run pir new in a terminal to be asked)")
        title = click.prompt("Title (one line)")
    if not services:
        if not interactive:
            raise UsageError("--service is required (or run pir new in a terminal to be asked)")
        services = tuple(s.strip() for s in click.prompt("Services (comma-separated)").split(",") if s.strip())
    if severity is None and interactive:
        answer = click.prompt("Severity (sev1..sev4, empty to decide later)", default="", show_default=False)
        severity = answer or None
    if started_at is None:
        now = datetime.now().astimezone().replace(microsecond=0).isoformat()
        started_at = click.prompt("Impact began at", default=now) if interactive else now
    checked = scaffold.check_values(title, severity, tuple(services), started_at)
    path = scaffold.create(folder, checked, ident)
    click.echo(f"created {path}")
    click.echo(f"next: fill it in, then run: pir validate {path}")


@main.command()
@click.argument("source", default="-", metavar="[INPUT]")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@OUTPUT
@click.option("--interactive", is_flag=True, help="Answer the impact questions one by one.")
def classify(source, fmt, output, interactive):
    """Severity and response for an incident, the older JSON shape, or text on stdin."""
    if interactive:
        text = commands.classify_interactive(_ask, fmt)
    else:
        data, name = _read(source)
        text = commands.classify(data, name, fmt)
    commands.write_output(text, output, _echo)


@main.command()
@click.argument("source", metavar="INPUT")
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True)
@OUTPUT
@click.option("--gap-analysis", is_flag=True, help="List quiet stretches in the text output.")
@click.option("--severity", type=click.Choice(["sev1", "sev2", "sev3", "sev4"]), help="Targets and gap threshold of this severity (default: declared, else computed).")
def timeline(source, fmt, output, gap_analysis, severity):
    """Milestones, response metrics, phases, gaps and targets of a timeline."""
    data, name = _read(source)
    commands.write_output(commands.timeline(data, name, fmt, gap_analysis, severity), output, _echo)


@main.command()
@click.argument("source", metavar="INPUT")
@click.option("--timeline", "events_file", metavar="EVENTS", help="A file of further timeline events (any timeline shape).")
@click.option("--rca-method", type=click.Choice([*RCA, "all"]), default="all", show_default=True)
@click.option("--format", "fmt", type=FORMATS, default="markdown", show_default=True)
@OUTPUT
@AS_OF
def review(source, events_file, rca_method, fmt, output, as_of):
    """The post-incident review document."""
    from generator import inputs

    data, name = _read(source)
    events = None
    if events_file:
        events_data, events_name = _read(events_file)
        events = inputs.events(events_data, events_name)
    methods = RCA if rca_method == "all" else (rca_method,)
    text = commands.review(data, name, events, methods, fmt, as_of or commands.as_of_default())
    commands.write_output(text, output, _echo)


@main.command()
@ROOT
@AS_OF
def generate(root, as_of):
    """Validate incidents/ and write the site's pages into docs/generated/."""
    from generator import site

    report = site.generate(root, as_of or commands.as_of_default(), progress=_progress)
    click.echo(str(report))


@main.command()
@ROOT
@AS_OF
def build(root, as_of):
    """Generate, then build the site into site/ with MkDocs (strict)."""
    from generator import site

    site.build(root, as_of or commands.as_of_default(), progress=_progress)
    click.echo(f"site built in {root / 'site'}")


@main.command()
@ROOT
@AS_OF
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="HOST:PORT", callback=_address)
def serve(root, as_of, dev_addr):
    """Generate and serve the site with live reload; edits to incidents/ show at once."""
    from generator import site

    site.serve(root, as_of or commands.as_of_default(), dev_addr)


@main.command()
@click.option("--check", "check_file", type=click.Path(dir_okay=False, path_type=Path), help="Exit 1 if this file differs from the generated schema.")
def schema(check_file):
    """Print the JSON Schema of format v1 (schema/incident.schema.json)."""
    from generator.schema import schema_text

    text = schema_text()
    if check_file is not None:
        if not check_file.exists() or check_file.read_text(encoding="utf-8") != text:
            raise PirError(f"{check_file} is out of date; run: pir schema > {check_file}")
        return
    click.echo(text, nl=False)


def _progress(message: str) -> None:
    click.echo(f"pir: {message}", err=True)


if __name__ == "__main__":  # pragma: no cover
    main()
