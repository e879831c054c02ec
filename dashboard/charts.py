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
field of the data (`alt.EncodingSortField`), not by a list of the values.

The charts of the busiest pages are `template`s: built without rows, from arguments that are
not data (language, titles, sizes), and written as Vega-Lite once per arguments and process;
each rerun hands over only the rows (`Template.show`). Building an Altair chart and writing its
spec was a third of the app server's Python under the benchmark's twenty sessions
(docs/performance.md, "Twenty-fourth session"), for a spec that did not change."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ParamSpec, cast

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


P = ParamSpec("P")


@dataclass(frozen=True)
class Template:
    """A chart's Vega-Lite spec without its rows, as JSON (`template`); its data is the table
    DATASET, handed over at each `show`."""

    text: str

    def spec(self, rows: pd.DataFrame) -> dict[str, Any]:
        """The spec with these rows (a new dict each time: Streamlit patches what it is given)."""
        out = json.loads(self.text)
        out["datasets"] = {**out.get("datasets", {}), DATASET: rows}
        return out

    def show(self, rows: pd.DataFrame, **kwargs: Any) -> Any:
        """`show` for the chart with these rows: the same element and return value."""
        return st.vega_lite_chart(self.spec(rows), **kwargs)


def template(build: Callable[P, alt.TopLevelMixin]) -> Callable[P, Template]:
    """A chart builder as a `Template`, built and written once per arguments and process. The
    builder's chart has no data of its own (its rows are DATASET's) and depends on its
    arguments alone, which must be hashable and hold no one's data: the templates are shared by
    every session of the process."""

    @functools.lru_cache(maxsize=256)
    def written(*args: Any, **kwargs: Any) -> Template:
        chart = build(*args, **kwargs).copy(deep=False)  # type: ignore[attr-defined]
        chart.data = alt.NamedData(name=DATASET)
        return Template(json.dumps(spec(chart)))

    return cast(Callable[P, Template], functools.update_wrapper(written, build))
