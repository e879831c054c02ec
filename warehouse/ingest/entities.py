"""The entities a delivered row mentions: one link per entity slot, identifiers normalised,
person identifiers pseudonymised (their names are never kept)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa

from warehouse.enums import EntityKind, LinkRole
from warehouse.ingest import identifiers
from warehouse.ingest.formats import ENTITY_FIELDS, entity_column
from warehouse.ingest.pseudonyms import pseudonymise_many
from warehouse.ingest.reference import Reference
from warehouse.ingest.validate import Reasons

KINDS = {k.value for k in EntityKind}
ROLES = {r.value for r in LinkRole}
LINK_COLUMNS = (
    "line_no",
    "role",
    "kind",
    "kvk_number",
    "iban",
    "imo_number",
    "person_pseudonym",
    "name",
    "municipality_code",
    "category",
)
# Identifier column per kind, and the function that normalises it.
_IDENTIFIER = {
    "company": ("kvk_number", identifiers.kvk_many, "a KvK number of 8 digits"),
    "bank_account": ("iban", identifiers.iban_many, "an IBAN with valid check digits"),
    "vessel": ("imo_number", identifiers.imo_many, "an IMO number with a valid check digit"),
}
# Kinds known by an identifier other than a person's (whose number is never kept in clear).
IDENTIFIED_KINDS = frozenset(_IDENTIFIER)


def check_links(
    rows: pd.DataFrame, *, slots: int, ref: Reference, key: bytes, reasons: Reasons
) -> pd.DataFrame:
    """One row per delivered entity mention (by line), ready for staging."""
    parts = []
    for slot in range(1, slots + 1):
        columns = [entity_column(slot, f) for f in ENTITY_FIELDS]
        given = np.logical_or.reduce([(rows[c] != "").to_numpy() for c in columns])
        part = rows.loc[given, columns].set_axis(list(ENTITY_FIELDS), axis=1)
        part["row"] = np.flatnonzero(given)
        part["slot"] = slot
        parts.append(part)
    if not parts or not sum(len(p) for p in parts):
        return pd.DataFrame(columns=[*LINK_COLUMNS, "row"])
    links = pd.concat(parts, ignore_index=True)
    links["kind"] = links["kind"].str.lower()
    links["role"] = links["role"].str.lower().replace("", "involved")
    _flag(links, ~links["kind"].isin(KINDS), "kind", "unknown kind {value!r}", reasons)
    _flag(links, ~links["role"].isin(ROLES), "role", "unknown role {value!r}", reasons)
    for kind, (column, normalise, expected) in _IDENTIFIER.items():
        of_kind = links["kind"] == kind
        links[column] = _per_distinct(links["id"].where(of_kind, ""), normalise)
        bad = of_kind & (links["id"] != "") & links[column].isna()
        _flag(links, bad, "id", f"not {expected}: {{value!r}}", reasons)
    person = links["kind"] == "person"
    links["person_pseudonym"] = _per_distinct(
        links["id"].where(person, ""), lambda raw: pseudonymise_many(key, raw)
    )
    _flag(links, person & (links["id"] == ""), "id", "a person needs an identifier", reasons)
    unusable = person & (links["id"] != "") & links["person_pseudonym"].isna()
    _flag(links, unusable, "id", "not a person identifier", reasons)
    # Persons are known by pseudonym only: their delivered names are dropped here.
    links["name"] = links["name"].where(~person, "")
    nameless = ~person & (links["id"] == "") & (links["name"] == "")
    _flag(links, nameless, "name", "give an identifier or a name", reasons)
    _flag(links, links["name"].str.len() > 200, "name", "at most 200 characters", reasons)
    place = links["municipality"]
    _flag(
        links,
        (place != "") & ~place.isin(ref.municipalities),
        "municipality",
        "unknown code {value!r}",
        reasons,
    )
    category = links["category"].str.upper()
    _flag(
        links,
        (category != "") & ~category.isin(ref.facilitator_categories),
        "category",
        "unknown code {value!r}",
        reasons,
    )
    links["municipality_code"] = place.where(place != "", None)
    links["category"] = category.where(category != "", None)
    links["line_no"] = rows["line_no"].to_numpy()[links["row"].to_numpy()]
    return links[[*LINK_COLUMNS, "row"]]


def _flag(links: pd.DataFrame, mask: pd.Series, name: str, message: str, reasons: Reasons) -> None:
    if not mask.any():  # the usual case: nothing to convert to text
        return
    column = {"kind": "kind", "role": "role", "id": "id", "name": "name"}.get(name, name)
    slots, rows, kinds = links["slot"].to_numpy(), links["row"].to_numpy(), links["kind"].to_numpy()
    values = links[column].astype(str).to_numpy() if column in links else None
    for i in mask.to_numpy().nonzero()[0]:
        slot, row = int(slots[i]), int(rows[i])
        value = str(values[i])[:80] if values is not None else ""
        if kinds[i] == "person" and column == "id":
            value = "…"  # never echo a person number, not even in a reason
        reasons.by_row[row].setdefault(entity_column(slot, name), message.format(value=value))


def _per_distinct(
    values: pd.Series, many: Callable[[pa.Array], pa.Array | Sequence[object]]
) -> pd.Series:
    """`many` applied to the distinct delivered values at once (identifiers repeat a lot
    within a batch; it gives one result per value, None where the value is unusable); empty
    values give a missing value. The values are numbered (factorize) and the results taken by
    number."""
    codes, uniques = pd.factorize(values)
    distinct = np.asarray(uniques, dtype=object)
    given = distinct != ""
    results = np.full(len(distinct) + 1, np.nan, dtype=object)  # the last: for code -1
    if given.any():
        found = many(pa.array(distinct[given], pa.string()))
        found = found.to_pylist() if isinstance(found, pa.Array) else list(found)
        results[np.flatnonzero(given)] = found
    return pd.Series(results[codes], index=values.index)
