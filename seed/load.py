"""Build the synthetic warehouse and load it with COPY, in one transaction."""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
from sqlalchemy import Connection, text

from seed import reference
from seed.deliveries import NameOnly, choose_name_only, delivery_frames, write_files
from seed.planted import Planted, Planter, planted_count
from seed.simulate import Context, generate
from seed.world import build_world, world_size
from warehouse import rollups
from warehouse.bulk import bulk_load
from warehouse.ingest import resolve
from warehouse.ingest.load import load_deliveries
from warehouse.settings import Agency

SIZES = {"small": 20_000, "demo": 500_000, "bench": 10_000_000}
DATA_TABLES = (
    "entity_match",
    "entity_alias",
    "signal_history",
    "quarantine_row",
    "delivery_batch",
    "signal_entity",
    "signal",
    "intervention",
    "entity",
    "network",
    "rollup_signal_month",
    "rollup_node_month",
    "rollup_facilitator_month",
    "rollup_h3_month",
    "rollup_entity_month",
    "rollup_viewer_month",
    "rollup_viewer_cell_month",
    "rollup_node_viewer_month",
    "rollup_entity_set_month",
    "rollup_h3_viewer_month",
    "rollup_facilitator_region_month",
    "rollup_facilitator_viewer_month",
    "rollup_facilitator_viewer_quarter",
    "rollup_facilitator_region_quarter",
    "facilitator_network_slot",
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


def size_signals(size: str) -> int | None:
    """Signals of a named size, or of a size given as a number of signals (e.g. "1000000", to
    see how a query scales between the named sizes); None when it is neither."""
    if size in SIZES:
        return SIZES[size]
    if size.isdigit() and int(size) >= 1_000:
        return int(size)
    return None


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
    n_total = size_signals(size)
    if n_total is None:
        raise SeedError(f"unknown size {size!r}: choose one of {', '.join(SIZES)} or a number")
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
    ctx, planter = _prepare(n_total, seed, agencies, pseudonym_key)
    planted = planter.plant_all()
    world = ctx.world
    entities = pd.concat([world.entities, pd.DataFrame(planted.entities)], ignore_index=True)
    cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    # The register of known networks and entities (with their identifiers) goes in first, as
    # reference; the signals then arrive as the agencies would deliver them.
    copy_frame(cur, "network", ("id", "code", "name", "region_code", "first_seen"), world.networks)
    copy_frame(cur, "entity", ENTITY_COLUMNS, entities)
    copy_frame(cur, "intervention", tuple(world.interventions.columns), _ints(world.interventions))
    for table in ("entity", "network", "intervention", "signal"):
        # Sequences are not transactional: set them, so a killed seed cannot shift the ids.
        conn.execute(
            text(
                f"select setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"coalesce((select max(id) from {table}), 0) + 1, false)"
            )
        )
    name_only = choose_name_only(
        np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(4,))),
        world.entities,
        tuple(a.code for a in agencies),
    )
    done = _deliver(
        conn,
        ctx=ctx,
        planted=planted,
        entities=entities,
        name_only=name_only,
        n_total=n_total,
        agencies=agencies,
        pseudonym_key=pseudonym_key,
        progress=progress,
    )
    links = int(conn.scalar(text("select count(*) from signal_entity")) or 0)
    resolve.propose_matches(conn=conn)
    rollups.refresh_all(conn, bulk=True)
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
        "name_only": name_only.manifest(entities),
    }
    if manifest_path:
        manifest_path.write_text(json.dumps(manifest, indent=2, default=str), encoding="utf-8")
    return SeedResult(True, size, seed, done, links, manifest)


def _deliver(
    conn: Connection,
    *,
    ctx: Context,
    planted: Planted,
    entities: pd.DataFrame,
    name_only: NameOnly,
    n_total: int,
    agencies: tuple[Agency, ...],
    pseudonym_key: bytes,
    progress: Callable[[int, int], None],
) -> int:
    """Write the signals as per-agency delivery files and load them through warehouse/ingest,
    in a fixed order (so signal ids are the same on every machine)."""
    done = 0
    codes = tuple(a.code for a in agencies)
    network_codes = dict(
        zip(ctx.world.networks["id"].tolist(), ctx.world.networks["code"], strict=True)
    )

    def deliveries() -> Iterator[tuple[str, str, bytes]]:
        with tempfile.TemporaryDirectory(prefix="nsoc-deliveries-") as tmp:
            baseline = n_total - planted_count(n_total)
            for chunk_no, (signals, link_frame) in enumerate(_chunks(ctx, baseline, planted)):
                frames = delivery_frames(
                    np.random.default_rng(
                        np.random.SeedSequence(ctx.seed, spawn_key=(3, chunk_no))
                    ),
                    signals=signals,
                    links=link_frame,
                    entities=entities,
                    network_codes=network_codes,
                    agency_codes=codes,
                    all_mask=ctx.all_mask,
                    agency_bits={a.code: a.bit for a in agencies},
                    name_only=name_only,
                )
                for agency, path in write_files(frames, Path(tmp), chunk_no):
                    data = path.read_bytes()
                    path.unlink()  # 10M signals are 2.8 GB of files
                    yield agency, path.name, data

    # Generating and validating the next file overlaps with the database loading this one;
    # indexes and references are built and checked once at the end (in the one transaction).
    with bulk_load(conn):
        for report in load_deliveries(conn=conn, deliveries=deliveries(), key=pseudonym_key):
            if report.status != "loaded" or report.quarantined:
                problems = "; ".join(f"{r} ({n})" for r, n in report.reason_counts()[:3])
                raise SeedError(
                    f"the synthetic delivery {report.file_name} did not load: "
                    f"{report.error or problems}"
                )
            done += report.inserted
            progress(done, n_total)
    return done


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
