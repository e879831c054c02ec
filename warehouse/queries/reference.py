"""Choices for the shared filters: regions, municipalities, phenomena, agencies, handling codes
and the months the viewer has data for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection, text

from warehouse.models import HANDLING_CODES
from warehouse.periods import month_range
from warehouse.queries.frames import frame
from warehouse.viewer import Viewer


@dataclass(frozen=True)
class Options:
    regions: pd.DataFrame  # code, name
    municipalities: pd.DataFrame  # gm_code, name, region_code
    phenomena: pd.DataFrame  # code, category, name_nl, name_en
    agencies: pd.DataFrame  # code, name_nl, name_en
    handling: tuple[str, ...]
    first_month: dt.date | None
    last_month: dt.date | None

    def months(self) -> list[dt.date]:
        if not self.first_month or not self.last_month:
            return []
        return month_range(self.first_month, self.last_month)


def _frame(conn: Connection, sql: str) -> pd.DataFrame:
    return frame(conn.execute(text(sql)))


def filter_options(*, conn: Connection, viewer: Viewer) -> Options:
    span = conn.execute(
        text("select min(month) as a, max(month) as b from rollup_viewer_month")
    ).one()
    return Options(
        regions=_frame(conn, "select code, name from riec_region order by name"),
        municipalities=_frame(
            conn, "select gm_code, name, region_code from municipality order by name"
        ),
        phenomena=_frame(
            conn, "select code, category, name_nl, name_en from phenomenon order by category, code"
        ),
        agencies=_frame(conn, "select code, name_nl, name_en from agency order by bit"),
        handling=HANDLING_CODES,
        first_month=span.a,
        last_month=span.b,
    )
