"""Each facilitator's networks as bits: distinct networks by bit_or instead of uniting arrays.

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-29

The facilitator ranking counts, per entity, the distinct networks it served in the period: the
union of the network id arrays of its rows of the per-agency rollups (0014, 0017, 0020), then a
count of the distinct ids, one subquery per facilitator (about a third of the ranking's time at
10M signals: 7,500 facilitators a year). An entity serves few networks (at most 6 in the bench
set), so facilitator_network_slot gives each of an entity's networks a bit of its own (0..62,
given once, in the order first seen; 63 stands for every network past the 63rd), and the three
per-agency rollups keep the mask of each row's networks beside the array (network_bits, and
own_network_bits for the viewer's own agency's signals). Distinct networks over a period are
then bit_count(bit_or(network_bits)), exact; an entity whose mask has bit 63 set is counted
from the arrays, as before. The slots are the warehouse's own bookkeeping: no grant to the app
(it reads only the masks), row-level security with the maintenance policy only.

Fills (with today's SQL files, not frozen with this migration) the slots and the three rollups,
which 0017 and 0020 no longer fill: their SQL of today reads what this revision adds.
"""

from pathlib import Path

import sqlalchemy as sa
from alembic import op

from warehouse.scoring import quality_params

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

SLOTS = "facilitator_network_slot"
# in refresh order: each is built from the one before (warehouse/rollups.py)
ROLLUPS = (
    "rollup_facilitator_region_month",
    "rollup_facilitator_viewer_month",
    "rollup_facilitator_viewer_quarter",
)
SQL_DIR = Path(__file__).resolve().parents[2] / "sql"


def upgrade() -> None:
    op.execute(
        f"""
        create table {SLOTS} (
            entity_id bigint not null,
            network_id bigint not null,
            slot smallint not null check (slot between 0 and 63),
            primary key (entity_id, network_id)
        );
        alter table {SLOTS} enable row level security;
        alter table {SLOTS} force row level security;
        do $$ begin
            execute format(
                'create policy maintenance on {SLOTS} to %I using (true) with check (true)',
                current_user);
        end $$;
        """
    )
    for table in ROLLUPS:
        op.execute(
            f"alter table {table} add column network_bits bigint not null default 0, "
            "add column own_network_bits bigint not null default 0"
        )
    bind = op.get_bind()
    params = {"months": None, "lo": None, "hi": None, "keys": None, **quality_params()}
    bind.execute(sa.text((SQL_DIR / f"{SLOTS}.sql").read_text(encoding="utf-8")), params)
    op.execute(f"analyze {SLOTS}")
    for table in ROLLUPS:
        op.execute(f"truncate {table}")
        bind.execute(sa.text((SQL_DIR / f"{table}.sql").read_text(encoding="utf-8")), params)
        op.execute(f"analyze {table}")


def downgrade() -> None:
    # The rollups keep their rows without the masks; the SQL files of this revision or later
    # read the slots, so run the code of this revision or later to refresh them.
    for table in ROLLUPS:
        op.execute(f"alter table {table} drop column network_bits, drop column own_network_bits")
    op.execute(f"drop table {SLOTS}")
