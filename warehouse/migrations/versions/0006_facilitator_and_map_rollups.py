"""Rollups for the facilitator rankings and the map (filled by warehouse/sql/*.sql).

Revision ID: 0006
Revises: 0004
Create Date: 2026-11-28

Both carry the audience mask of their signals and get the same row-level security as the
rollups of 0003: a row is visible to nsoc_app only when the viewer's agency is in its audience.
Entity ids in rollup_facilitator_month are not names: managers may read the rows, the query
functions only ever give them per-category aggregates with small-cell suppression.
"""

from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLES = ("rollup_facilitator_month", "rollup_h3_month")
USING = "audience_mask & nsoc_viewer_mask() <> 0 and nsoc_viewer_role() <> ''"


def upgrade() -> None:
    op.execute(
        """
        -- Grain: one row per month, facilitator entity, phenomenon, municipality, owning agency,
        -- network, source reliability, information credibility, handling code and audience.
        -- Only links with role 'facilitator'. No foreign key to entity or network: a reseed
        -- truncates those while the rollup is rebuilt from scratch anyway.
        create table rollup_facilitator_month (
            month date not null,
            entity_id bigint not null,
            facilitator_category varchar(24) references facilitator_category (code),
            phenomenon_code varchar(24) not null references phenomenon (code),
            municipality_code varchar(6) references municipality (gm_code),
            region_code varchar(8) references riec_region (code),
            owner_agency varchar(16) not null references agency (code),
            network_id bigint,
            reliability char(1) not null,
            credibility smallint not null,
            handling_code char(2) not null,
            audience_mask bigint not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            severity_sum bigint not null,
            constraint rollup_facilitator_month_grain unique nulls not distinct (
                month, entity_id, phenomenon_code, municipality_code, owner_agency, network_id,
                reliability, credibility, handling_code, audience_mask)
        );
        create index rollup_facilitator_month_month_idx
            on rollup_facilitator_month (month, facilitator_category);

        -- Grain: one row per month, H3 cell at resolution 7, phenomenon, municipality, owning
        -- agency, handling code and audience (coarser cells are H3 parents, taken when read).
        create table rollup_h3_month (
            month date not null,
            h3_r7 varchar(15) not null,
            phenomenon_code varchar(24) not null references phenomenon (code),
            municipality_code varchar(6) references municipality (gm_code),
            region_code varchar(8) references riec_region (code),
            owner_agency varchar(16) not null references agency (code),
            handling_code char(2) not null,
            audience_mask bigint not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            severity_sum bigint not null,
            high_severity_count bigint not null,
            constraint rollup_h3_month_grain unique nulls not distinct (
                month, h3_r7, phenomenon_code, municipality_code, owner_agency, handling_code,
                audience_mask)
        );
        create index rollup_h3_month_month_idx on rollup_h3_month (month, phenomenon_code);
        """
    )
    for table in TABLES:
        op.execute(
            f"""
            grant select on {table} to {APP};
            alter table {table} enable row level security;
            alter table {table} force row level security;
            create policy viewer_audience on {table} for select to {APP} using ({USING});
            do $$ begin
                execute format(
                    'create policy maintenance on {table} to %I using (true) with check (true)',
                    current_user);
            end $$;
            """
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"drop table {table}")
    op.execute(
        "delete from rollup_refresh where rollup in ('rollup_facilitator_month', 'rollup_h3_month')"
    )
