"""The patterns the seed plants are in the warehouse, where the manifest says they are."""

from __future__ import annotations

import statistics

from sqlalchemy import text


def test_manifest_lists_every_pattern(warehouse):
    m = warehouse.manifest
    assert len(m["facilitators"]) >= 10
    for key in ("violence_spike", "corruption_cluster", "tbml_flow", "restricted_facilitators"):
        assert m[key], key


def test_planted_facilitators_serve_three_networks_for_three_agencies(warehouse):
    sql = text("""
        select count(distinct s.network_id) as networks, count(distinct s.owner_agency) as agencies,
               count(*) as signals, bool_and(s.audience_mask = (select sum(1::bigint << bit) from agency)) as shared
        from signal_entity l join signal s on s.id = l.signal_id
        where l.entity_id = :e and l.role = 'facilitator'
    """)
    with warehouse.engine.connect() as conn:
        for f in warehouse.manifest["facilitators"]:
            row = conn.execute(sql, {"e": f["entity_id"]}).one()
            assert row.networks >= 3 and row.agencies >= 3, f
            assert row.signals == f["signals"] and row.shared
            kvk = conn.scalar(
                text("select kvk_number from entity where id = :e"), {"e": f["entity_id"]}
            )
            assert kvk == f["kvk_number"]


def test_restricted_facilitator_is_visible_to_its_owner_only(warehouse):
    with warehouse.engine.connect() as conn:
        for f in warehouse.manifest["restricted_facilitators"]:
            masks = (
                conn.execute(
                    text(
                        "select distinct l.audience_mask from signal_entity l where l.entity_id = :e"
                    ),
                    {"e": f["entity_id"]},
                )
                .scalars()
                .all()
            )
            owner_bit = conn.scalar(
                text("select bit from agency where code = :c"), {"c": f["audience"][0]}
            )
            assert masks == [1 << owner_bit]


def test_violence_spike_stands_out_in_its_region(warehouse):
    spike = warehouse.manifest["violence_spike"]
    with warehouse.engine.connect() as conn:
        rows = conn.execute(
            text("""
            select to_char(month, 'YYYY-MM') as month, sum(signal_count) as n
            from rollup_signal_month
            where region_code = :r and phenomenon_code = any(:p)
            group by 1
        """),
            {"r": spike["region_code"], "p": spike["phenomena"]},
        ).all()
    counts = {r.month: int(r.n) for r in rows}
    others = [n for month, n in counts.items() if month != spike["month"]]
    assert counts[spike["month"]] >= spike["signals"]
    assert counts[spike["month"]] > 3 * max(statistics.median(others), 1)
    assert counts[spike["month"]] == max(counts.values())


def test_corruption_cluster_sits_at_its_port(warehouse):
    cluster = warehouse.manifest["corruption_cluster"]
    with warehouse.engine.connect() as conn:
        rows = conn.execute(
            text("""
            select node_code, sum(signal_count) as n from rollup_node_month
            where phenomenon_code = any(:p) and to_char(month, 'YYYY-MM') = any(:m)
            group by 1 order by 2 desc
        """),
            {"p": cluster["phenomena"], "m": cluster["months"]},
        ).all()
        insiders = conn.scalar(
            text("""
            select count(distinct l.entity_id) from signal_entity l join signal s on s.id = l.signal_id
            where s.node_code = :n and l.role = 'insider' and l.entity_id = any(:e)
        """),
            {"n": cluster["node_code"], "e": cluster["insider_entity_ids"]},
        )
    assert rows[0].node_code == cluster["node_code"]
    assert rows[0].n > 2 * rows[1].n
    assert insiders == 3


def test_tbml_flow_is_the_heaviest_trade_arc(warehouse):
    flow = warehouse.manifest["tbml_flow"]
    with warehouse.engine.connect() as conn:
        top = conn.execute(
            text("""
            select origin_node_code, node_code, sum(amount_eur) as amount, sum(signal_count) as n
            from rollup_node_month
            where phenomenon_code = :p and origin_node_code is not null
            group by 1, 2 order by amount desc limit 2
        """),
            {"p": flow["phenomenon"]},
        ).all()
    assert (top[0].origin_node_code, top[0].node_code) == (
        flow["origin_node_code"],
        flow["node_code"],
    )
    assert top[0].n >= flow["signals"]
    assert top[0].amount > 2 * top[1].amount
