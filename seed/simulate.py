"""The signal generator: vectorised draws of signals and their entity links, chunk by chunk.

Each chunk draws from its own generator spawned from (seed, chunk number), so the same seed
gives the same rows whatever the chunk size of the consumer and on every machine."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from seed.profiles import CREDIBILITY, PROFILES, RELIABILITY
from seed.reference import PHENOMENA, Municipality, Node
from seed.world import PERIOD_END, PERIOD_START, World

CHUNK = 250_000


def months() -> list[dt.date]:
    out, d = [], PERIOD_START
    while d <= PERIOD_END:
        out.append(d)
        d = dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _season(kind: str, month: int) -> float:
    if kind == "newyear":  # heavy fireworks around the turn of the year
        return {12: 1.8, 1: 1.6, 11: 1.2}.get(month, 0.9)
    if kind == "summer":
        return 1.0 + 0.3 * np.cos((month - 7) / 12 * 2 * np.pi)
    return 1.0 + 0.08 * np.sin((month - 3) / 12 * 2 * np.pi)


def _probs(weights: Mapping[str, float], codes: list[str]) -> np.ndarray:
    w = np.array([float(weights.get(c, 0.0)) for c in codes])
    return w / w.sum()


@dataclass
class Context:
    """Everything the per-chunk draws need, precomputed once."""

    world: World
    agencies: tuple[str, ...]
    agency_masks: np.ndarray
    agency_focus: dict[str, tuple[str, ...]]
    municipalities: tuple[Municipality, ...]
    nodes: tuple[Node, ...]
    seed: int

    def __post_init__(self) -> None:
        self.phen = np.array([p.code for p in PHENOMENA])
        self.category = np.array([p.category for p in PHENOMENA])
        self.profiles = [PROFILES[p.code] for p in PHENOMENA]
        self.phen_p = _probs({p.code: PROFILES[p.code].weight for p in PHENOMENA}, list(self.phen))
        self.months = months()
        self.month_days = np.array(
            [
                ((m.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - m).days
                for m in self.months
            ]
        )
        self.month_p = np.array(
            [
                [
                    pr.trend[m.year - PERIOD_START.year] * _season(pr.season, m.month)
                    for m in self.months
                ]
                for pr in self.profiles
            ]
        )
        self.month_p /= self.month_p.sum(axis=1, keepdims=True)
        self.gm = np.array([m.gm_code for m in self.municipalities])
        self.gm_lat = np.array([m.lat for m in self.municipalities])
        self.gm_lon = np.array([m.lon for m in self.municipalities])
        self.gm_region = np.array([m.region_code for m in self.municipalities])
        self.city_p = np.array(
            [
                _probs({g: pr.cities.get(g, 1.0) for g in self.gm}, list(self.gm))
                for pr in self.profiles
            ]
        )
        self.node = np.array([n.code for n in self.nodes])
        self.node_lat = np.array([n.lat for n in self.nodes])
        self.node_lon = np.array([n.lon for n in self.nodes])
        gm_index = {g: i for i, g in enumerate(self.gm)}
        self.node_gm = np.array([gm_index.get(n.municipality_code or "", -1) for n in self.nodes])
        self.all_mask = int(self.agency_masks.sum())
        cats = sorted(set(self.category))
        self.owner_p = {
            c: _probs(
                {a: 5.0 if c in self.agency_focus.get(a, ()) else 0.4 for a in self.agencies},
                list(self.agencies),
            )
            for c in cats
        }
        self._index_world()

    def _index_world(self) -> None:
        """Per-network member lists as CSR arrays (offsets into entity ids sorted by network)."""
        n_networks = int(self.world.networks["id"].max()) + 1
        self.csr: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        pairs = {**self.world.members, "facilitator": self.world.network_facilitators}
        for kind, arr in pairs.items():
            order = np.argsort(arr[:, 0], kind="stable")
            nets, ents = arr[order, 0], arr[order, 1]
            counts = np.bincount(nets, minlength=n_networks)
            offsets = np.concatenate([[0], np.cumsum(counts)[:-1]])
            self.csr[kind] = (offsets, counts, ents)
        self.region_networks = {
            r: g["id"].to_numpy() for r, g in self.world.networks.groupby("region_code")
        }


def generate(ctx: Context, n_signals: int) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Yield (signals, links) chunks; signal ids run from 1 to n_signals."""
    for chunk_no, start in enumerate(range(0, n_signals, CHUNK)):
        n = min(CHUNK, n_signals - start)
        rng = np.random.default_rng(np.random.SeedSequence(ctx.seed, spawn_key=(1, chunk_no)))
        signals = draw_signals(ctx, rng, n, first_id=start + 1)
        yield signals, draw_links(ctx, rng, signals)


@dataclass(frozen=True)
class Fixed:
    """Draws a planted pattern pins down instead of leaving them to chance (indexes into the
    context's phenomenon, month, municipality and node arrays)."""

    phenomenon: np.ndarray | None = None
    month: np.ndarray | None = None
    gm: np.ndarray | None = None
    node: np.ndarray | None = None
    origin: np.ndarray | None = None


def draw_signals(
    ctx: Context, rng: np.random.Generator, n: int, *, first_id: int, fixed: Fixed = Fixed()
) -> pd.DataFrame:
    p = (
        fixed.phenomenon
        if fixed.phenomenon is not None
        else rng.choice(len(ctx.phen), n, p=ctx.phen_p)
    )
    df = pd.DataFrame({"id": np.arange(first_id, first_id + n, dtype=np.int64)})
    df["phenomenon_code"] = ctx.phen[p]
    cat = ctx.category[p]
    month = np.empty(n, dtype=np.int64)
    gm_i = np.full(n, -1, dtype=np.int64)
    node_i = np.full(n, -1, dtype=np.int64)
    origin_i = np.full(n, -1, dtype=np.int64)
    amount = np.full(n, np.nan)
    kg = np.full(n, np.nan)
    severity = np.empty(n, dtype=np.int64)
    network_share = np.empty(n)
    for k, pr in enumerate(ctx.profiles):
        idx = np.flatnonzero(p == k)
        if idx.size == 0:
            continue
        month[idx] = rng.choice(len(ctx.months), idx.size, p=ctx.month_p[k])
        if pr.nodes:
            node_i[idx] = rng.choice(len(ctx.node), idx.size, p=_probs(pr.nodes, list(ctx.node)))
            gm_i[idx] = ctx.node_gm[node_i[idx]]
            if pr.origins:
                at_sea = np.isin(ctx.node[node_i[idx]], [c for c in pr.nodes if c.startswith("NL")])
                drawn = rng.choice(len(ctx.node), idx.size, p=_probs(pr.origins, list(ctx.node)))
                origin_i[idx] = np.where(at_sea, drawn, -1)
        else:
            gm_i[idx] = rng.choice(len(ctx.gm), idx.size, p=ctx.city_p[k])
        if pr.amount:
            median, sigma = pr.amount
            amount[idx] = np.round(median * rng.lognormal(0.0, sigma, idx.size), 2)
        if pr.kg:
            # Most finds are small, a few are tons: a Pareto tail above a lognormal body.
            body = rng.lognormal(np.log(35), 1.0, idx.size)
            tail = (rng.pareto(1.1, idx.size) + 1) * 300
            kg[idx] = np.round(
                np.minimum(np.where(rng.random(idx.size) < 0.15, tail, body), 8_000), 3
            )
        severity[idx] = pr.severity
        network_share[idx] = pr.network_share
    if fixed.month is not None:
        month = fixed.month
    if fixed.node is not None:
        node_i, gm_i = fixed.node, ctx.node_gm[fixed.node]
    elif fixed.gm is not None:
        node_i, gm_i = np.full(n, -1, dtype=np.int64), fixed.gm
    if fixed.origin is not None:
        origin_i = fixed.origin
    big = kg > 500
    severity = np.clip(severity + rng.integers(-1, 2, n) + big, 1, 5)

    day = (rng.random(n) * ctx.month_days[month]).astype(np.int64)
    starts = np.array(ctx.months, dtype="datetime64[D]")[month]
    observed = starts + day.astype("timedelta64[D]")
    df["observed_on"] = observed
    lag_days = np.minimum(rng.exponential(6.0, n), 90).astype(np.int64)
    violence = np.char.startswith(df["phenomenon_code"].to_numpy().astype(str), "VIO_")
    lag_days = np.where(violence & (rng.random(n) < 0.8), 0, lag_days)  # reported the same night
    night = (df["phenomenon_code"].to_numpy() == "VIO_EXPLOSION") & (rng.random(n) < 0.55)
    hour = np.where(night, rng.integers(2, 5, n), rng.integers(7, 19, n))
    seconds = hour * 3600 + rng.integers(0, 3600, n)
    # Hours are drawn in Dutch local time and stored in UTC (CET, one hour behind, is close enough).
    local = (observed + lag_days.astype("timedelta64[D]")).astype("datetime64[s]") + seconds.astype(
        "timedelta64[s]"
    )
    df["reported_at"] = pd.to_datetime(local - np.timedelta64(3600, "s")).tz_localize("UTC")

    _place(ctx, rng, df, gm_i, node_i, origin_i)
    df["amount_eur"] = amount
    df["quantity_kg"] = kg
    df["severity"] = severity
    df["reliability"] = rng.choice([r for r, _ in RELIABILITY], n, p=[w for _, w in RELIABILITY])
    df["credibility"] = rng.choice([c for c, _ in CREDIBILITY], n, p=[w for _, w in CREDIBILITY])
    _owner_and_audience(ctx, rng, df, cat)
    _networks(ctx, rng, df, network_share)
    return df


def _place(
    ctx: Context,
    rng: np.random.Generator,
    df: pd.DataFrame,
    gm_i: np.ndarray,
    node_i: np.ndarray,
    origin_i: np.ndarray,
) -> None:
    n = len(df)
    at_node = node_i >= 0
    lat = np.where(at_node, ctx.node_lat[node_i], ctx.gm_lat[gm_i]) + rng.normal(0, 0.015, n)
    lon = np.where(at_node, ctx.node_lon[node_i], ctx.gm_lon[gm_i]) + rng.normal(0, 0.022, n)
    df["lat"] = np.round(lat, 5)
    df["lon"] = np.round(lon, 5)
    df["municipality_code"] = _lookup(ctx.gm, gm_i)
    df["node_code"] = _lookup(ctx.node, node_i)
    df["origin_node_code"] = _lookup(ctx.node, origin_i)
    df["region_code"] = _lookup(ctx.gm_region, gm_i)


def _lookup(codes: np.ndarray, index: np.ndarray) -> np.ndarray:
    """codes[index], with None where the index is -1 (no such place)."""
    out = codes[np.maximum(index, 0)].astype(object)
    out[index < 0] = None
    return out


def _owner_and_audience(
    ctx: Context, rng: np.random.Generator, df: pd.DataFrame, cat: np.ndarray
) -> None:
    n = len(df)
    owner = np.empty(n, dtype=np.int64)
    for c, probs in ctx.owner_p.items():
        idx = np.flatnonzero(cat == c)
        owner[idx] = rng.choice(len(ctx.agencies), idx.size, p=probs)
    df["owner_agency"] = np.array(ctx.agencies)[owner]
    year = df["observed_on"].dt.year.to_numpy()
    df["source_ref"] = [
        f"{a[:4].upper()}-{y}-{i:09d}"
        for a, y, i in zip(df["owner_agency"], year, df["id"], strict=True)
    ]
    owner_mask = ctx.agency_masks[owner]
    # Most signals go to all partners, some stay with the owner, some are bilateral or a group.
    mode = rng.choice(4, n, p=[0.65, 0.12, 0.13, 0.10])
    other1 = ctx.agency_masks[rng.integers(0, len(ctx.agencies), n)]
    other2 = ctx.agency_masks[rng.integers(0, len(ctx.agencies), n)]
    audience = np.select(
        [mode == 0, mode == 1, mode == 2],
        [ctx.all_mask, owner_mask, owner_mask | other1],
        owner_mask | other1 | other2,
    )
    df["audience_mask"] = audience.astype(np.int64)
    u = rng.random(n)
    shared_all = np.select([u < 0.6, u < 0.9], ["H0", "H1"], "H2")
    owner_only = np.where(u < 0.4, "H2", "H3")
    limited = np.select([u < 0.4, u < 0.8], ["H1", "H2"], "H3")
    df["handling_code"] = np.select([mode == 0, mode == 1], [shared_all, owner_only], limited)


def _networks(ctx: Context, rng: np.random.Generator, df: pd.DataFrame, share: np.ndarray) -> None:
    n = len(df)
    attributed = rng.random(n) < share
    all_ids = ctx.world.networks["id"].to_numpy()
    network = all_ids[rng.integers(0, len(all_ids), n)]
    local = attributed & (rng.random(n) < 0.7)
    region = df["region_code"].to_numpy()
    for r, ids in ctx.region_networks.items():
        idx = np.flatnonzero(local & (region == r))
        network[idx] = ids[rng.integers(0, len(ids), idx.size)]
    df["network_id"] = pd.array(np.where(attributed, network, 0), dtype="Int64").astype("Int64")
    df.loc[~attributed, "network_id"] = pd.NA


def _from_network(
    ctx: Context, rng: np.random.Generator, kind: str, networks: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """One random member of `kind` per network; returns (row mask with a member, entity ids)."""
    offsets, counts, ents = ctx.csr[kind]
    c = counts[networks]
    has = c > 0
    pick = offsets[networks] + (rng.random(networks.size) * np.maximum(c, 1)).astype(np.int64)
    return has, ents[np.where(has, pick, 0)]


def draw_links(ctx: Context, rng: np.random.Generator, signals: pd.DataFrame) -> pd.DataFrame:
    n = len(signals)
    sid = signals["id"].to_numpy()
    phen = signals["phenomenon_code"].to_numpy()
    cat = np.array([c.split("_")[0] for c in phen])
    nw = signals["network_id"].fillna(0).to_numpy(dtype=np.int64)
    attributed = nw > 0
    insider = np.isin(phen, ["COR_PORT_INSIDER", "COR_AIRPORT_INSIDER"])
    money = cat == "ML"
    facilitation = cat == "FAC"
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray | str]] = []

    def add(mask: np.ndarray, entities: np.ndarray, role: np.ndarray | str) -> None:
        parts.append(
            (sid[mask], entities[mask], role[mask] if isinstance(role, np.ndarray) else role)
        )

    person_role = np.where(insider, "insider", "suspect")
    for draw in range(2):
        want = attributed & (rng.random(n) < (1.0 if draw == 0 else 0.4))
        has, ent = _from_network(ctx, rng, "person", nw)
        add(want & has, ent, person_role)
    network_draws: tuple[tuple[str, np.ndarray, str], ...] = (
        ("company", np.where(facilitation, 0.2, 0.3), "involved"),
        ("account", np.where(money, 0.6, 0.1), "account_holder"),
        ("facilitator", np.select([facilitation, money], [0.85, 0.25], 0.1), "facilitator"),
    )
    for kind, prob, network_role in network_draws:
        want = attributed & (rng.random(n) < prob)
        has, ent = _from_network(ctx, rng, kind, nw)
        add(want & has, ent, network_role)

    loose = ctx.world.loose
    lone = ~attributed
    loose_draws: tuple[tuple[str, np.ndarray, np.ndarray | str], ...] = (
        ("person", np.full(n, 0.5), person_role),
        ("account", np.where(money, 0.5, 0.05), "account_holder"),
        ("company", np.where(cat == "FRD", 0.5, 0.05), "involved"),
    )
    for kind, prob, role in loose_draws:
        ent = loose[kind][rng.integers(0, len(loose[kind]), n)]
        add(lone & (rng.random(n) < prob), ent, role)
    fac = ctx.world.facilitator_ids[rng.integers(0, len(ctx.world.facilitator_ids), n)]
    add(lone & facilitation, fac, "facilitator")
    vessel = ctx.world.vessel_ids[rng.integers(0, len(ctx.world.vessel_ids), n)]
    add(
        (phen == "DRG_COCAINE_IMPORT")
        & signals["origin_node_code"].notna().to_numpy()
        & (rng.random(n) < 0.4),
        vessel,
        "carrier",
    )

    links = pd.DataFrame(
        {
            "signal_id": np.concatenate([p[0] for p in parts]),
            "entity_id": np.concatenate([p[1] for p in parts]),
            "role": np.concatenate([np.broadcast_to(p[2], p[0].shape) for p in parts]),
        }
    )
    links = links.drop_duplicates(["signal_id", "entity_id", "role"]).sort_values(
        ["signal_id", "entity_id", "role"], kind="stable", ignore_index=True
    )
    mask = pd.Series(signals["audience_mask"].to_numpy(), index=sid)
    links["audience_mask"] = mask.reindex(links["signal_id"]).to_numpy()
    return links
