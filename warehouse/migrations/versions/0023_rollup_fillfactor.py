"""Room on the rollups' pages for a delivery's merge: fillfactor 90.

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30

A delivery's new signals are merged into the rollups with `insert … on conflict do update`
(warehouse/rollup_delta.py): most of them land on rows that exist (the same month, place and
codes), so a merge is mostly updates of counts and sums, none of them an indexed column. On a
full page PostgreSQL writes the new row version elsewhere and adds it to every index of the
table; with room on the page it stays there and no index changes (a HOT update). At 10M
signals, merging 140,494 rows into rollup_entity_month (three indexes) took 4.0 s on full pages
and 1.8 s with fillfactor 90 (the table rewritten); the tables grow by a tenth.

Only new pages keep the room: a warehouse seeded after this revision has it everywhere; an
older one gets it as its rollups are rebuilt (`nsoc seed --replace`, or
`vacuum full <rollup>` in a quiet hour).
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# every rollup a delivery merges into (warehouse/rollups.py, ROLLUPS, as of this revision)
ROLLUPS = (
    "rollup_signal_month",
    "rollup_node_month",
    "rollup_facilitator_month",
    "rollup_h3_month",
    "rollup_entity_month",
    "rollup_entity_set_month",
    "rollup_viewer_month",
    "rollup_viewer_cell_month",
    "rollup_node_viewer_month",
    "rollup_h3_viewer_month",
    "rollup_facilitator_region_month",
    "rollup_facilitator_viewer_month",
    "rollup_facilitator_viewer_quarter",
)


def upgrade() -> None:
    for name in ROLLUPS:
        op.execute(f"alter table {name} set (fillfactor = 90)")


def downgrade() -> None:
    for name in ROLLUPS:
        op.execute(f"alter table {name} reset (fillfactor)")
