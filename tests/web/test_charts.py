"""Charts are SVG made on the server: scaled to the data, labelled, and safe with outside text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from ipwatch.web.charts import axis, horizontal_bars, stacked_columns


@pytest.mark.parametrize(("value", "top", "step"), [
    (0, 1, 1), (3, 3, 1), (7, 8, 2), (24, 30, 10), (80, 80, 20), (120, 150, 50), (2400, 3000, 1000),
])
def test_axes_end_on_a_round_number_in_whole_steps(value, top, step):
    assert axis(value) == (top, step)


def test_stacked_columns_draw_one_bar_per_nonzero_cell_with_its_number():
    svg = stacked_columns(["11-24", "11-25"], {"high": [2, 0], "low": [1, 3]}, title="per day")
    root = ET.fromstring(str(svg))
    titles = [el.text for el in root.iter("{http://www.w3.org/2000/svg}title")]
    assert titles == ["11-24 · high: 2", "11-24 · low: 1", "11-25 · low: 3"]


def test_labels_from_outside_are_escaped():
    svg = str(horizontal_bars([('<script>alert(1)</script>', 3), ("草原特产小店", 1)], title="sellers"))
    ET.fromstring(svg)  # still well-formed
    assert "<script>" not in svg and "&lt;script&gt;" in svg
