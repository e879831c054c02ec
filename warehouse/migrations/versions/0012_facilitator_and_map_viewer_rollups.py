"""Rollups per viewing agency for the facilitator ranking and the map's hexagons.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-28

rollup_facilitator_month and rollup_h3_month keep the audience mask in their grain, so the
ranking and the hexagons aggregated every audience variant of a cell and filtered each by the
viewer's bit. As 0008 did for the heatmaps, these hold per agency the sum over the audiences
that include it, with row-level security as an equality on the viewer's own mask:

- rollup_facilitator_viewer_month: per viewer, month, entity, phenomenon, region, owner,
  network, reliability, credibility and handling code (municipalities summed; the ranking falls
  back to rollup_facilitator_month when they are filtered);
- rollup_h3_viewer_month: per viewer, month, H3 cell and municipality (phenomena, owners and
  handling codes summed; the hexagons fall back to rollup_h3_month when those are filtered).
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLES = ("rollup_facilitator_viewer_month", "rollup_h3_viewer_month")
SQL_DIR = Path(__file__).resolve().parents[2] / "sql"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        """
        -- Grain: one row per viewing agency (1 << bit), month, facilitator entity, phenomenon,
        -- region (null: abroad or unknown), owning agency, network, reliability, credibility and
        -- handling code. Entity ids, never names, as in rollup_facilitator_month.
        create table rollup_facilitator_viewer_month (
            viewer_mask bigint not null,
            month date not null,
            entity_id bigint not null,
            facilitator_category varchar(24) references facilitator_category (code),
            phenomenon_code varchar(24) not null references phenomenon (code),
            region_code varchar(8) references riec_region (code),
            owner_agency varchar(16) not null references agency (code),
            network_id bigint,
            reliability char(1) not null,
            credibility smallint not null,
            handling_code char(2) not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            severity_sum bigint not null,
            constraint rollup_facilitator_viewer_month_grain unique nulls not distinct (
                viewer_mask, month, entity_id, phenomenon_code, region_code, owner_agency,
                network_id, reliability, credibility, handling_code)
        );

        -- Grain: one row per viewing agency (1 << bit), month, H3 cell at resolution 7 and
        -- municipality (null: none known); the region rides along.
        create table rollup_h3_viewer_month (
            viewer_mask bigint not null,
            month date not null,
            h3_r7 varchar(15) not null,
            municipality_code varchar(6) references municipality (gm_code),
            region_code varchar(8) references riec_region (code),
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            severity_sum bigint not null,
            high_severity_count bigint not null,
            constraint rollup_h3_viewer_month_grain unique nulls not distinct (
                viewer_mask, month, h3_r7, municipality_code)
        );
        """
    )
    for table in TABLES:
        op.execute(
            f"""
            grant select on {table} to {APP};
            alter table {table} enable row level security;
            alter table {table} force row level security;
            create policy viewer_own_rows on {table} for select to {APP} using ({OWN_ROWS});
            do $$ begin
                execute format(
                    'create policy maintenance on {table} to %I using (true) with check (true)',
                    current_user);
            end $$;
            """
        )
        op.get_bind().execute(
            sa.text((SQL_DIR / f"{table}.sql").read_text(encoding="utf-8")),
            {"months": None, "lo": None, "hi": None},
        )
        op.execute(f"analyze {table}")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.execute(f"drop table {table}")
    op.execute(
        "delete from rollup_refresh where rollup in "
        "('rollup_facilitator_viewer_month', 'rollup_h3_viewer_month')"
    )
