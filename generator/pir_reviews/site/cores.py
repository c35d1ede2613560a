"""How many worker processes pir starts: one per core, at most eight."""

from __future__ import annotations

import os


def workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))
