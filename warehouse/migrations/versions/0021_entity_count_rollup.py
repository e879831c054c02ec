"""Distinct entities per cell, counted by the month each entity was last seen there before.

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-29

"Distinct entities" in a heatmap is the size of the union of a cell's entity arrays
(rollup_entity_set_month, 0011): at 10M signals a year's region cells deduplicate ~3.4 million
ids, 0.4 to 1.3 s. rollup_entity_count_month counts instead, per viewing agency, month,
phenomenon and region, the entities the agency sees there that month, split by the latest
earlier month the agency saw each of them in that cell (previous_month; null: never before).
The distinct entities of a cell over start..end are then a sum: the rows of those months whose
previous month is null or before start. Rows with all_regions count a phenomenon's entities of a
month over the whole map (the heatmap by month: one month a cell; their previous_month is null).

It is not rebuilt inside a delivery's transaction (a new month's entities need their history
looked up: tens of seconds at 10M). rollup_stale records, per rollup kept this way, the first
month whose rows are out of date; the delivery marks it, a follow-up step after the commit
recounts from that month on (warehouse/entity_counts.py), and until then the heatmap reads the
entity sets for periods that reach a stale month. Row-level security: an equality on the
viewer's own mask, as in 0018. No foreign keys (0016).
"""

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_entity_count_month"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), month, phenomenon, region (null: abroad
        -- or unknown; with all_regions: the whole map) and previous month.
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            phenomenon_code varchar(24) not null,
            region_code varchar(8),
            all_regions boolean not null,
            previous_month date,
            entity_count bigint not null,
            constraint {TABLE}_grain unique nulls not distinct (
                viewer_mask, month, phenomenon_code, region_code, all_regions, previous_month),
            constraint {TABLE}_map check (not all_regions or
                (region_code is null and previous_month is null)),
            constraint {TABLE}_before check (previous_month < month)
        );

        grant select on {TABLE} to {APP};
        alter table {TABLE} enable row level security;
        alter table {TABLE} force row level security;
        create policy viewer_own_rows on {TABLE} for select to {APP} using ({OWN_ROWS});
        do $$ begin
            execute format(
                'create policy maintenance on {TABLE} to %I using (true) with check (true)',
                current_user);
        end $$;

        -- Rollups recounted after a delivery's commit instead of inside it: a row says from
        -- which month on (first day) the rollup is out of date; no row, up to date.
        create table rollup_stale (
            rollup varchar(64) primary key,
            stale_from date not null
        );
        grant select on rollup_stale to {APP};
        """
    )
    # Today's module (not frozen with this migration) builds it.
    from warehouse import entity_counts

    entity_counts.rebuild(op.get_bind())
    op.execute(f"analyze {TABLE}")


def downgrade() -> None:
    op.execute("drop table rollup_stale")
    op.execute(f"drop table {TABLE}")
    op.execute(f"delete from rollup_refresh where rollup = '{TABLE}'")
