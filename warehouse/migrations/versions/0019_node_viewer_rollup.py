"""A rollup per viewing agency, month, Dutch node, origin and phenomenon: the map's ports and flows.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-29

The map's ports and flows read rollup_node_month, whose grain holds the audience, the owning
agency and the handling code: at 10M signals an agency's year is 68,000 rows of it, summed into
a few hundred ports and arcs (70-130 ms). This rollup is rollup_node_month summed over the
audiences that include each agency and over owners and handling codes (2,600 rows for that
year), built from it after each refresh; the map reads it unless owners or handling codes are
filtered. Row-level security: an equality on the viewer's own mask, as in 0008. No foreign keys
(0016).
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_node_viewer_month"
SQL = Path(__file__).resolve().parents[2] / "sql" / f"{TABLE}.sql"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), month, Dutch node, origin node (null:
        -- not a flow) and phenomenon.
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            node_code varchar(12) not null,
            origin_node_code varchar(12),
            phenomenon_code varchar(24) not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            constraint {TABLE}_grain unique nulls not distinct (
                viewer_mask, month, node_code, origin_node_code, phenomenon_code)
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
