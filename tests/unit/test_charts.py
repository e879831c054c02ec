"""dashboard/charts.py: the app skips Altair's schema validation, the tests do not."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest
from altair.utils.schemapi import SchemaValidationError
from jsonschema import ValidationError

from dashboard import charts


def test_the_tests_validate_every_chart():
    assert charts.VALIDATE  # tests/conftest.py sets NSOC_VALIDATE_CHARTS=1
    # Altair checks as the chart is built (debug mode) or as it becomes a spec
    with pytest.raises((SchemaValidationError, ValidationError)):
        charts.spec(alt.Chart(pd.DataFrame({"a": [1]})).mark_bar().properties(width="wide"))


def test_the_spec_carries_its_data_inline_without_a_row_limit():
    frame = pd.DataFrame({"a": range(6000), "b": ["x"] * 6000})
    spec = charts.spec(alt.Chart(frame).mark_point().encode(x="a:Q", y="b:N"))
    [values] = spec["datasets"].values()
    assert len(values) == 6000 and values[5999] == {"a": 5999, "b": "x"}
    # Streamlit's chart theme applies, not Altair's default view size
    assert "config" not in spec or "view" not in spec["config"]


def test_a_shown_chart_names_its_table_the_same_whatever_its_rows():
    def chart(frame: pd.DataFrame) -> alt.Chart:
        return alt.Chart(frame).mark_bar().encode(x="a:Q", y="b:N")

    one = charts.shown_spec(chart(pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})))
    two = charts.shown_spec(chart(pd.DataFrame({"a": [3], "b": ["z"]})))
    assert one["data"] == two["data"] == {"name": charts.DATASET}
    assert one["datasets"][charts.DATASET]["a"].tolist() == [1, 2]  # the table itself
    assert {k: v for k, v in one.items() if k != "datasets"} == {
        k: v for k, v in two.items() if k != "datasets"
    }
    # Altair's own spec names the table after its rows: the browser would draw it anew
    assert (
        charts.spec(chart(pd.DataFrame({"a": [1]})))["data"]
        != charts.spec(chart(pd.DataFrame({"a": [2]})))["data"]
    )


def test_a_layer_with_data_of_its_own_keeps_it():
    own = pd.DataFrame({"a": [9]})
    layered = alt.layer(
        alt.Chart().mark_bar().encode(x="a:Q"),
        alt.Chart(own).mark_rule().encode(x="a:Q"),
        data=pd.DataFrame({"a": [1, 2]}),
    )
    out = charts.shown_spec(layered)
    assert out["datasets"][charts.DATASET]["a"].tolist() == [1, 2]
    [(name, rows)] = [(k, v) for k, v in out["datasets"].items() if k != charts.DATASET]
    assert rows == [{"a": 9}] and out["layer"][1]["data"] == {"name": name}


def test_a_template_is_built_once_per_arguments_and_takes_its_rows_at_each_show():
    built: list[str] = []

    @charts.template
    def bars(title: str) -> alt.Chart:
        built.append(title)
        return alt.Chart().mark_bar().encode(x=alt.X("a:Q", title=title), y="b:N")

    first, again, other = bars("Aantal"), bars("Aantal"), bars("Count")
    assert built == ["Aantal", "Count"] and first is again
    rows = pd.DataFrame({"a": [1, 2], "b": ["x", "y"]})
    spec = first.spec(rows)
    assert spec["data"] == {"name": charts.DATASET}
    assert spec["datasets"][charts.DATASET] is rows
    assert spec["encoding"]["x"]["title"] == "Aantal"
    assert other.spec(rows)["encoding"]["x"]["title"] == "Count"
    # the same spec as the chart built with its rows and shown
    assert {k: v for k, v in spec.items() if k != "datasets"} == {
        k: v
        for k, v in charts.shown_spec(
            alt.Chart(rows).mark_bar().encode(x=alt.X("a:Q", title="Aantal"), y="b:N")
        ).items()
        if k != "datasets"
    }
    # each spec is its own: Streamlit patches what it is given
    spec["encoding"]["x"]["title"] = "changed"
    assert first.spec(rows)["encoding"]["x"]["title"] == "Aantal"
