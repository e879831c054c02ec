"""The entities of each month, phenomenon, region and audience as one sorted array.

Revision ID: 0011
Revises: 0009
Create Date: 2026-11-28

"Distinct entities" in the heatmaps counted distinct ids over rollup_entity_month: every
(entity, cell, month) the viewer may see in the period, about 200,000 rows to sort for a year at
demo size (170-200 ms). rollup_entity_set_month keeps, per month, phenomenon, region and
audience, the sorted distinct entity ids as one array; the count is the size of the union of a
cell's arrays: the aggregate nsoc_array_cat_agg joins them per cell and each cell counts its own
few hundred ids (~11,000 arrays for that year, 10-20 ms). Row-level
security as for the other rollups. Filters on owner, handling code or municipality, which this
grain does not carry, still count over rollup_entity_month.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0009"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_entity_set_month"
SQL = Path(__file__).resolve().parents[2] / "sql" / f"{TABLE}.sql"
ONCE = "audience_mask & (select nsoc_viewer_mask()) <> 0 and (select nsoc_viewer_role()) <> ''"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per month, phenomenon, region (null: abroad or unknown) and audience.
        create table {TABLE} (
            month date not null,
            phenomenon_code varchar(24) not null references phenomenon (code),
            region_code varchar(8) references riec_region (code),
            audience_mask bigint not null,
            entity_ids bigint [] not null,
            constraint {TABLE}_grain unique nulls not distinct (
                month, phenomenon_code, region_code, audience_mask)
        );

        grant select on {TABLE} to {APP};
        alter table {TABLE} enable row level security;
        alter table {TABLE} force row level security;
        create policy viewer_audience on {TABLE} for select to {APP} using ({ONCE});
        -- Joins the arrays of a group into one (array_cat as an aggregate); executable by all.
        create aggregate nsoc_array_cat_agg(anycompatiblearray) (
            sfunc = array_cat, stype = anycompatiblearray);
        do $$ begin
            execute format(
                'create policy maintenance on {TABLE} to %I using (true) with check (true)',
                current_user);
        end $$;
        """
    )
    op.get_bind().execute(
        # today's SQL file (not frozen with this migration): every parameter it takes, all null
        sa.text(SQL.read_text(encoding="utf-8")),
        {"months": None, "lo": None, "hi": None, "phenomena": None},
    )
    op.execute(f"analyze {TABLE}")


def downgrade() -> None:
    op.execute("drop aggregate nsoc_array_cat_agg(anycompatiblearray)")
    op.execute(f"drop table {TABLE}")
