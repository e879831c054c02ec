-- facilitator_network_slot (migration 0022; run by warehouse/rollups.py before
-- rollup_facilitator_region_month, after rollup_facilitator_month)
-- grain: one row per facilitator entity and network it serves (a link in rollup_facilitator_month
-- with a network), and the bit of the entity's network masks that stands for that network
-- (`slot`, 0..62; 63 for every network past the entity's 63rd: "count from the arrays"). The
-- per-agency facilitator rollups keep, beside each row's network id array, the mask of its
-- networks (network_bits, own_network_bits), so that the ranking counts an entity's distinct
-- networks over a period with bit_or and bit_count instead of uniting arrays.
-- A slot is given once and never changes: the masks of every month and quarter agree. New
-- networks of an entity take the next slots, in the order of their first month here.
-- :months null gives slots to every link without one; otherwise to those of these months.
insert into facilitator_network_slot (entity_id, network_id, slot)
select
    n.entity_id,
    n.network_id,
    least(
        63,
        coalesce(t.top, -1)
        + row_number() over (partition by n.entity_id order by n.first_month, n.network_id)
    ) as slot
from (
    select
        f.entity_id,
        f.network_id,
        min(f.month) as first_month
    from rollup_facilitator_month as f
    where
        f.network_id is not null
        and (
            cast(:months as date []) is null
            or (f.month >= :lo and f.month < :hi and f.month = any(cast(:months as date [])))
        )
        and not exists (
            select from facilitator_network_slot as s
            where s.entity_id = f.entity_id and s.network_id = f.network_id
        )
    group by f.entity_id, f.network_id
) as n
-- the entity's highest slot so far
left join lateral (
    select max(s.slot) as top from facilitator_network_slot as s where s.entity_id = n.entity_id
) as t on true
