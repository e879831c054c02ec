"""Altair charts onto the page, without validating them against the Vega-Lite JSON schema on
every rerun.

`st.altair_chart` calls `chart.to_dict()`, which validates the whole spec with jsonschema, and
Altair also validates every object as it is built (its "debug mode"). For the heatmap that was
about 0.3–0.5 s of each rerun, the largest part of the page's time after a filter change. The
charts here are built by our own code from query results, so their shape does not change from
one rerun to the next: validating them once, in the tests, is enough. `NSOC_VALIDATE_CHARTS=1`
(set by the test suite) validates every spec, so a chart that breaks the schema fails its test.

Every chart of the app goes through `show`. It sets Altair's globals once, at import: the theme
"none" (Streamlit's own chart theme applies, as `st.altair_chart` does) and no row limit on
inline data (the views aggregate before they draw).

`show` hands the chart's table to Streamlit as a named dataset under a fixed name, the spec
without it. The browser keeps a chart and only swaps its rows when the spec (and the dataset
names) of a rerun are those of the last one: Altair names a dataset after a hash of its rows,
so every filter change used to make the browser compile and lay out every chart anew. A chart
keeps its spec across reruns only if nothing in it depends on the rows: sort the axes by a
field of the data (`alt.EncodingSortField`), not by a list of the values."""

from __future__ import annotations

import os
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st
from altair.utils import schemapi

VALIDATE = os.environ.get("NSOC_VALIDATE_CHARTS") == "1"

if not VALIDATE:
    schemapi.disable_debug_mode()
alt.theme.enable("none")
alt.data_transformers.disable_max_rows()


def spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The chart's Vega-Lite spec, its data inline; validated only when VALIDATE."""
    return chart.to_dict(validate=VALIDATE)


DATASET = "rows"  # the name of every shown chart's table: the same on every rerun


def shown_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """The spec `show` hands to Streamlit: a chart whose data is one table (a DataFrame at its
    top level) refers to it by the name DATASET, and the table goes along as it is (Streamlit
    sends it to the browser as Arrow, as `st.altair_chart` does); any other chart as `spec`."""
    data = getattr(chart, "data", alt.Undefined)
    if not isinstance(data, pd.DataFrame):
        return spec(chart)
    named = chart.copy(deep=False)  # type: ignore[attr-defined]
    named.data = alt.NamedData(name=DATASET)
    out = spec(named)
    out["datasets"] = {**out.get("datasets", {}), DATASET: data}  # a layer's own data stays
    return out


def show(chart: alt.TopLevelMixin, **kwargs: Any) -> Any:
    """`st.altair_chart(chart, **kwargs)` without the schema validation: the same element,
    selections (`on_select`, `selection_mode`, `key`) and the same return value."""
    return st.vega_lite_chart(shown_spec(chart), **kwargs)
