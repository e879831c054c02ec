-- rollup_facilitator_month
-- grain: one row per month, facilitator entity, phenomenon, municipality, owning agency, network,
-- source reliability, information credibility, handling code and audience
with links as (
    select
        l.signal_id,
        l.entity_id
    from signal_entity as l
    where l.role = 'facilitator'
),

signals as (
    select
        date_trunc('month', s.observed_on)::date as month,
        l.entity_id,
        s.phenomenon_code,
        s.municipality_code,
        s.owner_agency,
        s.network_id,
        s.reliability,
        s.credibility,
        s.handling_code,
        s.audience_mask,
        coalesce(s.amount_eur, 0) as amount_eur,
        s.severity
    from links as l
    join signal as s on s.id = l.signal_id
    -- :months null rebuilds everything; otherwise only these months (incremental refresh)
    where
        (
            cast(:months as date []) is null
            or (
                s.observed_on >= :lo and s.observed_on < :hi
                and date_trunc('month', s.observed_on)::date = any(cast(:months as date []))
            )
        )
        -- :owners null: every owner; otherwise only these agencies' rows (a delivery's)
        and (
            cast(:owners as text []) is null
            or s.owner_agency = any(cast(:owners as text []))
        )
        -- :added null: every signal; otherwise only these new ones (a delivery's), whose
        -- counts are added to the rollup's rows (warehouse/rollups.py)
        and (
            cast(:added as bigint []) is null
            or s.id = any(cast(:added as bigint []))
        )
        -- :phenomena null: every phenomenon; otherwise only these (a correction's months are
        -- rebuilt for the phenomena it moved signals out of or into)
        and (
            cast(:phenomena as text []) is null
            or s.phenomenon_code = any(cast(:phenomena as text []))
        )
),

grouped as (
    select
        month,
        entity_id,
        phenomenon_code,
        municipality_code,
        owner_agency,
        network_id,
        reliability,
        credibility,
        handling_code,
        audience_mask,
        count(*) as signal_count,
        sum(amount_eur) as amount_eur,
        sum(severity) as severity_sum
    from signals
    group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
)

insert into rollup_facilitator_month (
    month, entity_id, facilitator_category, phenomenon_code, municipality_code, region_code,
    owner_agency, network_id, reliability, credibility, handling_code, audience_mask,
    signal_count, amount_eur, severity_sum
)
select
    g.month,
    g.entity_id,
    e.facilitator_category,
    g.phenomenon_code,
    g.municipality_code,
    m.region_code,
    g.owner_agency,
    g.network_id,
    g.reliability,
    g.credibility,
    g.handling_code,
    g.audience_mask,
    g.signal_count,
    g.amount_eur,
    g.severity_sum
from grouped as g
join entity as e on e.id = g.entity_id
left join municipality as m on m.gm_code = g.municipality_code
-- in month order: a full build lays the rollup out by month, so that refreshing or merging the
-- recent months reads and writes their pages only, not pages all over the table
order by g.month
