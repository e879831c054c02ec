"""The facilitator score: pure functions over per-facilitator components, no database, no
Streamlit, so that the formula is unit-tested and the page can show every step of it.

Raw components per facilitator (computed in SQL from rollup_facilitator_month, each signal
weighted by `quality` = reliability weight x credibility weight):

- agencies: distinct owning agencies that reported it;
- networks: distinct networks served (network of the signals linking it as facilitator);
- volume:   sum over signals of quality x 0.5 ** (age in days / half-life), age relative to the
            end of the selected period (a signal from half a year ago counts half);
- money:    sum over signals of quality x amount in EUR;
- severity: quality-weighted mean severity (1..5).

Normalised to 0..1 against the facilitators the viewer may see in the period: agencies as a
share of the most agencies any facilitator has, networks, volume and money on a log scale
(log(1+x) / log(1+max), heavy tails would otherwise flatten everyone else), severity as
(mean - 1) / 4. Score = 100 x sum(weight x normalised) / sum(weights): 0..100.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

# Europol 4x4 evaluation: how much one signal counts, by source reliability and by information
# credibility. X (reliability cannot be judged) sits between C and D.
RELIABILITY_WEIGHT: dict[str, float] = {"A": 1.0, "B": 0.8, "C": 0.5, "X": 0.4, "D": 0.3}
CREDIBILITY_WEIGHT: dict[int, float] = {1: 1.0, 2: 0.8, 3: 0.5, 4: 0.3}
HALF_LIFE_DAYS = 180
COMPONENTS = ("agencies", "networks", "volume", "money", "severity")
LOG_SCALED = frozenset({"networks", "volume", "money"})


@dataclass(frozen=True)
class Weights:
    """Relative weight of each component (any non-negative numbers; they are normalised)."""

    agencies: float = 0.25
    networks: float = 0.25
    volume: float = 0.20
    money: float = 0.15
    severity: float = 0.15

    def as_dict(self) -> dict[str, float]:
        return {k: max(0.0, float(v)) for k, v in asdict(self).items()}

    @property
    def total(self) -> float:
        return sum(self.as_dict().values())


DEFAULT_WEIGHTS = Weights()


def quality(reliability: str, credibility: int) -> float:
    """How much one signal counts (0..1) given its 4x4 evaluation."""
    return RELIABILITY_WEIGHT[reliability] * CREDIBILITY_WEIGHT[credibility]


def quality_params() -> dict[str, list]:
    """The weights above as bound parameters (rel_codes, rel_w, cred_codes, cred_w) for the SQL
    that weights signals: the facilitator queries and rollup_facilitator_viewer_month."""
    return {
        "rel_codes": list(RELIABILITY_WEIGHT),
        "rel_w": list(RELIABILITY_WEIGHT.values()),
        "cred_codes": list(CREDIBILITY_WEIGHT),
        "cred_w": list(CREDIBILITY_WEIGHT.values()),
    }


def decay(age_days: float | np.ndarray, half_life_days: float = HALF_LIFE_DAYS) -> np.ndarray:
    """0.5 ** (age / half-life); signals after the reference date count fully."""
    age = np.maximum(np.asarray(age_days, dtype=float), 0.0)
    return np.power(0.5, age / float(half_life_days))


def normalise(raw: pd.DataFrame, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """n_<component> in 0..1 for each row of raw, scaled against reference (default: raw)."""
    ref = raw if reference is None else reference
    # numpy on whole columns: the ranking scores three frames per call, and pandas' per-operation
    # overhead was most of its Python time
    cols: dict[str, np.ndarray] = {}
    for comp in COMPONENTS:
        x = np.maximum(_filled(raw[comp]), 0.0)
        if comp == "severity":
            cols[f"n_{comp}"] = np.where(x > 0, np.clip((x - 1.0) / 4.0, 0.0, 1.0), 0.0)
            continue
        top = float(_filled(ref[comp]).max()) if len(ref) else 0.0
        if top <= 0:
            cols[f"n_{comp}"] = np.zeros(len(x))
        elif comp in LOG_SCALED:
            cols[f"n_{comp}"] = np.clip(np.log1p(x) / np.log1p(top), 0.0, 1.0)
        else:
            cols[f"n_{comp}"] = np.clip(x / top, 0.0, 1.0)
    return pd.DataFrame(cols, index=raw.index)


def _filled(column: pd.Series) -> np.ndarray:
    """The column as floats, missing values as 0."""
    x = column.astype(float).to_numpy()
    return np.where(np.isnan(x), 0.0, x)


def score(
    raw: pd.DataFrame, weights: Weights = DEFAULT_WEIGHTS, reference: pd.DataFrame | None = None
) -> pd.DataFrame:
    """raw plus n_<component> (0..1), p_<component> (points it contributes) and score (0..100);
    the points add up to the score, which is what the page shows as the explanation."""
    norm = normalise(raw, reference)
    w = weights.as_dict()
    total = weights.total or 1.0
    points = pd.DataFrame(
        {f"p_{c}": 100.0 * w[c] * norm[f"n_{c}"].to_numpy() / total for c in COMPONENTS},
        index=raw.index,
    )
    out = pd.concat([raw, norm, points], axis=1)
    out["score"] = points.sum(axis=1)
    return out


def rank(scored: pd.DataFrame, group: str = "category") -> pd.DataFrame:
    """rank (overall) and rank_in_category, 1 = highest score; ties broken by entity id so the
    order is the same on every run."""
    out = scored.sort_values(["score", "entity_id"], ascending=[False, True], ignore_index=True)
    out["rank"] = np.arange(1, len(out) + 1)
    # counted over the group's codes alone: grouping the frame copied every column first
    codes, _ = pd.factorize(out[group], use_na_sentinel=False)  # a missing one is a group too
    out["rank_in_category"] = pd.Series(codes).groupby(codes).cumcount().to_numpy() + 1
    return out


def rank_change(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """current plus previous_rank_in_category and rank_change (positive: climbed; NA: not
    ranked in the previous period)."""
    prev = previous.set_index("entity_id")["rank_in_category"] if len(previous) else pd.Series()
    out = current.copy()
    out["previous_rank_in_category"] = out["entity_id"].map(prev).astype("Int64")
    out["rank_change"] = (out["previous_rank_in_category"] - out["rank_in_category"]).astype(
        "Int64"
    )
    return out


def own_share(components: pd.DataFrame, prefix: str = "own_") -> pd.DataFrame:
    """The components restricted to one agency's own data, under the plain component names.

    Severity is a mean, and a subset's mean can exceed the whole's; the own-data severity is
    therefore the full severity scaled by the own share of the weighted volume, so that the
    score on one's own data is never above the score on everything one may see."""
    cols = {f"{prefix}{c}": c for c in COMPONENTS}
    own = components[["entity_id", *cols]].rename(columns=cols)
    full_volume = components["volume"].astype(float).to_numpy()
    share = own["volume"].astype(float).to_numpy() / np.where(full_volume > 0, full_volume, np.nan)
    share = np.where(np.isnan(share), 0.0, share)
    full_severity = _filled(components["severity"])
    own["severity"] = np.where(
        full_severity > 0,
        1.0 + np.maximum(full_severity - 1.0, 0.0) * np.clip(share, 0.0, 1.0),
        0.0,
    )
    return own


def only_through_partners(ranked: pd.DataFrame) -> pd.DataFrame:
    """Facilitators the viewer's agency reported nothing on: visible only through sharing."""
    return ranked[ranked["own_signals"].fillna(0) == 0]
