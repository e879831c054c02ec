"""Drop the two indexes on signal that no query reads: every delivery paid for them.

Revision ID: 0013
Revises: 0011
Create Date: 2026-11-28

signal_node_idx (node_code) and signal_network_idx (network_id) date from the first schema,
when the views read signal directly. The views now read rollups; what still reads signal
filters on observed_on (rollup refresh, exports, drill-down: signal_observed_idx and
signal_phenomenon_idx), on municipality (exports: signal_municipality_idx) or reaches signals
through signal_entity (entity pages: its primary key and signal_entity_entity_idx). The node
rollup scans signal by month (signal_observed_idx) or whole; no plan of the application uses
either index. Each cost a WAL record and a b-tree insertion per signal loaded.

The only remaining readers would be the guards of migration 0009 when a logistics node or a
network is deleted (or its key changed), which the application never does: such a guard now
scans signal once per deleted row instead of probing an index.
"""

from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        """
        drop index signal_node_idx;
        drop index signal_network_idx;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        create index signal_node_idx on signal (node_code) where node_code is not null;
        create index signal_network_idx on signal (network_id) where network_id is not null;
        """
    )
