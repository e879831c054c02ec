"""The benchmark's report as plain-text tables and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

from dashboard.bench.common import TARGET_P95_MS, TARGET_RATIO, Report


def _ok(met: bool) -> str:
    return "yes" if met else "NO"


def render(report: Report) -> list[str]:
    """The report as plain-text tables."""
    m = report.meta
    lines = [
        f"{m.get('signals', 0):,} signals ({m.get('size')}), PostgreSQL {m.get('server')}, "
        f"{m.get('cores')} cores, load {m.get('load_average')} -> {m.get('load_average_end')}",
        f"cold = {m.get('cold')}",
        "",
        f"{'view':12} {'query':36} {'viewer':17} {'warm med':>8} {'warm p95':>8} "
        f"{'cold med':>8} {'naive':>8} {'ratio':>6} {'<100ms':>6} {'>=20x':>5}",
    ]
    for q in report.queries:
        naive = q["naive"]["median_ms"] if q["naive"] else None
        ratio = q["ratio"]
        lines.append(
            f"{q['view']:12} {q['query'][:36]:36} {q['viewer']:17} {q['warm']['median_ms']:8.1f} "
            f"{q['warm']['p95_ms']:8.1f} {q['cold']['median_ms']:8.1f} "
            f"{naive if naive is not None else '-':>8} {ratio if ratio is not None else '-':>6} "
            f"{_ok(q['warm']['p95_ms'] < TARGET_P95_MS):>6} "
            f"{(_ok(ratio >= TARGET_RATIO) if ratio is not None else '-'):>5}"
        )
    if report.browser:
        lines += [
            "",
            f"{'page':14} {'load med':>9} {'load p95':>9} {'filter med':>10} {'filter p95':>10} "
            f"{'rerun med':>9} {'rerun p95':>9}",
        ]
        nan = {"median_ms": float("nan"), "p95_ms": float("nan")}
        for b in report.browser:
            # after a filter change: until drawn, and until the app's rerun was over
            drawn, rerun = b.get("filter") or nan, b.get("filter_rerun") or nan
            lines.append(
                f"{b['page']:14} {b['load']['median_ms']:9.0f} {b['load']['p95_ms']:9.0f} "
                f"{drawn['median_ms']:10.0f} {drawn['p95_ms']:10.0f} "
                f"{rerun['median_ms']:9.0f} {rerun['p95_ms']:9.0f}"
            )
    if report.concurrent:
        c = report.concurrent
        lines += [
            "",
            f"{c['sessions']} concurrent sessions for {c['seconds']} s "
            f"({c['think_s']} s between views, {c.get('how', 'reload')}): {c['pages']} pages, "
            f"median {c['median_ms']:.0f} ms, p95 {c['p95_ms']:.0f} ms, errors {c['errors']}"
            + (
                f"; CPU in {c['wall_s']} s on {c['cores']} cores: browsers "
                f"{c['browser_cpu_s']} s, app server {c['server_cpu_s']} s"
                if c.get("browser_cpu_s") is not None
                else ""
            ),
        ]
    if report.protocol:
        c = report.protocol
        lines.append(
            f"{c['sessions']} sessions without browsers for {c['seconds']} s "
            f"({c['think_s']} s between loads): {c['pages']} "
            f"pages, median {c['median_ms']:.0f} ms, p95 {c['p95_ms']:.0f} ms, "
            f"errors {c['errors']}"
            + (
                f"; app server CPU {c['server_cpu_s']} s, {c['server_cpu_ms_per_page']} ms a page"
                if c.get("server_cpu_s") is not None
                else ""
            )
        )
    if report.server:
        lines.append(f"app server peak memory: {report.server.get('peak_rss_mb')} MB")
    if report.export:
        e = report.export
        lines += [
            "",
            f"export: {e['rows']:,} rows in {e['seconds']} s = {e['rows_per_s']:,} rows/s; RSS "
            f"{e['rss_before_mb']} -> peak {e['rss_peak_mb']} -> {e['rss_after_mb']} MB",
            f"export CPU: route {e['server_cpu_s']} s, client {e['client_cpu_s']} s, "
            f"database {e['db_cpu_s']} s",
        ]
    if report.briefing:
        b = report.briefing
        lines.append(f"briefing {b['period']}: {b['first_s']} s (again {b['second_s']} s)")
    if report.refresh:
        r = report.refresh
        lines.append(
            f"delivery of {r['signals']:,} new signals ({r['agency']}) in {len(r['months'])} "
            f"months: insert {r['insert_s']} s, incremental rollup refresh {r['refresh_s']} s; "
            f"with one correction (its month and phenomenon rebuilt) {r['corrected_refresh_s']} s; "
            f"with {r['corrections']:,} corrections across {len(r['months'])} months and "
            f"{r['corrected_phenomena']} phenomena {r['many_corrected_refresh_s']} s"
        )
        lines.append(
            f"then, after the commit, the distinct-entity counts recounted from "
            f"{r['recount_from']}: {r['recount_s']} s, {r['corrected_recount_s']} s, "
            f"{r['many_corrected_recount_s']} s"
        )
        lines.append(
            f"the same signals as the first delivery of three new months: refresh "
            f"{r['new_months_refresh_s']} s, recount after the commit {r['new_months_recount_s']} s"
        )
    if report.errors:
        lines.append("")
        lines += [f"FAILED {e['part']}: {e['error']}" for e in report.errors]
    return lines


def write_json(report: Report, path: Path) -> None:
    path.write_text(json.dumps(report.as_dict(), indent=2, default=str), encoding="utf-8")
