"""Validation of delivered rows, column by column over the whole batch (vectorised): every
failing row collects a reason per field; the rest becomes typed values for staging."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import repeat

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from h3.api.basic_int import latlng_to_cell as cell

from warehouse.ingest.formats import AGENCY_FIELD, REQUIRED_FIELDS
from warehouse.ingest.reference import FOREIGN_NODE_RADIUS, NL_LAT, NL_LON, Reference

MAX_FIELD = 1000
MAX_AMOUNT_EUR = 1e12
MAX_QUANTITY_KG = 1e6
EARLIEST = pd.Timestamp("1990-01-01")
CLOCK_SKEW = pd.Timedelta(minutes=10)


@dataclass
class Reasons:
    """Reasons per row (by frame index) and field."""

    by_row: dict[int, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))

    def flag(self, mask: pd.Series | np.ndarray, name: str, message: str) -> None:
        for i in np.flatnonzero(np.asarray(mask)):
            self.by_row[int(i)].setdefault(name, message)

    def flag_values(self, mask: pd.Series, values: pd.Series, name: str, message: str) -> None:
        """Like flag, with the delivered value in the message ({value})."""
        for i in np.flatnonzero(np.asarray(mask)):
            self.by_row[int(i)].setdefault(name, message.format(value=values.iloc[i][:80]))

    def bad(self, n: int) -> np.ndarray:
        out = np.zeros(n, dtype=bool)
        out[list(self.by_row)] = True
        return out


def check_signals(
    rows: pd.DataFrame, *, agency: str, ref: Reference, now: dt.datetime, reasons: Reasons
) -> pd.DataFrame:
    """Typed signal columns for staging; failing rows are flagged in reasons."""
    out = pd.DataFrame(index=rows.index)
    for name in rows.columns.drop("line_no"):
        lengths = pc.utf8_length(pa.array(rows[name], pa.string()))
        if len(lengths) and pc.max(lengths).as_py() > MAX_FIELD:  # rarely: no mask otherwise
            too_long = pc.greater(lengths, MAX_FIELD).to_numpy(zero_copy_only=False)
            reasons.flag(too_long, name, f"longer than {MAX_FIELD} characters")
    for name in REQUIRED_FIELDS:
        reasons.flag(rows[name] == "", name, "required")
    other = (rows[AGENCY_FIELD] != "") & (rows[AGENCY_FIELD].str.lower() != agency)
    reasons.flag_values(
        other, rows[AGENCY_FIELD], AGENCY_FIELD, f"row of {{value!r}}: {agency} delivers its own"
    )
    ref_col = rows["source_ref"]
    reasons.flag(ref_col.str.len() > 64, "source_ref", "at most 64 characters")
    reasons.flag(ref_col.str.contains(r"[\x00-\x1f]", regex=True), "source_ref", "control chars")
    _duplicates(rows, reasons)
    out["source_ref"] = ref_col
    out["phenomenon_code"] = _code(rows, "phenomenon", ref.phenomena, reasons)
    _dates(rows, out, now, reasons)
    _place(rows, out, ref, reasons)
    out["amount_eur"] = _number(rows, "amount_eur", 0, MAX_AMOUNT_EUR, reasons).round(2)
    out["quantity_kg"] = _number(rows, "quantity_kg", 0, MAX_QUANTITY_KG, reasons).round(3)
    out["severity"] = _code(rows, "severity", {"1", "2", "3", "4", "5"}, reasons)
    out["reliability"] = _code(rows, "reliability", {"A", "B", "C", "D", "X"}, reasons, True)
    out["credibility"] = _code(rows, "credibility", {"1", "2", "3", "4"}, reasons)
    out["handling_code"] = _code(rows, "handling_code", {"H0", "H1", "H2", "H3"}, reasons, True)
    out["audience_mask"] = _audience(rows, agency, ref, reasons)
    network = rows["network"]
    bad_network = (network != "") & ~network.str.fullmatch(r"[A-Za-z0-9._\-]{1,24}")
    reasons.flag(bad_network, "network", "a case or network code: letters, digits, . _ -")
    out["network_code"] = network.where(network != "", None)
    return out


def _duplicates(rows: pd.DataFrame, reasons: Reasons) -> None:
    refs = rows["source_ref"]
    dup = refs.duplicated(keep=False) & (refs != "")
    if dup.any():
        lines = rows.loc[dup, "line_no"].groupby(refs[dup]).agg(lambda s: ", ".join(map(str, s)))
        for i in np.flatnonzero(dup.to_numpy()):
            reasons.by_row[int(i)].setdefault(
                "source_ref", f"appears more than once in this file (lines {lines[refs.iloc[i]]})"
            )


def _code(
    rows: pd.DataFrame,
    name: str,
    allowed: set[str] | frozenset[str],
    reasons: Reasons,
    upper: bool = False,
) -> pd.Series:
    values = rows[name].str.upper() if upper else rows[name]
    unknown = (values != "") & ~values.isin(allowed)
    reasons.flag_values(unknown, rows[name], name, "unknown code {value!r}")
    return values.where(values.isin(allowed), None)


def _number(rows: pd.DataFrame, name: str, low: float, high: float, reasons: Reasons) -> pd.Series:
    raw = rows[name]
    values = pd.to_numeric(raw, errors="coerce")
    reasons.flag_values((raw != "") & values.isna(), raw, name, "not a number: {value!r}")
    reasons.flag((values < low) | (values > high), name, f"outside {low:,.0f}..{high:,.0f}")
    return values


def _dates(rows: pd.DataFrame, out: pd.DataFrame, now: dt.datetime, reasons: Reasons) -> None:
    observed = pd.to_datetime(rows["observed_on"], format="%Y-%m-%d", errors="coerce")
    given = rows["observed_on"] != ""
    reasons.flag(given & observed.isna(), "observed_on", "not a date (YYYY-MM-DD)")
    today = pd.Timestamp(now.date())
    reasons.flag(observed > today, "observed_on", "in the future")
    reasons.flag(observed < EARLIEST, "observed_on", "before 1990")
    raw = rows["reported_at"]
    zoned = raw.str.contains(r"(?:Z|[+-]\d\d:?\d\d)$", regex=True)
    reported = pd.to_datetime(raw.where(zoned, None), format="ISO8601", utc=True, errors="coerce")
    reasons.flag(
        (raw != "") & reported.isna(),
        "reported_at",
        "not a time with a time zone (e.g. 2024-03-01T14:05:00+01:00)",
    )
    reasons.flag(reported > pd.Timestamp(now) + CLOCK_SKEW, "reported_at", "in the future")
    late = observed > reported.dt.tz_localize(None).dt.normalize() + pd.Timedelta(days=1)
    reasons.flag(late, "observed_on", "after reported_at")
    out["observed_on"] = observed.dt.date
    out["reported_at"] = reported


def _place(rows: pd.DataFrame, out: pd.DataFrame, ref: Reference, reasons: Reasons) -> None:
    municipality = _code(rows, "municipality", ref.municipalities, reasons)
    nodes = set(ref.node_municipality)
    node = _code(rows, "node", nodes, reasons)
    out["node_code"] = node
    out["origin_node_code"] = _code(rows, "origin_node", nodes, reasons)
    # A Dutch node implies its municipality when none was delivered.
    out["municipality_code"] = municipality.fillna(node.map(ref.node_municipality))
    lat = _number(rows, "lat", -90, 90, reasons)
    lon = _number(rows, "lon", -180, 180, reasons)
    reasons.flag(lat.isna() != lon.isna(), "lat", "give both lat and lon, or neither")
    inside = lat.between(*NL_LAT) & lon.between(*NL_LON)
    near = np.zeros(len(rows), dtype=bool)
    for nlat, nlon in ref.foreign_nodes:
        near |= ((lat - nlat).abs() < FOREIGN_NODE_RADIUS).to_numpy() & (
            (lon - nlon).abs() < FOREIGN_NODE_RADIUS
        ).to_numpy()
    reasons.flag(
        lat.notna() & lon.notna() & ~inside & ~near,
        "lat",
        "coordinates outside the Netherlands and not at a known foreign node",
    )
    nowhere = (rows["municipality"] == "") & (rows["node"] == "") & (rows["lat"] == "")
    reasons.flag(nowhere, "municipality", "give a municipality, a node or coordinates")
    out["lat"], out["lon"] = lat, lon
    _h3(out)


def _h3(out: pd.DataFrame) -> None:
    """H3 cells at resolutions 5, 7 and 9, once per distinct point."""
    lat, lon = out["lat"].to_numpy(dtype=float), out["lon"].to_numpy(dtype=float)
    given = ~(np.isnan(lat) | np.isnan(lon))
    # A point as one complex number: np.unique finds the distinct ones without a MultiIndex.
    points, where = np.unique(lat[given] + 1j * lon[given], return_inverse=True)
    rows = np.full(len(out), -1, dtype=np.int64)
    rows[given] = where
    take = pa.array(rows, mask=rows < 0)  # each row's point, null where none
    lats, lons = points.real.tolist(), points.imag.tolist()
    for res in (5, 7, 9):
        # H3's integer API per point (it has no call for many), then hexadecimal text by numpy
        cells = np.fromiter(map(cell, lats, lons, repeat(res)), dtype=np.uint64, count=len(lats))
        out[f"h3_r{res}"] = pd.Series(_hex(cells).take(take), index=out.index, dtype="str")


_HEX_DIGITS = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)
_NIBBLES = np.arange(56, -4, -4, dtype=np.uint64)  # 15 hexadecimal digits, high to low


def _hex(cells: np.ndarray) -> pa.StringArray:
    """H3 cells as lowercase hexadecimal text, as Python's format(cell, "x") writes them.
    Every valid cell has 15 digits (mode bits 0001 below a reserved zero bit): the digits are
    cut out of the numbers at once, and the text is one buffer with a fixed stride."""
    if not ((cells >> np.uint64(56)) > 0).all() or (cells >> np.uint64(60)).any():
        return pa.array([format(c, "x") for c in cells.tolist()], pa.string())
    digits = _HEX_DIGITS[((cells[:, None] >> _NIBBLES) & np.uint64(15)).astype(np.intp)]
    offsets = np.arange(0, 15 * len(cells) + 1, 15, dtype=np.int32)
    return pa.StringArray.from_buffers(
        len(cells), pa.py_buffer(offsets), pa.py_buffer(digits.tobytes())
    )


def _audience(rows: pd.DataFrame, agency: str, ref: Reference, reasons: Reasons) -> pd.Series:
    """`all`, or agency codes separated by ; , or spaces; the owner always sees its own."""
    lookup: dict[str, int | None] = {}
    for value in rows["audience"].unique():
        codes = [c for c in value.lower().replace(",", " ").replace(";", " ").split() if c]
        if codes == ["all"]:
            lookup[value] = ref.all_mask
        elif codes and all(c in ref.agency_bits for c in codes):
            lookup[value] = ref.mask([*codes, agency])
        else:
            lookup[value] = None
    mask = rows["audience"].map(lookup)
    reasons.flag_values(
        (rows["audience"] != "") & mask.isna(),
        rows["audience"],
        "audience",
        "'all' or agency codes separated by ';' (got {value!r})",
    )
    return mask
