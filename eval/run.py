"""Score `pir classify` against the labelled corpus in eval/corpus.yaml.

Prints, for the tune cases, the held-out cases and the impact-field cases
separately: exact accuracy, the share within one level, a 4x4 confusion matrix
(rows: expected, columns: classified) and every miss with its reasons, so a
miss can be read without re-running anything. `make eval` runs this file;
tests/test_eval_corpus.py holds the held-out targets.

Misses of the held-out cases are not printed unless --show-heldout is given:
the rules are tuned on the tune cases only, and not seeing the held-out
sentences fail is the easiest way to keep it so.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from pir_reviews.core.classify import classify
from pir_reviews.core.models import SEVERITIES, ClassifyInput, Impact

CORPUS = Path(__file__).resolve().parent / "corpus.yaml"
SPLITS = ("tune", "heldout")
CLASSES = ("breadth", "exposure", "data-loss", "complete-outage", "cosmetic", "environment",
           "internal-tooling", "negation", "impact-fields")
IMPACT_FIELDS = frozenset(Impact.__dataclass_fields__)
KEYS = frozenset({"id", "split", "class", "text", "impact", "expected"})


@dataclass(frozen=True)
class Case:
    id: str
    split: str
    kind: str  # the corpus's `class`
    text: str
    impact: Impact
    expected: str

    @property
    def has_fields(self) -> bool:
        return self.kind == "impact-fields"

    def as_input(self) -> ClassifyInput:
        """What `pir classify` would read: the text, or the impact description next to the fields."""
        parts = [p for p in (self.text, self.impact.description) if p]
        return ClassifyInput(text="\n\n".join(parts), impact=self.impact)


def _field_ok(name: str, value: object) -> bool:
    """Whether an impact value has the type the classifier expects (None is always allowed)."""
    if value is None:
        return True
    if name == "description":
        return isinstance(value, str)
    if name in ("users_affected_pct", "revenue_usd", "customer_escalations"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, bool)


class CorpusError(ValueError):
    """The corpus file is not what this script expects; the message names the case."""


def load_corpus(path: Path = CORPUS) -> list[Case]:
    """Every case of the corpus, checked: known keys, split, class and level; unique ids."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list):
        raise CorpusError(f"{path}: expected a list of cases")
    cases: list[Case] = []
    seen: set[str] = set()
    for number, item in enumerate(raw, 1):
        where = f"{path}: case {number}"
        if not isinstance(item, dict) or set(item) - KEYS:
            raise CorpusError(f"{where}: a case is a mapping with keys {', '.join(sorted(KEYS))}")
        case_id = str(item.get("id", ""))
        if not case_id or case_id in seen:
            raise CorpusError(f"{where}: id {case_id!r} is missing or repeated")
        seen.add(case_id)
        if item.get("split") not in SPLITS or item.get("class") not in CLASSES or item.get("expected") not in SEVERITIES:
            raise CorpusError(f"{where} ({case_id}): split, class or expected is not one of the allowed values")
        fields = item.get("impact") or {}
        if not isinstance(fields, dict) or set(fields) - IMPACT_FIELDS:
            raise CorpusError(f"{where} ({case_id}): impact holds fields that are not impact fields")
        if (item["class"] == "impact-fields") != bool(fields):
            raise CorpusError(f"{where} ({case_id}): impact-fields cases, and only they, have an impact block")
        if any(not _field_ok(name, value) for name, value in fields.items()):
            raise CorpusError(f"{where} ({case_id}): an impact field has a value of the wrong type")
        text = item.get("text") or ""
        if not isinstance(text, str):
            raise CorpusError(f"{where} ({case_id}): text must be a string")
        if not fields and not text.strip():
            raise CorpusError(f"{where} ({case_id}): a text case needs text")
        cases.append(Case(case_id, item["split"], item["class"], text, Impact(**fields), item["expected"]))
    return cases


@dataclass(frozen=True)
class Score:
    """How one group of cases fared."""

    name: str
    total: int
    exact: int
    within_one: int
    confusion: tuple[tuple[int, ...], ...]  # [expected][classified]
    by_class: tuple[tuple[str, int, int], ...]  # (class, exact, total)
    misses: tuple[tuple[Case, str, tuple[str, ...]], ...]

    @property
    def exact_rate(self) -> float:
        return self.exact / self.total if self.total else 0.0

    @property
    def within_one_rate(self) -> float:
        return self.within_one / self.total if self.total else 0.0


def score(name: str, cases: list[Case]) -> Score:
    """Classify each case and count exact hits, hits within one level and the confusion."""
    confusion = [[0] * len(SEVERITIES) for _ in SEVERITIES]
    exact = within = 0
    misses = []
    per_class: dict[str, list[int]] = {}
    for case in cases:
        result = classify(case.as_input())
        want, got = SEVERITIES.index(case.expected), SEVERITIES.index(result.severity)
        confusion[want][got] += 1
        exact += want == got
        within += abs(want - got) <= 1
        tally = per_class.setdefault(case.kind, [0, 0])
        tally[0] += want == got
        tally[1] += 1
        if want != got:
            misses.append((case, result.severity, result.reasons))
    by_class = tuple((kind, *per_class[kind]) for kind in CLASSES if kind in per_class)
    return Score(name, len(cases), exact, within, tuple(map(tuple, confusion)), by_class, tuple(misses))


def groups(cases: list[Case]) -> list[Score]:
    """Text-only tune, text-only held-out, and the impact-field cases."""
    return [
        score("text, tune", [c for c in cases if c.split == "tune" and not c.has_fields]),
        score("text, held-out", [c for c in cases if c.split == "heldout" and not c.has_fields]),
        score("impact fields", [c for c in cases if c.has_fields]),
    ]


def report(s: Score, show_misses: bool) -> str:
    lines = [f"== {s.name}: {s.total} cases",
             f"exact       {s.exact}/{s.total} = {100 * s.exact_rate:.1f}%",
             f"within one  {s.within_one}/{s.total} = {100 * s.within_one_rate:.1f}%",
             "expected \\ classified  " + "  ".join(SEVERITIES)]
    for sev, row in zip(SEVERITIES, s.confusion):
        lines.append(f"{sev:<22}" + "  ".join(f"{n:>4}" for n in row))
    lines.append("by class: " + ", ".join(f"{kind} {hit}/{total}" for kind, hit, total in s.by_class))
    if show_misses:
        for case, got, reasons in s.misses:
            lines.append(f"  miss {case.id}: expected {case.expected}, got {got}: {case.text or case.impact.description}")
            lines.extend(f"       - {r}" for r in reasons)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    show_heldout = "--show-heldout" in argv
    paths = [a for a in argv if a != "--show-heldout"]
    try:
        cases = load_corpus(Path(paths[0]) if paths else CORPUS)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{paths[0] if paths else CORPUS}:{mark.line + 1}:{mark.column + 1}" if mark else str(paths[0] if paths else CORPUS)
        print(f"{where}: {exc.problem or exc}", file=sys.stderr)
        return 1
    except (CorpusError, OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print("\n\n".join(report(s, show_heldout or "held-out" not in s.name) for s in groups(cases)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
