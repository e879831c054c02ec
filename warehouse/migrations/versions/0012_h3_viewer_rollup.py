"""A rollup per viewing agency for the map's hexagons.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28

rollup_h3_month keeps the audience mask (and phenomenon, owner and handling code) in its grain;
the cells are sparse, so a year of one agency's map meant summing ~110,000 rows at demo size and
filtering each by the viewer's bit. As 0008 did for the heatmaps, rollup_h3_viewer_month holds
per agency the sum over the audiences that include it, here also over phenomena, owners and
handling codes: one row per viewer_mask, month, H3 cell and municipality (~11,000 rows for that
year). Its row-level security is an equality on the viewer's own mask. The hexagons read it
unless phenomena, owners or handling codes are filtered.

The facilitator ranking got no such rollup: rollup_facilitator_month holds about one row per
facilitator link (24,718 rows visible to politie for a year at demo size, 24,710 once summed
over audiences), so a per-agency copy reads as many rows and its query was not faster.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_h3_viewer_month"
SQL = Path(__file__).resolve().parents[2] / "sql" / f"{TABLE}.sql"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), month, H3 cell at resolution 7 and
        -- municipality (null: none known); the region rides along.
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            h3_r7 varchar(15) not null,
            municipality_code varchar(6) references municipality (gm_code),
            region_code varchar(8) references riec_region (code),
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            severity_sum bigint not null,
            high_severity_count bigint not null,
            constraint {TABLE}_grain unique nulls not distinct (
                viewer_mask, month, h3_r7, municipality_code)
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
    op.get_bind().execute(
        sa.text(SQL.read_text(encoding="utf-8")),
        {"months": None, "lo": None, "hi": None, "keys": None},
    )
    op.execute(f"analyze {TABLE}")


def downgrade() -> None:
    op.execute(f"drop table {TABLE}")
    op.execute(f"delete from rollup_refresh where rollup = '{TABLE}'")
