-- rollup_node_month
-- grain: one row per month, Dutch logistics node, origin node, phenomenon, owning agency,
-- handling code and audience
with signals as (
    select
        date_trunc('month', s.observed_on)::date as month,
        s.node_code,
        s.origin_node_code,
        s.phenomenon_code,
        s.owner_agency,
        s.handling_code,
        s.audience_mask,
        coalesce(s.amount_eur, 0) as amount_eur
    from signal as s
    where
        s.node_code is not null
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
)

insert into rollup_node_month (
    month, node_code, origin_node_code, phenomenon_code, owner_agency, handling_code,
    audience_mask, signal_count, amount_eur
)
select
    month,
    node_code,
    origin_node_code,
    phenomenon_code,
    owner_agency,
    handling_code,
    audience_mask,
    count(*) as signal_count,
    sum(amount_eur) as amount_eur
from signals
group by 1, 2, 3, 4, 5, 6, 7
-- in month order: a full build lays the rollup out by month, so that refreshing or merging the
-- recent months reads and writes their pages only, not pages all over the table
order by 1
