"""Facilitator rankings: per-facilitator score components (SQL here), scored by
warehouse/scoring.py. Analysts get scores, and names for the rows they are shown
(`entity_names`); viewers without row access get only per-category aggregates with small-cell
suppression.

Both read, when only months are filtered, the period's whole calendar quarters from
rollup_facilitator_viewer_quarter (migration 0020: per viewing agency, quarter and entity) and
its other months from rollup_facilitator_viewer_month (0014: per viewing agency, month and
entity); when regions are filtered, its whole quarters from rollup_facilitator_region_quarter
(0024) and its other months from rollup_facilitator_region_month (0017: per viewing agency,
month, region and entity); and rollup_facilitator_month (about one row per link) when
phenomena, municipalities, owners or handling codes are; they give the same figures
(tests/db/test_facilitators.py). The per-agency rollups count an entity's distinct networks
with bit masks (migration 0022, `_networks`); their rows come to pandas through COPY
(`frames.copied_frame`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
from sqlalchemy import Connection, text

from warehouse import scoring
from warehouse.filters import Filters
from warehouse.periods import add_months, months_between, split_quarters
from warehouse.planner import BITMAP_SCANS, HASH_JOINS, SORTS, off
from warehouse.queries.frames import copied_frame, frame
from warehouse.queries.where import Columns, where
from warehouse.settings import get_settings
from warehouse.suppression import needs_suppression, suppress
from warehouse.viewer import Viewer

MEASURES = ("agencies", "networks", "signals", "volume", "money", "severity")
COMPONENT_COLUMNS = [
    "entity_id",
    "display_name",
    "category",
    *MEASURES,
    *(f"own_{m}" for m in MEASURES),
]
RANKING_COLUMNS = [
    *COMPONENT_COLUMNS,
    *(f"n_{c}" for c in scoring.COMPONENTS),
    *(f"p_{c}" for c in scoring.COMPONENTS),
    "score",
    "own_score",
    "rank",
    "rank_in_category",
    "previous_rank_in_category",
    "rank_change",
]
SUMMARY_COLUMNS = ["category", "facilitators", "signals", "networks", "agencies", "amount_eur"]
VIEWER_ROLLUP = "rollup_facilitator_viewer_month"
QUARTER_ROLLUP = "rollup_facilitator_viewer_quarter"
REGION_ROLLUP = "rollup_facilitator_region_month"
REGION_QUARTER_ROLLUP = "rollup_facilitator_region_quarter"
QUARTERLY = frozenset({QUARTER_ROLLUP, REGION_QUARTER_ROLLUP})
MONTHS_AND_REGIONS = Columns(municipality=None, phenomenon=None, agency=None, handling=None)


# The decay of a month's signals: 0.5 ^ (age of the middle of the month / half-life), capped (a
# period far from the data would underflow: 0.5^60 is nothing).
def _decay(month: str) -> str:
    return f"power(0.5, least(60.0, greatest(0, :reference - ({month} + 14))::float8 / :half_life))"


def _decayed(column: str) -> str:
    """A quarter row's quality-weighted count, each of its months decayed by its own age (the
    factors `decay_1`, `_2`, `_3`: `DECAYS`)."""
    return " + ".join(f"{column}_{i + 1} * decay_{i + 1}" for i in range(3))


# The decay of each month of the period (`decay_1`) and of the two after it (`decay_2`, `_3`: a
# quarter row's second and third months), computed once per month and joined to the rollup's
# rows by their month (offset 0: PostgreSQL would otherwise pull the subquery up and compute
# them on each joined row). Computed on each row (6 powers a quarter row, 2 a month row), the
# decay was ~10-25 ms of a year's ranking at 10M signals.
_FACTORS = ", ".join(
    _decay(f"(month + interval '{i} month')::date") + f" as decay_{i + 1}" for i in range(3)
)
DECAYS = f"""(select month, {_FACTORS}
        from (select m::date as month
              from generate_series(cast(:decay_from as timestamp), cast(:decay_to as timestamp),
                                   interval '1 month') as m) as g
        offset 0)"""  # noqa: S608 - constants


# The columns the ranking and the category summary read from a row of a per-agency rollup, as
# (from a monthly row, from a quarterly row): `volume` is the quality-weighted count decayed by
# age, which a quarterly row keeps per month. The signal counts as integers: PostgreSQL sums a
# bigint into a numeric, an integer into a bigint, which took 8-15 % less of the ranking's time
# (a row counts one facilitator's signals of one month or quarter, far below 2^31; the cast
# would fail rather than overflow).
_COUNT = ("signal_count::int4", "signal_count::int4")
ROW_COLUMNS = {
    **{c: (c, c) for c in ("entity_id", "facilitator_category", "agency_bits", "network_ids")},
    **{c: (c, c) for c in ("network_bits", "own_network_bits")},
    "signal_count": _COUNT,
    **{c: (c, c) for c in ("amount_eur", "weighted_amount", "weighted_severity")},
    "volume": ("weighted_count * decay_1", _decayed("weighted_count")),
    "weighted_count": ("weighted_count", "weighted_count_1 + weighted_count_2 + weighted_count_3"),
    **{c: (c, c) for c in ("own_network_ids", "own_weighted_amount")},
    "own_signal_count": tuple(f"own_{count}" for count in _COUNT),
    "own_weighted_severity": ("own_weighted_severity", "own_weighted_severity"),
    "own_volume": ("own_weighted_count * decay_1", _decayed("own_weighted_count")),
    "own_weighted_count": (
        "own_weighted_count",
        "own_weighted_count_1 + own_weighted_count_2 + own_weighted_count_3",
    ),
}


def per_viewer(filters: Filters) -> bool:
    """Whether rollup_facilitator_viewer_month answers these filters: it keeps months only."""
    return not filters.regions and per_region(filters)


def per_region(filters: Filters) -> bool:
    """Whether rollup_facilitator_region_month (and its quarters) answers these filters: months
    and regions."""
    return not (filters.municipalities or filters.phenomena or filters.agencies or filters.handling)


def per_agency_rollup(filters: Filters) -> str | None:
    """The per-agency rollup that answers these filters with the fewest rows (a quarterly one
    stands in for whole quarters of the monthly one: `_viewer_source`); None when only
    rollup_facilitator_month (one row per link) can."""
    if per_viewer(filters):
        return VIEWER_ROLLUP
    if per_region(filters):
        return REGION_ROLLUP
    return None


def _period(conn: Connection, filters: Filters) -> tuple[dt.date, dt.date] | None:
    """The filters' months, or the months the viewer has facilitator data for."""
    if filters.start and filters.end:
        return filters.start, filters.end
    # the viewer's rows of the per-agency rollup exist for exactly the months in which a row of
    # rollup_facilitator_month is visible to them, and are found by its grain's index
    row = conn.execute(
        text("select min(month) as a, max(month) as b from rollup_facilitator_viewer_month")
    ).one()
    if row.a is None:
        return None
    return filters.start or row.a, filters.end or row.b


def previous_period(start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    """The period of equal length that ends the month before start."""
    months = months_between(start, end)
    return add_months(start, -months), add_months(start, -1)


def facilitator_components(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    half_life_days: int = scoring.HALF_LIFE_DAYS,
) -> pd.DataFrame:
    """One row per facilitator the viewer may see in the period: the raw score components on
    everything visible and on the viewer's own agency's signals (own_*). Analysts only. The
    display_name column is empty: `entity_names` gives the names of the rows shown."""
    return _components(conn, viewer, filters, half_life_days, own=True)


def _components(
    conn: Connection, viewer: Viewer, filters: Filters, half_life_days: int, *, own: bool
) -> pd.DataFrame:
    # own=False leaves, from the per-agency rollup, the own_* components zero: the previous
    # period needs only ranks
    span = _period(conn, filters)
    if not viewer.sees_rows or span is None:
        return pd.DataFrame(columns=COMPONENT_COLUMNS)
    start, end = span
    period = replace(filters, start=start, end=end)
    source = per_agency_rollup(filters)
    rollup = source is not None
    if rollup:
        parts, params = _viewer_source(period)
        sql = _viewer_components_sql(parts, own=own)
    else:
        clause, params = where(period)
        sql = _link_components_sql(clause)
    reference = add_months(end, 1) - dt.timedelta(days=1)
    params |= {
        **scoring.quality_params(),
        "reference": reference,
        "half_life": float(max(1, half_life_days)),
        "own": viewer.agency,
        "decay_from": start,
        "decay_to": end,
    }
    # grouped by hashing: the planner sorted the ~30,000 rows of a year into entity order
    # instead (~15 ms of its ~60 at 10M signals), to group them and order the 7,500 that come
    # out; those are ordered here. From the regional rollup, its rows are read month by month
    # beside the month's decay (`planner.HASH_JOINS` off)
    settings = ((SORTS,) if rollup else ()) + ((HASH_JOINS,) if source == REGION_ROLLUP else ())
    with off(conn, *settings):
        df = copied_frame(conn, sql, params, COMPONENT_COLUMNS, text_columns=["category"])
    if rollup:
        df = df.sort_values("entity_id", ignore_index=True)
    df["display_name"] = None  # `entity_names`, for the rows shown
    for col in MEASURES[3:] + tuple(f"own_{m}" for m in MEASURES[3:]):
        df[col] = df[col].astype(float)
    return df


def entity_names(*, conn: Connection, viewer: Viewer, ids: tuple[int, ...]) -> dict[int, str]:
    """The names of those of these entities the viewer may see (row-level security on entity: a
    visible link or intervention), for the rows a page or briefing shows: looking them up costs
    per entity (80-250 ms for the 7,500 facilitators of a year at 10M signals, against a few ms
    for the hundred shown). The policy looks up one visible link per entity; PostgreSQL plans
    that as a bitmap scan, which reads every link of the entity first (hundreds per facilitator
    at 10M signals), where an index scan stops at the first visible one: bitmap scans are off
    for this statement only."""
    if not viewer.sees_rows or not ids:
        return {}
    with off(conn, BITMAP_SCANS):
        rows = conn.execute(
            text("select id, display_name from entity where id = any(:ids)"), {"ids": list(ids)}
        ).all()
    return {int(r.id): r.display_name for r in rows}


def _viewer_source(period: Filters) -> tuple[list[tuple[str, str]], dict[str, object]]:
    """The rows of the per-agency rollups that answer these filters (`per_agency_rollup`) over the
    period's months (start and end given), as (table, condition) pairs to unite, and their
    parameters: the whole quarters from a quarterly rollup and the other months from a monthly
    one, per viewing agency or, with regions, per viewing agency and region.

    The months and quarters are named one by one, not as a range: the regional grain indexes
    are (viewer_mask, month, region_code, entity_id), and PostgreSQL 15 seeks the regions in them
    only under an equality on the month; under a range it read every region's entries of the
    months and filtered them (a year of three regions at 10M signals: 66 -> 50 ms)."""
    assert period.start is not None and period.end is not None
    quarters, months = split_quarters(period.start, period.end)
    quarterly, monthly, clause = QUARTER_ROLLUP, VIEWER_ROLLUP, ""
    params: dict[str, object] = {}
    if not per_viewer(period):
        quarterly, monthly = REGION_QUARTER_ROLLUP, REGION_ROLLUP
        regions, params = where(replace(period, start=None, end=None), MONTHS_AND_REGIONS)
        clause = f" and {regions}"
    parts = [(quarterly, f"month = any(:f_quarters){clause}")] if quarters else []
    # (an empty period, start after end, reads no month)
    parts += [(monthly, f"month = any(:f_months){clause}")] if months or not quarters else []
    return parts, {**params, "f_quarters": quarters, "f_months": months}


def _rows_sql(columns: tuple[str, ...], parts: list[tuple[str, str]]) -> str:
    """The rows of `_viewer_source`, each with these ROW_COLUMNS, as one union."""
    selects = []
    for table, clause in parts:
        kind = 1 if table in QUARTERLY else 0
        listed = ",\n                   ".join(f"{ROW_COLUMNS[c][kind]} as {c}" for c in columns)
        source = f"{table} where {clause}"
        if "volume" in columns:
            source = f"{table} join {DECAYS} as d using (month) where {clause}"
        selects.append(f"select {listed}\n            from {source}")  # noqa: S608 - constants
    return "\n            union all\n            ".join(selects)


RANKING_ROW = (
    "entity_id",
    "facilitator_category",
    "agency_bits",
    "network_bits",
    "signal_count",
    "volume",
    "weighted_count",
    "weighted_amount",
    "weighted_severity",
)
OWN_ROW = tuple(f"own_{c}" for c in RANKING_ROW[3:])
SUMMARY_ROW = (
    "entity_id",
    "facilitator_category",
    "agency_bits",
    "network_ids",
    "signal_count",
    "amount_eur",
)
OWN_AGGREGATES = {
    "own_agencies": ("(sum(own_signal_count) > 0)::int", "0"),
    "own_network_bits": ("bit_or(own_network_bits)", "0::bigint"),
    "own_signals": ("sum(own_signal_count)", "0"),
    "own_volume": ("sum(own_volume)", "0.0"),
    "own_money": ("sum(own_weighted_amount)", "0.0"),
    "own_severity": (
        "sum(own_weighted_severity) / nullif(sum(own_weighted_count), 0)",
        "null::float8",
    ),
}


def _networks(prefix: str, parts: list[tuple[str, str]]) -> str:
    """An entity's distinct networks from its united mask (`prefix`_bits; migration 0022: a bit
    per network of the entity), or, when bit 63 says it served more than 63, from the network
    arrays (`prefix`_ids) of its rows in `_viewer_source`, read again for those entities only:
    the arrays are not carried through the grouping of every facilitator (~6 ms a year)."""
    bits, ids = f"p.{prefix}_bits", f"{prefix}_ids"
    rows = _rows_sql(
        (ids,), [(table, f"{clause} and entity_id = p.entity_id") for table, clause in parts]
    )
    counted = f"(select count(distinct n) from ({rows}) as e, unnest(e.{ids}) as n)"  # noqa: S608
    return f"case when {bits} >= 0 then bit_count({bits}::bit(64)) else {counted} end"


def _viewer_components_sql(parts: list[tuple[str, str]], *, own: bool = True) -> str:
    """The components from the viewer's rows of the per-agency rollups (`_viewer_source`: one
    row per quarter or month and entity, and region when regions are filtered), the distinct owners
    as the union of the bit masks, the distinct networks as the union of the network masks
    (`_networks`). own=False leaves the own_* components zero (the previous period needs only
    ranks). Unordered: an order by here made the planner sort the rows to group them, and
    `_components` orders the facilitators that come out."""
    own_columns = ",\n".join(
        f"{expr if own else none} as {name}" for name, (expr, none) in OWN_AGGREGATES.items()
    )
    rows = _rows_sql(RANKING_ROW + (OWN_ROW if own else ()), parts)
    return f"""
        with per_entity as (
            select
                entity_id,
                max(facilitator_category) as category,
                bit_count(bit_or(agency_bits)::bit(64)) as agencies,
                bit_or(network_bits) as network_bits,
                sum(signal_count) as signals,
                sum(volume) as volume,
                sum(weighted_amount) as money,
                sum(weighted_severity) / nullif(sum(weighted_count), 0) as severity,
                {own_columns}
            from (
            {rows}
            ) as r
            group by entity_id
        )

        select p.entity_id,
               coalesce(p.category, '') as category,
               p.agencies, {_networks("network", parts)} as networks,
               p.signals, p.volume, p.money, p.severity,
               p.own_agencies, {_networks("own_network", parts)} as own_networks,
               p.own_signals, p.own_volume, p.own_money, p.own_severity
        from per_entity as p
        """  # noqa: S608 - clause and joins are built from constants; values are bound


def _link_components_sql(clause: str) -> str:
    """The components from rollup_facilitator_month (about one row per link), for the filters
    the per-agency rollup cannot answer."""
    return f"""
        with quality as (
            select r.code as reliability, c.code as credibility, r.w * c.w as weight
            from unnest(cast(:rel_codes as text[]), cast(:rel_w as float8[])) as r (code, w)
            cross join unnest(cast(:cred_codes as int[]), cast(:cred_w as float8[])) as c (code, w)
        ),

        weighted as (
            select
                f.entity_id, f.facilitator_category, f.owner_agency, f.network_id,
                f.signal_count, f.amount_eur, f.severity_sum, q.weight,
                -- capped: a period far from the data would underflow (0.5^60 is nothing)
                q.weight * power(0.5, least(60.0, greatest(0, :reference - (f.month + 14))::float8
                                                  / :half_life)) as decayed,
                f.owner_agency = :own as own
            from rollup_facilitator_month as f
            join quality as q
                on q.reliability = f.reliability::text and q.credibility = f.credibility
            where {clause}
        ),

        per_entity as (
            select
                entity_id,
                max(facilitator_category) as category,
                count(distinct owner_agency) as agencies,
                count(distinct network_id) as networks,
                sum(signal_count) as signals,
                sum(signal_count * decayed) as volume,
                sum(amount_eur * weight) as money,
                sum(severity_sum * weight) / nullif(sum(signal_count * weight), 0) as severity,
                count(distinct owner_agency) filter (where own) as own_agencies,
                count(distinct network_id) filter (where own) as own_networks,
                coalesce(sum(signal_count) filter (where own), 0) as own_signals,
                coalesce(sum(signal_count * decayed) filter (where own), 0) as own_volume,
                coalesce(sum(amount_eur * weight) filter (where own), 0) as own_money,
                sum(severity_sum * weight) filter (where own)
                    / nullif(sum(signal_count * weight) filter (where own), 0) as own_severity
            from weighted
            group by entity_id
        )

        select p.entity_id,
               coalesce(p.category, '') as category,
               p.agencies, p.networks, p.signals, p.volume, p.money, p.severity,
               p.own_agencies, p.own_networks, p.own_signals, p.own_volume, p.own_money,
               p.own_severity
        from per_entity as p
        order by p.entity_id
        """  # noqa: S608 - clause and joins are built from constants; values are bound


def facilitator_ranking(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    weights: scoring.Weights = scoring.DEFAULT_WEIGHTS,
    half_life_days: int = scoring.HALF_LIFE_DAYS,
    with_change: bool = True,
) -> pd.DataFrame:
    """Facilitators ranked overall and per category, with every component, the score on the
    viewer's own agency's data (own_score, same scale) and the rank change against the previous
    period of equal length. Empty for viewers without row access. Without names (display_name
    empty): `entity_names` for the rows shown. with_change=False leaves the previous period
    unread and the rank change empty (the briefing, which does not show it: half the time)."""
    if not with_change:
        current = facilitator_components(
            conn=conn, viewer=viewer, filters=filters, half_life_days=half_life_days
        )
        return ranked(current, pd.DataFrame(columns=COMPONENT_COLUMNS), weights)
    current, before = ranking_components(
        conn=conn, viewer=viewer, filters=filters, half_life_days=half_life_days
    )
    return ranked(current, before, weights)


def ranking_components(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    half_life_days: int = scoring.HALF_LIFE_DAYS,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The components of the period and of the previous period of equal length (the database's
    part of the ranking; `ranked` scores them, so a page can keep these while the weights
    change). The page runs the two halves side by side (`facilitator_components`,
    `previous_components`), each on its own connection."""
    current = facilitator_components(
        conn=conn, viewer=viewer, filters=filters, half_life_days=half_life_days
    )
    if current.empty:
        return current, pd.DataFrame(columns=COMPONENT_COLUMNS)
    before = previous_components(
        conn=conn, viewer=viewer, filters=filters, half_life_days=half_life_days
    )
    return current, before


def previous_components(
    *,
    conn: Connection,
    viewer: Viewer,
    filters: Filters,
    half_life_days: int = scoring.HALF_LIFE_DAYS,
) -> pd.DataFrame:
    """The components of the period of equal length before the filters' period, for the rank
    change: only ranks are needed there, so the own_* components stay zero."""
    span = _period(conn, filters)
    if not viewer.sees_rows or span is None:
        return pd.DataFrame(columns=COMPONENT_COLUMNS)
    prev_start, prev_end = previous_period(*span)
    earlier = replace(filters, start=prev_start, end=prev_end)
    return _components(conn, viewer, earlier, half_life_days, own=False)


def ranked(current: pd.DataFrame, before: pd.DataFrame, weights: scoring.Weights) -> pd.DataFrame:
    """The ranking from `ranking_components` under these weights (no database)."""
    if current.empty:
        return pd.DataFrame(columns=RANKING_COLUMNS)
    return scoring.ranking(current, before, weights)[RANKING_COLUMNS]


def category_summary(*, conn: Connection, viewer: Viewer, filters: Filters) -> pd.DataFrame:
    """Per facilitator category: how many facilitators, signals, networks and reporting agencies
    (no entity shown); suppressed for viewers without row access."""
    if per_agency_rollup(filters) is not None:
        span = _period(conn, filters)
        if span is None:  # no facilitator data for this viewer
            return pd.DataFrame(columns=[*SUMMARY_COLUMNS, "suppressed"])
        parts, params = _viewer_source(replace(filters, start=span[0], end=span[1]))
        sql = text(_viewer_summary_sql(parts))
    else:
        clause, params = where(filters)
        sql = text(_link_summary_sql(clause))
    df = frame(conn.execute(sql, params), SUMMARY_COLUMNS)
    df["amount_eur"] = df["amount_eur"].astype(float)
    if not needs_suppression(viewer):
        return df.assign(suppressed=False)
    k = get_settings().suppression_k
    out = suppress(df, count="signals", measures=("networks", "agencies", "amount_eur"), k=k)
    few = (out["facilitators"] > 0) & (out["facilitators"] < k)
    out["facilitators"] = out["facilitators"].astype("Float64").mask(few)
    out["suppressed"] = out["suppressed"] | few
    return out


def _viewer_summary_sql(parts: list[tuple[str, str]]) -> str:
    """Per category from the viewer's rows of the per-agency rollups (`_viewer_source`): first
    per entity (its quarters and months, and regions), then per category; owners as
    the union of the bit masks, networks counted over the union of the arrays."""
    return f"""
        with per_entity as (
            select coalesce(facilitator_category, '') as category,
                   entity_id,
                   sum(signal_count) as signals,
                   bit_or(agency_bits) as agency_bits,
                   sum(amount_eur) as amount_eur,
                   nsoc_array_cat_agg(network_ids) as network_ids
            from (
            {_rows_sql(SUMMARY_ROW, parts)}
            ) as r
            group by 1, 2
        )

        select category,
               count(*) as facilitators,
               sum(signals) as signals,
               (select count(distinct n) from unnest(nsoc_array_cat_agg(network_ids)) as n)
                   as networks,
               bit_count(bit_or(agency_bits)::bit(64)) as agencies,
               sum(amount_eur) as amount_eur
        from per_entity
        group by category
        order by 3 desc, 1
        """  # noqa: S608 - the rows are built from constants; values are bound


def _link_summary_sql(clause: str) -> str:
    """Per category from rollup_facilitator_month, for the filters the per-agency rollup
    cannot answer."""
    return f"""
        select coalesce(facilitator_category, '') as category,
               count(distinct entity_id) as facilitators,
               sum(signal_count) as signals,
               count(distinct network_id) as networks,
               count(distinct owner_agency) as agencies,
               sum(amount_eur) as amount_eur
        from rollup_facilitator_month
        where {clause}
        group by 1
        order by 3 desc, 1
        """  # noqa: S608 - the clause is built from column constants; values are bound


def facilitator_categories(*, conn: Connection, viewer: Viewer) -> pd.DataFrame:
    """The facilitator categories (reference data): code, kind, Dutch and English names."""
    sql = text("select code, kind, name_nl, name_en from facilitator_category order by code")
    return frame(conn.execute(sql), ["code", "kind", "name_nl", "name_en"])
