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

from collections.abc import Mapping
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


# A frame's columns or a dict of arrays: the frame functions below and `ranking`, which keeps its
# columns as arrays between the steps, share one implementation of each step.
Columns = pd.DataFrame | Mapping[str, np.ndarray]


def normalise(raw: pd.DataFrame, reference: pd.DataFrame | None = None) -> pd.DataFrame:
    """n_<component> in 0..1 for each row of raw, scaled against reference (default: raw)."""
    return pd.DataFrame(_normalised(raw, reference), index=raw.index)


def _normalised(raw: Columns, reference: Columns | None = None) -> dict[str, np.ndarray]:
    ref = raw if reference is None else reference
    # numpy on whole columns: the ranking scores three frames per call, and pandas' per-operation
    # overhead was most of its Python time
    cols: dict[str, np.ndarray] = {}
    for comp in COMPONENTS:
        x = np.maximum(_filled(raw[comp]), 0.0)
        if comp == "severity":
            cols[f"n_{comp}"] = np.where(x > 0, np.clip((x - 1.0) / 4.0, 0.0, 1.0), 0.0)
            continue
        top = float(_filled(ref[comp]).max()) if len(ref[comp]) else 0.0
        if top <= 0:
            cols[f"n_{comp}"] = np.zeros(len(x))
        elif comp in LOG_SCALED:
            cols[f"n_{comp}"] = np.clip(np.log1p(x) / np.log1p(top), 0.0, 1.0)
        else:
            cols[f"n_{comp}"] = np.clip(x / top, 0.0, 1.0)
    return cols


def _filled(column: pd.Series | np.ndarray) -> np.ndarray:
    """The column as floats, missing values as 0."""
    x = column.astype(float).to_numpy() if isinstance(column, pd.Series) else column.astype(float)
    return np.where(np.isnan(x), 0.0, x)


def score(
    raw: pd.DataFrame, weights: Weights = DEFAULT_WEIGHTS, reference: pd.DataFrame | None = None
) -> pd.DataFrame:
    """raw plus n_<component> (0..1), p_<component> (points it contributes) and score (0..100);
    the points add up to the score, which is what the page shows as the explanation."""
    scored = _scored(raw, weights, reference)
    total = scored.pop("score")
    out = pd.concat([raw, pd.DataFrame(scored, index=raw.index)], axis=1)
    out["score"] = total
    return out


def _scored(
    raw: Columns, weights: Weights, reference: Columns | None = None
) -> dict[str, np.ndarray]:
    """n_<component>, p_<component> and score of `score`, as arrays."""
    out = _normalised(raw, reference)
    w = weights.as_dict()
    total = weights.total or 1.0
    points = {f"p_{c}": 100.0 * w[c] * out[f"n_{c}"] / total for c in COMPONENTS}
    out |= points
    # summed in the components' order, as pandas summed the points' columns
    out["score"] = np.vstack(list(points.values())).sum(axis=0)
    return out


def rank(scored: pd.DataFrame, group: str = "category") -> pd.DataFrame:
    """rank (overall) and rank_in_category, 1 = highest score; ties broken by entity id so the
    order is the same on every run."""
    order, in_group = _ranked(scored["score"], scored["entity_id"], scored[group])
    out = scored.take(order).reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["rank_in_category"] = in_group
    return out


def _ranked(
    score: pd.Series | np.ndarray, entity_id: pd.Series | np.ndarray, group: pd.Series | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The rows in rank order (highest score first, then the lowest entity id), and each row's
    rank within its group in that order (a missing group is a group too)."""
    order = np.lexsort((np.asarray(entity_id), -np.asarray(score, dtype=float)))
    codes, _ = pd.factorize(np.asarray(group, dtype=object)[order], use_na_sentinel=False)
    # the rows grouped (stably, so in rank order within a group), each counted from its group's
    # first row
    by_group = np.argsort(codes, kind="stable")
    grouped = codes[by_group]
    first = np.flatnonzero(np.r_[True, grouped[1:] != grouped[:-1]])
    sizes = np.diff(np.r_[first, len(grouped)])
    in_group = np.empty(len(codes), dtype=np.int64)
    in_group[by_group] = np.arange(len(codes)) - np.repeat(first, sizes) + 1
    return order, in_group


def rank_change(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """current plus previous_rank_in_category and rank_change (positive: climbed; NA: not
    ranked in the previous period)."""
    out = current.copy()
    if len(previous):
        before = _previous_ranks(
            out["entity_id"], previous["entity_id"], previous["rank_in_category"]
        )
    else:
        before = _previous_ranks(out["entity_id"], np.array([]), np.array([]))
    out["previous_rank_in_category"] = before
    out["rank_change"] = before - out["rank_in_category"].to_numpy()
    return out


def _previous_ranks(
    entity_id: pd.Series | np.ndarray,
    previous_id: pd.Series | np.ndarray,
    previous_rank: pd.Series | np.ndarray,
) -> pd.arrays.IntegerArray:
    """Each entity's rank in the previous period (Int64, NA where it had none)."""
    if not len(previous_id):
        return pd.arrays.IntegerArray(
            np.zeros(len(entity_id), np.int64), np.ones(len(entity_id), bool)
        )
    at = pd.Index(np.asarray(previous_id)).get_indexer(np.asarray(entity_id))
    ranks = np.asarray(previous_rank, dtype="int64")[np.maximum(at, 0)]
    return pd.arrays.IntegerArray(ranks, at < 0)


def own_share(components: pd.DataFrame, prefix: str = "own_") -> pd.DataFrame:
    """The components restricted to one agency's own data, under the plain component names.

    Severity is a mean, and a subset's mean can exceed the whole's; the own-data severity is
    therefore the full severity scaled by the own share of the weighted volume, so that the
    score on one's own data is never above the score on everything one may see."""
    own = components[["entity_id", *(f"{prefix}{c}" for c in COMPONENTS)]]
    own = own.rename(columns={f"{prefix}{c}": c for c in COMPONENTS})
    own["severity"] = _own_severity(components, prefix)
    return own


def _own_severity(components: Columns, prefix: str = "own_") -> np.ndarray:
    full_volume = _filled(components["volume"])
    own_volume = _filled(components[f"{prefix}volume"])
    share = own_volume / np.where(full_volume > 0, full_volume, np.nan)
    share = np.where(np.isnan(share), 0.0, share)
    full_severity = _filled(components["severity"])
    return np.where(
        full_severity > 0,
        1.0 + np.maximum(full_severity - 1.0, 0.0) * np.clip(share, 0.0, 1.0),
        0.0,
    )


def ranking(current: pd.DataFrame, before: pd.DataFrame, weights: Weights) -> pd.DataFrame:
    """The facilitators of `current` (raw and own_ components) scored, ranked, with the score on
    their own agency's data (own_score) and the rank change against `before` (the previous
    period's components): `rank_change(rank(score(current)) + own_score, rank(score(before)))`,
    each step on arrays and the frame built once (the steps as frames took ~50 ms for a year
    of one region at 10M signals on a slow machine, on every filter change)."""
    now = _arrays(current)
    scored = _scored(now, weights)
    order, in_category = _ranked(scored["score"], now["entity_id"], now["category"])
    out = current.take(order).reset_index(drop=True)
    columns = {name: values[order] for name, values in scored.items()}
    own = {c: now[f"own_{c}"][order] for c in COMPONENTS}
    own["severity"] = _own_severity(
        {c: now[c][order] for c in ("volume", "own_volume", "severity")}
    )
    columns["own_score"] = _scored(own, weights, reference=now)["score"]
    columns["rank"] = np.arange(1, len(out) + 1)
    columns["rank_in_category"] = in_category
    previous_id, previous_rank = np.array([], np.int64), np.array([], np.int64)
    if len(before):
        then = _arrays(before, own=False)
        at, previous_rank = _ranked(
            _scored(then, weights)["score"], then["entity_id"], then["category"]
        )
        previous_id = then["entity_id"][at]
    previous = _previous_ranks(now["entity_id"][order], previous_id, previous_rank)
    columns["previous_rank_in_category"] = previous
    columns["rank_change"] = previous - in_category
    return pd.concat([out, pd.DataFrame(columns)], axis=1)


def _arrays(components: pd.DataFrame, *, own: bool = True) -> dict[str, np.ndarray]:
    """The columns `ranking` reads, once each: the components (and own_ ones) as floats with
    missing values as 0, entity_id and category as they are."""
    names = [*COMPONENTS, *(f"own_{c}" for c in COMPONENTS)] if own else COMPONENTS
    arrays = {c: _filled(components[c]) for c in names}
    arrays["entity_id"] = components["entity_id"].to_numpy()
    arrays["category"] = components["category"].to_numpy(dtype=object)
    return arrays


def only_through_partners(ranked: pd.DataFrame) -> pd.DataFrame:
    """Facilitators the viewer's agency reported nothing on: visible only through sharing."""
    return ranked[ranked["own_signals"].fillna(0) == 0]
