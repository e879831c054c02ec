-- rollup_entity_count_month (migration 0021; filled in by warehouse/entity_counts.py)
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), month, phenomenon, RIEC region
-- (null: abroad or unknown) and previous month: how many entities the agency sees in that cell
-- that month whose latest earlier month in the cell (seen by the agency) is previous_month
-- (null: never before). The distinct entities of a cell over start..end are the sum of the rows
-- of those months whose previous month is null or before start. Rows with all_regions count a
-- phenomenon's entities of a month over the whole map (previous_month null): the heatmap by month.
--
-- :first null counts every month; otherwise the months from :first on (the rollup's rows of those
-- months deleted first), with each cell's entities' latest month before :first per agency
-- read from the earlier months.
-- The three lists in braces below are filled in per agency bit (entity_counts.count_sql).
with recent as (
    -- per month, phenomenon, region and entity: the agencies that see it, as a bit mask
    select
        month,
        phenomenon_code,
        region_code,
        entity_id,
        bit_or(audience_mask) as audience
    from rollup_entity_month
    where cast(:first as date) is null or month >= :first
    group by 1, 2, 3, 4
),

earlier as (
    -- per cell and entity seen since :first (a region of null, abroad or unknown, as '': an
    -- equality, so that the joins hash), the latest month before :first in which each
    -- agency saw it there (nothing when everything is counted): one row per cell and entity,
    -- grouped by hashing, instead of its every month sorted into the window below
    select
        h.phenomenon_code,
        coalesce(h.region_code, '') as region_key,
        h.entity_id,
        {latest}
    from rollup_entity_month as h
    where
        h.month < :first
        and (h.entity_id, h.phenomenon_code, coalesce(h.region_code, '')) in (
            select r.entity_id, r.phenomenon_code, coalesce(r.region_code, '') from recent as r
        )
    group by 1, 2, 3
),

windowed as (
    -- per agency, the latest earlier month from :first on in which it saw the entity in the
    -- cell (null: not since :first; then the latest before, from `earlier`)
    select
        month,
        phenomenon_code,
        region_code,
        entity_id,
        audience,
        {windows}
    from recent
    window w as (
        partition by phenomenon_code, region_code, entity_id order by month
        rows between unbounded preceding and 1 preceding
    )
)

insert into rollup_entity_count_month (
    viewer_mask, month, phenomenon_code, region_code, all_regions, previous_month, entity_count
)
select
    v.viewer_mask,
    w.month,
    w.phenomenon_code,
    w.region_code,
    false as all_regions,
    v.previous_month,
    count(*) as entity_count
from windowed as w
left join earlier as e
    on
        e.phenomenon_code = w.phenomenon_code
        and e.region_key = coalesce(w.region_code, '')
        and e.entity_id = w.entity_id
cross join lateral (values {viewers}) as v (viewer_mask, previous_month)
where w.audience & v.viewer_mask <> 0
group by 1, 2, 3, 4, 6
union all
-- the whole map: per month, phenomenon and entity, the agencies that see it in some region
select
    1::bigint << a.bit as viewer_mask,
    m.month,
    m.phenomenon_code,
    null as region_code,
    true as all_regions,
    null as previous_month,
    count(*) as entity_count
from (
    select month, phenomenon_code, entity_id, bit_or(audience) as audience
    from recent
    group by 1, 2, 3
) as m
inner join agency as a on m.audience & (1::bigint << a.bit) <> 0
group by 1, 2, 3
-- a viewer's months lie together on disk: the heatmap reads one agency's months at a time
order by 1, 2
