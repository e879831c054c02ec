"""The `nsoc` command: database, seed, rollups, serve and demo."""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from warehouse import db, entity_counts, migrate, rollups
from warehouse.filters import Filters
from warehouse.ingest.report import Report
from warehouse.settings import ConfigError, agencies, get_settings
from warehouse.viewer import Role, Viewer

app = typer.Typer(help="NSOC analyst dashboard: warehouse, seed and app.", no_args_is_help=True)
db_app = typer.Typer(help="The warehouse database.", no_args_is_help=True)
rollups_app = typer.Typer(help="Rollup tables behind the aggregate views.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(rollups_app, name="rollups")
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
app.add_typer(audit_app, name="audit")
resolve_app = typer.Typer(help="Entity resolution across agencies.", no_args_is_help=True)
app.add_typer(resolve_app, name="resolve")
console = Console()
err = Console(stderr=True)
P = ParamSpec("P")
R = TypeVar("R")


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]Fout:[/] {message}")
    return typer.Exit(code=1)


def _guard(func: Callable[P, R]) -> Callable[P, R]:
    """Known failures end in one clear line, not a stack trace."""
    from functools import wraps

    from seed.load import SeedError

    @wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with db.reachable():
                return func(*args, **kwargs)
        except (db.DatabaseUnavailable, SeedError, ConfigError, ValueError, OSError) as exc:
            raise _fail(str(exc)) from None

    return wrapper


@db_app.command("start")
@_guard
def db_start() -> None:
    """Start the embedded PostgreSQL (nothing to do with NSOC_DATABASE_URL set)."""
    if not get_settings().embedded:
        console.print("NSOC_DATABASE_URL is set: the embedded server is not used.")
        return
    db.start_embedded()
    status = db.embedded_status()
    console.print(f"Embedded PostgreSQL runs (pid {status.pid}) with data in {status.pgdata}")


@db_app.command("stop")
@_guard
def db_stop() -> None:
    """Stop the embedded PostgreSQL."""
    stopped = db.stop_embedded()
    console.print(
        "Embedded PostgreSQL stopped." if stopped else "Embedded PostgreSQL was not running."
    )


@db_app.command("status")
@_guard
def db_status() -> None:
    """Where the warehouse is, whether it runs, and its schema revision."""
    settings = get_settings()
    if settings.embedded:
        status = db.embedded_status()
        console.print(
            f"embedded: {'running, pid ' + str(status.pid) if status.running else 'stopped'}"
            f" ({status.pgdata})"
        )
        if not status.running:
            raise typer.Exit(code=3)
    else:
        console.print("external server (NSOC_DATABASE_URL)")
    engine = db.get_engine(db.warehouse_url(start=False))
    revision = migrate.current_revision(engine)
    console.print(f"schema revision: {revision or 'none'} (newest: {migrate.head_revision()})")


@db_app.command("url")
@_guard
def db_url() -> None:
    """Print the warehouse URL (SQLAlchemy form)."""
    console.print(db.warehouse_url(start=False), soft_wrap=True, highlight=False)


@db_app.command("upgrade")
@_guard
def db_upgrade(revision: str = "head") -> None:
    """Migrate the schema and sync reference data and agencies from configuration."""
    _upgrade(revision)
    console.print(f"Schema at revision {migrate.current_revision(db.get_engine())}.")


@db_app.command("downgrade")
@_guard
def db_downgrade(
    revision: Annotated[str, typer.Argument(help="target revision, e.g. base")],
) -> None:
    """Migrate the schema down (drops tables: data in them is lost)."""
    migrate.downgrade(db.get_engine(), revision)
    console.print(f"Schema at revision {migrate.current_revision(db.get_engine()) or 'base'}.")


@db_app.command("checksums")
@_guard
def db_checksums() -> None:
    """md5 per data table: the same seed gives the same checksums on every machine."""
    from seed.load import checksums

    with db.connect() as conn:
        console.print_json(json.dumps(checksums(conn)))


def _upgrade(revision: str = "head") -> None:
    from seed.reference import sync_reference

    engine = db.get_engine()
    migrate.upgrade(engine, revision)
    with db.connect() as conn:
        sync_reference(conn, agencies())


@app.command()
@_guard
def seed(
    size: Annotated[
        str, typer.Option(help="small (~20k), demo (~500k), bench (10M) or a number of signals")
    ] = "small",
    seed: Annotated[int, typer.Option(help="random seed: same seed, same warehouse")] = 20240701,
    manifest: Annotated[
        Path | None, typer.Option(help="write the planted ground truth here")
    ] = None,
    replace: Annotated[bool, typer.Option(help="wipe existing signals and seed again")] = False,
    if_empty: Annotated[
        bool, typer.Option(help="do nothing when the warehouse holds signals")
    ] = False,
) -> None:
    """Fill the warehouse with the deterministic synthetic data set."""
    from seed.load import SIZES, seed_warehouse, size_signals, warehouse_state

    total = size_signals(size)
    if total is None:
        raise _fail(f"unknown size {size!r}: choose one of {', '.join(SIZES)} or a number")
    _upgrade()
    with db.connect() as conn:
        existing, runs = warehouse_state(conn)
    if existing and (if_empty or (runs == [(size, seed)] and not replace)):
        console.print(f"The warehouse already holds {existing:,} signals; nothing to seed.")
        return
    with _progress() as progress, db.connect() as conn:
        task = progress.add_task(f"Seeding {size} (seed {seed})", total=total)
        result = seed_warehouse(
            conn,
            size=size,
            seed=seed,
            agencies=agencies(),
            replace=replace,
            pseudonym_key=get_settings().pseudonym_key.encode(),
            manifest_path=manifest,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    console.print(f"Loaded {result.signals:,} signals and {result.links:,} entity links.")
    if manifest:
        console.print(f"Planted ground truth written to {manifest}")


@app.command()
@_guard
def ingest(
    files: Annotated[list[Path], typer.Argument(help="delivery files (.csv or .jsonl)")],
    agency: Annotated[str, typer.Option(help="the delivering agency (code)")],
    show: Annotated[int, typer.Option(help="quarantined rows to list per file")] = 20,
) -> None:
    """Load delivery files of one agency, each file one batch (one transaction).

    Exit code 0: every row accepted; 2: loaded, but rows were quarantined (see the report);
    1: a file was rejected as a whole or could not be read."""
    from warehouse import audit
    from warehouse.ingest.load import load_file
    from warehouse.ingest.upsert import Resolved

    codes = [a.code for a in agencies()]
    if agency not in codes:
        raise _fail(f"unknown agency {agency!r}: choose one of {', '.join(codes)}")
    key = get_settings().pseudonym_key.encode()
    worst = 0
    resolved = Resolved()  # entities the files before resolved (an error ends the command)
    for path in files:
        if not path.is_file():
            raise _fail(f"{path}: no such file")
        with _progress() as progress, db.connect() as conn:
            task = progress.add_task(f"{path.name}", total=100)

            def step(stage: str, fraction: float, task: TaskID = task) -> None:
                progress.update(task, completed=int(fraction * 100), description=stage)

            report = load_file(
                conn=conn, agency=agency, path=path, key=key, progress=step, resolved=resolved
            )
        # Audited like an upload on the page; the command line's operator is the OS user.
        audit.record(
            db.get_engine(),
            action="delivery",
            subject=getpass.getuser(),
            agency=agency,
            details={**report.audit_details(), "via": "cli"},
        )
        _print_report(report, show)
        worst = max(worst, 1 if report.status == "rejected" else 2 if report.quarantined else 0)
    _recount()
    if worst:
        raise typer.Exit(code=worst)


def _print_report(report: Report, show: int) -> None:
    console.print(report.summary(), highlight=False)
    if report.ignored_columns:
        console.print(f"  ignored columns: {', '.join(report.ignored_columns)}", highlight=False)
    if report.quarantined:
        table = Table("problem", "rows", title="Quarantined rows: what to fix")
        for reason, count in report.reason_counts():
            table.add_row(reason, f"{count:,}")
        console.print(table)
        rows = Table("line", "source_ref", "reasons")
        for q in report.quarantine[:show]:
            rows.add_row(
                str(q.line_no),
                q.source_ref or "",
                "; ".join(f"{k}: {v}" for k, v in q.reasons.items()),
            )
        console.print(rows)


@resolve_app.command("propose")
@_guard
def resolve_propose() -> None:
    """Propose matches for entities delivered without an identifier."""
    from warehouse.ingest import resolve

    with db.connect() as conn:
        new = resolve.propose_matches(conn=conn)
    console.print(f"{new:,} new match proposals.")


@resolve_app.command("list")
@_guard
def resolve_list(
    status: Annotated[str, typer.Option(help="proposed, confirmed or rejected")] = "proposed",
    limit: int = 50,
) -> None:
    """List match proposals (or decisions)."""
    from warehouse.ingest import resolve

    with db.connect() as conn:
        frame = resolve.proposals(conn=conn, status=status, limit=limit)
    table = Table("id", "score", "entity", "place", "candidate", "place", "identifier")
    for r in frame.itertuples():
        table.add_row(
            str(r.id),
            f"{r.score:.2f}",
            str(r.entity_name),
            str(r.entity_place or ""),
            str(r.candidate_name),
            str(r.candidate_place or ""),
            str(r.candidate_identifier or ""),
        )
    console.print(table)


@resolve_app.command("confirm")
@_guard
def resolve_confirm(
    match_id: int, by: Annotated[str, typer.Option(help="who decides")] = "cli"
) -> None:
    """Confirm a proposal: the entity is the candidate."""
    _decide(match_id, True, by)


@resolve_app.command("reject")
@_guard
def resolve_reject(
    match_id: int, by: Annotated[str, typer.Option(help="who decides")] = "cli"
) -> None:
    """Reject a proposal: the two entities are different."""
    _decide(match_id, False, by)


@resolve_app.command("reopen")
@_guard
def resolve_reopen(
    match_id: int, by: Annotated[str, typer.Option(help="who decides")] = "cli"
) -> None:
    """Undo a decision: the proposal is open again (a confirmed merge is taken apart)."""
    _decide(match_id, None, by)


def _decide(match_id: int, confirm: bool | None, by: str) -> None:
    """Decide (or with `confirm` None reopen) and audit it in the same transaction, as the
    operator `by` (no agency or role: the command line runs as the warehouse owner)."""
    from warehouse import audit
    from warehouse.ingest import resolve

    with db.connect() as conn:
        if confirm is None:
            p = resolve.reopen(conn=conn, match_id=match_id)
        else:
            p = resolve.decide(conn=conn, match_id=match_id, confirm=confirm, decided_by=by)
        audit.append(
            conn,
            action="match_decision",
            subject=by,
            details={
                "match": p.id,
                "decision": "reopened" if confirm is None else p.status,
                "entity": p.entity_id,
                "candidate": p.candidate_id,
                "via": "cli",
            },
        )
    console.print(f"Match {p.id}: entity {p.entity_id} / {p.candidate_id} {p.status}.")


@rollups_app.command("refresh")
@_guard
def rollups_refresh() -> None:
    """Rebuild every rollup table from the signals."""
    with console.status("Refreshing rollups…"), db.connect() as conn:
        results = rollups.refresh_all(conn)
    table = Table("rollup", "rows")
    for r in results:
        table.add_row(r.rollup, f"{r.rows:,}")
    console.print(table)


@rollups_app.command("recount")
@_guard
def rollups_recount() -> None:
    """Recount the distinct-entity counts that deliveries left out of date (each load does this
    after its commit; for a load that stopped in between)."""
    if not _recount():
        console.print("The distinct-entity counts are up to date.")


def _recount() -> bool:
    """Recount what committed deliveries left stale (warehouse/entity_counts.py); whether any."""
    with console.status("Recounting distinct entities…"):
        done = entity_counts.recount_stale(db.get_engine())
    if done is not None:
        console.print(
            f"Distinct-entity counts recounted from {done.stale_from:%Y-%m} ({done.seconds:.1f} s)."
        )
    return done is not None


@app.command()
@_guard
def serve(
    port: Annotated[int, typer.Option(help="port of the app")] = 8501,
    address: Annotated[str, typer.Option(help="address to listen on")] = "localhost",
) -> None:
    """Start the dashboard (the warehouse must be migrated)."""
    from dashboard.launcher import serve as run

    db.warehouse_url()  # starts the embedded server when it is the one in use
    console.print(f"[bold]NSOC dashboard:[/] http://{address}:{port}")
    raise typer.Exit(code=run(port=port, address=address))


@app.command()
@_guard
def demo(port: Annotated[int, typer.Option(help="port of the app")] = 8501) -> None:
    """Database, schema, demo data (once), development identity providers and the app."""
    from dashboard import devidp

    settings = get_settings()
    if settings.embedded:
        db_start()
    _upgrade()
    seed(
        size=settings.demo_size,
        seed=settings.demo_seed,
        manifest=None,
        replace=False,
        if_empty=True,
    )
    if devidp.write_demo_secrets(
        settings.secrets_path, agencies(), app_port=port, base_port=settings.idp_base_port
    ):
        console.print(f"Development identities configured in {settings.secrets_path}")
    else:
        console.print(f"Using your own identity configuration in {settings.secrets_path}")
    with console.status("Starting one development identity provider per agency…"):
        procs = devidp.start_idps(agencies(), settings.idp_base_port)
    console.print(
        "Log in with a demo user of any agency and role, e.g. analist@politie, "
        "manager@defensie, gegevensbeheerder@douane, auditor@fiod."
    )
    try:
        serve(port=port, address="localhost")
    finally:
        devidp.stop_idps(procs)


@app.command()
@_guard
def idp() -> None:
    """Run the development identity providers in the foreground (for `nsoc serve`)."""
    import time

    from dashboard import devidp

    settings = get_settings()
    procs = devidp.start_idps(agencies(), settings.idp_base_port)
    for a in agencies():
        console.print(f"{a.code}: {devidp.issuer_of(a, settings.idp_base_port)}")
    try:
        while all(p.poll() is None for p in procs):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        devidp.stop_idps(procs)


@audit_app.command("verify")
@_guard
def audit_verify() -> None:
    """Check the audit trail's hash chain: altered or removed entries are reported."""
    from warehouse import audit

    with db.connect() as conn:
        verdict = audit.verify(conn)
    if verdict.ok:
        console.print(f"Audit trail intact: {verdict.entries:,} entries, chain verified.")
        return
    for problem in verdict.problems:
        err.print(f"[red]✗[/] {problem}")
    raise _fail(f"the audit trail has been tampered with ({len(verdict.problems)} problems)")


def _acting_as(agency: str, role: str) -> Viewer:
    """The viewer a command acts as: need-to-know applies exactly as in the app."""
    import datetime as dt
    import getpass

    bits = {a.code: a.bit for a in agencies()}
    if agency not in bits:
        raise ValueError(f"unknown agency {agency!r}: choose one of {', '.join(bits)}")
    try:
        active = Role(role)
    except ValueError:
        raise ValueError(f"unknown role {role!r}: choose one of {', '.join(Role)}") from None
    return Viewer(
        subject=f"cli:{getpass.getuser()}",
        agency=agency,
        agency_bit=bits[agency],
        role=active,
        session_started=dt.datetime.now(dt.UTC),
        name="nsoc command line",
    )


def _filters(
    start: str | None, end: str | None, phenomena: str, regions: str, agencies_: str
) -> Filters:
    params = {"van": start or "", "tot": end or "", "fenomenen": phenomena}
    params |= {"regios": regions, "partners": agencies_}
    filters, problems = Filters.from_query({k: v for k, v in params.items() if v})
    if problems:
        raise ValueError(f"malformed filters: {', '.join(problems)}")
    return filters


AgencyOpt = Annotated[str, typer.Option("--agency", help="act as this agency (its code)")]
FromOpt = Annotated[str | None, typer.Option("--from", help="first month, e.g. 2024-01")]
ToOpt = Annotated[str | None, typer.Option("--to", help="last month, e.g. 2024-06")]
CodesOpt = Annotated[str, typer.Option(help="comma-separated codes")]


@app.command("export")
@_guard
def export_cmd(
    agency: AgencyOpt,
    reason: Annotated[str, typer.Option(help="why this export is needed (audited)")],
    out: Annotated[Path, typer.Option(help="file, or folder for nsoc-export-<id>-<date>.csv")],
    role: Annotated[str, typer.Option(help="act in this role")] = "steward",
    case: Annotated[str, typer.Option(help="case number (optional, audited)")] = "",
    dialect: Annotated[str, typer.Option(help="rfc4180 or excel-nl")] = "rfc4180",
    source: Annotated[
        str, typer.Option(help="'signals' (rows) or a query function, e.g. coverage.coverage")
    ] = "signals",
    columns: Annotated[str, typer.Option(help="comma-separated; default: the usual set")] = "",
    start: FromOpt = None,
    end: ToOpt = None,
    phenomena: CodesOpt = "",
    regions: CodesOpt = "",
    owners: Annotated[str, typer.Option(help="owning agencies, comma-separated")] = "",
) -> None:
    """Export signal rows or an aggregate as CSV, acting as an agency and role (audited)."""
    from warehouse import export
    from warehouse.csvfile import Dialect
    from warehouse.queries.export_rows import DEFAULT_SIGNAL_COLUMNS

    viewer = _acting_as(agency, role)
    chosen = tuple(c.strip() for c in columns.split(",") if c.strip())
    if not chosen and source != export.SIGNALS:
        raise ValueError("name the --columns of an aggregate export")
    request = export.ExportRequest(
        source=source,
        filters=_filters(start, end, phenomena, regions, owners),
        columns=chosen or DEFAULT_SIGNAL_COLUMNS,
        dialect=Dialect(dialect),
        reason=reason,
        case_number=case,
    )
    target = out / request.file_name() if out.is_dir() else out
    partial = target.with_name(target.name + ".part")
    try:
        with partial.open("wb") as handle:
            progress = export.write(request, viewer, handle, via="cli")
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    console.print(
        f"Export {request.export_id}: {progress.rows:,} rows to {target}\n"
        f"sha256 {progress.hexdigest} (in the audit trail)",
        highlight=False,
    )


@app.command("briefing")
@_guard
def briefing_cmd(
    period: Annotated[str, typer.Option(help="2024-Q3, 2024-07 or 2024")],
    agency: AgencyOpt,
    out: Annotated[Path, typer.Option(help="the PDF to write")],
    role: Annotated[str, typer.Option(help="the recipient's role")] = "manager",
    regions: CodesOpt = "",
    lang: Annotated[str, typer.Option(help="nl or en")] = "nl",
) -> None:
    """Write the management briefing (PDF) for a period and regions (audited)."""
    from dashboard.briefing import make_briefing
    from warehouse.period import Period

    viewer = _acting_as(agency, role)
    result = make_briefing(
        viewer,
        Period.parse(period),
        regions=tuple(r.strip() for r in regions.split(",") if r.strip()),
        lang=lang,
        via="cli",
    )
    out.write_bytes(result.pdf)
    console.print(f"Briefing {period} written to {out} (sha256 {result.sha256})", highlight=False)


@app.command("bench")
@_guard
def bench_cmd(
    size: Annotated[
        str, typer.Option(help="bench (10M), demo (500k), small (20k) or a number of signals")
    ] = "bench",
    url: Annotated[
        str | None, typer.Option(help="bench this warehouse as-is (default: database nsoc_bench)")
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="also write the figures here")
    ] = None,
    runs: Annotated[int, typer.Option(help="warm runs per query")] = 20,
    cold_runs: Annotated[int, typer.Option(help="cold runs per query")] = 5,
    sessions: Annotated[
        int, typer.Option(help="concurrent sessions (with and without browsers)")
    ] = 20,
    session_seconds: Annotated[float, typer.Option(help="how long they run")] = 60.0,
    think_seconds: Annotated[
        float,
        typer.Option(
            help="mean pause between a session's page loads (0.5-1.5x, staggered; 0: back to back)"
        ),
    ] = 0.0,
    reload_pages: Annotated[
        bool,
        typer.Option(
            "--reload-pages",
            help="browser sessions load each view anew (default: through the sidebar)",
        ),
    ] = False,
    export_rows: Annotated[int, typer.Option(help="rows of the timed CSV export")] = 1_000_000,
    refresh_signals: Annotated[int, typer.Option(help="signals of the timed delivery")] = 100_000,
    skip_queries: Annotated[bool, typer.Option("--skip-queries")] = False,
    skip_naive: Annotated[bool, typer.Option("--skip-naive")] = False,
    skip_browser: Annotated[bool, typer.Option("--skip-browser")] = False,
    skip_concurrent: Annotated[bool, typer.Option("--skip-concurrent")] = False,
    skip_protocol: Annotated[
        bool, typer.Option("--skip-protocol", help="no concurrent sessions without browsers")
    ] = False,
    skip_export: Annotated[bool, typer.Option("--skip-export")] = False,
    skip_briefing: Annotated[bool, typer.Option("--skip-briefing")] = False,
    skip_refresh: Annotated[bool, typer.Option("--skip-refresh")] = False,
) -> None:
    """Time every view's queries (warm, cold, against the naive aggregate), the browser, the
    export, the briefing and the rollup refresh on a dedicated warehouse; figures only."""
    from dashboard import bench
    from seed.load import SIZES, size_signals

    if size_signals(size) is None:
        raise _fail(f"unknown size {size!r}: choose one of {', '.join(SIZES)} or a number")
    options = bench.Options(
        size=size,
        url=url,
        runs=runs,
        cold_runs=cold_runs,
        sessions=sessions,
        session_seconds=session_seconds,
        think_seconds=think_seconds,
        reload=reload_pages,
        export_rows=export_rows,
        refresh_signals=refresh_signals,
        queries=not skip_queries,
        naive=not skip_naive,
        browser=not skip_browser,
        concurrent=not skip_concurrent,
        protocol=not skip_protocol,
        export=not skip_export,
        briefing=not skip_briefing,
        refresh=not skip_refresh,
    )
    report = bench.run(options, say=lambda m: err.print(m, highlight=False))
    for line in bench.render(report):
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    if json_out:
        bench.write_json(report, json_out)
        console.print(f"Figures written to {json_out}", highlight=False)
    if report.errors:
        failed = ", ".join(e["part"] for e in report.errors)
        raise _fail(f"{len(report.errors)} part(s) of the benchmark failed ({failed}); see above")


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


if __name__ == "__main__":
    app()
