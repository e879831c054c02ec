"""The heatmap chart as Vega-Lite: numbers in the cells when they fit, in the viewer's format."""

from __future__ import annotations

import json

import pandas as pd

from dashboard.heatmap_ui import MAX_LABELLED_COLUMNS, chart_frame, heatmap_chart

NAMES = {
    "phenomena": {"P1": "Fenomeen 1"},
    "regions": {f"R{i:02d}": f"Regio {i:02d}" for i in range(40)},
    "agencies": {},
}


def frame(columns: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "phenomenon_code": ["P1"] * columns,
            "region_code": [f"R{i:02d}" for i in range(columns)],
            "signals": [12_345 + i for i in range(columns)],
            "amount_eur": [2_500_000.0] * columns,
            "suppressed": [False] * columns,
        }
    )


def layers(columns: int, metric: str = "signals", lang: str = "nl") -> list[dict]:
    cells, x_order, y_order = chart_frame(
        frame(columns), axis="region", metric=metric, compare=False, lang=lang, names=NAMES
    )
    chart, _rows = heatmap_chart(
        cells,
        x_order=x_order,
        y_order=y_order,
        x_title="x",
        value_title="v",
        compare=False,
        lang=lang,
    )
    return json.loads(chart.text)["layer"]


def test_cells_carry_their_number_in_short_form():
    spec = layers(3)
    text = [layer for layer in spec if layer["mark"]["type"] == "text"]
    assert len(text) == 1 and text[0]["encoding"]["text"]["field"] == "short"
    cells, *_ = chart_frame(
        frame(3), axis="region", metric="amount_eur", compare=False, lang="nl", names=NAMES
    )
    assert list(cells["short"]) == ["2,5 mln"] * 3
    cells, *_ = chart_frame(
        frame(3), axis="region", metric="signals", compare=False, lang="en", names=NAMES
    )
    assert list(cells["short"]) == ["12k", "12k", "12k"]


def test_numbers_are_left_out_when_the_cells_are_too_narrow():
    assert not [
        layer for layer in layers(MAX_LABELLED_COLUMNS + 1) if layer["mark"]["type"] == "text"
    ]
