-- rollup_node_viewer_month
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), month, Dutch logistics node,
-- origin node (null: not a flow) and phenomenon. It is rollup_node_month (refreshed before it,
-- see warehouse/rollups.py) summed over every audience that includes the viewing agency and
-- over owners and handling codes: at 10M signals an agency's year is 2,600 rows here against
-- 68,000 there. The map's ports and flows read it unless owners or handling codes are filtered
-- (warehouse/queries/geo.py).
insert into rollup_node_viewer_month (
    viewer_mask, month, node_code, origin_node_code, phenomenon_code, signal_count, amount_eur
)
select
    1::bigint << a.bit as viewer_mask,
    r.month,
    r.node_code,
    r.origin_node_code,
    r.phenomenon_code,
    sum(r.signal_count) as signal_count,
    sum(r.amount_eur) as amount_eur
from rollup_node_month as r
inner join agency as a on r.audience_mask & (1::bigint << a.bit) <> 0
-- :months null rebuilds everything; otherwise only these months (incremental refresh)
where
    (
        cast(:months as date []) is null
        or (r.month >= :lo and r.month < :hi and r.month = any(cast(:months as date [])))
    )
    -- :phenomena null: every phenomenon; otherwise only these (a correction's months are
    -- rebuilt for the phenomena it moved signals out of or into)
    and (
        cast(:phenomena as text []) is null
        or r.phenomenon_code = any(cast(:phenomena as text []))
    )
group by 1, 2, 3, 4, 5
-- a viewer's months lie together on disk: the views read one agency's months at a time
order by 1, 2
