"""Match proposals readable by the app under need-to-know, and who decided them.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-01

Until now only the owner (the `nsoc resolve` command) read and decided entity_match. The app now
lists proposals and recent decisions to analysts and stewards, so nsoc_app may select from it,
with row-level security: a proposal is visible only when both of its entities are, and an
entity's own policy (migration 0003/0007) already decides that per agency and role. A query that
forgets to join the entities cannot leak a name it may not see.

Decisions taken in the app record the decider's agency and role beside the subject
(decided_by); the command line leaves them empty. The app still writes nothing itself: a
decision is written by the owner on behalf of the viewer (warehouse/ingest/decisions.py).
"""

from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

APP = "nsoc_app"
BOTH_VISIBLE = """
    exists (select 1 from entity as e where e.id = entity_match.entity_id)
    and exists (select 1 from entity as e where e.id = entity_match.candidate_id)"""


def upgrade() -> None:
    op.execute(
        f"""
        alter table entity_match
            add column decided_agency varchar(16) references agency (code),
            add column decided_role varchar(16);
        create index entity_match_decided_idx on entity_match (decided_at desc)
            where decided_at is not null;

        grant select on entity_match to {APP};
        alter table entity_match enable row level security;
        alter table entity_match force row level security;
        create policy viewer_entities on entity_match for select to {APP} using ({BOTH_VISIBLE});
        do $$ begin
            execute format(
                'create policy maintenance on entity_match to %I using (true) with check (true)',
                current_user);
        end $$;
        """
    )


def downgrade() -> None:
    op.execute(
        f"""
        drop policy maintenance on entity_match;
        drop policy viewer_entities on entity_match;
        alter table entity_match no force row level security;
        alter table entity_match disable row level security;
        revoke all on entity_match from {APP};
        drop index entity_match_decided_idx;
        alter table entity_match drop column decided_role, drop column decided_agency;
        """
    )
