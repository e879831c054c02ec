"""A rollup per viewing agency, month, phenomenon and region: the heatmaps' and indicators' cells.

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-29

The heatmaps and the indicators read rollup_viewer_month (0008), whose grain also holds the
owning agency and the handling code: at 10M signals the indicator series (three years of
history) read 188,000 of an agency's rows to sum them into 8,500 cells, and the heatmaps a year
of them. This rollup is rollup_viewer_month folded over owners and handling codes, with the
owners as a bit mask (their number is a cell's contributing agencies). It is built from
rollup_viewer_month after each refresh; the views read it unless owners, handling codes or
municipalities are filtered. Row-level security: an equality on the viewer's own mask, as in
0008. No foreign keys (0016).
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_viewer_cell_month"
SQL = Path(__file__).resolve().parents[2] / "sql" / f"{TABLE}.sql"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), month, phenomenon and region (null:
        -- abroad or unknown).
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            phenomenon_code varchar(24) not null,
            region_code varchar(8),
            agency_bits bigint not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            severity_sum bigint not null,
            high_severity_count bigint not null,
            last_reported_at timestamptz not null,
            constraint {TABLE}_grain unique nulls not distinct (
                viewer_mask, month, phenomenon_code, region_code)
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
    # Today's SQL file (not frozen with this migration): every parameter it takes, all null for
    # "every month".
    op.get_bind().execute(
        sa.text(SQL.read_text(encoding="utf-8")),
        {"months": None, "lo": None, "hi": None, "phenomena": None},
    )
    op.execute(f"analyze {TABLE}")


def downgrade() -> None:
    op.execute(f"drop table {TABLE}")
    op.execute(f"delete from rollup_refresh where rollup = '{TABLE}'")
