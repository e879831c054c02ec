"""Build the synthetic warehouse and load it with COPY, in one transaction."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
from sqlalchemy import Connection, text

from seed import reference
from seed.planted import Planted, Planter, planted_count
from seed.simulate import LINK_COLUMNS, SIGNAL_COLUMNS, Context, generate
from seed.world import build_world, world_size
from warehouse import rollups
from warehouse.settings import Agency

SIZES = {"small": 20_000, "demo": 500_000, "bench": 10_000_000}
DATA_TABLES = (
    "signal_entity",
    "signal",
    "intervention",
    "entity",
    "network",
    "rollup_signal_month",
    "rollup_node_month",
    "rollup_facilitator_month",
    "rollup_h3_month",
    "rollup_refresh",
    "seed_run",
)
ENTITY_COLUMNS = (
    "id",
    "kind",
    "display_name",
    "kvk_number",
    "iban",
    "imo_number",
    "person_pseudonym",
    "facilitator_category",
    "municipality_code",
)
# Primary keys, to order rows for checksums.
CHECKSUM_ORDER = {
    "network": "id",
    "entity": "id",
    "intervention": "id",
    "signal": "id",
    "signal_entity": "signal_id, entity_id, role",
}


class SeedError(RuntimeError):
    """The warehouse cannot be seeded as asked; the message says why and what to do."""


@dataclass(frozen=True)
class SeedResult:
    loaded: bool
    size: str
    seed: int
    signals: int
    links: int
    manifest: dict


def warehouse_state(conn: Connection) -> tuple[int, list[tuple[str, int]]]:
    """(number of signals, [(size, seed)] of recorded seed runs)."""
    signals = int(conn.scalar(text("select count(*) from signal")) or 0)
    runs = [(r.size, int(r.seed)) for r in conn.execute(text("select size, seed from seed_run"))]
    return signals, runs


def seed_warehouse(
    conn: Connection,
    *,
    size: str,
    seed: int,
    agencies: tuple[Agency, ...],
    pseudonym_key: bytes,
    replace: bool = False,
    manifest_path: Path | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> SeedResult:
    """Seed an empty warehouse (or replace its synthetic data). Re-running the same size and
    seed on a warehouse that holds it is a no-op; other data is never silently overwritten."""
    if size not in SIZES:
        raise SeedError(f"unknown size {size!r}: choose one of {', '.join(SIZES)}")
    existing, runs = warehouse_state(conn)
    if existing and not replace:
        if runs == [(size, seed)]:
            return SeedResult(False, size, seed, existing, 0, {})
        raise SeedError(
            f"the warehouse already holds {existing:,} signals "
            f"({', '.join(f'{s} seed {n}' for s, n in runs) or 'not from the seed'}); "
            "use --replace to wipe them and seed again"
        )
    reference.sync_reference(conn, agencies)
    if existing or runs:
        conn.execute(text(f"truncate {', '.join(DATA_TABLES)} restart identity"))
    n_total = SIZES[size]
    ctx, planter = _prepare(n_total, seed, agencies, pseudonym_key)
    planted = planter.plant_all()
    world = ctx.world
    entities = pd.concat([world.entities, pd.DataFrame(planted.entities)], ignore_index=True)
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    copy_frame(cur, "network", ("id", "code", "name", "region_code", "first_seen"), world.networks)
    copy_frame(cur, "entity", ENTITY_COLUMNS, entities)
    copy_frame(cur, "intervention", tuple(world.interventions.columns), _ints(world.interventions))
    links = 0
    done = 0
    baseline = n_total - planted_count(n_total)
    for signals, link_frame in _chunks(ctx, baseline, planted):
        copy_frame(cur, "signal", SIGNAL_COLUMNS, signals)
        copy_frame(cur, "signal_entity", LINK_COLUMNS, link_frame)
        links += len(link_frame)
        done += len(signals)
        progress(done, n_total)
    for table in ("signal", "entity", "network", "intervention"):
        conn.execute(
            text(
                f"select setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"coalesce((select max(id) from {table}), 0) + 1, false)"
            )
        )
    rollups.refresh_all(conn)
    conn.execute(
        text("insert into seed_run (size, seed, signals) values (:s, :n, :c)"),
        {"s": size, "n": seed, "c": done},
    )
    manifest = {
        "size": size,
        "seed": seed,
        "signals": done,
        "links": links,
        "period": [str(ctx.months[0]), str(ctx.months[-1])],
        **planted.manifest,
    }
    if manifest_path:
        manifest_path.write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    return SeedResult(True, size, seed, done, links, manifest)


def _prepare(
    n_total: int, seed: int, agencies: tuple[Agency, ...], pseudonym_key: bytes
) -> tuple[Context, Planter]:
    codes = tuple(a.code for a in agencies)
    masks = {a.code: a.mask for a in agencies}
    world_rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,)))
    world = build_world(
        world_rng,
        size=world_size(n_total),
        municipalities=reference.municipalities(),
        pseudonym_key=pseudonym_key,
        agency_codes=codes,
        agency_masks=masks,
    )
    ctx = Context(
        world=world,
        agencies=codes,
        agency_masks=np.array([a.mask for a in agencies], dtype=np.int64),
        agency_focus={a.code: a.focus for a in agencies},
        municipalities=reference.municipalities(),
        nodes=reference.nodes(),
        seed=seed,
    )
    planter = Planter(
        ctx,
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2,))),
        n_signals=n_total,
        first_id=n_total - planted_count(n_total) + 1,
        first_entity_id=world.next_entity_id(),
        pseudonym_key=pseudonym_key,
    )
    return ctx, planter


def _chunks(
    ctx: Context, baseline: int, planted: Planted
) -> Iterator[tuple[pd.DataFrame, pd.DataFrame]]:
    """Baseline chunks, then the planted signals with their links as one last chunk."""
    yield from generate(ctx, baseline)
    signals = pd.concat(planted.signals, ignore_index=True)
    links = pd.concat(planted.links, ignore_index=True).drop_duplicates(
        ["signal_id", "entity_id", "role"]
    )
    yield signals, links


def _ints(df: pd.DataFrame) -> pd.DataFrame:
    """Nullable integer columns stay integers in CSV (pandas would write 12.0)."""
    out = df.copy()
    for col in ("network_id", "entity_id"):
        if col in out:
            out[col] = out[col].astype("Int64")
    return out


def copy_frame(cur: psycopg.Cursor, table: str, columns: tuple[str, ...], df: pd.DataFrame) -> None:
    """COPY a frame into a table as CSV; empty cells are NULL."""
    if df.empty:
        return
    buf = io.StringIO()
    df.to_csv(buf, index=False, header=False, columns=list(columns), float_format="%.6f")
    # Table and column names are this module's constants, never input.
    with cur.copy(f"copy {table} ({', '.join(columns)}) from stdin with (format csv)") as copy:
        copy.write(buf.getvalue())


def checksums(conn: Connection) -> dict[str, str]:
    """md5 of every data table's rows in key order: equal checksums, equal warehouse."""
    out = {}
    for table, order in CHECKSUM_ORDER.items():
        out[table] = conn.scalar(
            text(
                f"select md5(coalesce(string_agg(t::text, '|' order by {order}), '')) "  # noqa: S608
                f"from {table} as t"
            )
        )
    return out
