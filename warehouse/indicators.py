"""The catalogue of corruption and violence indicators, and what the indicator view derives from
their scored monthly series (pure: frames in, frames out). Each indicator is a set of phenomenon
codes (seed/reference.py PHENOMENA); its definition is written out in Dutch and English, because
the same words appear on screen, in briefings and in exports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Indicator:
    code: str
    phenomena: tuple[str, ...]
    name_nl: str
    name_en: str
    definition_nl: str
    definition_en: str

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_nl

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_nl


VIOLENCE: tuple[str, ...] = (
    "VIO_EXPLOSION",
    "VIO_LIQUIDATION",
    "VIO_SHOOTING",
    "VIO_THREAT_OFFICIAL",
    "VIO_INTIMIDATION",
)
CORRUPTION = ("COR_PORT_INSIDER", "COR_AIRPORT_INSIDER", "COR_LEAK", "COR_BRIBERY", "COR_PRIVATE")

INDICATORS: tuple[Indicator, ...] = (
    Indicator(
        "violence",
        VIOLENCE,
        "Geweld (alle vormen)",
        "Violence (all forms)",
        "Signalen van explosies, liquidaties, schietincidenten, bedreiging van ambtsdragers en "
        "intimidatie of afpersing samen.",
        "Signals of explosive attacks, liquidations, shootings, threats against officials and "
        "intimidation or extortion together.",
    ),
    Indicator(
        "explosions",
        ("VIO_EXPLOSION",),
        "Explosies",
        "Explosive attacks",
        "Aanslagen en pogingen met explosieven (meestal zwaar vuurwerk) op woningen en bedrijven.",
        "Attacks and attempts with explosives (mostly heavy fireworks) on homes and businesses.",
    ),
    Indicator(
        "lethal",
        ("VIO_LIQUIDATION", "VIO_SHOOTING"),
        "Liquidaties en schietincidenten",
        "Liquidations and shootings",
        "Liquidaties (en pogingen daartoe) en schietincidenten in het criminele milieu.",
        "Liquidations (and attempts) and shootings in the criminal milieu.",
    ),
    Indicator(
        "threats",
        ("VIO_THREAT_OFFICIAL",),
        "Bedreiging van ambtsdragers",
        "Threats against officials",
        "Bedreiging van burgemeesters, raadsleden, advocaten, officieren van justitie, "
        "journalisten en andere ambtsdragers.",
        "Threats against mayors, councillors, lawyers, prosecutors, journalists and other "
        "officials.",
    ),
    Indicator(
        "intimidation",
        ("VIO_INTIMIDATION",),
        "Intimidatie en afpersing",
        "Intimidation and extortion",
        "Intimidatie en afpersing van ondernemers, getuigen en bewoners.",
        "Intimidation and extortion of business owners, witnesses and residents.",
    ),
    Indicator(
        "corruption",
        CORRUPTION,
        "Corruptie (alle vormen)",
        "Corruption (all forms)",
        "Signalen van corrupte insiders in havens en op luchthavens, lekken van vertrouwelijke "
        "informatie, omkoping en niet-publieke corruptie samen.",
        "Signals of corrupt insiders at ports and airports, leaks of confidential information, "
        "bribery and private-sector corruption together.",
    ),
    Indicator(
        "insiders",
        ("COR_PORT_INSIDER", "COR_AIRPORT_INSIDER"),
        "Insiders in havens en luchthavens",
        "Port and airport insiders",
        "Medewerkers van terminals, vervoerders of luchthavens die smokkel faciliteren "
        "(toegang, informatie, het wegzetten van containers).",
        "Staff of terminals, carriers or airports facilitating smuggling (access, information, "
        "moving containers).",
    ),
    Indicator(
        "leaks",
        ("COR_LEAK",),
        "Lekken van vertrouwelijke informatie",
        "Leaks of confidential information",
        "Het doorspelen van vertrouwelijke informatie uit overheidssystemen aan criminelen.",
        "Passing confidential information from government systems to criminals.",
    ),
    Indicator(
        "bribery",
        ("COR_BRIBERY",),
        "Omkoping",
        "Bribery",
        "Het aanbieden of aannemen van steekpenningen door of aan ambtenaren en medewerkers.",
        "Offering or accepting bribes by or to officials and employees.",
    ),
)
BY_CODE = {i.code: i for i in INDICATORS}


def catalogue_pairs() -> tuple[list[str], list[str]]:
    """(indicator codes, phenomenon codes), one pair per membership, for a bound-array join."""
    pairs = [(i.code, p) for i in INDICATORS for p in i.phenomena]
    return [a for a, _ in pairs], [b for _, b in pairs]


def current_month(series: pd.DataFrame) -> dt.date | None:
    """The last month of the scored window."""
    # one column, not the frame: indexing every (Arrow) string column cost per page view
    shown = series.loc[series["in_window"].astype(bool), "month"]
    return shown.max() if not shown.empty else None


def anomaly_list(series: pd.DataFrame) -> pd.DataFrame:
    """The flagged region-months of the current month, across indicators, most significant
    first (ties: the larger excess over expected)."""
    month = current_month(series)
    flagged = series[(series["month"] == month) & series["flagged"]].copy()
    flagged["excess"] = flagged["count"] - flagged["expected"]
    return flagged.sort_values(
        ["significance", "excess"], ascending=[False, False], ignore_index=True
    )


def kpi_table(series: pd.DataFrame) -> pd.DataFrame:
    """Per indicator: the current month over all shown regions, the month before (the last
    month before it with figures for the indicator), the change, the same month a year earlier,
    and how many regions are flagged now."""
    month = current_month(series)
    year = _shift(month, -12)
    # one grouping for every indicator: selecting each indicator's rows of the frame took the
    # larger part of the indicators page's own time
    sums: dict[tuple[str, dt.date | None], float] = (
        series.groupby(["indicator", "month"])["count"].sum(min_count=1).to_dict()  # type: ignore[assignment]
    )
    months: dict[str, list[dt.date | None]] = {}
    for code, m in sums:  # sorted by indicator, then month
        months.setdefault(code, []).append(m)
    now_flagged = (series["month"] == month) & series["flagged"].astype(bool)
    flagged = series.loc[now_flagged, "indicator"].value_counts().to_dict()
    rows = []
    for ind in INDICATORS:
        seen = months.get(ind.code, [])
        at = seen.index(month) if month in seen else 0
        before = seen[at - 1] if at > 0 else None
        rows.append(
            {
                "indicator": ind.code,
                "current": sums.get((ind.code, month), np.nan),
                "previous": np.nan if before is None else sums.get((ind.code, before), np.nan),
                "year_ago": sums.get((ind.code, year), np.nan),
                "flagged_regions": int(flagged.get(ind.code, 0)),
            }
        )
    out = pd.DataFrame(rows)
    out["change"] = out["current"] - out["previous"]
    return out


def _shift(month: dt.date | None, months: int) -> dt.date | None:
    if month is None:
        return None
    return (pd.Timestamp(month) + pd.DateOffset(months=months)).date()
