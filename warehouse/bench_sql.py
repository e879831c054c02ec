"""SQL of the benchmark (dashboard/bench/): the naive aggregates over raw signals that the
views' queries are compared with, and the generated rows it loads. Run as the warehouse's
owner (maintenance policy, no row-level security): the audience is an explicit predicate."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Connection, text

from warehouse import rollup_delta
from warehouse.ingest.upsert import SIGNAL_FIELDS

NAIVE = {
    "heatmap_region": """
        select m.region_code, s.phenomenon_code, count(*), sum(s.amount_eur),
               count(distinct s.owner_agency)
        from signal s join municipality m on m.gm_code = s.municipality_code
        where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 group by 1, 2""",
    "heatmap_month": """
        select date_trunc('month', s.observed_on), s.phenomenon_code, count(*),
               sum(s.amount_eur), count(distinct s.owner_agency)
        from signal s where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 group by 1, 2""",
    "heatmap_entities": """
        select m.region_code, s.phenomenon_code, count(distinct se.entity_id)
        from signal s join municipality m on m.gm_code = s.municipality_code
        join signal_entity se on se.signal_id = s.id
        where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 group by 1, 2""",
    "heatmap_entities_month": """
        select date_trunc('month', s.observed_on), s.phenomenon_code, count(distinct se.entity_id)
        from signal s join signal_entity se on se.signal_id = s.id
        where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 group by 1, 2""",
    "series": """
        select date_trunc('month', s.observed_on), s.phenomenon_code, m.region_code, count(*),
               sum(s.severity)
        from signal s left join municipality m on m.gm_code = s.municipality_code
        where s.observed_on < :stop and s.audience_mask & :mask <> 0 group by 1, 2, 3""",
    "coverage": """
        select s.owner_agency, date_trunc('month', s.observed_on), count(*), max(s.reported_at)
        from signal s where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 group by 1, 2""",
    "options": """
        select distinct date_trunc('month', s.observed_on), s.phenomenon_code
        from signal s where s.audience_mask & :mask <> 0""",
    "facilitators": """
        select se.entity_id, count(*), count(distinct s.owner_agency), max(s.observed_on)
        from signal s join signal_entity se on se.signal_id = s.id
        where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 and se.role = 'facilitator'
        group by 1 order by 2 desc limit 100""",
    # the same for the signals of some RIEC regions (the ranking after a region filter)
    "facilitators_regions": """
        select se.entity_id, count(*), count(distinct s.owner_agency), max(s.observed_on)
        from signal s join signal_entity se on se.signal_id = s.id
        join municipality m on m.gm_code = s.municipality_code
        where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 and se.role = 'facilitator'
          and m.region_code = any(:regions)
        group by 1 order by 2 desc limit 100""",
    "hexagons": """
        select s.h3_r7, count(*), sum(s.amount_eur) from signal s
        where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 and s.h3_r7 is not null group by 1""",
    "nodes": """
        select s.node_code, s.phenomenon_code, count(*), sum(s.amount_eur) from signal s
        where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 and s.node_code is not null group by 1, 2""",
    "flows": """
        select s.origin_node_code, s.node_code, count(*), sum(s.amount_eur) from signal s
        where s.observed_on >= :start and s.observed_on < :stop and s.audience_mask & :mask <> 0 and s.origin_node_code is not null group by 1, 2""",
}


def busiest_agency(conn: Connection, *, first: dt.date) -> str:
    """The agency that owns the most signals observed since `first` (a delivery's worst case)."""
    return str(
        conn.scalar(
            text(
                "select owner_agency from signal where observed_on >= :first "
                "group by 1 order by count(*) desc, 1 limit 1"
            ),
            {"first": first},
        )
    )


def copy_recent_signals(conn: Connection, *, agency: str, first: dt.date, n: int) -> list[int]:
    """A synthetic delivery of one agency: n copies (new source refs, every field, and their
    entity links) of its signals observed since `first`. Returns the copies' ids."""
    conn.execute(
        text(
            """
            create temp table bench_copy on commit drop as
            select id as old_id,
                   nextval((select pg_get_serial_sequence('signal', 'id')::regclass)) as new_id
            from (
                select id from signal where owner_agency = :agency and observed_on >= :first
                order by id limit :n
            ) as s
            """
        ),
        {"agency": agency, "first": first, "n": n},
    )
    copied = conn.scalars(
        text(
            f"""
            insert into signal (id, owner_agency, source_ref, {SIGNAL_FIELDS})
            select c.new_id, s.owner_agency, 'BENCH-' || s.id, {SIGNAL_FIELDS}
            from bench_copy as c join signal as s on s.id = c.old_id
            order by c.new_id
            returning id
            """  # noqa: S608 (a constant column list)
        )
    ).all()
    conn.execute(
        text(
            """
            insert into signal_entity (signal_id, entity_id, role, audience_mask)
            select c.new_id, l.entity_id, l.role, l.audience_mask
            from bench_copy as c join signal_entity as l on l.signal_id = c.old_id
            """
        )
    )
    return sorted(copied)


def move_to_next_months(conn: Connection, ids: list[int], months: int) -> None:
    """Move these signals `months` months on (observed and reported): copies of the last
    three months moved three on are the first delivery of three new months, where every
    entity is new to its cells' months."""
    conn.execute(
        text(
            "update signal set observed_on = observed_on + make_interval(months => :n), "
            "reported_at = reported_at + make_interval(months => :n) where id = any(:ids)"
        ),
        {"n": months, "ids": ids},
    )


def first_signal(conn: Connection, *, agency: str, month: dt.date) -> int:
    """The agency's first signal of the month (for one correction)."""
    return int(
        conn.scalar(
            text(
                "select id from signal where owner_agency = :agency "
                "and observed_on >= :month and observed_on < :month + interval '1 month' "
                "order by id limit 1"
            ),
            {"agency": agency, "month": month},
        )
    )


def spread_signals(conn: Connection, *, agency: str, first: dt.date, n: int) -> list[int]:
    """`n` of the agency's signals since `first`, spread over its months and phenomena (every
    k-th by id), as a steward's re-delivery corrects them."""
    return list(
        conn.scalars(
            text(
                """
                with mine as (
                    select id, row_number() over (order by id) as i, count(*) over () as total
                    from signal where owner_agency = :agency and observed_on >= :first
                )
                select id from mine where i % greatest(1, total / :n) = 0 limit :n
                """
            ),
            {"agency": agency, "first": first, "n": n},
        )
    )


def correct_signals(conn: Connection, ids: list[int]) -> tuple[list[dt.date], list[str]]:
    """Corrections as a delivery makes them: the signals' old versions kept for the refresh that
    follows (rollup_delta.keep_old_signals, as the delivery path does), then another severity.
    Returns the months and phenomena they lie in."""
    rollup_delta.keep_old_signals(conn, ids)
    rows = conn.execute(
        text(
            "update signal set severity = 6 - severity where id = any(:ids) "
            "returning date_trunc('month', observed_on)::date as month, phenomenon_code"
        ),
        {"ids": ids},
    ).all()
    return sorted({r.month for r in rows}), sorted({r.phenomenon_code for r in rows})


def generated_signals(conn: Connection, *, rows: int, everyone: int) -> None:
    """`rows` generated signals (generate_series) for the export benchmark."""
    conn.execute(
        text(
            """
            insert into signal (owner_agency, source_ref, phenomenon_code, observed_on,
                reported_at, municipality_code, amount_eur, severity, reliability,
                credibility, handling_code, audience_mask)
            select (array['politie','douane','fiod','om'])[1 + i % 4], 'B-' || i,
                   (array['ML_TBML','DRG_COCAINE_IMPORT','COR_LEAK'])[1 + i % 3],
                   date '2022-01-01' + (i % 1000),
                   date '2022-01-01' + (i % 1000) + (i % 1440) * interval '1 min',
                   (array['GM0599','GM0363','GM0518'])[1 + i % 3], (i % 100000) / 7.0,
                   1 + i % 5, 'B', 2, 'H0', :everyone
            from generate_series(1, :rows) as i
            """
        ),
        {"rows": rows, "everyone": everyone},
    )


def signal_sequence(conn: Connection) -> tuple[str, int, bool]:
    """The id sequence of `signal` and its state (sequences ignore rollbacks: the benchmark's
    rolled-back delivery puts it back with `restore_sequence`)."""
    name = str(conn.scalar(text("select pg_get_serial_sequence('signal', 'id')")))
    row = conn.execute(text(f"select last_value, is_called from {name}")).one()  # noqa: S608
    return name, int(row.last_value), bool(row.is_called)


def restore_sequence(conn: Connection, state: tuple[str, int, bool]) -> None:
    name, value, called = state
    conn.execute(text("select setval(:s, :v, :c)"), {"s": name, "v": value, "c": called})
