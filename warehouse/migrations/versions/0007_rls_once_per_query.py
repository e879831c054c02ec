"""Row-level security on the row tables evaluated once per query, and indexes the plans use.

Revision ID: 0007
Revises: 0005
Create Date: 2026-11-28

Migration 0005 rewrote the rollups' audience rule with scalar subqueries,
`(select nsoc_viewer_mask())`, so PostgreSQL evaluates the viewer's settings once per query
(an InitPlan) instead of once per row. This does the same for signal, signal_entity,
intervention and entity: the same meaning (the downgrade restores the 0003 text), far less work
when an export or a drill-down reads a million rows.

An index on rollup_signal_month (owner_agency, last_reported_at desc) serves the coverage strip's
"latest delivery per agency" (shown on every view) as one short index scan per agency.
"""

from alembic import op

revision = "0007"
down_revision = "0005"
branch_labels = None
depends_on = None

MASK, ROLE = "(select nsoc_viewer_mask())", "(select nsoc_viewer_role())"
AGENCY = "(select current_setting('nsoc.agency', true))"

ONCE = {
    "signal": f"""audience_mask & {MASK} <> 0 and (
        {ROLE} = 'analyst'
        or ({ROLE} = 'steward' and owner_agency = {AGENCY}))""",
    "signal_entity": f"""audience_mask & {MASK} <> 0 and (
        {ROLE} = 'analyst'
        or ({ROLE} = 'steward'
            and exists (select 1 from signal as s where s.id = signal_entity.signal_id)))""",
    "intervention": f"audience_mask & {MASK} <> 0 and {ROLE} = 'analyst'",
    "entity": f"""{ROLE} in ('analyst', 'steward') and (
        exists (select 1 from signal_entity as l where l.entity_id = entity.id)
        or exists (select 1 from intervention as i where i.entity_id = entity.id))""",
}
# The text of migration 0003, restored by the downgrade.
PER_ROW = {
    "signal": """audience_mask & nsoc_viewer_mask() <> 0 and (
        nsoc_viewer_role() = 'analyst'
        or (nsoc_viewer_role() = 'steward' and owner_agency = current_setting('nsoc.agency', true)))""",
    "signal_entity": """audience_mask & nsoc_viewer_mask() <> 0 and (
        nsoc_viewer_role() = 'analyst'
        or (nsoc_viewer_role() = 'steward'
            and exists (select 1 from signal as s where s.id = signal_entity.signal_id)))""",
    "intervention": "audience_mask & nsoc_viewer_mask() <> 0 and nsoc_viewer_role() = 'analyst'",
    "entity": """nsoc_viewer_role() in ('analyst', 'steward') and (
        exists (select 1 from signal_entity as l where l.entity_id = entity.id)
        or exists (select 1 from intervention as i where i.entity_id = entity.id))""",
}


def upgrade() -> None:
    for table, using in ONCE.items():
        op.execute(f"alter policy viewer_audience on {table} using ({using})")
    op.execute(
        "create index rollup_signal_month_owner_latest_idx"
        " on rollup_signal_month (owner_agency, last_reported_at desc)"
    )


def downgrade() -> None:
    op.execute("drop index rollup_signal_month_owner_latest_idx")
    for table, using in PER_ROW.items():
        op.execute(f"alter policy viewer_audience on {table} using ({using})")
