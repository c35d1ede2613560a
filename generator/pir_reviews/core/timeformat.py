"""How moments and durations are written for people, on every page and in every text report.

One function each, so a time to mitigate reads the same on the review page,
in `pir timeline`, in `pir classify` and in a pull-request comment. JSON keeps
ISO 8601 and plain minutes for machines.
"""

from __future__ import annotations

from datetime import datetime, timezone


def utc(value: datetime | None) -> str:
    """A moment as "2024-03-15 14:30 UTC"; "unknown" when there is none."""
    if value is None:
        return "unknown"
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    # By hand, as strftime writes it (the year unpadded, as glibc does): strftime
    # costs several times as much, and a review page writes hundreds of moments.
    return f"{value.year}-{value.month:02d}-{value.day:02d} {value.hour:02d}:{value.minute:02d} UTC"


def duration(minutes: float | None) -> str:
    """Minutes as days, hours and minutes: "45m", "1h 05m", "2h", "3d 4h 10m", "1d".

    Rounded to the nearest minute; zero parts at the end are left out; a
    negative value keeps its sign; None is "unknown", never 0.
    """
    if minutes is None:
        return "unknown"
    sign = "-" if minutes < 0 else ""
    total = int(round(abs(minutes)))
    days, rest = divmod(total, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        parts = [f"{days}d"] + ([f"{hours}h"] if hours or mins else []) + ([f"{mins:02d}m"] if mins else [])
    elif hours:
        parts = [f"{hours}h"] + ([f"{mins:02d}m"] if mins else [])
    else:
        parts = [f"{mins}m"]
    return sign + " ".join(parts)
