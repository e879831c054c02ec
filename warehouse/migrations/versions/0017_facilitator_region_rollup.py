"""A rollup per viewing agency, month, region and facilitator: the ranking by RIEC region.

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-29

A region filter (the RIEC region is how the partners organise themselves) sent the ranking and
the category summary to rollup_facilitator_month, about one row per link: at 10M signals a year
of it is 640,000 rows, read and filtered for each period (0.55-1.2 s for the ranking). This
rollup is rollup_facilitator_viewer_month (0014) with the region in its grain: the ranking of
one region reads the viewer's rows of that region only. rollup_facilitator_viewer_month is now
built from it, folded over regions (the same figures, exactly: bits or-ed, network arrays
united, sums added), so its SQL reads this table: migration 0014 no longer fills it (and since
0022, which fills both, nor does this one). Row-level security: an equality on the viewer's own mask, as in 0012 and 0014. No
foreign keys (0016).
"""

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_facilitator_region_month"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), month, RIEC region (null: abroad or
        -- unknown) and facilitator entity.
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            region_code varchar(8),
            entity_id bigint not null,
            facilitator_category varchar(24),
            agency_bits bigint not null,
            network_ids bigint [] not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            weighted_count float8 not null,
            weighted_amount float8 not null,
            weighted_severity float8 not null,
            own_network_ids bigint [] not null,
            own_signal_count bigint not null,
            own_weighted_count float8 not null,
            own_weighted_amount float8 not null,
            own_weighted_severity float8 not null,
            constraint {TABLE}_grain unique nulls not distinct (
                viewer_mask, month, region_code, entity_id
            )
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
        """
    )
    # Filled by migration 0022: today's SQL files read the network slots it creates (a
    # warehouse past this revision was filled here by the SQL of its day).


def downgrade() -> None:
    # rollup_facilitator_viewer_month keeps its rows (the same as before); its SQL file of
    # today reads this table, so run the code of this revision or later to refresh it.
    op.execute(f"drop table {TABLE}")
    op.execute(f"delete from rollup_refresh where rollup = '{TABLE}'")
