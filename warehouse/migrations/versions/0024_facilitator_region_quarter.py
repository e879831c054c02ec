"""A rollup per viewing agency, quarter, region and facilitator: the ranking by region, by quarter.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-01

A region filter sends the ranking and the category summary to rollup_facilitator_region_month
(0017): at 10M signals a year of one region is ~35,000 rows for its ~7,300 facilitators, two
periods per page, and the ranking's SQL is bound by aggregating them (fourteen aggregates a
row; docs/performance.md, twenty-fifth session). This rollup is 0017 folded over the months of
each calendar quarter, as 0020 is 0014: a period reads its whole quarters here and its other
months (at most four) from the monthly one. The quality-weighted signal count is kept per month
of the quarter, so the decay by age is still applied when read and the figures are the same as
from the months. Row-level security: an equality on the viewer's own mask, as in 0017. No
foreign keys (0016); fillfactor 90 (0023). Filled here with today's SQL file, from
rollup_facilitator_region_month.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

from warehouse.rollup_sql import record_refresh
from warehouse.scoring import quality_params

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

APP = "nsoc_app"
TABLE = "rollup_facilitator_region_quarter"
OWN_ROWS = "viewer_mask = (select nsoc_viewer_mask()) and (select nsoc_viewer_role()) <> ''"
SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def upgrade() -> None:
    op.execute(
        f"""
        -- Grain: one row per viewing agency (1 << bit), quarter (its first month), RIEC region
        -- (null: abroad or unknown) and facilitator entity.
        create table {TABLE} (
            viewer_mask bigint not null,
            month date not null,
            region_code varchar(8),
            entity_id bigint not null,
            facilitator_category varchar(24),
            agency_bits bigint not null,
            network_ids bigint [] not null,
            signal_count bigint not null,
            amount_eur numeric(20, 2) not null,
            weighted_count_1 float8 not null,
            weighted_count_2 float8 not null,
            weighted_count_3 float8 not null,
            weighted_amount float8 not null,
            weighted_severity float8 not null,
            own_network_ids bigint [] not null,
            own_signal_count bigint not null,
            own_weighted_count_1 float8 not null,
            own_weighted_count_2 float8 not null,
            own_weighted_count_3 float8 not null,
            own_weighted_amount float8 not null,
            own_weighted_severity float8 not null,
            network_bits bigint not null default 0,
            own_network_bits bigint not null default 0,
            constraint {TABLE}_grain unique nulls not distinct (
                viewer_mask, month, region_code, entity_id
            ),
            constraint {TABLE}_quarter check (month = date_trunc('quarter', month)::date)
        ) with (fillfactor = 90);

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
    params = {"months": None, "lo": None, "hi": None, "keys": None, **quality_params()}
    sql = (SQL_DIR / f"{TABLE}.sql").read_text(encoding="utf-8")
    bind = op.get_bind()
    rows = bind.execute(sa.text(sql), params).rowcount
    op.execute(f"analyze {TABLE}")
    # the status page's freshness, as a refresh would note it
    record_refresh(bind, TABLE, bind.scalar(sa.text("select count(*) from signal")) or 0, rows)


def downgrade() -> None:
    op.execute(f"drop table {TABLE}")
    op.execute(f"delete from rollup_refresh where rollup = '{TABLE}'")
