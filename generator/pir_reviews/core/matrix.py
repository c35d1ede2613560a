"""The severity matrix: one table that the classifier, the timeline targets and
the playbook page (docs/playbooks/severity-matrix.md) all read.

A test renders this table and checks that the playbook shows the same figures,
so the prose and the code cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Level:
    severity: str
    name: str
    # Impact criteria, in words (the classifier's rules implement them).
    criteria: tuple[str, ...]
    # Share of users affected that puts an incident at this level at least:
    # strictly above `users_above_pct` (None: share of users alone never does).
    users_above_pct: float | None
    # Response-time targets, in minutes from the start of customer impact
    # (acknowledge: from detection).
    acknowledge_min: int
    first_update_min: int
    update_interval_min: int
    mitigate_min: int
    resolve_min: int
    # A quiet stretch in the timeline longer than this, during the active
    # phases, is reported as a gap.
    gap_min: int
    # Days after resolution by which the review should be final.
    review_due_days: int
    # Who is engaged, in escalation order.
    escalation: tuple[str, ...]
    audience: tuple[str, ...]


MATRIX: tuple[Level, ...] = (
    Level(
        severity="sev1",
        name="Critical",
        criteria=(
            "More than 75% of users affected",
            "Complete outage of a customer-facing or revenue system",
            "User data lost or corrupted",
            "Customer data exposed or a security breach",
        ),
        users_above_pct=75,
        acknowledge_min=5,
        first_update_min=15,
        update_interval_min=30,
        mitigate_min=60,
        resolve_min=240,
        gap_min=15,
        review_due_days=5,
        escalation=("On-call engineer", "Incident commander", "Engineering manager", "VP Engineering", "CTO"),
        audience=("Executives", "All engineering", "Customer support", "Status page"),
    ),
    Level(
        severity="sev2",
        name="Major",
        criteria=(
            "25% to 75% of users affected",
            "A service-level agreement breached",
            "A core feature broken with no workaround",
            "Internal tooling down for all of engineering",
        ),
        users_above_pct=25,
        acknowledge_min=15,
        first_update_min=30,
        update_interval_min=60,
        mitigate_min=240,
        resolve_min=480,
        gap_min=30,
        review_due_days=10,
        escalation=("On-call engineer", "Incident commander", "Engineering manager"),
        audience=("Engineering leadership", "Customer support", "Status page"),
    ),
    Level(
        severity="sev3",
        name="Minor",
        criteria=(
            "Fewer than 25% of users affected",
            "A feature degraded, or broken with a workaround",
        ),
        users_above_pct=0,
        acknowledge_min=60,
        first_update_min=120,
        update_interval_min=240,
        mitigate_min=1440,
        resolve_min=4320,
        gap_min=60,
        review_due_days=20,
        escalation=("On-call engineer", "Team lead"),
        audience=("Owning team", "Customer support"),
    ),
    Level(
        severity="sev4",
        name="Low",
        criteria=(
            "No customer impact: internal-only or non-production",
            "Cosmetic problems",
        ),
        users_above_pct=None,
        acknowledge_min=480,
        first_update_min=1440,
        update_interval_min=1440,
        mitigate_min=4320,
        resolve_min=10080,
        gap_min=240,
        review_due_days=30,
        escalation=("Owning team",),
        audience=("Owning team",),
    ),
)

# The internal-tooling decision. An outage of internal tooling that blocks all
# of engineering (CI, the deploy pipeline, source control, staff sign-in) stops
# every fix from shipping, so it is a major incident although no customer sees
# it; internal trouble that blocks nobody stays at sev4 ("no customer impact").
INTERNAL_BLOCKING_SEVERITY = "sev2"

BY_SEVERITY: dict[str, Level] = {level.severity: level for level in MATRIX}


def level(severity: str) -> Level:
    """The matrix row of a severity ("sev1".."sev4")."""
    return BY_SEVERITY[severity]
