-- rollup_facilitator_viewer_month
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), month and facilitator entity.
-- It is rollup_facilitator_region_month (refreshed before it, see warehouse/rollups.py) folded
-- over regions, exactly: owner bits and network masks or-ed, network arrays united, sums added.
-- That one is rollup_facilitator_month per viewing agency, with the quality weights (scoring.py)
-- applied.
-- Its size is agencies x months x facilitators, whatever the number of links: the ranking and the
-- category summary read it unless phenomena, regions, municipalities, owners or handling codes
-- are filtered (warehouse/queries/facilitators.py).
insert into rollup_facilitator_viewer_month (
    viewer_mask, month, entity_id, facilitator_category, agency_bits, network_ids,
    signal_count, amount_eur, weighted_count, weighted_amount, weighted_severity,
    own_network_ids, own_signal_count, own_weighted_count, own_weighted_amount,
    own_weighted_severity, network_bits, own_network_bits
)
select
    r.viewer_mask,
    r.month,
    r.entity_id,
    max(r.facilitator_category) as facilitator_category,
    bit_or(r.agency_bits) as agency_bits,
    array(
        select distinct n from unnest(nsoc_array_cat_agg(r.network_ids)) as n order by n
    ) as network_ids,
    sum(r.signal_count) as signal_count,
    sum(r.amount_eur) as amount_eur,
    sum(r.weighted_count) as weighted_count,
    sum(r.weighted_amount) as weighted_amount,
    sum(r.weighted_severity) as weighted_severity,
    array(
        select distinct n from unnest(nsoc_array_cat_agg(r.own_network_ids)) as n order by n
    ) as own_network_ids,
    sum(r.own_signal_count) as own_signal_count,
    sum(r.own_weighted_count) as own_weighted_count,
    sum(r.own_weighted_amount) as own_weighted_amount,
    sum(r.own_weighted_severity) as own_weighted_severity,
    bit_or(r.network_bits) as network_bits,
    bit_or(r.own_network_bits) as own_network_bits
from rollup_facilitator_region_month as r
-- :months null rebuilds everything; otherwise only these months (incremental refresh), found
-- through the source's grain index, which begins with the agency: every agency's mask is named
where
    (
        cast(:months as date []) is null
        or (
            r.viewer_mask = any(array(select 1::bigint << v.bit from agency as v))
            and r.month >= :lo and r.month < :hi and r.month = any(cast(:months as date []))
        )
    )
    -- :keys null: every facilitator; otherwise only these (a correction rebuilds the
    -- facilitators whose rows of rollup_facilitator_region_month it changed)
    and (cast(:keys as bigint []) is null or r.entity_id = any(cast(:keys as bigint [])))
group by r.viewer_mask, r.month, r.entity_id
-- a viewer's months lie together on disk: the views read one agency's months at a time
order by r.viewer_mask, r.month, r.entity_id
