"""The synthetic signals as the agencies would deliver them: one file per agency and chunk, in
the delivery format of warehouse/ingest, with the noise real deliveries have (KvK numbers with
spaces, a prefix or a lost leading zero, IBANs in lowercase groups, IMO prefixes, dotted citizen
numbers, names in other spellings) and some companies that one agency knows by name only."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from warehouse.ingest.formats import ENTITY_FIELDS, SIGNAL_FIELDS, entity_column

# What json.dumps(ensure_ascii=False) writes text with.
_JSON_STRING = json.encoder.encode_basestring
# Agencies whose files are JSON Lines (the rest deliver CSV), to exercise both formats.
JSONL_AGENCIES = ("kmar",)
NAME_ONLY_COMPANIES = 40


@dataclass(frozen=True)
class NameOnly:
    """Companies one agency knows by name and place only: (entity id, agency) pairs."""

    pairs: frozenset[tuple[int, str]]

    def manifest(self, entities: pd.DataFrame) -> list[dict]:
        names = entities.set_index("id")
        return [
            {
                "entity_id": eid,
                "agency": agency,
                "name": str(names.at[eid, "display_name"]),
                "municipality_code": str(names.at[eid, "municipality_code"]),
            }
            for eid, agency in sorted(self.pairs)
        ]


def choose_name_only(
    rng: np.random.Generator, entities: pd.DataFrame, agencies: tuple[str, ...]
) -> NameOnly:
    companies = entities[(entities["kind"] == "company") & entities["municipality_code"].notna()]
    ids = rng.choice(companies["id"].to_numpy(), NAME_ONLY_COMPANIES, replace=False)
    owners = rng.choice(np.array(agencies), NAME_ONLY_COMPANIES)
    return NameOnly(frozenset((int(e), str(a)) for e, a in zip(ids, owners, strict=True)))


def delivery_frames(
    rng: np.random.Generator,
    *,
    signals: pd.DataFrame,
    links: pd.DataFrame,
    entities: pd.DataFrame,
    network_codes: dict[int, str],
    agency_codes: tuple[str, ...],
    all_mask: int,
    agency_bits: dict[str, int],
    name_only: NameOnly,
) -> dict[str, pd.DataFrame]:
    """Delivery rows per owning agency (signals in id order)."""
    out = pd.DataFrame({"source_ref": signals["source_ref"].to_numpy()})
    out["phenomenon"] = signals["phenomenon_code"].to_numpy()
    out["observed_on"] = pd.to_datetime(signals["observed_on"]).dt.strftime("%Y-%m-%d").to_numpy()
    out["reported_at"] = signals["reported_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ").to_numpy()
    out["municipality"] = signals["municipality_code"].to_numpy()
    out["node"] = signals["node_code"].to_numpy()
    out["origin_node"] = signals["origin_node_code"].to_numpy()
    for col in ("lat", "lon", "amount_eur", "quantity_kg", "severity"):
        out[col] = signals[col].to_numpy()
    out["reliability"] = signals["reliability"].to_numpy()
    out["credibility"] = signals["credibility"].to_numpy()
    out["handling_code"] = signals["handling_code"].to_numpy()
    out["audience"] = _audience(signals["audience_mask"], all_mask, agency_bits)
    out["network"] = signals["network_id"].map(network_codes).to_numpy()
    owner = signals["owner_agency"].to_numpy()
    wide = _entity_slots(rng, signals, links, entities, name_only)
    out = pd.concat([out[list(SIGNAL_FIELDS)], wide], axis=1)
    return {a: out[owner == a] for a in agency_codes if (owner == a).any()}


def _audience(masks: pd.Series, all_mask: int, bits: dict[str, int]) -> np.ndarray:
    lookup = {
        int(m): "all" if int(m) == all_mask else ";".join(c for c, b in bits.items() if m >> b & 1)
        for m in masks.unique()
    }
    return masks.map(lookup).to_numpy()


def _entity_slots(
    rng: np.random.Generator,
    signals: pd.DataFrame,
    links: pd.DataFrame,
    entities: pd.DataFrame,
    name_only: NameOnly,
) -> pd.DataFrame:
    """Entity mentions as entityN_* columns, a row per signal in the order of `signals` (all
    missing where a signal mentions none)."""
    ent = entities.set_index("id")
    owner = pd.Series(signals["owner_agency"].to_numpy(), index=signals["id"].to_numpy())
    m = links[["signal_id", "entity_id", "role"]].reset_index(drop=True)
    e = ent.reindex(m["entity_id"].to_numpy())
    kind = e["kind"].to_numpy()
    mentions = pd.DataFrame({"role": m["role"], "kind": kind})
    mentions["id"] = _noisy_ids(rng, kind, e)
    mentions["name"] = np.where(kind == "person", "", _noisy_names(rng, e["display_name"]))
    mentions["municipality"] = e["municipality_code"].to_numpy()
    mentions["category"] = e["facilitator_category"].to_numpy()
    agency = owner.reindex(m["signal_id"].to_numpy()).to_numpy()
    pairs = pd.MultiIndex.from_arrays([m["entity_id"].to_numpy(), agency])
    blind = np.asarray(pairs.isin(list(name_only.pairs)))
    mentions.loc[blind, "id"] = ""
    # A signal's mentions take slots 1, 2, ... in the order of the links; each slot's fields
    # are put straight at their signal's row (instead of a pivot and a reindex of its result).
    slot = m.groupby("signal_id").cumcount().to_numpy() + 1
    row = pd.Index(signals["id"].to_numpy()).get_indexer(m["signal_id"].to_numpy())
    fields = {f: mentions[f].to_numpy(dtype=object) for f in ENTITY_FIELDS}
    slots = int(slot.max()) if len(slot) else 0
    columns = {}
    for number in range(1, slots + 1):
        at = (slot == number) & (row >= 0)
        for f in ENTITY_FIELDS:
            values = np.full(len(signals), np.nan, dtype=object)
            values[row[at]] = fields[f][at]
            columns[entity_column(number, f)] = values
    # object columns: pandas would otherwise look at every value to infer a text type
    return pd.DataFrame(columns, dtype=object)


def _noisy_ids(rng: np.random.Generator, kind: np.ndarray, e: pd.DataFrame) -> np.ndarray:
    n = len(kind)
    u = rng.random(n)
    out = np.full(n, "", dtype=object)
    kvk = e["kvk_number"].fillna("").to_numpy(dtype=str)
    out = np.where(kind == "company", kvk, out)
    lost_zero = (kind == "company") & (u < 0.5) & np.char.startswith(kvk, "0")
    out[lost_zero] = np.char.lstrip(kvk[lost_zero], "0")
    spaced = (kind == "company") & (u > 0.9)
    out[spaced] = [f"{k[:4]} {k[4:]}" for k in kvk[spaced]]
    prefixed = (kind == "company") & (u > 0.85) & (u <= 0.9)
    out[prefixed] = [f"KvK {k}" for k in kvk[prefixed]]
    iban = e["iban"].fillna("").to_numpy(dtype=str)
    out = np.where(kind == "bank_account", iban, out)
    grouped = (kind == "bank_account") & (u < 0.2)
    out[grouped] = [
        " ".join(i[j : j + 4] for j in range(0, len(i), 4)).lower() for i in iban[grouped]
    ]
    imo = e["imo_number"].fillna("").to_numpy(dtype=str)
    out = np.where(kind == "vessel", np.where(u < 0.3, np.char.add("IMO ", imo), imo), out)
    bsn = e["person_number"].fillna("").to_numpy(dtype=str)
    out = np.where(kind == "person", bsn, out)
    dotted = (kind == "person") & (u < 0.2)
    out[dotted] = [f"{b[:4]}.{b[4:6]}.{b[6:]}" for b in bsn[dotted]]
    return out


def _noisy_names(rng: np.random.Generator, names: pd.Series) -> np.ndarray:
    """The registered name, or a spelling variant that normalises to the same name key."""
    u = rng.random(len(names))
    base = names.fillna("").astype(str)
    variants = [
        base,
        base.str.upper(),
        base.str.replace("B.V.", "BV", regex=False).str.replace("N.V.", "NV", regex=False),
        base.str.lower(),
    ]
    pick = np.select([u < 0.7, u < 0.8, u < 0.9], [0, 1, 2], 3)
    return np.choose(pick, [v.to_numpy(dtype=object) for v in variants])


def write_files(
    frames: dict[str, pd.DataFrame], folder: Path, chunk: int
) -> list[tuple[str, Path]]:
    """One file per agency: CSV, or JSON Lines for JSONL_AGENCIES. Returns (agency, path)."""
    written = []
    for agency, frame in frames.items():
        if agency in JSONL_AGENCIES:
            path = folder / f"{chunk:04d}-{agency}.jsonl"
            _write_jsonl(frame, path)
        else:
            path = folder / f"{chunk:04d}-{agency}.csv"
            _write_csv(frame, path)
        written.append((agency, path))
    return written


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    """CSV with numbers to five decimals, by Arrow's writer (in C++; pandas' to_csv took a
    third of the generator's time). It quotes every text value, as many exporting systems do."""
    columns = {}
    for name in frame.columns:
        values = frame[name]
        if values.dtype.kind == "f":
            numbers = values.to_numpy()
            given = ~np.isnan(numbers)
            text = np.full(len(numbers), None, dtype=object)
            text[given] = [f"{v:.5f}" for v in numbers[given].tolist()]
            columns[name] = pa.array(text, type=pa.string())
        elif values.dtype.kind in "iub":
            columns[name] = pa.array(values.to_numpy())
        else:
            text = values.astype(object).where(values.notna(), None).to_numpy()
            columns[name] = pa.array([None if v is None else str(v) for v in text], pa.string())
    pacsv.write_csv(
        pa.table(columns),
        str(path),
        pacsv.WriteOptions(quoting_style="needed", eol="\n"),
    )


def _write_jsonl(frame: pd.DataFrame, path: Path) -> None:
    """One JSON object per line, with the text json.dumps(record, ensure_ascii=False) gives
    for it (the signal's fields in order, then its entities without their empty fields), put
    together a column at a time: a dictionary and a dumps() per line took a fifth of the
    generator's time."""
    slots = sorted({int(c[6 : c.index("_")]) for c in frame.columns if c.startswith("entity")})
    fields = [_json_pairs(name, frame[name]) for name in SIGNAL_FIELDS]
    entities: list[list[str]] = [[] for _ in range(len(frame))]
    for slot in slots:
        given = [
            _json_pairs(name, frame[entity_column(slot, name)], skip_empty=True)
            for name in ENTITY_FIELDS
        ]
        kinds = _objects(frame[entity_column(slot, "kind")])
        for line, (kind, *parts) in enumerate(zip(kinds, *given, strict=True)):
            if kind:
                entities[line].append("{" + ", ".join(p for p in parts if p) + "}")
    with path.open("w", encoding="utf-8") as f:
        f.writelines(
            "{" + ", ".join(parts) + ', "entities": [' + ", ".join(found) + "]}\n"
            for *parts, found in zip(*fields, entities, strict=True)
        )


def _json_pairs(name: str, values: pd.Series, *, skip_empty: bool = False) -> list[str | None]:
    """'"name": value' per line; None where the value is empty or missing, with skip_empty."""
    key = f"{json.dumps(name)}: "
    return [None if skip_empty and not v else key + _json_value(v) for v in _objects(values)]


def _objects(values: pd.Series) -> list[object]:
    """The values as DataFrame.to_dict gives them to json.dumps: missing ones None."""
    return values.astype(object).where(values.notna(), None).tolist()


def _json_value(value: object) -> str:
    """A value as JSON text, as json.dumps(ensure_ascii=False, default=str) writes it."""
    if type(value) is str:
        return _JSON_STRING(value)
    if value is None:
        return "null"
    if type(value) is float:  # not a subclass: json.dumps writes those differently
        return float.__repr__(value)
    if type(value) is int:  # not bool
        return int.__repr__(value)
    if isinstance(value, np.generic):
        value = value.item()
    return json.dumps(value, ensure_ascii=False, default=str)
