"""Need-to-know inside the database: the app role, row-level security, append-only audit trail.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28

The app connects as nsoc_app, a login role that owns nothing. Every request sets nsoc.agency_bit
and nsoc.role with SET LOCAL (warehouse/scoped.py); the policies below let nsoc_app see a row only
when the viewer's agency is in its audience. RLS is enabled and forced; the role that runs the
migrations keeps full access through its own `maintenance` policy (superusers bypass RLS anyway).
nsoc_app is a cluster-wide role: downgrade removes its rights in this database, not the role.
"""

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

APP = "nsoc_app"
READABLE = (
    "agency",
    "riec_region",
    "municipality",
    "logistics_node",
    "phenomenon",
    "facilitator_category",
    "network",
    "seed_run",
    "rollup_refresh",
)
# table -> the USING clause for the app role (rows of other audiences are never visible)
POLICIES = {
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
    "rollup_signal_month": "audience_mask & nsoc_viewer_mask() <> 0 and nsoc_viewer_role() <> ''",
    "rollup_node_month": "audience_mask & nsoc_viewer_mask() <> 0 and nsoc_viewer_role() <> ''",
}


def upgrade() -> None:
    op.execute(
        f"""
        do $$
        begin
            if not exists (select 1 from pg_roles where rolname = '{APP}') then
                create role {APP} login;
            end if;
            execute format('grant connect on database %I to {APP}', current_database());
        end
        $$;
        grant usage on schema public to {APP};

        -- Unset or malformed settings give an empty mask and role: nothing is visible.
        create function nsoc_viewer_mask() returns bigint
        language sql stable as $$
            select case when current_setting('nsoc.agency_bit', true) ~ '^[0-9]{{1,2}}$'
                         and current_setting('nsoc.agency_bit', true)::int <= 62
                        then 1::bigint << current_setting('nsoc.agency_bit', true)::int
                        else 0::bigint end
        $$;
        create function nsoc_viewer_role() returns text
        language sql stable as $$
            select case when current_setting('nsoc.role', true)
                             in ('analyst', 'manager', 'steward', 'auditor', 'admin')
                        then current_setting('nsoc.role', true) else '' end
        $$;
        grant execute on function nsoc_viewer_mask(), nsoc_viewer_role() to {APP};
        """
    )
    for table in READABLE:
        op.execute(f"grant select on {table} to {APP}")
    for table, using in POLICIES.items():
        op.execute(
            f"""
            grant select on {table} to {APP};
            alter table {table} enable row level security;
            alter table {table} force row level security;
            create policy viewer_audience on {table} for select to {APP} using ({using});
            do $$ begin
                execute format(
                    'create policy maintenance on {table} to %I using (true) with check (true)',
                    current_user);
            end $$;
            """
        )
    _audit_upgrade()


def _audit_upgrade() -> None:
    op.execute(
        f"""
        alter table audit_log add column chain_seq bigint unique;

        -- The head of the chain: removing the newest entries is detected too.
        create table audit_head (
            id smallint primary key check (id = 1),
            last_seq bigint not null,
            last_hash varchar(64)
        );
        insert into audit_head values (1, 0, null);

        -- Canonical text of an entry; warehouse/audit.py recomputes the same in Python.
        create function audit_canonical(e audit_log) returns text
        language sql immutable as $$
            select concat_ws('|', e.chain_seq,
                to_char(e.at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'),
                e.viewer, coalesce(e.agency, ''), coalesce(e.role, ''), e.action,
                e.details::text, coalesce(e.prev_hash, ''))
        $$;

        -- Appends serialise on the head row; time, order and hashes are the database's, not the
        -- caller's. SECURITY DEFINER: nsoc_app may insert entries but not touch the head.
        create function audit_chain() returns trigger
        language plpgsql security definer set search_path = public, pg_temp as $$
        declare
            head audit_head;
        begin
            select * into head from audit_head where id = 1 for update;
            new.at := clock_timestamp();
            new.chain_seq := head.last_seq + 1;
            new.prev_hash := head.last_hash;
            new.entry_hash := encode(sha256(convert_to(audit_canonical(new), 'UTF8')), 'hex');
            update audit_head set last_seq = new.chain_seq, last_hash = new.entry_hash
            where id = 1;
            return new;
        end
        $$;
        create trigger audit_chain before insert on audit_log
            for each row execute function audit_chain();

        create function audit_immutable() returns trigger
        language plpgsql as $$
        begin
            raise exception 'the audit trail is append-only (% refused)', tg_op
                using errcode = 'insufficient_privilege';
        end
        $$;
        create trigger audit_no_update before update or delete on audit_log
            for each row execute function audit_immutable();
        create trigger audit_no_truncate before truncate on audit_log
            for each statement execute function audit_immutable();
        create trigger audit_head_no_delete before delete or truncate on audit_head
            for each statement execute function audit_immutable();

        grant insert on audit_log to {APP};
        grant usage on sequence audit_log_id_seq to {APP};
        grant select on audit_log to {APP};
        alter table audit_log enable row level security;
        alter table audit_log force row level security;
        create policy append on audit_log for insert to {APP} with check (true);
        -- Auditors read the trail of their own agency.
        create policy auditor_reads on audit_log for select to {APP} using (
            nsoc_viewer_role() = 'auditor' and agency = current_setting('nsoc.agency', true));
        do $$ begin
            execute format(
                'create policy maintenance on audit_log to %I using (true) with check (true)',
                current_user);
        end $$;
        """
    )


def downgrade() -> None:
    op.execute(
        """
        drop policy maintenance on audit_log;
        drop policy auditor_reads on audit_log;
        drop policy append on audit_log;
        alter table audit_log no force row level security;
        alter table audit_log disable row level security;
        drop trigger audit_head_no_delete on audit_head;
        drop trigger audit_no_truncate on audit_log;
        drop trigger audit_no_update on audit_log;
        drop function audit_immutable();
        drop trigger audit_chain on audit_log;
        drop function audit_chain();
        drop function audit_canonical(audit_log);
        drop table audit_head;
        alter table audit_log drop column chain_seq;
        """
    )
    for table in POLICIES:
        op.execute(
            f"""
            drop policy maintenance on {table};
            drop policy viewer_audience on {table};
            alter table {table} no force row level security;
            alter table {table} disable row level security;
            """
        )
    op.execute(
        f"""
        drop function nsoc_viewer_mask();
        drop function nsoc_viewer_role();
        drop owned by {APP};
        """
    )
