-- rollup_facilitator_viewer_month
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), month, facilitator entity,
-- phenomenon, RIEC region, owning agency, network, source reliability, information credibility
-- and handling code. It is rollup_facilitator_month (refreshed before it, see
-- warehouse/rollups.py) summed over every audience that includes the viewing agency and over the
-- municipalities of a region: an agency's rows here hold exactly what row-level security lets it
-- see there. An (entity, owner, network) has a row for an agency exactly when one of its audience
-- variants there is visible to it, so distinct agencies and networks per entity come out the
-- same. The ranking reads it unless municipalities are filtered.
with visible as (
    select
        1::bigint << a.bit as viewer_mask,
        r.month,
        r.entity_id,
        r.facilitator_category,
        r.phenomenon_code,
        r.region_code,
        r.owner_agency,
        r.network_id,
        r.reliability,
        r.credibility,
        r.handling_code,
        r.signal_count,
        r.amount_eur,
        r.severity_sum
    from rollup_facilitator_month as r
    inner join agency as a on r.audience_mask & (1::bigint << a.bit) <> 0
    -- :months null rebuilds everything; otherwise only these months (incremental refresh)
    where
        cast(:months as date []) is null
        or (r.month >= :lo and r.month < :hi and r.month = any(cast(:months as date [])))
)

insert into rollup_facilitator_viewer_month (
    viewer_mask, month, entity_id, facilitator_category, phenomenon_code, region_code,
    owner_agency, network_id, reliability, credibility, handling_code,
    signal_count, amount_eur, severity_sum
)
select
    viewer_mask,
    month,
    entity_id,
    facilitator_category,
    phenomenon_code,
    region_code,
    owner_agency,
    network_id,
    reliability,
    credibility,
    handling_code,
    sum(signal_count) as signal_count,
    sum(amount_eur) as amount_eur,
    sum(severity_sum) as severity_sum
from visible
group by 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
order by 1, 2
