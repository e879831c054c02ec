-- rollup_facilitator_region_quarter
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), calendar quarter (month: the
-- quarter's first month), RIEC region (null: abroad or unknown) and facilitator entity. It is
-- rollup_facilitator_region_month (refreshed before it, see warehouse/rollups.py) folded over the
-- quarter's three months, exactly, as rollup_facilitator_viewer_quarter folds
-- rollup_facilitator_viewer_month: owner bits and network masks or-ed, network arrays united, sums
-- added, the quality-weighted signal count kept per month of the quarter (weighted_count_1, _2,
-- _3) for the decay by age. The ranking and the category summary read, when regions are filtered,
-- a period's whole quarters here and its other months from the monthly rollup
-- (warehouse/queries/facilitators.py).
insert into rollup_facilitator_region_quarter (
    viewer_mask, month, region_code, entity_id, facilitator_category, agency_bits,
    network_ids,
    signal_count, amount_eur, weighted_count_1, weighted_count_2, weighted_count_3,
    weighted_amount, weighted_severity,
    own_network_ids, own_signal_count, own_weighted_count_1, own_weighted_count_2,
    own_weighted_count_3, own_weighted_amount, own_weighted_severity, network_bits,
    own_network_bits
)
select
    r.viewer_mask,
    date_trunc('quarter', r.month)::date as month,
    r.region_code,
    r.entity_id,
    max(r.facilitator_category) as facilitator_category,
    bit_or(r.agency_bits) as agency_bits,
    array(
        select distinct n from unnest(nsoc_array_cat_agg(r.network_ids)) as n order by n
    ) as network_ids,
    sum(r.signal_count) as signal_count,
    sum(r.amount_eur) as amount_eur,
    -- the quarter's first, second and third month: 1, 4, 7, 10 leave 1 divided by 3
    coalesce(sum(r.weighted_count) filter (where extract(month from r.month)::int % 3 = 1), 0)
        as weighted_count_1,
    coalesce(sum(r.weighted_count) filter (where extract(month from r.month)::int % 3 = 2), 0)
        as weighted_count_2,
    coalesce(sum(r.weighted_count) filter (where extract(month from r.month)::int % 3 = 0), 0)
        as weighted_count_3,
    sum(r.weighted_amount) as weighted_amount,
    sum(r.weighted_severity) as weighted_severity,
    array(
        select distinct n from unnest(nsoc_array_cat_agg(r.own_network_ids)) as n order by n
    ) as own_network_ids,
    sum(r.own_signal_count) as own_signal_count,
    coalesce(
        sum(r.own_weighted_count) filter (where extract(month from r.month)::int % 3 = 1), 0
    ) as own_weighted_count_1,
    coalesce(
        sum(r.own_weighted_count) filter (where extract(month from r.month)::int % 3 = 2), 0
    ) as own_weighted_count_2,
    coalesce(
        sum(r.own_weighted_count) filter (where extract(month from r.month)::int % 3 = 0), 0
    ) as own_weighted_count_3,
    sum(r.own_weighted_amount) as own_weighted_amount,
    sum(r.own_weighted_severity) as own_weighted_severity,
    bit_or(r.network_bits) as network_bits,
    bit_or(r.own_network_bits) as own_network_bits
from rollup_facilitator_region_month as r
-- :months null rebuilds everything; otherwise only these quarters (their first months; an
-- incremental refresh rebuilds the quarters of the months it refreshes), between :lo and :hi,
-- found through the source's grain index, which begins with the agency: every agency's mask is
-- named
where
    (
        cast(:months as date []) is null
        or (
            r.viewer_mask = any(array(select 1::bigint << v.bit from agency as v))
            and r.month >= :lo and r.month < :hi
            and date_trunc('quarter', r.month)::date = any(cast(:months as date []))
        )
    )
    -- :keys null: every facilitator; otherwise only these (a correction rebuilds the
    -- facilitators whose rows of rollup_facilitator_region_month it rebuilt)
    and (cast(:keys as bigint []) is null or r.entity_id = any(cast(:keys as bigint [])))
group by r.viewer_mask, date_trunc('quarter', r.month)::date, r.region_code, r.entity_id
-- a viewer's quarters lie together on disk: the views read one agency's quarters at a time
order by r.viewer_mask, date_trunc('quarter', r.month)::date, r.region_code, r.entity_id
