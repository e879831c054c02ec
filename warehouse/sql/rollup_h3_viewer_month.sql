-- rollup_h3_viewer_month
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), month, H3 cell at resolution 7
-- and municipality (the region rides along). It is rollup_h3_month (refreshed before it, see
-- warehouse/rollups.py) summed over every audience that includes the viewing agency and over
-- phenomena, owning agencies and handling codes: a year of one agency's map is ~11,000 rows
-- instead of ~110,000 at demo size (the cells are sparse, so the audience alone hardly
-- aggregates). The map reads it unless phenomena, owners or handling codes are filtered.
with visible as (
    select
        1::bigint << a.bit as viewer_mask,
        r.month,
        r.h3_r7,
        r.municipality_code,
        r.region_code,
        r.signal_count,
        r.amount_eur,
        r.severity_sum,
        r.high_severity_count
    from rollup_h3_month as r
    inner join agency as a on r.audience_mask & (1::bigint << a.bit) <> 0
    -- :months null rebuilds everything; otherwise only these months (incremental refresh)
    where
        (
            cast(:months as date []) is null
            or (r.month >= :lo and r.month < :hi and r.month = any(cast(:months as date [])))
        )
        -- :keys null: every cell; otherwise only these (a correction rebuilds the cells whose
        -- rows of rollup_h3_month it changed)
        and (cast(:keys as text []) is null or r.h3_r7 = any(cast(:keys as text [])))
)

insert into rollup_h3_viewer_month (
    viewer_mask, month, h3_r7, municipality_code, region_code,
    signal_count, amount_eur, severity_sum, high_severity_count
)
select
    viewer_mask,
    month,
    h3_r7,
    municipality_code,
    region_code,
    sum(signal_count) as signal_count,
    sum(amount_eur) as amount_eur,
    sum(severity_sum) as severity_sum,
    sum(high_severity_count) as high_severity_count
from visible
group by 1, 2, 3, 4, 5
order by 1, 2
