"""Rollup tables for the aggregate views (filled by warehouse/sql/*.sql).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        -- Grain: one row per month, phenomenon, municipality (null: abroad or unknown),
        -- owning agency, handling code and audience mask.
        create table rollup_signal_month (
            month date not null,
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
            last_reported_at timestamptz not null,
            constraint rollup_signal_month_grain unique nulls not distinct (
                month, phenomenon_code, municipality_code, owner_agency, handling_code,
                audience_mask)
        );
        create index rollup_signal_month_region_idx on rollup_signal_month (region_code, month);

        -- Grain: one row per month, Dutch logistics node, origin node (null: none known),
        -- phenomenon, owning agency, handling code and audience mask.
        create table rollup_node_month (
            month date not null,
            node_code varchar(12) not null references logistics_node (code),
            origin_node_code varchar(12) references logistics_node (code),
            phenomenon_code varchar(24) not null references phenomenon (code),
            owner_agency varchar(16) not null references agency (code),
            handling_code char(2) not null,
            audience_mask bigint not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            constraint rollup_node_month_grain unique nulls not distinct (
                month, node_code, origin_node_code, phenomenon_code, owner_agency,
                handling_code, audience_mask)
        );

        create table rollup_refresh (
            rollup varchar(40) primary key,
            refreshed_at timestamptz not null,
            source_rows bigint not null,
            rollup_rows bigint not null
        );
        """
    )


def downgrade() -> None:
    op.execute(
        """
        drop table rollup_refresh;
        drop table rollup_node_month;
        drop table rollup_signal_month;
        """
    )
