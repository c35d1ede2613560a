"""Helpers that make a small project (mkdocs.yml, docs/, incidents/) and build it.

The project's own mkdocs.yml is copied and pir's theme is package data, so the tests build the
real site configuration; the hand-written pages are short stand-ins and the
incidents are written here in format v1.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from pir_reviews.site import pipeline as site

REPO = Path(__file__).resolve().parent.parent
AS_OF = date(2024, 6, 1)

HANDWRITTEN = {
    "docs/playbooks/index.md": "# Playbooks\n\nHow we respond.\n\n- [Incident response](incident-response.md)\n",
    "docs/playbooks/incident-response.md": "# Incident response\n\nDeclare, mitigate, communicate.\n",
    "docs/playbooks/severity-matrix.md": "# Severity matrix\n\nSEV1 is critical.\n",
    "docs/playbooks/response-targets.md": "# Response targets\n\nAcknowledge fast.\n",
    "docs/playbooks/rca-frameworks.md": "# RCA frameworks\n\nFive whys, fishbone, bow-tie.\n",
    "docs/playbooks/communication-templates.md": "# Communication templates\n\nSay what you know.\n",
    "docs/contributing.md": "# Contributing\n\nAdd a YAML file under incidents/.\n",
    "docs/security.md": "# Security\n\nIncident text is escaped.\n",
    "docs/performance.md": "# Performance\n\nThree thousand incidents in seconds.\n",
    "docs/analysis-accuracy.md": "# Analysis accuracy\n\nHow often the severity is right.\n",
}

PAYMENT = """\
id: INC-2024-0315-001
title: Payment API database connection pool exhaustion
severity: sev2
status: resolved
review_status: final
summary: |
  The payment API ran out of database connections after a deploy.
services: [payment-api, checkout-service]
regions: [us-east]
tags: [database, deployment]
commander: Mike Rodriguez
authors: [Sarah Chen]
started_at: 2024-03-15T14:30:00Z
mitigated_at: 2024-03-15T15:10:00Z
resolved_at: 2024-03-15T16:00:00Z
impact:
  users_affected_pct: 40
  description: Checkout failed for many customers.
timeline:
  - at: 2024-03-15T14:20:00Z
    type: trigger
    message: Deploy of payment-api v2.3 with a smaller pool
  - at: 2024-03-15T14:32:00Z
    type: alert
    source: datadog
    actor: monitoring
    message: High error rate on payment-api (45%)
  - at: 2024-03-15T14:36:00Z
    type: ack
    actor: Sarah Chen
    message: On-call acknowledged the page
  - at: 2024-03-15T14:50:00Z
    type: investigation
    actor: Sarah Chen
    message: Connection pool saturated on all pods
  - at: 2024-03-15T15:10:00Z
    type: mitigation
    actor: Sarah Chen
    message: Rolled back to v2.2
  - at: 2024-03-15T16:00:00Z
    type: resolution
    actor: Mike Rodriguez
    message: Error rate normal for 45 minutes
root_cause:
  summary: The deploy halved the connection pool size.
  trigger: Deploy of v2.3
  five_whys:
    - {question: Why did checkout fail?, answer: The API had no free connections.}
  contributing_factors:
    - {category: technology, description: Pool size not covered by config review}
went_well: [Fast rollback]
went_wrong: [No alert on pool utilisation]
lessons: [Review pool settings]
action_items:
  - title: Add connection pool utilisation alerts
    type: detect
    owner: Lisa Park
    priority: p1
    due: 2024-04-01
    status: open
    link: https://tracker.example.com/OPS-123
  - title: Document pool sizing
    type: process
    owner: Sarah Chen
    due: 2024-12-01
    status: done
"""

SEARCH = """\
id: INC-2024-0402-002
title: Search results delayed by indexer backlog
severity: sev3
status: resolved
summary: Search results were up to 20 minutes stale.
services: [search]
tags: [database]
started_at: 2024-04-02T09:00:00+02:00
resolved_at: 2024-04-02T11:00:00+02:00
timeline:
  - at: 2024-04-02T09:05:00+02:00
    type: alert
    message: Indexer lag above 10 minutes
  - at: 2024-04-02T10:30:00+02:00
    type: mitigation
    message: Added two indexer workers
action_items:
  - title: Autoscale indexers
    owner: Ana
    due: 2024-05-01
"""

LOGIN = """\
id: INC-2023-1201-001
title: Login outage after certificate expiry
severity: sev1
status: resolved
review_status: in_review
summary: Every login failed for 50 minutes.
services: [auth]
tags: [certificates]
started_at: 2023-12-01T08:00:00Z
mitigated_at: 2023-12-01T08:50:00Z
resolved_at: 2023-12-01T09:30:00Z
impact:
  users_affected_pct: 100
timeline:
  - at: 2023-12-01T08:03:00Z
    type: alert
    message: Login success rate 0%
  - at: 2023-12-01T08:50:00Z
    type: mitigation
    message: Renewed the certificate
"""

# Incident text that tries every trick: it must show as text, never act.
HOSTILE = """\
id: INC-2024-0501-666
title: "<script>alert('t')</script> **bold** [x](javascript:alert(1)) {{ 7*7 }} --8<-- \\"/etc/passwd\\""
status: monitoring
summary: |
  <img src=x onerror=alert('s')> {: .evil onclick="alert(2)" }
  {% raw %}{{ config }}{% endraw %} ![i](http://evil.example/x.png)
services: ["<b>svc</b>", "ok service"]
tags: ["</title><script>alert('tag')</script>"]
started_at: 2024-05-01T10:00:00Z
timeline:
  - at: 2024-05-01T10:01:00Z
    message: "<iframe src=javascript:alert(3)></iframe> | pipe | cell"
action_items:
  - title: "<svg onload=alert(4)>"
    link: "https://tracker.example.com/x?a=1&b=(2)[3]*4*"
links:
  - {title: "<a href=javascript:alert(6)>x</a>", url: "https://example.com/(x)[y]"}
"""

SAMPLES = {
    "incidents/2024/INC-2024-0315-001.yaml": PAYMENT,
    "incidents/2024/INC-2024-0402-002.yaml": SEARCH,
    "incidents/2023/INC-2023-1201-001.yaml": LOGIN,
    "incidents/2024/INC-2024-0501-666.yaml": HOSTILE,
}


def numbered_incident(n: int) -> tuple[str, str]:
    """A plain incident number n, one day apart: (relative path, YAML)."""
    start = datetime(2022, 1, 1, 12, 0, tzinfo=timezone.utc) + timedelta(days=n)
    ident = f"INC-GEN-{n:04d}"
    stamp = start.strftime("%Y-%m-%dT%H:%M:%SZ")
    later = (start + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = (
        f"id: {ident}\n"
        f"title: Generated incident number {n}\n"
        f"severity: sev{n % 4 + 1}\n"
        "summary: A generated incident for the scale tests.\n"
        f"services: [service-{n % 3}]\n"
        f"tags: [tag-{n % 5}]\n"
        f"started_at: {stamp}\n"
        f"resolved_at: {later}\n"
        "timeline:\n"
        f"  - at: {stamp}\n"
        "    type: alert\n"
        "    message: Something broke\n"
        f"  - at: {later}\n"
        "    type: resolution\n"
        "    message: Fixed\n"
    )
    return f"incidents/gen/{ident}.yaml", text


def make_project(root: Path, incidents: dict[str, str], extra: dict[str, str] | None = None) -> Path:
    """A project at root: the real mkdocs.yml (the theme comes with pir), stand-in docs, the given incidents."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for rel, text in {**HANDWRITTEN, **incidents, **(extra or {})}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (root / "incidents").mkdir(exist_ok=True)
    return root


def in_parts(root: Path, records_per_part: object) -> Path:
    """Set the search plugin's records_per_part in the project's mkdocs.yml (a large archive's index, in small)."""
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - pir-search\n" in text
    config.write_text(text.replace("  - pir-search\n", f"  - pir-search:\n      records_per_part: {records_per_part}\n"),
                      encoding="utf-8")
    return root


def build_project(root: Path, as_of: date = AS_OF) -> Path:
    """Build the project's site into root/site (strict); returns the site folder."""
    site.build(root, as_of)
    return root / "site"


def page(site_dir: Path, url: str) -> str:
    """The HTML of a page by its URL path ("reviews/INC-1/")."""
    path = site_dir / url / "index.html" if url.endswith("/") or url == "" else site_dir / url
    return path.read_text(encoding="utf-8")
