"""The first-hour frictions of issue 14, each reproduced and checked against the real commands."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

import pir_reviews.cli as cli
from pir_reviews.commands import analysing as commands
from pir_reviews.site import pipeline as site
from clihelp import run
from loadhelp import VALID, first_error, problems_of
from sitefixtures import AS_OF, PAYMENT, make_project

ROOT = Path(__file__).resolve().parent.parent




# ---- pir serve ----------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_serve_prints_its_url_and_serves_reviews_at_the_root(tmp_path):
    root = make_project(tmp_path / "p", {"incidents/2024/pay.yaml": PAYMENT})
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    server = subprocess.Popen(
        [sys.executable, "-m", "pir_reviews.cli", "serve", "--root", str(root), "--dev-addr", f"127.0.0.1:{port}", "--as-of", "2024-06-01"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        first = server.stderr.readline()
        assert first == f"pir: serving the site at {url} once it is built (Ctrl-C stops)\n"
        deadline = time.monotonic() + 120
        body = None
        while body is None and time.monotonic() < deadline and server.poll() is None:
            try:
                with urllib.request.urlopen(url + "reviews/INC-2024-0315-001/", timeout=5) as answer:
                    body = answer.read().decode("utf-8")
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.5)
        assert body is not None, "pir serve never answered at /reviews/INC-2024-0315-001/"
        assert "Payment API database connection pool exhaustion" in body
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(url + "post-incident-reviews/reviews/INC-2024-0315-001/", timeout=5)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stderr.close()


def test_serve_refuses_a_dev_addr_without_a_port():
    with pytest.raises(Exception) as caught:
        site.serve_url("localhost")
    assert str(caught.value) == "--dev-addr: 'localhost' is not HOST:PORT (e.g. 127.0.0.1:8000)"


# ---- pir build ----------------------------------------------------------------------


def test_build_says_how_many_warnings_and_how_to_see_them(tmp_path):
    noisy = PAYMENT.replace("summary: |\n  The payment API", "summary: |\n  Replace this text. The payment API")
    root = make_project(tmp_path / "p", {"incidents/2024/pay.yaml": noisy})
    result = run(["build", "--as-of", "2024-06-01"], root)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "site built in site, with 1 warning; run pir validate to see it"
    assert "placeholder" in run(["validate"], root).output


def test_build_without_warnings_says_only_where(tmp_path):
    report = site.GenerateReport(reviews=1, written=1, unchanged=0, removed=0)
    assert site.built_message(report, Path("site")) == "site built in site"


# ---- the pir new scaffold -----------------------------------------------------------


def _scaffold(root: Path, *extra: str) -> tuple[Path, str]:
    args = ["new", "--title", "Search is slow", "--service", "search", "--started-at", "2024-03-15T09:00:00Z", *extra]
    result = run(args, root)
    assert result.exit_code == 0, result.output
    created = root / "incidents/2024/INC-2024-0315-001.yaml"
    return created, created.read_text()


def test_untouched_placeholder_warns_and_fails_strict(project):
    root = project({"incidents/.keep": ""})
    created, _ = _scaffold(root)
    rel = str(created.relative_to(root))
    normal = run(["validate", rel], root)
    assert normal.exit_code == 0
    assert f"{rel}:9: warning: summary still holds the placeholder of pir new ('Replace this text'); write what happened" in normal.output
    strict = run(["validate", "--strict", rel], root)
    assert strict.exit_code == 1
    assert "placeholder of pir new" in strict.output


def test_scaffold_examples_are_block_style_and_valid_when_uncommented(project):
    root = project({"incidents/.keep": ""})
    created, text = _scaffold(root)
    assert not re.search(r"^#.*- \{", text, re.MULTILINE), "a flow-style example is left in the scaffold"
    uncommented = "\n".join(
        line[2:] if line.startswith("# ") and not line.startswith("# yaml-language-server") and not line.startswith("# severity") else line
        for line in text.splitlines()
    ).replace("2024-01-01T00:00:00Z", "2024-03-15T09:30:00Z").replace("Replace this text", "Done")
    assert not [p for p in problems_of(uncommented) if "error" in p and "warning" not in p]


def test_unquoted_colon_in_text_says_to_quote_it():
    line, message = first_error(VALID.replace("summary: Checkout failed for some users.", "summary: Retry: failed"))
    assert line == 5
    assert message.endswith("; put the text in quotes (a colon followed by a space starts a key)")


# ---- interactive pir new ------------------------------------------------------------


def test_interactive_new_asks_again_after_a_bad_answer(project, monkeypatch):
    monkeypatch.setattr(cli, "_interactive", lambda: True)
    root = project({"incidents/.keep": ""})
    answers = "Search is slow\nsearch, ranking\nsev7\nSEV2\nyesterday\n2024-03-15T09:00:00Z\n"
    result = run(["new"], root, input=answers)
    assert result.exit_code == 0, result.output
    assert "Error: 'sev7' is not allowed; expected one of sev1, sev2, sev3, sev4 (any case), or nothing to decide later" in result.output
    assert "Error: 'yesterday' is not a timestamp" in result.output
    text = (root / "incidents/2024/INC-2024-0315-001.yaml").read_text()
    assert "\nseverity: sev2\n" in text
    assert 'services: ["search", "ranking"]' in text


def test_severity_flag_in_any_case_is_stored_lowercase(project):
    root = project({"incidents/.keep": ""})
    _, text = _scaffold(root, "--severity", "SEV1")
    assert "\nseverity: sev1\n" in text


def test_flag_problems_cite_the_flag_without_a_made_up_line(project):
    root = project({"incidents/.keep": ""})
    result = run(["new", "--title", "x", "--service", "s", "--started-at", "2024-03-15T09:00:00", "--id", "bad id"], root)
    assert result.exit_code == 1
    assert result.output.startswith("--started-at: '2024-03-15T09:00:00' has no UTC offset")
    assert not re.search(r"^--[a-z-]+:\d", result.output, re.MULTILINE)


# ---- users_affected_pct -------------------------------------------------------------


@pytest.mark.parametrize("written", ['"80%"', "80%", "'80 %'"])
def test_a_percent_sign_says_what_to_write(written):
    text = VALID + f"impact:\n  users_affected_pct: {written}\n"
    line, message = first_error(text)
    assert line == 7
    assert "write 80 (a plain number without quotes: the field is already in percent)" in message


def test_a_fraction_is_a_warning():
    found = problems_of(VALID + "impact:\n  users_affected_pct: 0.8\n")
    assert found == ["f.yaml:7: warning: users_affected_pct 0.8 looks like a fraction; the field is in percent: "
                     "write 80 for 80%, or keep 0.8 if under 1% of users were affected"]
    assert problems_of(VALID + "impact:\n  users_affected_pct: 1.5\n") == []


# ---- pir review --format text -------------------------------------------------------


def test_review_text_has_no_markdown_and_reads_well():
    sample = ROOT / "incidents/2024/INC-2024-0722-001.yaml"
    text = commands.review(sample.read_bytes(), str(sample), None, ("five_whys", "fishbone", "bow_tie", "timeline"), "text", AS_OF)
    assert not re.search(r"^#+ ", text, re.MULTILINE)
    assert not re.search(r"^\s*(- )?\*\*", text, re.MULTILINE)
    assert "Executive summary\n=================\n" in text
    assert "This review is in review, so nothing is enforced yet." in text
    assert "is a in review" not in text


# ---- the home page ------------------------------------------------------------------


def test_home_page_shows_a_backfilled_review_in_progress(tmp_path):
    recent = {
        f"incidents/2024/r{n}.yaml": VALID.replace("INC-2024-0101-001", f"INC-2024-05{n:02d}-001")
        .replace("2024-01-01T10:00:00Z", f"2024-05-{n:02d}T10:00:00Z") + "review_status: final\n"
        for n in range(1, 12)
    }
    backfilled = VALID.replace("INC-2024-0101-001", "INC-2019-0101-001").replace("2024-01-01", "2019-01-01") + "review_status: draft\n"
    root = make_project(tmp_path / "p", {**recent, "incidents/2019/old.yaml": backfilled})
    site.generate(root, AS_OF)
    home = (root / "docs/generated/index.md").read_text()
    latest, _, rest = home.partition('<h2 id="older-incidents-with-reviews-in-progress">')
    assert "INC-2019-0101-001" not in latest
    assert (
        '<tr><td>2019-01-01</td><td><a href="reviews/INC-2019-0101-001.md">INC-2019-0101-001: Checkout errors after a deploy</a></td>'
        "<td>SEV3</td><td>Draft</td></tr>"
    ) in rest
