-- rollup_entity_month
-- grain: one row per month, phenomenon, municipality, owning agency, handling code, audience and
-- linked entity. Distinct entities cannot be summed from counts, so this rollup keeps the entity
-- ids; a view counts distinct ids over the rows it is allowed to see.
-- A signal linked to an entity in several roles counts once: `links` holds distinct (row,
-- signal) pairs, then counted (count(distinct) sorted every group's signals apart: 48-50 s
-- against 40 s at 10M).
with links as (
    select distinct
        date_trunc('month', s.observed_on)::date as month,
        s.phenomenon_code,
        s.municipality_code,
        s.owner_agency,
        s.handling_code,
        s.audience_mask,
        l.entity_id,
        s.id as signal_id
    from signal_entity as l
    inner join signal as s on s.id = l.signal_id
    -- :months null rebuilds everything; otherwise only these months (incremental refresh)
    where
        (
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
        phenomenon_code,
        municipality_code,
        owner_agency,
        handling_code,
        audience_mask,
        entity_id,
        count(*) as signal_count
    from links
    group by 1, 2, 3, 4, 5, 6, 7
)

insert into rollup_entity_month (
    month, phenomenon_code, municipality_code, region_code, owner_agency, handling_code,
    audience_mask, entity_id, signal_count
)
select
    g.month,
    g.phenomenon_code,
    g.municipality_code,
    m.region_code,
    g.owner_agency,
    g.handling_code,
    g.audience_mask,
    g.entity_id,
    g.signal_count
from grouped as g
left join municipality as m on m.gm_code = g.municipality_code
-- in month order: a full build lays the rollup out by month, so that refreshing or merging the
-- recent months reads and writes their pages only, not pages all over the table
order by g.month
