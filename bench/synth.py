"""A synthetic archive of realistic incidents, for the benchmark.

`python bench/synth.py --count N --seed S --out DIR` writes
DIR/incidents/<year>/<id>.yaml (format v1, 10-20 KB each) and copies the
project's mkdocs.yml and docs/ next to them, so DIR is a project that
`pir generate` and `pir build` accept.

Everything comes from `random.Random` seeded per incident (seed and index),
never from the clock: the same seed gives the same bytes, and the first K
incidents of a large archive are the first K of a smaller one with the same
seed, so a page can be compared across archive sizes.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Sizes the benchmark is about; the generator keeps each file inside them.
MIN_BYTES = 10_240
MAX_BYTES = 20_480
MIN_EVENTS = 15
MAX_EVENTS = 60

FIRST_DAY = date(2021, 1, 1)
DAYS = 5 * 365  # impact starts spread over 2021-2025

_DOMAINS = ("payment", "checkout", "cart", "search", "catalog", "inventory", "order", "shipping",
            "billing", "invoice", "auth", "identity", "session", "profile", "notification", "email",
            "sms", "push", "media", "image", "video", "recommendation", "pricing", "promotion",
            "loyalty", "review", "ledger", "fraud", "risk", "report", "analytics", "export",
            "import", "webhook", "gateway", "edge", "cdn", "dns", "queue", "scheduler",
            "feature-flag", "config", "secrets", "audit", "geo", "tax", "currency", "warehouse",
            "returns", "support", "chat", "partner", "marketplace", "subscription", "metering",
            "usage", "storage", "backup", "admin", "mobile-bff")
_KINDS = ("api", "service", "worker", "db", "gateway")
SERVICES = tuple(f"{d}-{_KINDS[i % len(_KINDS)]}" for i, d in enumerate(_DOMAINS))
TAGS = ("database", "deployment", "config", "capacity", "network", "dns", "certificate", "cache",
        "queue", "third-party", "kubernetes", "postgres", "kafka", "redis", "memory-leak",
        "latency", "data-integrity", "security", "feature-flag", "rollback", "migration",
        "storage", "cdn", "auth", "cron", "monitoring-gap", "human-error", "load-balancer")
REGIONS = ("us-east", "us-west", "eu-central", "eu-west", "ap-south", "ap-northeast", "sa-east")
PEOPLE = ("Sarah Chen", "Mike Rodriguez", "Lisa Park", "Tom Wilson", "David Kumar", "Priya Natarajan",
          "Jonas Weber", "Amara Okafor", "Kenji Tanaka", "Elena Petrova", "Omar Haddad", "Grace Liu",
          "Lucas Martin", "Fatima Zahra", "Noah Fischer", "Chloe Dubois", "Ravi Shankar", "Ana Souza",
          "Ben Carter", "Ingrid Berg", "Mateo Rossi", "Yuki Sato", "Hannah Kim", "Samuel Adeyemi",
          "Olivia Brown", "Arjun Mehta", "Zoe Wright", "Felix Novak", "Maya Cohen", "Leo Janssen")
ROLES = ("On-call engineer", "Incident commander", "Database lead", "Network engineer", "SRE",
         "Customer support lead", "Communications lead", "Service owner", "Security engineer")
SOURCES = ("datadog", "pagerduty", "slack", "grafana", "kibana", "argo-cd", "github", "kubectl",
           "statuspage", "psql", "aws-console", "zoom", "jira", "sentry")
OFFSETS = ((0, 0), (0, 0), (0, 0), (1, 0), (2, 0), (-4, 0), (-7, 0), (5, 30), (9, 0))
SEVERITY_WEIGHTS = (("sev1", 5), ("sev2", 20), ("sev3", 45), ("sev4", 30))
# Share of users affected, in line with the severity matrix (generator/matrix.py).
USERS_PCT = {"sev1": (76, 100), "sev2": (26, 75), "sev3": (5, 25), "sev4": (0, 4)}

_PROBLEMS = ("connection pool exhaustion", "elevated 5xx error rate", "p99 latency above 4 s",
             "stale cache entries served", "message backlog growing without bound",
             "certificate expiry on the internal load balancer", "memory leak and pod restarts",
             "DNS resolution failures", "disk full on the primary", "replication lag over 10 minutes",
             "misrouted traffic after a config change", "rate limiting of legitimate clients",
             "duplicate charges from retried requests", "failed logins for federated users",
             "partial data loss in a batch job")
_CAUSES = ("a release that added an unindexed query", "a configuration push with a wrong default",
           "an expired certificate nobody was tracking", "a dependency upgrade with changed timeouts",
           "a traffic spike from a marketing campaign", "a failed failover of the primary",
           "a schema migration that locked a hot table", "a third-party outage upstream",
           "a cron job that ran twice after a clock change", "a feature flag enabled for all users at once")
_ACTIONS = ("rolled back the release", "restarted the affected pods", "scaled the deployment from {a} to {b} replicas",
            "failed over to the standby", "disabled the feature flag", "raised the pool size from {a} to {b}",
            "drained the faulty node", "purged the cache for the affected keys", "paused the consumer group",
            "reverted the configuration change", "blocked the abusive client range", "renewed the certificate")
_OBSERVATIONS = ("error rate at {p}% and rising", "queue depth at {n} messages", "CPU on the primary at {p}%",
                 "{n} requests per second rejected", "p99 latency at {n} ms", "{n} pods in CrashLoopBackOff",
                 "replication lag at {n} s", "{p}% of health checks failing", "{n} timeouts per minute in the logs")


def _words(rng: random.Random, pool: tuple[str, ...], low: int, high: int) -> list[str]:
    return sorted(rng.sample(pool, rng.randint(low, high)))


def _fill(rng: random.Random, template: str) -> str:
    return template.format(a=rng.randint(4, 40), b=rng.randint(41, 120), p=rng.randint(5, 99), n=rng.randint(12, 9000))


def _sentence(rng: random.Random, service: str) -> str:
    """One plausible sentence of prose about the incident."""
    shapes = (
        lambda: f"The on-call engineer saw {_fill(rng, rng.choice(_OBSERVATIONS))} on {service} and opened the dashboard.",
        lambda: f"Investigation pointed at {rng.choice(_CAUSES)}, which {service} picked up within minutes.",
        lambda: f"The team {_fill(rng, rng.choice(_ACTIONS))}, and {_fill(rng, rng.choice(_OBSERVATIONS))} afterwards.",
        lambda: f"Customers reported {rng.choice(_PROBLEMS)} through support before any alert fired.",
        lambda: f"Runbook step {rng.randint(2, 9)} assumed {service} was stateless, which is no longer true.",
        lambda: f"Dashboards for {service} showed {_fill(rng, rng.choice(_OBSERVATIONS))} for {rng.randint(3, 40)} minutes.",
    )
    return rng.choice(shapes)()


def _paragraph(rng: random.Random, service: str, low: int, high: int) -> str:
    return " ".join(_sentence(rng, service) for _ in range(rng.randint(low, high)))


def _stamp(moment: datetime, rng: random.Random) -> str:
    """The UTC instant written with a random (but explicit) offset, as authors do."""
    hours, minutes = rng.choice(OFFSETS)
    zone = timezone(timedelta(hours=hours, minutes=minutes if hours >= 0 else -minutes))
    local = moment.astimezone(zone)
    return local.strftime("%Y-%m-%dT%H:%M:%SZ") if hours == 0 and minutes == 0 else local.isoformat()


def _events(rng: random.Random, count: int, service: str, marks: dict[str, datetime]) -> list[dict]:
    """A timeline: lead-up, the response between start and resolution, follow-up."""
    start, end = marks["started_at"], marks.get("resolved_at") or marks["started_at"] + timedelta(hours=3)
    span = max(60, int((end - start).total_seconds()))
    moments = [start - timedelta(minutes=rng.randint(20, 600))]
    moments += [start + timedelta(seconds=rng.randint(0, span)) for _ in range(count - 3)]
    moments += [end + timedelta(hours=rng.randint(2, 30)), end + timedelta(days=rng.randint(2, 6))]
    kinds = {"started_at": None, "detected_at": "alert", "acknowledged_at": "ack",
             "mitigated_at": "mitigation", "resolved_at": "resolution"}
    typed = {marks[k]: v for k, v in kinds.items() if k in marks and v}
    events = []
    for index, moment in enumerate(moments):
        event: dict = {"at": _stamp(moment, rng)}
        if index == 0:
            event["type"] = "trigger"
        elif moment in typed:
            event["type"] = typed[moment]
        elif rng.random() < 0.4:
            event["type"] = rng.choice(("investigation", "communication", "action", "escalation", "note", "page"))
        event["source"] = rng.choice(SOURCES)
        event["actor"] = rng.choice(PEOPLE + ("monitoring", "deploy-bot"))
        event["message"] = _sentence(rng, service) + (" " + _sentence(rng, service) if rng.random() < 0.5 else "")
        events.append(event)
    for key, kind in kinds.items():  # each milestone also appears as its own event
        if key in marks:
            event = {"at": _stamp(marks[key], rng), "type": kind, "source": rng.choice(SOURCES),
                     "actor": rng.choice(PEOPLE), "message": _sentence(rng, service)}
            if kind is None:
                del event["type"]
            events.append(event)
    return events


def incident(seed: int, index: int) -> dict:
    """The content of incident number `index`; ids are filled in by `archive`."""
    rng = random.Random(f"{seed}:{index}")
    severity = rng.choices([s for s, _ in SEVERITY_WEIGHTS], [w for _, w in SEVERITY_WEIGHTS])[0]
    rank = int(severity[-1])
    day = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    start = datetime(day.year, day.month, day.day, rng.randrange(24), rng.randrange(60), tzinfo=timezone.utc)
    services = _words(rng, SERVICES, 1, 4)
    main = services[0]
    status = rng.choices(("resolved", "monitoring", "identified", "investigating"), (90, 4, 3, 3))[0]
    marks = {"started_at": start, "detected_at": start + timedelta(minutes=rng.randint(1, 25))}
    marks["acknowledged_at"] = marks["detected_at"] + timedelta(minutes=rng.randint(1, 15))
    if status in ("resolved", "monitoring"):
        marks["mitigated_at"] = marks["acknowledged_at"] + timedelta(minutes=rng.randint(10, 240))
    if status == "resolved":
        marks["resolved_at"] = marks["mitigated_at"] + timedelta(minutes=rng.randint(5, 600))
    data: dict = {
        "id": None,
        "title": f"{main}: {rng.choice(_PROBLEMS)}",
        "severity": severity,
        "status": status,
        "review_status": rng.choices(("final", "in_review", "draft"), (60, 20, 20))[0],
        "summary": "\n\n".join(_paragraph(rng, main, 3, 6) for _ in range(rng.randint(1, 3))),
        "services": services,
        "regions": _words(rng, REGIONS, 1, 3),
        "tags": _words(rng, TAGS, 1, 5),
        "commander": rng.choice(PEOPLE),
        "authors": _words(rng, PEOPLE, 1, 3),
        "responders": [{"name": n, "role": rng.choice(ROLES)} for n in _words(rng, PEOPLE, 2, 7)],
    }
    for key, moment in marks.items():
        data[key] = _stamp(moment, rng)
    data["impact"] = {
        "users_affected_pct": rng.randint(*USERS_PCT[severity]),
        "description": _paragraph(rng, main, 2, 4),
        "revenue_usd": rng.randint(0, 20_000) * (5 - rank) ** 2,
        "customer_escalations": rng.randint(0, 6 * (5 - rank)),
        "sla_breached": rank <= 2 and rng.random() < 0.5,
        "data_loss": rank == 1 and rng.random() < 0.2,
        "security": rank == 1 and rng.random() < 0.1,
        "workaround": rng.random() < 0.3,
    }
    data["timeline"] = _events(rng, rng.randint(MIN_EVENTS - 3, MAX_EVENTS - 5), main, marks)
    whys = [{"question": f"Why did {main} show {rng.choice(_PROBLEMS)}?", "answer": _sentence(rng, main)}]
    whys += [{"question": f"Why was that possible ({step})?", "answer": _sentence(rng, main)} for step in range(2, 6)]
    factors = []
    for _ in range(rng.randint(2, 5)):
        text = _sentence(rng, rng.choice(services))
        factors.append(text if rng.random() < 0.2 else {"category": rng.choice(
            ("technology", "process", "people", "environment", "external", "monitoring")), "description": text})
    data["root_cause"] = {"summary": _paragraph(rng, main, 2, 4), "trigger": f"{rng.choice(_CAUSES).capitalize()}.",
                          "five_whys": whys, "contributing_factors": factors}
    if rng.random() < 0.25:
        data["root_cause"]["bow_tie"] = {key: [_sentence(rng, main) for _ in range(rng.randint(1, 3))] for key in
                                         ("threats", "preventive_barriers", "mitigative_barriers", "consequences")}
    for key in ("went_well", "went_wrong", "got_lucky", "lessons"):
        if rng.random() < 0.9:
            data[key] = [_sentence(rng, main) for _ in range(rng.randint(1, 4))]
    data["action_items"] = [_action(rng, main, day) for _ in range(rng.randint(1, 6))]
    data["links"] = [{"title": f"{main} dashboard", "url": f"https://grafana.example.com/d/{main}?from={index}"}]
    return data


def _action(rng: random.Random, service: str, day: date) -> dict:
    item: dict = {"title": f"{_fill(rng, rng.choice(_ACTIONS)).capitalize()} automatically for {service}"}
    if rng.random() < 0.9:
        item["type"] = rng.choice(("prevent", "detect", "mitigate", "repair", "process"))
    if rng.random() < 0.85:
        item["owner"] = rng.choice(PEOPLE)
    item["priority"] = rng.choice(("p1", "p2", "p3"))
    if rng.random() < 0.8:
        item["due"] = (day + timedelta(days=rng.randint(7, 120))).isoformat()
    item["status"] = rng.choices(("open", "in_progress", "done", "wont_do"), (30, 20, 45, 5))[0]
    if rng.random() < 0.6:
        item["link"] = f"https://tracker.example.com/OPS-{rng.randint(100, 99999)}"
    return item


# --- YAML text, written the way people write these files -------------------

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ,.()/%'+_@-]*[A-Za-z0-9.)%]")
_RESERVED = {"yes", "no", "on", "off", "true", "false", "null", "y", "n"}


def scalar(value, flow: bool = False) -> str:
    """A YAML scalar: plain when unambiguous, else a JSON string (valid YAML)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}(T[0-9:]+(Z|[+-]\d{2}:\d{2}))?", value):
        return value
    if _PLAIN.fullmatch(value) and value.lower() not in _RESERVED and ": " not in value and " #" not in value and not (flow and "," in value):
        return value
    return json.dumps(value)


def _block(text: str, indent: str) -> str:
    return "|\n" + "\n".join(f"{indent}{line}" if line else "" for line in text.split("\n"))


def _wrap(text: str, width: int = 76) -> str:
    """Long prose folded into lines, as an editor would; paragraphs kept."""
    out = []
    for para in text.split("\n\n"):
        line, lines = "", []
        for word in para.split(" "):
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}" if line else word
        lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


def emit(value, indent: str = "") -> list[str]:
    """The lines of a mapping (or list) in block style."""
    lines: list[str] = []
    items = value.items() if isinstance(value, dict) else ((None, v) for v in value)
    for key, item in items:
        head = f"{indent}{key}:" if key is not None else f"{indent}-"
        if isinstance(item, (dict, list)) and item:
            if key is None and isinstance(item, dict):
                inner = emit(item, indent + "  ")
                lines.append(f"{indent}- " + inner[0].lstrip())
                lines.extend(inner[1:])
            elif isinstance(item, list) and all(isinstance(v, str) and len(v) < 30 for v in item):
                lines.append(f"{head} [{', '.join(scalar(v, flow=True) for v in item)}]")
            else:
                lines.append(head)
                lines.extend(emit(item, indent + "  "))
        elif isinstance(item, str) and len(item) > 90:
            lines.append(f"{head} {_block(_wrap(item), indent + '  ')}")
        else:
            lines.append(f"{head} {scalar(item)}")
    return lines


def render(data: dict) -> str:
    return "\n".join(emit(data)) + "\n"


def _fit(data: dict, seed: int, index: int) -> str:
    """The file's text, with events dropped or prose added to land in 10-20 KB."""
    rng = random.Random(f"{seed}:{index}:fit")
    text = render(data)
    events = data["timeline"]
    while len(text.encode()) > MAX_BYTES - 400 and len(events) > MIN_EVENTS:
        del events[rng.randrange(1, len(events) - 7)]  # keep the trigger, follow-up and milestones
        text = render(data)
    while len(text.encode()) < MIN_BYTES + 400:
        data.setdefault("lessons", []).append(_paragraph(rng, data["services"][0], 2, 3))
        text = render(data)
    return text


def archive(count: int, seed: int):
    """(relative path, text) of every incident, in index order."""
    used: dict[str, int] = {}
    for index in range(count):
        data = incident(seed, index)
        # the id's date is the UTC day; `_stamp` may have written another local day
        utc = datetime.fromisoformat(data["started_at"].replace("Z", "+00:00")).astimezone(timezone.utc)
        stem = f"INC-{utc:%Y}-{utc:%m%d}"
        used[stem] = used.get(stem, 0) + 1
        data["id"] = f"{stem}-{used[stem]:03d}"
        yield f"incidents/{utc:%Y}/{data['id']}.yaml", _fit(data, seed, index)


def copy_project(out: Path) -> None:
    """mkdocs.yml and docs/ (without docs/generated/) from the repository."""
    shutil.copy2(REPO / "mkdocs.yml", out / "mkdocs.yml")
    for name in ("docs",):
        target = out / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(REPO / name, target, ignore=shutil.ignore_patterns("generated") if name == "docs" else None)


def write(out: Path, count: int, seed: int) -> int:
    """Write the project; returns the number of incident files. Replaces out/incidents/."""
    out.mkdir(parents=True, exist_ok=True)
    if (out / "incidents").exists():
        shutil.rmtree(out / "incidents")
    for rel, text in archive(count, seed):
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    copy_project(out)
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    write(args.out, args.count, args.seed)
    print(f"wrote {args.count} incidents into {args.out / 'incidents'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
