"""Rollups without foreign keys: they are derived from signals, whose references are checked.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-28

Every rollup row carried up to five foreign keys (phenomenon, municipality, region, owner,
node, category), each checked per inserted row by its own query: for the incremental refresh of
three months at 10M signals that was 3.4 s of the 11.8 s of `rollup_signal_month` alone, and the
refresh of all rollups after a delivery took 150 s against a target of 30. A rollup row can
only hold codes its signals hold, and those are checked when the signals are written
(migration 0009) and guarded against deletion while signals use them; the rollups are rebuilt
from the signals, never written otherwise. Downgrade puts the keys back.
"""

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

TARGETS = {
    "phenomenon_code": "phenomenon (code)",
    "municipality_code": "municipality (gm_code)",
    "region_code": "riec_region (code)",
    "owner_agency": "agency (code)",
    "node_code": "logistics_node (code)",
    "origin_node_code": "logistics_node (code)",
    "facilitator_category": "facilitator_category (code)",
}
# (rollup, column) of every foreign key the rollups had before this migration.
KEYS = (
    (
        "rollup_signal_month",
        ("phenomenon_code", "municipality_code", "region_code", "owner_agency"),
    ),
    ("rollup_node_month", ("phenomenon_code", "node_code", "origin_node_code", "owner_agency")),
    (
        "rollup_facilitator_month",
        (
            "phenomenon_code",
            "municipality_code",
            "region_code",
            "owner_agency",
            "facilitator_category",
        ),
    ),
    ("rollup_h3_month", ("phenomenon_code", "municipality_code", "region_code", "owner_agency")),
    (
        "rollup_entity_month",
        ("phenomenon_code", "municipality_code", "region_code", "owner_agency"),
    ),
    ("rollup_viewer_month", ("phenomenon_code", "region_code", "owner_agency")),
    ("rollup_entity_set_month", ("phenomenon_code", "region_code")),
    ("rollup_h3_viewer_month", ("municipality_code", "region_code")),
    ("rollup_facilitator_viewer_month", ("facilitator_category",)),
)


def upgrade() -> None:
    for table, columns in KEYS:
        for column in columns:
            op.execute(f"alter table {table} drop constraint {table}_{column}_fkey")


def downgrade() -> None:
    for table, columns in KEYS:
        for column in columns:
            op.execute(
                f"alter table {table} add constraint {table}_{column}_fkey "
                f"foreign key ({column}) references {TARGETS[column]}"
            )
