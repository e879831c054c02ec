"""Rollup of linked entities per month and cell, for "distinct entities" in the heatmaps.

Revision ID: 0005
Revises: 0006
Create Date: 2026-11-29

Distinct entities cannot be added up from per-cell counts, so this rollup keeps the entity id in
its grain. Row-level security as for the other rollups (migration 0003): the app role sees a row
only when the viewer's agency is in its audience; the migration role keeps a maintenance policy.
The upgrade fills the table from the signals already loaded (an existing warehouse needs no
separate refresh).

The audience rule is written with scalar subqueries, `(select nsoc_viewer_mask())`: PostgreSQL
then evaluates the viewer's settings once per query (an InitPlan) instead of once per row, which
matters on rollups of hundreds of thousands of rows. The same rewrite is applied to the policy of
rollup_signal_month (same meaning; the downgrade restores the 0003 text).
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0006"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_entity_month"
SQL = Path(__file__).resolve().parents[2] / "sql" / f"{TABLE}.sql"
ONCE = "audience_mask & (select nsoc_viewer_mask()) <> 0 and (select nsoc_viewer_role()) <> ''"
PER_ROW = "audience_mask & nsoc_viewer_mask() <> 0 and nsoc_viewer_role() <> ''"
# The other rollups get the same once-per-query form (0003 and 0006 wrote it per row).
FAST_POLICY = (
    "rollup_signal_month",
    "rollup_node_month",
    "rollup_facilitator_month",
    "rollup_h3_month",
)


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per month, phenomenon, municipality (null: abroad or unknown), owning
        -- agency, handling code, audience mask and linked entity.
        create table {TABLE} (
            month date not null,
            phenomenon_code varchar(24) not null references phenomenon (code),
            municipality_code varchar(6) references municipality (gm_code),
            region_code varchar(8) references riec_region (code),
            owner_agency varchar(16) not null references agency (code),
            handling_code char(2) not null,
            audience_mask bigint not null,
            entity_id bigint not null,
            signal_count bigint not null,
            constraint {TABLE}_grain unique nulls not distinct (
                month, phenomenon_code, municipality_code, owner_agency, handling_code,
                audience_mask, entity_id)
        );
        create index {TABLE}_region_idx on {TABLE} (region_code, month);

        grant select on {TABLE} to {APP};
        alter table {TABLE} enable row level security;
        alter table {TABLE} force row level security;
        create policy viewer_audience on {TABLE} for select to {APP} using ({ONCE});
        do $$ begin
            execute format(
                'create policy maintenance on {TABLE} to %I using (true) with check (true)',
                current_user);
        end $$;
        """
    )
    for table in FAST_POLICY:
        op.execute(f"alter policy viewer_audience on {table} using ({ONCE})")
    # Fill it for a warehouse that already holds signals (the SQL refreshes by month when asked).
    # The SQL is today's file in warehouse/sql/ (not frozen with this migration): bind every
    # parameter it takes now, all null for "every month of every owner".
    op.get_bind().execute(
        sa.text(SQL.read_text(encoding="utf-8")),
        {"months": None, "lo": None, "hi": None, "owners": None, "added": None, "phenomena": None},
    )
    op.execute(f"analyze {TABLE}")


def downgrade() -> None:
    for table in FAST_POLICY:
        op.execute(f"alter policy viewer_audience on {table} using ({PER_ROW})")
    op.execute(f"drop table {TABLE}")
