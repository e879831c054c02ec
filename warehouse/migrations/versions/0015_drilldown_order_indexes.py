"""The drill-down's order in the indexes it walks: the newest signals of a cell come first.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-28

A heatmap cell's drill-down lists its newest 500 signals (`order by observed_on desc, id desc`).
signal_phenomenon_idx (phenomenon_code, observed_on) could not give that order with its id
tie-break, and under row-level security the planner expects under 1% of the rows to be visible,
so it read every signal of the phenomenon in the period and sorted them: about 0.5 s warm for
a year of the largest phenomenon at 2M signals, 1 s at 10M, several seconds cold. With the id
in the index the month axis walks it backwards and stops after 500 rows; a region's cell walks
the new (municipality_code, phenomenon_code, observed_on, id) once per municipality of the
region (warehouse/queries/heatmaps.py). Both replace the narrower index of the same name:
what read those (the rollup refresh by month, exports by municipality) reads their prefix, and
a delivery still maintains six indexes on signal.
"""

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        drop index signal_phenomenon_idx;
        create index signal_phenomenon_idx on signal (phenomenon_code, observed_on, id);
        drop index signal_municipality_idx;
        create index signal_municipality_idx
            on signal (municipality_code, phenomenon_code, observed_on, id);
        """
    )


def downgrade() -> None:
    op.execute(
        """
        drop index signal_municipality_idx;
        create index signal_municipality_idx on signal (municipality_code);
        drop index signal_phenomenon_idx;
        create index signal_phenomenon_idx on signal (phenomenon_code, observed_on);
        """
    )
