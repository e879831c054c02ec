"""A delivery's valid rows prepared for writing, in the reader processes (no database): typed
for COPY in line order, with the batch's distinct identifiers and names numbered per link.
What is left to do with a batch needs the database's answers (warehouse/ingest/upsert.py)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from warehouse.ingest import stage

# The identifier column of each kind of entity (upsert._IDENTIFIED resolves them in this order).
IDENTIFIER_COLUMNS = ("kvk_number", "iban", "imo_number", "person_pseudonym")


@dataclass(frozen=True)
class Batch:
    """A batch's valid rows, prepared for writing without the database (`prepare_batch`,
    while the database writes the previous batch): all that is left to do with it is what
    needs the database's answers."""

    table: pa.Table  # the rows as staged (stage.STAGE_SIGNAL), typed for COPY, in line order
    links: pd.DataFrame  # line_no and role of each link, in line order
    ident_no: np.ndarray  # per link: its row in `idents`, or -1
    idents: pd.DataFrame  # one row per distinct identifier (the first line's name and place)
    name_no: np.ndarray  # per link without identifier: its row in `names`, or -1
    names: pd.DataFrame  # one row per distinct name and place without an identifier


def prepare_batch(signals: pd.DataFrame, links: pd.DataFrame) -> Batch:
    """Order the valid rows by line, type them for COPY, and find the batch's distinct
    identifiers and names (links arrive slot by slot; the first line that names an entity
    gives its name and place)."""
    signals = signals.sort_values("line_no", kind="stable").reset_index(drop=True)
    links = links.sort_values("line_no", kind="stable").reset_index(drop=True)
    identifiers = [links[column] for column in IDENTIFIER_COLUMNS]
    identified = np.logical_or.reduce([column.notna().to_numpy() for column in identifiers])
    # a link has the identifier of its kind only: kind and the identifier columns are its key
    ident_no, first = _distinct([links["kind"], *identifiers], identified)
    idents = links.iloc[first][
        ["kind", "name", "category", "municipality_code", *IDENTIFIER_COLUMNS]
    ]
    ident = idents[IDENTIFIER_COLUMNS[0]].astype(object)
    for column in IDENTIFIER_COLUMNS[1:]:
        ident = ident.fillna(idents[column].astype(object))
    idents = idents[["kind", "name", "category", "municipality_code"]].assign(ident=ident)
    name = links["name"]
    has_name = (name.notna() & (name != "")).to_numpy()
    named = ~identified & (links["kind"] != "person").to_numpy() & has_name
    place = links["municipality_code"]
    name_no, first = _distinct([links["kind"], name, place], named)
    names = links.iloc[first][["kind", "name", "municipality_code", "category", "line_no"]]
    return Batch(
        table=stage.arrow(signals, stage.STAGE_SIGNAL),
        links=links[["line_no", "role"]],
        ident_no=ident_no,
        idents=idents,
        name_no=name_no,
        names=names,
    )


def _distinct(keys: list[pd.Series], where: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the number of its key (the values of `keys` in that row; a missing value is a
    value too) among the distinct keys of the rows `where` is true (in order of first
    appearance; -1 elsewhere), and the row of each key's first appearance. Each column is
    numbered on its own and the numbers combined: no text is built per row."""
    numbers = np.full(len(where), -1, dtype=np.int64)
    if not where.any():
        return numbers, np.array([], dtype=np.int64)
    codes = np.zeros(int(where.sum()), dtype=np.int64)
    for key in keys:
        part, distinct = pd.factorize(key[where], use_na_sentinel=False)
        codes, _ = pd.factorize(codes * len(distinct) + part)  # at most rows² < 2**63
    numbers[where] = codes
    _, first = np.unique(codes, return_index=True)
    return numbers, np.flatnonzero(where)[first]
