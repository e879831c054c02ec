"""A rollup per viewing agency, quarter and facilitator for the ranking and the category summary.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-29

At 10M signals a year of rollup_facilitator_viewer_month is twelve rows for each of about
7,500 facilitators an agency sees; the ranking aggregates them per facilitator (about 125 ms a
period, two periods per page) and the category summary per category (about 80 ms). This rollup
folds the months of each calendar quarter: a period reads its whole quarters here and its other
months (at most four) from the monthly rollup, a third of the rows for a year. The
quality-weighted signal count is kept per month of the quarter, so the decay by age, which
depends on the month and the half-life the analyst chooses, is still applied when read and the
figures are the same as from the months. Row-level security: an equality on the viewer's own
mask, as in 0014. No foreign keys (0016). Filled by 0022.
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_facilitator_viewer_quarter"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), quarter (its first month) and
        -- facilitator entity.
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            entity_id bigint not null,
            facilitator_category varchar(24),
            agency_bits bigint not null,
            network_ids bigint [] not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            weighted_count_1 float8 not null,
            weighted_count_2 float8 not null,
            weighted_count_3 float8 not null,
            weighted_amount float8 not null,
            weighted_severity float8 not null,
            own_network_ids bigint [] not null,
            own_signal_count bigint not null,
            own_weighted_count_1 float8 not null,
            own_weighted_count_2 float8 not null,
            own_weighted_count_3 float8 not null,
            own_weighted_amount float8 not null,
            own_weighted_severity float8 not null,
            constraint {TABLE}_grain unique (viewer_mask, month, entity_id),
            constraint {TABLE}_quarter check (month = date_trunc('quarter', month)::date)
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
    # Filled by migration 0022: today's SQL file reads the network bits it adds (a warehouse
    # past this revision was filled here by the SQL of its day).


def downgrade() -> None:
    op.execute(f"drop table {TABLE}")
    op.execute(f"delete from rollup_refresh where rollup = '{TABLE}'")
