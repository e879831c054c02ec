"""How a batch reaches the tables: new signals and their links are written with one COPY each
(ids taken in line order), or, for a role that row-level security applies to (PostgreSQL
refuses COPY into such a table), through a temporary table and one insert; both give the
same warehouse. Rows whose source reference is known are compared in SQL."""

from __future__ import annotations

from sqlalchemy import Connection, text

from tests.ingest.conftest import KEY, csv_bytes, deliver, jsonl_bytes, new_warehouse, row
from warehouse.ingest import stage, upsert
from warehouse.ingest.load import load_delivery, load_files

STATE = """
select s.id, s.owner_agency, s.source_ref, s.severity, s.lat, s.h3_r9, s.amount_eur,
    s.reported_at, n.code,
    array_agg(e.kind || ':' || se.role || ':' || e.display_name || ':' || se.audience_mask
              order by e.kind, se.role, e.display_name)
from signal s join signal_entity se on se.signal_id = s.id join entity e on e.id = se.entity_id
left join network n on n.id = s.network_id
group by s.id, n.code order by s.id
"""


def _deliveries(engine) -> None:
    shared = {"entity2_kind": "company", "entity2_id": "", "entity2_name": "Vanberg Transport"}
    deliver(
        engine,
        csv_bytes(
            [
                row("P-1", network="OP-ZEUS", lat="51.9225", lon="4.47917"),
                row("P-2", **shared),
                row("P-3", network="OP-ZEUS", **shared),
            ]
        ),
    )
    deliver(engine, jsonl_bytes([row("D-1", audience="douane"), row("D-2")]), "d.jsonl", "douane")
    deliver(engine, csv_bytes([row("P-2", severity="1", **shared), row("P-4")]), "again.csv")


def _state(conn: Connection) -> list[tuple]:
    return [tuple(r) for r in conn.execute(text(STATE))]


def test_through_a_temporary_table_the_warehouse_is_the_same(databases, fresh, monkeypatch):
    _deliveries(fresh)
    refused = new_warehouse(databases)
    try:
        # as for a table owner under FORCE ROW LEVEL SECURITY, not a superuser
        monkeypatch.setattr(stage, "_BYPASSES_RLS", "select false")
        _deliveries(refused)
        with fresh.connect() as direct, refused.connect() as inserted:
            assert _state(direct) == _state(inserted)
            assert [r[2] for r in _state(direct)] == ["P-1", "P-2", "P-3", "D-1", "D-2", "P-4"]
            history = "select count(*) from signal_history"
            assert direct.scalar(text(history)) == inserted.scalar(text(history)) == 1
    finally:
        refused.dispose()


def test_new_signals_take_ids_in_line_order_and_one_entity_per_name(fresh):
    _deliveries(fresh)
    with fresh.connect() as conn:
        ids = conn.execute(text("select source_ref, id from signal order by id")).all()
        assert [r[0] for r in ids] == ["P-1", "P-2", "P-3", "D-1", "D-2", "P-4"]
        assert [r[1] for r in ids] == list(range(ids[0][1], ids[0][1] + 6))
        # two lines naming the same company without a number: one entity, linked twice
        named = conn.execute(
            text(
                "select e.id, count(*) from entity e join signal_entity se on se.entity_id = e.id "
                "where e.display_name = 'Vanberg Transport' group by e.id"
            )
        ).all()
        assert [n[1] for n in named] == [2]
        assert conn.scalar(text("select count(*) from network where code = 'OP-ZEUS'")) == 1


def test_ids_drawn_apart_are_read_back_one_by_one(fresh):
    with fresh.connect() as conn:
        transaction = conn.begin()
        # as when a parallel load draws from the sequence between this load's draws
        conn.execute(text("alter table signal alter column id set increment by 3"))
        ids = upsert._new_ids(conn, 4)
        assert list(ids) == [ids[0] + 3 * i for i in range(4)]
        transaction.rollback()
    with fresh.connect() as conn, conn.begin():
        ids = upsert._new_ids(conn, 4)
        assert list(ids) == list(range(ids[0], ids[0] + 4))


def test_the_first_line_naming_an_entity_gives_its_name(fresh):
    kvk = {"entity2_kind": "company", "entity2_id": "87654321"}
    deliver(
        fresh,
        csv_bytes(
            [
                row("P-1", entity2_name="Havenlogistiek Oost", **kvk),
                row("P-2", entity2_name="Havenlogistiek Oost B.V.", **kvk),
                row("P-3", entity2_name="", **kvk),
            ]
        ),
    )
    with fresh.connect() as conn:
        names = conn.execute(
            text(
                "select e.display_name, count(*) from entity e "
                "join signal_entity se on se.entity_id = e.id "
                "where e.kvk_number = '87654321' group by 1"
            )
        ).all()
    assert [tuple(n) for n in names] == [("Havenlogistiek Oost", 3)]


def test_an_agencys_files_one_transaction_each_resolve_each_entity_once(
    fresh, tmp_path, monkeypatch
):
    """Files of one agency, each its own transaction (load_files, `nsoc ingest`): a later file
    takes the entities an earlier, committed one resolved."""
    staged: list[int] = []
    real = upsert._stage_distinct

    def recording(conn, create, table, rows):
        staged.append(len(rows))
        real(conn, create, table, rows)

    monkeypatch.setattr(upsert, "_stage_distinct", recording)
    paths = []
    for n, ref in enumerate(("P-1", "P-2", "P-3")):
        paths.append(tmp_path / f"{n}.csv")
        paths[-1].write_bytes(csv_bytes([row(ref)]))
    reports = load_files(engine=fresh, files=[("politie", p) for p in paths[:2]], key=KEY, jobs=1)
    assert [r.inserted for r in reports] == [1, 1]
    assert staged == [2]  # the person and the company, once: the second file staged nothing
    with fresh.connect() as conn:
        linked = "select count(distinct entity_id), count(*) from signal_entity"
        assert tuple(conn.execute(text(linked)).one()) == (2, 4)


def test_times_are_stored_as_the_same_instants_whatever_the_sessions_time_zone(fresh):
    times = ["2024-03-03T10:15:00+01:00", "2024-07-01T23:59:59Z", "2024-10-27T02:30:00+02:00"]
    data = csv_bytes([row(f"T-{i}", reported_at=t) for i, t in enumerate(times)])
    with fresh.begin() as conn:
        # COPY reads a time without a zone in the session's zone: the loader must not rely on it
        conn.execute(text("set local timezone = 'America/Sao_Paulo'"))
        load_delivery(conn=conn, agency="politie", file_name="t.csv", data=data, key=KEY)
    with fresh.connect() as conn:
        stored = (
            conn.execute(
                text(
                    "select to_char(reported_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
                    "from signal order by source_ref"
                )
            )
            .scalars()
            .all()
        )
    assert stored == ["2024-03-03 09:15:00", "2024-07-01 23:59:59", "2024-10-27 00:30:00"]
