"""The synthetic data has the shapes of shared/domain/facts.md, and keeps its promises."""

from __future__ import annotations

from sqlalchemy import text


def _scalar(warehouse, sql: str, **params):
    with warehouse.engine.connect() as conn:
        return conn.scalar(text(sql), params)


def test_cocaine_finds_concentrate_at_rotterdam_vlissingen_and_schiphol(warehouse):
    share = _scalar(
        warehouse,
        """
        select avg((node_code in ('NLRTM', 'NLRTM-MV2', 'NLVLI', 'EHAM'))::int)
        from signal where phenomenon_code = 'DRG_COCAINE_IMPORT'""",
    )
    assert share > 0.7


def test_cocaine_sizes_are_heavy_tailed(warehouse):
    with warehouse.engine.connect() as conn:
        row = conn.execute(
            text("""
            select percentile_cont(0.5) within group (order by quantity_kg) as median,
                   max(quantity_kg) as top, avg((quantity_kg < 100)::int) as small_share
            from signal where phenomenon_code = 'DRG_COCAINE_IMPORT'""")
        ).one()
    assert row.small_share > 0.5
    assert row.top > 20 * row.median


def test_explosions_concentrate_in_big_cities_at_night_and_grow(warehouse):
    with warehouse.engine.connect() as conn:
        top = (
            conn.execute(
                text("""
            select municipality_code from signal where phenomenon_code = 'VIO_EXPLOSION'
            group by 1 order by count(*) desc limit 3""")
            )
            .scalars()
            .all()
        )
        night = conn.scalar(
            text("""
            select avg((extract(hour from reported_at at time zone 'UTC') between 1 and 3)::int)
            from signal where phenomenon_code = 'VIO_EXPLOSION'""")
        )
        by_year = dict(
            conn.execute(
                text("""
            select extract(year from observed_on)::int, count(*) from signal
            where phenomenon_code = 'VIO_EXPLOSION' group by 1""")
            ).all()
        )
    assert set(top) <= {
        "GM0599",
        "GM0363",
        "GM0518",
        "GM0796",
    }  # Rotterdam, Amsterdam, Den Haag, Den Bosch
    assert night > 0.4
    assert by_year[2022] < by_year[2023] < by_year[2024]


def test_transaction_amounts_are_heavy_tailed(warehouse):
    with warehouse.engine.connect() as conn:
        row = conn.execute(
            text("""
            select percentile_cont(0.5) within group (order by amount_eur) as median,
                   percentile_cont(0.999) within group (order by amount_eur) as p999
            from signal where phenomenon_code = 'ML_SUSPICIOUS_TX'""")
        ).one()
    assert row.p999 > 50 * row.median


def test_sharing_mix_is_mostly_all_partners(warehouse):
    with warehouse.engine.connect() as conn:
        all_mask = conn.scalar(text("select sum(1::bigint << bit) from agency"))
        row = conn.execute(
            text("""
            select avg((audience_mask = :all)::int) as shared,
                   avg((bit_count(audience_mask::bit(63)) = 1)::int) as owner_only
            from signal"""),
            {"all": all_mask},
        ).one()
    assert 0.55 < row.shared < 0.8
    assert 0.05 < row.owner_only < 0.25


def test_owner_is_always_in_the_audience(warehouse):
    assert (
        _scalar(
            warehouse,
            """
        select count(*) from signal s join agency a on a.code = s.owner_agency
        where s.audience_mask & (1::bigint << a.bit) = 0""",
        )
        == 0
    )


def test_links_carry_their_signals_audience(warehouse):
    assert (
        _scalar(
            warehouse,
            """
        select count(*) from signal_entity l join signal s on s.id = l.signal_id
        where l.audience_mask <> s.audience_mask""",
        )
        == 0
    )


def test_every_agency_reports_and_entities_are_shared_across_agencies(warehouse):
    assert _scalar(warehouse, "select count(distinct owner_agency) from signal") == _scalar(
        warehouse, "select count(*) from agency"
    )
    shared = _scalar(
        warehouse,
        """
        select count(*) from (
            select l.entity_id from signal_entity l join signal s on s.id = l.signal_id
            group by 1 having count(distinct s.owner_agency) >= 3) x""",
    )
    assert shared > 100


def test_facilitators_serve_several_networks(warehouse):
    assert (
        _scalar(
            warehouse,
            """
        select count(*) from (
            select l.entity_id from signal_entity l join signal s on s.id = l.signal_id
            where l.role = 'facilitator' and s.network_id is not null
            group by 1 having count(distinct s.network_id) >= 2) x""",
        )
        > 20
    )


def test_persons_are_pseudonyms_only(warehouse):
    with warehouse.engine.connect() as conn:
        rows = conn.execute(
            text("select person_pseudonym, display_name from entity where kind = 'person'")
        ).all()
    assert rows
    assert all(len(p) == 64 and int(p, 16) >= 0 for p, _ in rows)
    # The name shown is derived from the pseudonym; nothing of the clear identifier is stored.
    assert all(name == f"Persoon {p[:10]}" for p, name in rows)


def test_every_signal_has_a_place_and_h3_cells(warehouse):
    assert (
        _scalar(
            warehouse,
            """
        select count(*) from signal where lat is null or h3_r7 is null
        or (municipality_code is null and node_code is null)""",
        )
        == 0
    )
