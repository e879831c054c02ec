"""The facilitators page's charts as templates (dashboard/charts.py): the sharing lens (the
score on the agency's own data beside the score on everything visible) and the score explained
(the points of each component). Both sort their bars by the field `order` of the rows: the
spec stays the same from one rerun to the next, and the browser swaps the rows instead of
drawing the chart anew."""

from __future__ import annotations

import altair as alt

from dashboard import charts
from dashboard.i18n import t

IN_ORDER = alt.EncodingSortField(field="order", op="min")


@charts.template
def lens_template(lang: str) -> alt.Chart:
    """Rows: name, order, score, data (the label `own_data` or `all_visible`)."""
    own, everything = t("own_data", lang), t("all_visible", lang)
    return (
        alt.Chart()
        .mark_bar()
        .encode(
            y=alt.Y("name:N", sort=IN_ORDER, title=None),
            x=alt.X("score:Q", title=t("score", lang), scale=alt.Scale(domain=[0, 100])),
            yOffset=alt.YOffset("data:N", sort=[own, everything]),
            color=alt.Color(
                "data:N",
                title=None,
                scale=alt.Scale(domain=[own, everything], range=["#9bb7d4", "#154273"]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=t("facilitator", lang)),
                alt.Tooltip("data:N", title=t("data_basis", lang)),
                alt.Tooltip("score:Q", title=t("score", lang), format=".1f"),
            ],
        )
        .properties(height=420)
    )


@charts.template
def points_template(lang: str) -> alt.Chart:
    """Rows: display_name, order, component (its label), points."""
    return (
        alt.Chart()
        .mark_bar()
        .encode(
            y=alt.Y("display_name:N", sort=IN_ORDER, title=None),
            x=alt.X("sum(points):Q", title=t("score", lang)),
            color=alt.Color("component:N", title=t("component", lang)),
            tooltip=[
                alt.Tooltip("display_name:N", title=t("facilitator", lang)),
                alt.Tooltip("component:N", title=t("component", lang)),
                alt.Tooltip("points:Q", title=t("points", lang), format=".1f"),
            ],
        )
        .properties(height=380)
    )
