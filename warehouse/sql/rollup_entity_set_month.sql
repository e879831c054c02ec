-- rollup_entity_set_month
-- grain: one row per month, phenomenon, RIEC region (null: abroad or unknown) and audience: the
-- sorted, distinct ids of the entities linked to those signals, as one array. Built from
-- rollup_entity_month (refreshed before it, see warehouse/rollups.py). "Distinct entities" in a
-- heatmap is the size of the union of a cell's arrays over the months and audiences the viewer
-- may see (warehouse/queries/heatmaps.py): a year at demo size is ~11,000 arrays instead of
-- ~200,000 rows to sort.
insert into rollup_entity_set_month (
    month, phenomenon_code, region_code, audience_mask, entity_ids
)
select
    r.month,
    r.phenomenon_code,
    r.region_code,
    r.audience_mask,
    array_agg(distinct r.entity_id order by r.entity_id) as entity_ids
from rollup_entity_month as r
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
group by 1, 2, 3, 4
-- in month order: a full build lays the rollup out by month, so that refreshing or merging the
-- recent months reads and writes their pages only, not pages all over the table
order by 1
