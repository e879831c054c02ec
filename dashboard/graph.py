"""A small network picture drawn with Altair (no extra graph library): the entity in the centre,
the networks it served on an inner ring, the entities it shares signals with on an outer ring."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

KIND_COLORS = {"entity": "#d62728", "network": "#154273", "linked": "#7f9cbf"}


def layout(
    name: str, networks: pd.DataFrame, linked: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(nodes: id, label, kind, x, y, size; edges: x, y, x2, y2, weight). Pure and
    deterministic: same input, same picture."""
    nodes = [{"id": "e", "label": name, "kind": "entity", "x": 0.0, "y": 0.0, "size": 40.0}]
    edges = []
    rings = (
        ("network", networks.head(10), "code", "signals", 1.0),
        ("linked", linked.head(14), "display_name", "shared_signals", 2.0),
    )
    for kind, frame, label_col, weight_col, radius in rings:
        n = len(frame)
        for i, (label, weight) in enumerate(zip(frame[label_col], frame[weight_col], strict=True)):
            angle = 2 * math.pi * i / max(n, 1) + (
                0.0 if kind == "network" else math.pi / max(n, 1)
            )
            x, y = radius * math.cos(angle), radius * math.sin(angle)
            nodes.append(
                {
                    "id": f"{kind}{i}",
                    "label": str(label),
                    "kind": kind,
                    "x": x,
                    "y": y,
                    "size": 10.0 + 4 * math.sqrt(float(weight)),
                }
            )
            edges.append({"x": 0.0, "y": 0.0, "x2": x, "y2": y, "weight": float(weight)})
    return pd.DataFrame(nodes), pd.DataFrame(edges, columns=["x", "y", "x2", "y2", "weight"])


def network_chart(
    nodes: pd.DataFrame, edges: pd.DataFrame, kind_labels: dict[str, str]
) -> alt.Chart:
    nodes = nodes.assign(kind_label=nodes["kind"].map(kind_labels))
    axis = alt.Axis(labels=False, ticks=False, grid=False, domain=False, title=None)
    scale = alt.Scale(domain=[-2.6, 2.6])
    lines = (
        alt.Chart(edges)
        .mark_rule(color="#b0b7c3")
        .encode(
            x=alt.X("x:Q", axis=axis, scale=scale),
            y=alt.Y("y:Q", axis=axis, scale=scale),
            x2="x2:Q",
            y2="y2:Q",
            strokeWidth=alt.StrokeWidth("weight:Q", legend=None, scale=alt.Scale(range=[0.5, 5])),
        )
    )
    dots = (
        alt.Chart(nodes)
        .mark_circle(opacity=0.95)
        .encode(
            x=alt.X("x:Q", axis=axis, scale=scale),
            y=alt.Y("y:Q", axis=axis, scale=scale),
            size=alt.Size("size:Q", legend=None, scale=alt.Scale(range=[60, 900])),
            color=alt.Color(
                "kind_label:N",
                title=None,
                scale=alt.Scale(
                    domain=[kind_labels[k] for k in KIND_COLORS],
                    range=list(KIND_COLORS.values()),
                ),
            ),
            tooltip=[alt.Tooltip("label:N", title=""), alt.Tooltip("kind_label:N", title="")],
        )
    )
    text = alt.Chart(nodes).mark_text(dy=-14, fontSize=10).encode(x="x:Q", y="y:Q", text="label:N")
    return (lines + dots + text).properties(height=460)
