"""A rollup per viewing agency, month and facilitator for the ranking and the category summary.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-29

rollup_facilitator_month keeps municipality, owner, network, evaluation, handling code and
audience in its grain, so it holds about one row per facilitator link: at 10M signals the
ranking read millions of rows (4 s) and the category summary 0.7-1.2 s. Summing it per viewing
agency alone (as 0008 and 0012 do) did not shrink it: the grain still carried every link.

rollup_facilitator_viewer_month folds all of that away per viewing agency, month and entity:
the distinct owners as a bit mask (agency bits, exact: bit_or, then bit_count), the distinct
networks as a sorted array (exact: the union over the months is counted), the sums of signals,
amounts and the quality-weighted signals, amounts and severities (the decay depends only on
the month, so it is applied when read), and the same for the viewer's own agency's signals.
Its size is agencies x months x facilitators; the number of facilitators grows far slower than
the links. Row-level security: an equality on the viewer's own mask, as in 0012. Phenomena,
regions, municipalities, owners and handling codes are not in this grain: with any of those
filtered the queries still read rollup_facilitator_month.
"""

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_facilitator_viewer_month"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), month and facilitator entity. No foreign
        -- key to entity: a reseed truncates it while the rollup is rebuilt from scratch anyway.
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            entity_id bigint not null,
            facilitator_category varchar(24) references facilitator_category (code),
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
            constraint {TABLE}_grain unique (viewer_mask, month, entity_id)
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
    # Filled by migration 0017: today's SQL file builds this rollup from the one 0017 creates
    # (per region), which does not exist yet at this revision.


def downgrade() -> None:
    op.execute(f"drop table {TABLE}")
    op.execute(f"delete from rollup_refresh where rollup = '{TABLE}'")
