"""Classify a sentence as `echo "..." | pir classify` would, and check the level and the words quoted."""

from __future__ import annotations

from pir_reviews.core.classify import classify
from pir_reviews.core.models import ClassifyInput, Impact


def run(text: str, **impact):
    return classify(ClassifyInput(text=text, impact=Impact(**impact)))


def check(text: str, expected: str, quoted: str) -> None:
    """The level is `expected` and some reason quotes `quoted`: a severity nobody can trace back to the text is no use."""
    result = run(text)
    assert result.severity == expected, result.reasons
    assert any(quoted in reason for reason in result.reasons), (quoted, result.reasons)
