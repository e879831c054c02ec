"""Rebuild the rollup tables from the signals (SQL in warehouse/sql/, one file per rollup)."""

from __future__ import annotations

import datetime as dt
import time
from contextlib import nullcontext
from dataclasses import dataclass

from sqlalchemy import Connection, text

from warehouse import entity_counts, rollup_delta
from warehouse.bulk import indexes_deferred
from warehouse.periods import add_months, quarter_start
from warehouse.rollup_sql import (
    EVERY_VIEWER,
    LOCK,
    record_refresh,
    replace_once,
    rollup_sql,
    rows_after,
)
from warehouse.scoring import quality_params

# Rollup table -> its grain columns (kept in step with the unique constraints in 0002, 0005,
# 0006, 0008, 0011, 0012, 0014, 0017, 0018, 0019, 0020, 0024), in refresh order.
ROLLUPS: dict[str, tuple[str, ...]] = {
    "rollup_signal_month": (
        "month",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
    ),
    "rollup_node_month": (
        "month",
        "node_code",
        "origin_node_code",
        "phenomenon_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
    ),
    # migration 0006: facilitator rankings and the map
    "rollup_facilitator_month": (
        "month",
        "entity_id",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "network_id",
        "reliability",
        "credibility",
        "handling_code",
        "audience_mask",
    ),
    "rollup_h3_month": (
        "month",
        "h3_r7",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
    ),
    # migration 0005: distinct entities for the heatmaps
    "rollup_entity_month": (
        "month",
        "phenomenon_code",
        "municipality_code",
        "owner_agency",
        "handling_code",
        "audience_mask",
        "entity_id",
    ),
    # migration 0011: entity id arrays per cell, built from rollup_entity_month (after it)
    "rollup_entity_set_month": (
        "month",
        "phenomenon_code",
        "region_code",
        "audience_mask",
    ),
    # migration 0008: per viewing agency, built from rollup_signal_month (so it comes after it)
    "rollup_viewer_month": (
        "viewer_mask",
        "month",
        "phenomenon_code",
        "region_code",
        "owner_agency",
        "handling_code",
    ),
    # migration 0018: per viewing agency, month, phenomenon and region, built from
    # rollup_viewer_month (so it comes after it)
    "rollup_viewer_cell_month": (
        "viewer_mask",
        "month",
        "phenomenon_code",
        "region_code",
    ),
    # migration 0019: per viewing agency, built from rollup_node_month (so it comes after it)
    "rollup_node_viewer_month": (
        "viewer_mask",
        "month",
        "node_code",
        "origin_node_code",
        "phenomenon_code",
    ),
    # migration 0012: per viewing agency, built from rollup_h3_month (so it comes after it)
    "rollup_h3_viewer_month": (
        "viewer_mask",
        "month",
        "h3_r7",
        "municipality_code",
    ),
    # migration 0017: per viewing agency, month, region and facilitator, built from
    # rollup_facilitator_month (so it comes after it)
    "rollup_facilitator_region_month": (
        "viewer_mask",
        "month",
        "region_code",
        "entity_id",
    ),
    # migration 0014: per viewing agency, month and facilitator, built from
    # rollup_facilitator_region_month (0017, so it comes after it)
    "rollup_facilitator_viewer_month": (
        "viewer_mask",
        "month",
        "entity_id",
    ),
    # migration 0020: per viewing agency, calendar quarter (month: its first month) and
    # facilitator, built from rollup_facilitator_viewer_month (so it comes after it)
    "rollup_facilitator_viewer_quarter": (
        "viewer_mask",
        "month",
        "entity_id",
    ),
    # migration 0024: per viewing agency, calendar quarter, region and facilitator, built from
    # rollup_facilitator_region_month (so it comes after it)
    "rollup_facilitator_region_quarter": (
        "viewer_mask",
        "month",
        "region_code",
        "entity_id",
    ),
}

# Before this rollup is built, its source's new facilitator links get their network's bit
# (`_give_slots`; the SQL in warehouse/sql/facilitator_network_slot.sql).
SLOTTED = "rollup_facilitator_region_month"
SLOTS = "facilitator_network_slot"

# Rollups kept per calendar quarter (their month is the quarter's first): a refresh of some
# months rebuilds, or merges into, the quarters that hold them.
QUARTERLY = frozenset({"rollup_facilitator_viewer_quarter", "rollup_facilitator_region_quarter"})

# Rollups folded over the owning agencies: a refresh for some owners rebuilds their months whole.
OWNERLESS = frozenset(name for name, grain in ROLLUPS.items() if "owner_agency" not in grain)

# Rollups that keep the phenomenon in their grain: a correction rebuilds only its phenomena there.
BY_PHENOMENON = frozenset(name for name, grain in ROLLUPS.items() if "phenomenon_code" in grain)

# Rollups built from another rollup (refreshed before them) instead of from the signals.
SOURCES = {
    "rollup_viewer_month": "rollup_signal_month",
    "rollup_viewer_cell_month": "rollup_viewer_month",
    "rollup_node_viewer_month": "rollup_node_month",
    "rollup_entity_set_month": "rollup_entity_month",
    "rollup_h3_viewer_month": "rollup_h3_month",
    "rollup_facilitator_region_month": "rollup_facilitator_month",
    "rollup_facilitator_viewer_month": "rollup_facilitator_region_month",
    "rollup_facilitator_viewer_quarter": "rollup_facilitator_viewer_month",
    "rollup_facilitator_region_quarter": "rollup_facilitator_region_month",
}

# Rollups built from another whose grain lacks the phenomenon: a correction (a refresh narrowed
# to phenomena) would rebuild their months whole, for every agency. They rebuild only the keys
# (this column, in the grain of both) whose rows of the source the refresh changed, found by
# comparing the source's rebuilt rows with what they were before.
NARROWED_BY = {
    "rollup_h3_viewer_month": "h3_r7",
    "rollup_facilitator_region_month": "entity_id",
    "rollup_facilitator_viewer_month": "entity_id",
    "rollup_facilitator_viewer_quarter": "entity_id",
    "rollup_facilitator_region_quarter": "entity_id",
}
# Source rollup -> the key column whose changed values its narrowed rollup rebuilds. A source
# that is narrowed itself passes on the keys it rebuilt (a superset of those it changed), without
# comparing: rollup_facilitator_region_month for rollup_facilitator_viewer_month and
# rollup_facilitator_region_quarter.
_WATCHED = {
    SOURCES[name]: key for name, key in NARROWED_BY.items() if SOURCES[name] not in NARROWED_BY
}
# Past this many changed keys a narrowed rollup rebuilds the months whole: key by key it reads
# and compares the same months' rows. Measured at 10M (twenty-first session, a re-delivery's
# refresh, rollup_facilitator_region_month): 742 facilitators key by key 4.5-4.9 s against
# 11.4-11.7 s for the months whole; 1,917 facilitators 8.7-9.7 s against 9.1 s. (The eighth
# session's 1,000 came from a delete that sought the keys in an index that cannot seek them.)
NARROW_LIMIT = 1_500

# Rollups whose every column outside the grain is a count or a sum (or rides along with the
# grain: rollup_delta.ALONG): a correction's old rows can be taken out of them again. With the
# corrected signals kept as they were (rollup_delta.keep_old_signals), a refresh adds their
# signed rows (old ones out, new ones in, with the new signals') instead of rebuilding the
# months. The others keep a maximum, a bit mask or a set, which no subtraction takes back.
ADDITIVE = frozenset(
    {
        "rollup_node_month",
        "rollup_facilitator_month",
        "rollup_h3_month",
        "rollup_entity_month",
        "rollup_node_viewer_month",
        "rollup_h3_viewer_month",
    }
)
# Rollups built from the signals that keep a maximum beside counts and sums
# (rollup_delta.MAXIMA: the latest report date): signed as the ADDITIVE ones, and a row whose
# maximum a correction's old version held (and none of the new versions reaches) recounted from
# its grain's signals (rollup_delta.stale). The per-agency rollup built from it rebuilds the
# phenomena whose rows changed or were recounted (signing it measured no faster at 10M). The
# rest keep bit masks or sets, and rebuild.
MAXED = frozenset({"rollup_signal_month"})
SIGNED = ADDITIVE | MAXED


@dataclass(frozen=True)
class RefreshResult:
    rollup: str
    rows: int
    seconds: float = 0.0  # its delete, rebuild (or merge) and analyze


def refresh_all(conn: Connection, *, bulk: bool = False) -> list[RefreshResult]:
    """Rebuild every rollup inside the caller's transaction: readers see old or new, never half.
    bulk=True, for the seed (whose transaction replaces the warehouse and locks it anyway):
    the rollups are emptied with TRUNCATE, which keeps readers out until the commit, and their
    indexes are built after the rows instead of updated row by row."""
    return _refresh(conn, None, bulk=bulk)


def refresh_months(
    conn: Connection,
    months: list[dt.date],
    *,
    owners: list[str] | None = None,
    added: list[int] | None = None,
    phenomena: list[str] | None = None,
    corrected: list[int] | None = None,
) -> list[RefreshResult]:
    """Rebuild only the rows of these months (first days), e.g. after a delivery touched them:
    the same SQL as the full rebuild, restricted to the months' signals. With `owners` (a
    delivery's agency: its signals are the only ones it changed) the rollups that keep the owning
    agency in their grain rebuild only those agencies' rows of the months; the ones folded over
    owners (OWNERLESS) rebuild the months whole from the rollups refreshed before them. With
    `phenomena` (a correction's, old and new) the rollups that keep the phenomenon in their grain
    (BY_PHENOMENON) rebuild only those phenomena's rows of the months.

    With `phenomena`, the rollups in NARROWED_BY rebuild, in those months, only the keys whose
    rows of their source changed (a correction's facilitators and map cells, and those of the new
    signals in the rebuilt months and phenomena).

    `added`: ids of signals new since the last refresh (a delivery's inserts, owned by `owners`).
    Those outside what is rebuilt have their counts added to the rollups' rows (the same SQL
    restricted to them, merged with ON CONFLICT): the work follows the delivery, not the
    agency's signals in the months. Corrected signals need a rebuild: a count can be merged, a
    distinct set or a maximum cannot be taken back.

    `corrected`: ids of the corrected signals whose old versions the caller kept before the
    correction (rollup_delta.keep_old_signals, same transaction). The SIGNED rollups then
    rebuild nothing: they take those signals' old rows out and add their new rows and the new
    signals' (`rollup_delta.signed`; the MAXED ones recount the rows whose maximum an old
    version held); the months (and phenomena) are rebuilt in the others."""
    rebuilt = sorted({m.replace(day=1) for m in months})
    if corrected and not rollup_delta.kept(conn):
        # without the old versions the signed rows would count them twice: fail, not miscount
        raise RuntimeError("corrected signals given, but their old versions were not kept")
    if not rebuilt and not added:
        return []
    try:
        return _refresh(
            conn,
            rebuilt,
            owners=owners,
            added=added or None,
            # none given (or none at all): the months whole, a superset
            phenomena=sorted(set(phenomena)) if phenomena and rebuilt else None,
            corrected=sorted(set(corrected)) if corrected and rebuilt else None,
        )
    finally:
        if corrected:
            rollup_delta.forget_old_signals(conn)  # read: a later correction keeps its own


def _refresh(
    conn: Connection,
    months: list[dt.date] | None,
    *,
    bulk: bool = False,
    owners: list[str] | None = None,
    added: list[int] | None = None,
    phenomena: list[str] | None = None,
    corrected: list[int] | None = None,
) -> list[RefreshResult]:
    results = []
    conn.execute(text(LOCK))  # one refresh or recount at a time (rollup_sql.LOCK)
    # Months of signals are spread over the whole table: with the server's default work_mem
    # the bitmap of three months at 10M went lossy (every row of 200,000 pages rechecked) and
    # the grouping sorted on disk. Local to the caller's transaction.
    conn.execute(text("set local work_mem = '256MB'"))
    source_rows = conn.scalar(text("select count(*) from signal")) or 0
    # The facilitator rollup weights signals by their evaluation: scoring.py's tables, bound.
    params: dict[str, object] = {
        **_bounds(months),
        "owners": None,
        "added": None,
        "phenomena": None,
        "keys": None,
        **quality_params(),
    }
    # a correction's old rows taken out of the ADDITIVE rollups (their signed rows)
    signed = bool(months) and bool(corrected)
    if signed:
        merges = _merges_all(conn, params, owners, added)
    else:
        merges = _merges(conn, params, months or [], owners, added, phenomena)
    # a correction's refresh: the rollups in NARROWED_BY rebuild only the changed keys
    narrowed = bool(months) and phenomena is not None
    # source rollup -> the keys whose rows changed in the months (None: any of them)
    changed: dict[str, list[object] | None] = {}
    # signed ADDITIVE rollup -> the phenomena of its rows the corrections changed in the months
    moved: dict[str, list[object]] = {}
    for name in ROLLUPS:
        began = time.perf_counter()
        if name == SLOTTED:
            _give_slots(conn, months, merges.get(SOURCES[name], {}).get("months"))
        if signed and name in SIGNED:
            result, recounted = _refresh_signed(
                conn, name, params, merges.get(name), corrected or []
            )
            if narrowed and name in _WATCHED:
                # the rollup narrowed by this key rebuilds, in the months, the keys the
                # corrections touched (the new signals' rows are merged there)
                changed[name] = rollup_delta.touched(conn, name, _WATCHED[name], months or [])
            if name in BY_PHENOMENON:
                # a rollup by phenomenon built from this one rebuilds only these
                moved[name] = [
                    *rollup_delta.netted(conn, name, "phenomenon_code", months or []),
                    *recounted,
                ]
            record_refresh(conn, name, source_rows, result.rows)
            results.append(result)
            continue
        deleted = inserted = 0
        key = NARROWED_BY.get(name) if narrowed else None
        keys = changed.get(SOURCES[name], []) if key else None
        if keys is not None and len(keys) > NARROW_LIMIT:
            keys = None  # most of the months changed: rebuilt whole
        params["keys"] = keys
        if months is not None:
            # the months this refresh rebuilds, or for a rollup per quarter their quarters
            params |= _bounds(_periods(name, months), name)
        if key:
            changed[name] = keys  # what it rebuilds, for the rollup built from it
        own_phenomena = phenomena if name in BY_PHENOMENON else None
        if name in BY_PHENOMENON and SOURCES.get(name) in moved:
            # built from a signed rollup: the phenomena whose rows there the corrections
            # changed (none when they changed nothing it counts, e.g. only a severity)
            own_phenomena = [p for p in moved[SOURCES[name]] if isinstance(p, str)]
        # nothing of the source changed in the months: nothing to rebuild (the merge follows)
        if (months is None or months) and keys != [] and own_phenomena != []:
            params["owners"] = owners if months is not None and name not in OWNERLESS else None
            params["phenomena"] = own_phenomena
            watched = _WATCHED.get(name) if narrowed else None
            if watched:
                _keep_before(conn, name, params)
            deleted = _delete(conn, name, params, bulk=bulk)
            with indexes_deferred(conn, (name,), unique=True) if bulk else nullcontext():
                inserted = conn.execute(text(rollup_sql(name)), params).rowcount
            if watched:
                changed[name] = _changed_keys(conn, name, watched, params)
            # Fresh statistics after a full rebuild: without them the planner guesses a few
            # hundred rows and sorts. A refresh of some months changes a small part of a rollup
            # (autovacuum keeps up with that), and analyzing each costs ~0.3 s at 10M.
            if months is None:
                conn.execute(text(f"analyze {name}"))
        merge = merges.get(name)
        if merge is not None:
            if key or signed:
                # the rows rebuilt above (those keys, or the months whole; signed: of those
                # phenomena) counted the new signals already
                merge = {
                    **merge,
                    "rebuilt": params["months"],
                    "rebuilt_keys": keys,
                    "rebuilt_phenomena": own_phenomena if signed else None,
                }
            inserted += _merge(conn, name, merge)
        rows = inserted if months is None else rows_after(conn, name, deleted, inserted)
        record_refresh(conn, name, source_rows, rows)
        results.append(RefreshResult(name, rows, time.perf_counter() - began))
    if months is None:
        began = time.perf_counter()
        rows = entity_counts.rebuild(conn, source_rows, bulk=bulk)
        results.append(RefreshResult(entity_counts.TABLE, rows, time.perf_counter() - began))
    else:
        # counted again after the commit (entity_counts.recount); until then the heatmap reads
        # the entity sets for periods that reach these months
        merged = merges.get("rollup_entity_month", {}).get("months")
        entity_counts.mark_stale(conn, [*months, *(merged if isinstance(merged, list) else [])])
    return results


def _refresh_signed(
    conn: Connection,
    name: str,
    params: dict[str, object],
    merge: dict[str, object] | None,
    corrected: list[int],
) -> tuple[RefreshResult, list[str]]:
    """A SIGNED rollup after a correction: nothing rebuilt; the new signals' rows merged, and
    the corrections' signed rows (their old rows out, their new ones in); for a MAXED one, the
    rows whose maximum may have fallen recounted. Returns the result and the phenomena of the
    recounted rows."""
    began = time.perf_counter()
    inserted = _merge(conn, name, merge) if merge is not None else 0
    grain = ROLLUPS[name]
    source = SOURCES.get(name)
    rollup_delta.signed(conn, name, grain, params, source=source, corrected=corrected)
    recounted = rollup_delta.stale(conn, name, grain) if name in MAXED else []
    fresh, deleted = rollup_delta.merge(conn, name, grain, f"signed_{name}")
    if recounted:
        gone, made = rollup_delta.recount(conn, name, grain)
        deleted, inserted = deleted + gone, inserted + made
    rows = rows_after(conn, name, deleted, inserted + fresh)
    return RefreshResult(name, rows, time.perf_counter() - began), recounted


def _merges_all(
    conn: Connection,
    params: dict[str, object],
    owners: list[str] | None,
    added: list[int] | None,
) -> dict[str, dict[str, object]]:
    """Per rollup, the parameters that merge every new signal (a refresh with corrections taken
    out: the ADDITIVE rollups rebuild nothing; the others drop from the merge what they rebuilt,
    `_delta`)."""
    if not added:
        return {}
    months = list(
        conn.scalars(
            text(
                "select distinct date_trunc('month', observed_on)::date from signal "
                "where id = any(:ids) order by 1"
            ),
            {"ids": added},
        )
    )
    return {
        name: {**params, **_bounds(_periods(name, months), name), "owners": owners, "added": added}
        for name in ROLLUPS
    }


def _merges(
    conn: Connection,
    params: dict[str, object],
    months: list[dt.date],
    owners: list[str] | None,
    added: list[int] | None,
    phenomena: list[str] | None,
) -> dict[str, dict[str, object]]:
    """Per rollup, the parameters that merge the new signals outside what it rebuilds: a rollup
    narrowed by phenomenon rebuilds months x phenomena, the others the months whole."""
    if not added:
        return {}
    found = conn.execute(
        text(
            "select id, date_trunc('month', observed_on)::date as month, phenomenon_code "
            "from signal where id = any(:ids)"
        ),
        {"ids": added},
    ).all()
    outside = [
        r
        for r in found
        if r.month not in months or (phenomena is not None and r.phenomenon_code not in phenomena)
    ]
    if not outside:
        return {}
    ids = sorted(r.id for r in outside)
    out: dict[str, dict[str, object]] = {}
    for name in ROLLUPS:
        whole = phenomena is None or (name not in BY_PHENOMENON and name not in NARROWED_BY)
        # a rollup rebuilt for whole months (or quarters) counted their new signals already
        rebuilt = set(_periods(name, months))
        merged = {p for r in outside for p in _periods(name, [r.month])}
        merged_months = sorted(merged - rebuilt if whole else merged)
        if merged_months:
            out[name] = {**params, **_bounds(merged_months, name), "owners": owners, "added": ids}
    return out


def _give_slots(conn: Connection, rebuilt: list[dt.date] | None, merged: object) -> None:
    """Give a bit (facilitator_network_slot, migration 0022) to each network newly linked to a
    facilitator in the months the refresh rebuilt or merged into rollup_facilitator_month
    (rebuilt None: every month), before the rollup that reads the bits is built from it."""
    if rebuilt is None:
        months = None
    else:
        months = sorted({*rebuilt, *(merged if isinstance(merged, list) else [])})
        if not months:
            return
    conn.execute(text(rollup_sql(SLOTS)), _bounds(months))


def _periods(name: str, months: list[dt.date]) -> list[dt.date]:
    """The rollup's periods that hold these months: the months, or for a rollup per quarter
    (QUARTERLY) the first months of their quarters."""
    if name in QUARTERLY:
        return sorted({quarter_start(m) for m in months})
    return months


def _bounds(months: list[dt.date] | None, name: str = "") -> dict[str, object]:
    """The SQL's month parameters: the months (for a rollup per quarter the quarters' first
    months), and the dates their rows of the source lie between (for the index)."""
    if not months:
        return {"months": months, "lo": None, "hi": None}
    span = 3 if name in QUARTERLY else 1
    return {"months": months, "lo": months[0], "hi": add_months(months[-1], span)}


def _merge(conn: Connection, name: str, params: dict[str, object]) -> int:
    """Add the new signals' rows to the rollup (`_delta`), merged on its grain. Returns how many
    rows are new in the rollup."""
    return rollup_delta.merge(conn, name, ROLLUPS[name], _delta(conn, name, params))[0]


def _delta(conn: Connection, name: str, params: dict[str, object]) -> str:
    """`delta_<name>`: the new signals' rows of the rollup, its SQL restricted to them (a rollup
    built from another reads that one's new rows) into a temporary table; returns its name."""
    delta = f"delta_{name}"
    sql = rollup_delta.into(rollup_sql(name), name, delta)
    if name in SOURCES:
        source = SOURCES[name]
        sql = replace_once(sql, f"from {source} as ", f"from delta_{source} as ")
    # Table and column names below come from this module's constants and the catalogue.
    conn.execute(text(f"drop table if exists {delta}"))
    conn.execute(text(f"create temp table {delta} (like {name}) on commit drop"))
    conn.execute(text(sql), params)
    if "rebuilt" in params and params["rebuilt_keys"] != []:
        # narrowed (NARROWED_BY): what was rebuilt in those months (these keys, or all of
        # them) is complete already
        done = "month = any(:rebuilt)"
        if params["rebuilt_keys"] is not None:
            done += f" and {NARROWED_BY[name]} = any(:rebuilt_keys)"
        if params.get("rebuilt_phenomena") is not None:
            done += " and phenomenon_code = any(:rebuilt_phenomena)"
        conn.execute(
            text(f"delete from {delta} where {done}"),  # noqa: S608
            {
                "rebuilt": params["rebuilt"],
                "rebuilt_keys": params["rebuilt_keys"],
                "rebuilt_phenomena": params.get("rebuilt_phenomena"),
            },
        )
    return delta


def _delete(conn: Connection, name: str, params: dict[str, object], *, bulk: bool) -> int:
    """Empty what the refresh rebuilds: the rollup's rows of the months (of the owners, the
    phenomena and the keys, when given), or all of it; returns how many rows went (0 for all)."""
    # Table names and columns come from the constants above, never from input.
    if params["months"] is None:
        conn.execute(text(f"truncate {name}" if bulk else f"delete from {name}"))  # noqa: S608
        return 0
    where, bound = _area(name, params)
    return int(conn.execute(text(f"delete from {name} where {where}"), bound).rowcount)  # noqa: S608


def _area(name: str, params: dict[str, object]) -> tuple[str, dict[str, object]]:
    """What an incremental refresh rebuilds of the rollup, as a condition and its parameters."""
    where = "month = any(:months)"
    if ROLLUPS[name][0] == "viewer_mask":
        # every agency's mask: the grain's index (viewer_mask, month, …) then finds the months'
        # rows, where the months alone made PostgreSQL read the whole rollup
        where = f"{EVERY_VIEWER} and {where}"
    if params["owners"] is not None:
        where += " and owner_agency = any(:owners)"
    if params["phenomena"] is not None:
        where += " and phenomenon_code = any(:phenomena)"
    if params["keys"] is not None:
        key = NARROWED_BY[name]
        if ROLLUPS[name].index(key) > 2:
            # Past the grain index's (viewer_mask, month) comes another column first: PostgreSQL
            # 15 (no skip scan) compared every index entry of the months with each key in turn
            # (742 facilitators in rollup_facilitator_region_month at 10M: 9.4 s). As a filter
            # (`is true` keeps it out of the index condition) the keys are hashed: 0.3 s.
            where += f" and ({key} = any(:keys)) is true"
        else:
            where += f" and {key} = any(:keys)"
    return where, {k: params[k] for k in ("months", "owners", "phenomena", "keys")}


def _keep_before(conn: Connection, name: str, params: dict[str, object]) -> None:
    """A copy of the rows the refresh is about to rebuild, for `_changed_keys`."""
    where, bound = _area(name, params)
    conn.execute(text(f"drop table if exists before_{name}"))
    # names from the constants above; values are bound
    copy = f"create temp table before_{name} on commit drop as select * from {name} where {where}"  # noqa: S608
    conn.execute(text(copy), bound)


def _changed_keys(conn: Connection, name: str, key: str, params: dict[str, object]) -> list[object]:
    """The keys whose rows the rebuild changed: rows that were there before and are not now, or
    the other way round (sums of weights may differ in the last bits from the rows' order:
    those keys are rebuilt too, which is merely more than needed)."""
    where, bound = _area(name, params)
    return list(
        conn.scalars(
            text(
                f"""
                select distinct {key} from (
                    (select * from before_{name}
                     except all select * from {name} where {where})
                    union all
                    (select * from {name} where {where}
                     except all select * from before_{name})
                ) as changed
                """  # noqa: S608
            ),
            bound,
        )
    )
