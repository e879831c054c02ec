-- rollup_viewer_month
-- grain: one row per viewing agency (viewer_mask = 1 << its bit), month, phenomenon, RIEC region,
-- owning agency and handling code. It is rollup_signal_month (refreshed before it, see
-- warehouse/rollups.py) summed over every audience that includes the viewing agency and over
-- the municipalities of a region: an agency's rows here hold exactly what row-level security
-- lets it see there, in a third of the rows or less, and their number is bounded by the
-- dimensions (months x phenomena x regions x owners x handling codes), not by the signals.
-- Views read it unless municipalities are filtered.
insert into rollup_viewer_month (
    viewer_mask, month, phenomenon_code, region_code, owner_agency, handling_code,
    signal_count, amount_eur, severity_sum, high_severity_count, last_reported_at
)
select
    1::bigint << a.bit as viewer_mask,
    r.month,
    r.phenomenon_code,
    r.region_code,
    r.owner_agency,
    r.handling_code,
    sum(r.signal_count) as signal_count,
    sum(r.amount_eur) as amount_eur,
    sum(r.severity_sum) as severity_sum,
    sum(r.high_severity_count) as high_severity_count,
    max(r.last_reported_at) as last_reported_at
from rollup_signal_month as r
inner join agency as a on r.audience_mask & (1::bigint << a.bit) <> 0
-- :months null rebuilds everything; otherwise only these months (incremental refresh)
where
    (
        cast(:months as date []) is null
        or (r.month >= :lo and r.month < :hi and r.month = any(cast(:months as date [])))
    )
    -- :owners null: every owner; otherwise only these agencies' rows (a delivery's)
    and (
        cast(:owners as text []) is null
        or r.owner_agency = any(cast(:owners as text []))
    )
    -- :phenomena null: every phenomenon; otherwise only these (a correction's months are
    -- rebuilt for the phenomena it moved signals out of or into)
    and (
        cast(:phenomena as text []) is null
        or r.phenomenon_code = any(cast(:phenomena as text []))
    )
group by 1, 2, 3, 4, 5, 6
order by 1, 2
