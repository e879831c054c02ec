-- rollup_viewer_cell_month
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), month, phenomenon and RIEC
-- region (null: abroad or unknown): a heatmap's cell in a month. It is rollup_viewer_month
-- (refreshed before it, see warehouse/rollups.py) folded over owning agencies and handling
-- codes: the owners as a bit mask (agency_bits, 1 << agency.bit each; their number is the
-- contributing agencies), counts and sums added. At 10M signals an agency's three years are
-- 8,500 rows here against 188,000 there. The heatmaps and indicators read it unless owners,
-- handling codes or municipalities are filtered (warehouse/queries/where.py, cell_rollup).
insert into rollup_viewer_cell_month (
    viewer_mask, month, phenomenon_code, region_code, agency_bits,
    signal_count, amount_eur, severity_sum, high_severity_count, last_reported_at
)
select
    r.viewer_mask,
    r.month,
    r.phenomenon_code,
    r.region_code,
    bit_or(1::bigint << a.bit) as agency_bits,
    sum(r.signal_count) as signal_count,
    sum(r.amount_eur) as amount_eur,
    sum(r.severity_sum) as severity_sum,
    sum(r.high_severity_count) as high_severity_count,
    max(r.last_reported_at) as last_reported_at
from rollup_viewer_month as r
inner join agency as a on a.code = r.owner_agency
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
    -- :phenomena null: every phenomenon; otherwise only these (a correction's months are
    -- rebuilt for the phenomena it moved signals out of or into)
    and (
        cast(:phenomena as text []) is null
        or r.phenomenon_code = any(cast(:phenomena as text []))
    )
group by 1, 2, 3, 4
-- a viewer's months lie together on disk: the views read one agency's months at a time
order by 1, 2
