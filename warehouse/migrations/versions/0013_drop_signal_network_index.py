"""Drop signal_network_idx, which no query reads: every delivery paid for it.

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-28

signal_network_idx (network_id) dates from the first schema, when the views read signal
directly. The views now read rollups; what still reads signal filters on observed_on (rollup
refresh, exports, drill-down: signal_observed_idx and signal_phenomenon_idx), on municipality
(exports: signal_municipality_idx) or node (the node rollup: signal_node_idx, which its
refresh of a few months combines with signal_observed_idx), or reaches signals through
signal_entity (entity pages: its primary key and signal_entity_entity_idx). Networks are only
ever joined from signal to network, never looked up the other way, so no plan uses this index;
it cost a WAL record and a b-tree insertion per signal with a network.

The only remaining reader would be the guard of migration 0009 when a network is deleted (or
its id changed), which the application never does: that guard now scans signal once per
deleted network instead of probing an index.
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("drop index signal_network_idx")


def downgrade() -> None:
    op.execute(
        "create index signal_network_idx on signal (network_id) where network_id is not null"
    )
