-- rollup_h3_month
-- grain: one row per month, H3 cell at resolution 7, phenomenon, municipality, owning agency,
-- handling code and audience; signals without a place are left out
-- (coarser resolutions are the cells' H3 parents, computed when read)
with signals as (
    select
        date_trunc('month', s.observed_on)::date as month,
        s.h3_r7,
        s.phenomenon_code,
        s.municipality_code,
        s.owner_agency,
        s.handling_code,
        s.audience_mask,
        coalesce(s.amount_eur, 0) as amount_eur,
        s.severity
    from signal as s
    where
        s.h3_r7 is not null
        -- :months null rebuilds everything; otherwise only these months (incremental refresh)
        and (
            cast(:months as date []) is null
            or (
                s.observed_on >= :lo and s.observed_on < :hi
                and date_trunc('month', s.observed_on)::date = any(cast(:months as date []))
            )
        )
        -- :owners null: every owner; otherwise only these agencies' rows (a delivery's)
        and (
            cast(:owners as text []) is null
            or s.owner_agency = any(cast(:owners as text []))
        )
        -- :added null: every signal; otherwise only these new ones (a delivery's), whose
        -- counts are added to the rollup's rows (warehouse/rollups.py)
        and (
            cast(:added as bigint []) is null
            or s.id = any(cast(:added as bigint []))
        )
        -- :phenomena null: every phenomenon; otherwise only these (a correction's months are
        -- rebuilt for the phenomena it moved signals out of or into)
        and (
            cast(:phenomena as text []) is null
            or s.phenomenon_code = any(cast(:phenomena as text []))
        )
),

grouped as (
    select
        month,
        h3_r7,
        phenomenon_code,
        municipality_code,
        owner_agency,
        handling_code,
        audience_mask,
        count(*) as signal_count,
        sum(amount_eur) as amount_eur,
        sum(severity) as severity_sum,
        count(*) filter (where severity >= 4) as high_severity_count
    from signals
    group by month, h3_r7, phenomenon_code, municipality_code, owner_agency, handling_code,
        audience_mask
)

insert into rollup_h3_month (
    month, h3_r7, phenomenon_code, municipality_code, region_code, owner_agency,
    handling_code, audience_mask, signal_count, amount_eur, severity_sum, high_severity_count
)
select
    g.month,
    g.h3_r7,
    g.phenomenon_code,
    g.municipality_code,
    m.region_code,
    g.owner_agency,
    g.handling_code,
    g.audience_mask,
    g.signal_count,
    g.amount_eur,
    g.severity_sum,
    g.high_severity_count
from grouped as g
left join municipality as m on m.gm_code = g.municipality_code
-- in month order: a full build lays the rollup out by month, so that refreshing or merging the
-- recent months reads and writes their pages only, not pages all over the table
order by g.month
