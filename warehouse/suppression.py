"""Small-cell suppression for aggregates released to viewers who may not see the rows behind
them (managers): counts under k become "< k", and the cell's other measures are withheld."""

from __future__ import annotations

import pandas as pd

from warehouse.viewer import Viewer


def needs_suppression(viewer: Viewer) -> bool:
    return not viewer.sees_rows


def suppress(
    df: pd.DataFrame, *, count: str, measures: tuple[str, ...] = (), k: int
) -> pd.DataFrame:
    """Return a copy where rows with 0 < count < k have count and measures set to NA and
    `suppressed` True. Zero cells stay zero: an empty cell reveals no one."""
    out = df.copy()
    small = (out[count] > 0) & (out[count] < k)
    out["suppressed"] = small
    for col in (count, *measures):
        out[col] = out[col].astype("Float64").mask(small)
    return out
