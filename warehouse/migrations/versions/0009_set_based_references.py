"""References of signal and signal_entity checked once per statement instead of once per row.

Revision ID: 0009
Revises: 0010
Create Date: 2026-12-01

A foreign key checks every inserted row with its own query and locks the referenced row (a
WAL record each): for a delivery of 40,000 signals with 60,000 links that is 360,000 queries,
about half of the load's database time. The same rules are now checked once per statement over
its transition table: every code, network, signal and entity a statement writes must exist
(error 23503, as before). The other direction is guarded by row triggers on the referenced
tables: deleting (or changing the key of) a referenced agency, phenomenon, municipality, node,
network or entity fails; deleting a signal deletes its links (the old ON DELETE CASCADE), and
truncating signal truncates signal_entity with it.

Instead of a row lock per reference, a delete on a referenced table first takes a SHARE lock
on the referencing table: it waits for the transactions still writing references and then
sees them, and writers wait for it in turn. Writers are checked with a fresh snapshot per
statement (READ COMMITTED, as all loads run); a REPEATABLE READ writer racing a delete of the
row it references is the one case a foreign key caught and this does not. Downgrade restores
the foreign keys.
"""

from alembic import op

revision = "0009"
down_revision = "0010"
branch_labels = None
depends_on = None

# (table, column, referenced table, referenced key)
REFERENCES = (
    ("signal", "owner_agency", "agency", "code"),
    ("signal", "phenomenon_code", "phenomenon", "code"),
    ("signal", "municipality_code", "municipality", "gm_code"),
    ("signal", "node_code", "logistics_node", "code"),
    ("signal", "origin_node_code", "logistics_node", "code"),
    ("signal", "network_id", "network", "id"),
    ("signal_entity", "signal_id", "signal", "id"),
    ("signal_entity", "entity_id", "entity", "id"),
)

FUNCTIONS = """
-- Statement trigger: every key in new_rows exists in its referenced table.
-- Arguments: column, table, key, column, table, key, ...
create function nsoc_check_references() returns trigger
language plpgsql as $$
declare
    i int := 0;
    missing text;
begin
    while i < tg_nargs loop
        execute format(
            'select x.k::text from (select distinct %1$I as k from new_rows where %1$I is not null) x '
            'where not exists (select 1 from %2$I t where t.%3$I = x.k) limit 1',
            tg_argv[i], tg_argv[i + 1], tg_argv[i + 2]) into missing;
        if missing is not null then
            raise exception using
                errcode = 'foreign_key_violation',
                message = format('insert or update on table "%s" violates foreign key constraint "%s_%s_fkey"',
                                 tg_table_name, tg_table_name, tg_argv[i]),
                detail = format('Key (%s)=(%s) is not present in table "%s".',
                                tg_argv[i], missing, tg_argv[i + 1]);
        end if;
        i := i + 3;
    end loop;
    return null;
end
$$;

-- Row trigger on a referenced table: its key may not go while rows still point at it.
-- Arguments: key, then table and column pairs that reference it.
create function nsoc_guard_referenced() returns trigger
language plpgsql as $$
declare
    i int := 1;
    unchanged boolean;
    still boolean;
begin
    if tg_op = 'UPDATE' then
        execute format('select ($1).%1$I is not distinct from ($2).%1$I', tg_argv[0])
            using old, new into unchanged;
        if unchanged then
            return new;
        end if;
    end if;
    while i < tg_nargs loop
        -- Waits for transactions still writing references (and keeps new ones out until this
        -- one ends), so the check below sees every reference that can commit.
        execute format('lock table %I in share mode', tg_argv[i]);
        execute format('select exists (select 1 from %I where %I = ($1).%I)',
                       tg_argv[i], tg_argv[i + 1], tg_argv[0]) using old into still;
        if still then
            raise exception using
                errcode = 'foreign_key_violation',
                message = format('update or delete on table "%s" violates foreign key constraint "%s_%s_fkey" on table "%s"',
                                 tg_table_name, tg_argv[i], tg_argv[i + 1], tg_argv[i]),
                detail = format('Key (%s) is still referenced from table "%s".',
                                tg_argv[0], tg_argv[i]);
        end if;
        i := i + 2;
    end loop;
    if tg_op = 'DELETE' then
        return old;
    end if;
    return new;
end
$$;

-- Deleting signals deletes their links (was: on delete cascade).
create function nsoc_signal_deleted() returns trigger
language plpgsql as $$
begin
    lock table signal_entity in share row exclusive mode;  -- links being written are seen
    delete from signal_entity where signal_id in (select id from old_rows);
    return null;
end
$$;

-- After truncating signal, its links go too (unless the same statement truncated them).
create function nsoc_signal_truncated() returns trigger
language plpgsql as $$
begin
    if exists (select 1 from signal_entity) then
        truncate signal_entity;
    end if;
    return null;
end
$$;
"""


def _check_args(table: str) -> str:
    return ", ".join(f"'{c}', '{t}', '{k}'" for tt, c, t, k in REFERENCES if tt == table)


def upgrade() -> None:
    for table, column, _, _ in REFERENCES:
        op.execute(f"alter table {table} drop constraint {table}_{column}_fkey")
    op.execute(FUNCTIONS)
    for table in ("signal", "signal_entity"):
        for event in ("insert", "update"):
            op.execute(
                f"""
                create trigger {table}_references_{event} after {event} on {table}
                referencing new table as new_rows for each statement
                execute function nsoc_check_references({_check_args(table)})
                """
            )
    referenced: dict[tuple[str, str], list[str]] = {}
    for table, column, target, key in REFERENCES:
        referenced.setdefault((target, key), []).append(f"'{table}', '{column}'")
    for (target, key), pairs in referenced.items():
        op.execute(
            f"""
            create trigger {target}_referenced before delete or update of {key} on {target}
            for each row execute function nsoc_guard_referenced('{key}', {", ".join(pairs)})
            """
        )
    # The rows a signal's links point at are its own: they go when it goes.
    op.execute(
        """
        drop trigger signal_referenced on signal;
        create trigger signal_referenced before update of id on signal
        for each row execute function nsoc_guard_referenced('id', 'signal_entity', 'signal_id');
        create trigger signal_deleted after delete on signal
        referencing old table as old_rows for each statement
        execute function nsoc_signal_deleted();
        create trigger signal_truncated after truncate on signal
        for each statement execute function nsoc_signal_truncated();
        """
    )


def downgrade() -> None:
    op.execute(
        """
        drop trigger signal_truncated on signal;
        drop trigger signal_deleted on signal;
        """
    )
    targets = {(target, key) for _, _, target, key in REFERENCES}
    for target, _ in sorted(targets):
        op.execute(f"drop trigger {target}_referenced on {target}")
    for table in ("signal", "signal_entity"):
        for event in ("insert", "update"):
            op.execute(f"drop trigger {table}_references_{event} on {table}")
    op.execute(
        """
        drop function nsoc_signal_truncated();
        drop function nsoc_signal_deleted();
        drop function nsoc_guard_referenced();
        drop function nsoc_check_references();
        """
    )
    for table, column, target, key in REFERENCES:
        cascade = " on delete cascade" if (table, column) == ("signal_entity", "signal_id") else ""
        op.execute(
            f"alter table {table} add constraint {table}_{column}_fkey "
            f"foreign key ({column}) references {target} ({key}){cascade}"
        )
