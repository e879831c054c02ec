-- rollup_facilitator_region_month
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), month, RIEC region (null:
-- abroad or unknown) and facilitator entity. It is rollup_facilitator_month (refreshed before it,
-- see warehouse/rollups.py) taken over every audience that includes the viewing agency and
-- folded over phenomena, municipalities, owners, networks, evaluations and handling codes:
-- distinct owners as a bit mask (agency_bits),
-- distinct networks as a sorted array and as a mask (network_bits: facilitator_network_slot,
-- migration 0022), the quality weights (scoring.py, bound as :rel_codes …)
-- applied per row and summed, and the same for the viewing agency's own signals (own_*).
-- Its size is agencies x months x facilitators x the regions they act in, whatever the number of
-- links: the ranking and the category summary read it when regions (and months) are filtered
-- (warehouse/queries/facilitators.py); rollup_facilitator_viewer_month folds it over regions.
with quality as (
    select
        r.code as reliability,
        c.code as credibility,
        r.w * c.w as weight
    from unnest(cast(:rel_codes as text []), cast(:rel_w as float8 [])) as r (code, w)
    cross join unnest(cast(:cred_codes as int []), cast(:cred_w as float8 [])) as c (code, w)
),

visible as (
    -- each row once per agency in its audience
    select
        1::bigint << a.bit as viewer_mask,
        f.month,
        f.region_code,
        f.entity_id,
        f.facilitator_category,
        1::bigint << o.bit as owner_bit,
        f.owner_agency = a.code as own,
        f.network_id,
        -- the network's bit among the entity's (migration 0022); none found counts as bit 63,
        -- "count from the arrays", which is exact whatever happened
        1::bigint << coalesce(s.slot, 63) as network_bit,
        f.signal_count,
        f.amount_eur,
        f.signal_count * q.weight as weighted_count,
        f.amount_eur * q.weight as weighted_amount,
        f.severity_sum * q.weight as weighted_severity
    from rollup_facilitator_month as f
    inner join agency as a on f.audience_mask & (1::bigint << a.bit) <> 0
    inner join agency as o on o.code = f.owner_agency
    inner join quality as q
        on q.reliability = f.reliability::text and q.credibility = f.credibility
    left join facilitator_network_slot as s
        on s.entity_id = f.entity_id and s.network_id = f.network_id
    -- :months null rebuilds everything; otherwise only these months (incremental refresh)
    where
        (
            cast(:months as date []) is null
            or (f.month >= :lo and f.month < :hi and f.month = any(cast(:months as date [])))
        )
        -- :keys null: every facilitator; otherwise only these (a correction rebuilds the
        -- facilitators whose rows of rollup_facilitator_month it changed)
        and (cast(:keys as bigint []) is null or f.entity_id = any(cast(:keys as bigint [])))
)

insert into rollup_facilitator_region_month (
    viewer_mask, month, region_code, entity_id, facilitator_category, agency_bits, network_ids,
    signal_count, amount_eur, weighted_count, weighted_amount, weighted_severity,
    own_network_ids, own_signal_count, own_weighted_count, own_weighted_amount,
    own_weighted_severity, network_bits, own_network_bits
)
select
    viewer_mask,
    month,
    region_code,
    entity_id,
    max(facilitator_category) as facilitator_category,
    bit_or(owner_bit) as agency_bits,
    coalesce(
        array_agg(distinct network_id order by network_id)
            filter (where network_id is not null),
        '{}'
    ) as network_ids,
    sum(signal_count) as signal_count,
    sum(amount_eur) as amount_eur,
    sum(weighted_count) as weighted_count,
    sum(weighted_amount) as weighted_amount,
    sum(weighted_severity) as weighted_severity,
    coalesce(
        array_agg(distinct network_id order by network_id)
            filter (where own and network_id is not null),
        '{}'
    ) as own_network_ids,
    coalesce(sum(signal_count) filter (where own), 0) as own_signal_count,
    coalesce(sum(weighted_count) filter (where own), 0) as own_weighted_count,
    coalesce(sum(weighted_amount) filter (where own), 0) as own_weighted_amount,
    coalesce(sum(weighted_severity) filter (where own), 0) as own_weighted_severity,
    coalesce(bit_or(network_bit) filter (where network_id is not null), 0) as network_bits,
    coalesce(bit_or(network_bit) filter (where own and network_id is not null), 0)
        as own_network_bits
from visible
group by viewer_mask, month, region_code, entity_id
-- a viewer's months lie together on disk: the views read one agency's months at a time
order by viewer_mask, month, region_code, entity_id
