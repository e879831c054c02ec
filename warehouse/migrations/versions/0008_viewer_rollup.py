"""A rollup per viewing agency for the views, and a covering index for distinct entities.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-28

rollup_signal_month keeps the audience mask in its grain, so every view summed many small rows
and filtered them by the viewer's bit. rollup_viewer_month holds, per agency, the sum over the
audiences that include it (and over municipalities): one row per viewer_mask, month,
phenomenon, region, owner and handling code. Its row-level security is an equality on the
viewer's own mask, so an agency reads only its own rows; the heatmaps, indicators and coverage
read it unless municipalities are filtered. Its size is bounded by the dimensions, not by the
number of signals.

The covering index on rollup_entity_month lets "distinct entities" read a period's rows from
the index alone.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_viewer_month"
SQL = Path(__file__).resolve().parents[2] / "sql" / f"{TABLE}.sql"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), month, phenomenon, region (null:
        -- abroad or unknown), owning agency and handling code.
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            phenomenon_code varchar(24) not null references phenomenon (code),
            region_code varchar(8) references riec_region (code),
            owner_agency varchar(16) not null references agency (code),
            handling_code char(2) not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            severity_sum bigint not null,
            high_severity_count bigint not null,
            last_reported_at timestamptz not null,
            constraint {TABLE}_grain unique nulls not distinct (
                viewer_mask, month, phenomenon_code, region_code, owner_agency, handling_code)
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

        create index rollup_entity_month_period_idx on rollup_entity_month (
            month, phenomenon_code, region_code, entity_id, audience_mask);
        """
    )
    # The SQL is today's file in warehouse/sql/ (not frozen with this migration): bind every
    # parameter it takes now, all null for "every month of every owner".
    op.get_bind().execute(
        sa.text(SQL.read_text(encoding="utf-8")),
        {"months": None, "lo": None, "hi": None, "owners": None, "added": None, "phenomena": None},
    )
    op.execute(f"analyze {TABLE}")


def downgrade() -> None:
    op.execute("drop index rollup_entity_month_period_idx")
    op.execute(f"drop table {TABLE}")
