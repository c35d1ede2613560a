"""SVG charts: well-formed, accessible, escaped, deterministic and of modest size."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given, settings
from hypothesis import strategies as st

from pir_reviews.render import charts

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = ('<script>alert(1)</script>', '"><svg onload=alert(1)>')


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{NS}svg"
    return root


def texts(root: ET.Element) -> list[str]:
    return [el.text or "" for el in root.iter() if el.tag in (f"{NS}text", f"{NS}title", f"{NS}desc")]


def test_number_formatting_is_fixed():
    assert [charts.number(v) for v in (12.0, 12.25, 12.26, -0.01, 3)] == ["12", "12.2", "12.3", "0", "3"]


def test_monthly_bars_structure_and_accessibility():
    svg = charts.monthly_bars(
        ("2024-01", "2024-02", "2024-03"),
        {"sev1": (1, 0, 2), "sev2": (0, 0, 3), "sev3": (0, 0, 0), "sev4": (1, 0, 0)},
    )
    root = parse(svg)
    title = root.find(f"{NS}title")
    assert title is not None and title.text == "Incidents per month, by severity"
    assert root.find(f"{NS}desc") is not None
    assert root.get("role") == "img"
    labelled = root.get("aria-labelledby").split()
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    assert set(labelled) <= ids
    # legend entries and month labels are text, not only colour
    words = texts(root)
    for label in ("sev1", "sev2", "sev3", "sev4", "2024-01", "2024-03"):
        assert label in words
    # one rect per non-zero segment plus four legend swatches
    bars = [r for r in root.iter(f"{NS}rect") if r.find(f"{NS}title") is not None]
    assert sorted(r.find(f"{NS}title").text for r in bars) == [
        "2024-01: 1 sev1", "2024-01: 1 sev4", "2024-03: 2 sev1", "2024-03: 3 sev2",
    ]
    # y axis labels are whole counts
    assert all("." not in t for t in words if t.replace(".", "").isdigit())
    assert svg == charts.monthly_bars(
        ("2024-01", "2024-02", "2024-03"),
        {"sev1": (1, 0, 2), "sev2": (0, 0, 3), "sev3": (0, 0, 0), "sev4": (1, 0, 0)},
    )


def test_monthly_bars_without_months():
    root = parse(charts.monthly_bars((), {"sev1": ()}))
    assert "No incidents yet." in texts(root)


def test_distribution_marks_median_p90_and_n():
    root = parse(charts.distribution("Time to detect (minutes)", {"all": [1, 2, 3, 4, 100], "sev1": []}))
    words = texts(root)
    assert "all (n=5)" in words
    assert "median 3, p90 100" in words
    assert "sev1 (n=0)" in words and "no known values" in words
    assert len(list(root.iter(f"{NS}circle"))) == 5
    marks = [el.find(f"{NS}title").text for el in root.iter(f"{NS}line") if el.find(f"{NS}title") is not None]
    assert marks == ["median 3", "p90 100"]
    assert root.get("aria-labelledby") == "chart-time-to-detect-minutes-title chart-time-to-detect-minutes-desc"


def test_distribution_aggregates_large_groups():
    values = [float(i % 500) for i in range(10_000)]
    svg = charts.distribution("Time to resolve", {"all": values})
    root = parse(svg)
    assert not list(root.iter(f"{NS}circle"))
    assert 0 < len(list(root.iter(f"{NS}rect"))) <= charts.BINS
    assert "all (n=10000)" in texts(root)
    assert len(svg) < 20_000


def test_hostile_labels_stay_text():
    name = HOSTILE[0] + HOSTILE[1]
    for svg in (
        charts.distribution(name, {HOSTILE[0]: [1.0], HOSTILE[1]: [2.0]}),
        charts.monthly_bars(("2024-01",), {HOSTILE[0]: (1,), HOSTILE[1]: (2,)}),
    ):
        root = parse(svg)
        assert not [el for el in root.iter() if "script" in el.tag or el.get("onload") is not None]
        assert "<script>" not in svg and "<svg onload" not in svg
        assert any(HOSTILE[0] in t for t in texts(root))
        assert any(HOSTILE[1] in t for t in texts(root))


@settings(max_examples=60, deadline=None)
@given(
    st.dictionaries(
        st.text(max_size=10),
        st.lists(st.floats(min_value=-100, max_value=1e6, allow_nan=False), max_size=30),
        max_size=4,
    )
)
def test_distribution_always_well_formed(values_by_group):
    svg = charts.distribution("Any metric", values_by_group)
    root = parse(svg)
    assert len(root.findall(f"{NS}title")) == 1
    assert svg == charts.distribution("Any metric", values_by_group)
