"""JSON Lines read by Arrow (in C++), giving exactly the text fields the line-by-line reader
(formats.read_jsonl) gives, or None so that the caller reads the file line by line after all.

The line-by-line reader turns every value into text with Python's str(): that is the contract
here too. Arrow keeps a column's JSON type, so a column is accepted only when its text can be
recreated exactly: strings as they are, integers (their digits), and numbers with a fraction
(Python's repr of the same double). A number without a fraction in a column of doubles may have
been written `3` or `3.0`, which str() tells apart, so those few lines are read again by Python.
Anything else (a line that is not an object, a field that is an object or a list, keys in
other case or twice, booleans, blank lines, more than MAX_ENTITIES entities, invalid UTF-8)
returns None: the line-by-line reader then reports each bad line with its reason."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pajson

from warehouse.ingest.formats import (
    AGENCY_FIELD,
    ENTITY_FIELDS,
    MAX_ENTITIES,
    SIGNAL_FIELDS,
    entity_column,
    flatten,
)

# Fields that are text by nature: a number there would be Arrow's error (then None), while
# the others (coordinates, amounts, codes delivered as numbers) keep their inferred type.
_TEXT_FIELDS = [
    f
    for f in (*SIGNAL_FIELDS, AGENCY_FIELD)
    if f not in {"lat", "lon", "amount_eur", "quantity_kg", "severity", "credibility"}
]
_ENTITY = pa.struct([(name, pa.string()) for name in ENTITY_FIELDS])
_SCHEMA = pa.schema(
    [*((name, pa.string()) for name in _TEXT_FIELDS), ("entities", pa.list_(_ENTITY))]
)
_KNOWN = {*SIGNAL_FIELDS, AGENCY_FIELD, "entities"}


class _Unsure(Exception):
    """Arrow's reading is not certainly the line-by-line reader's: use that one."""


def read(data: bytes) -> tuple[pd.DataFrame, int] | None:
    """(rows of text fields with `line_no`, entity slots), or None to read line by line."""
    try:
        data.decode("utf-8")
        table = pajson.read_json(
            io.BytesIO(data),
            # One block: types are inferred from the whole file at once.
            read_options=pajson.ReadOptions(block_size=max(1 << 20, min(len(data) + 1, 2**31 - 1))),
            parse_options=pajson.ParseOptions(
                explicit_schema=_SCHEMA,
                unexpected_field_behavior="infer",
                newlines_in_values=False,
            ),
        )
        lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
        if table.num_rows == 0 or table.num_rows != lines:
            raise _Unsure  # blank lines: line numbers would shift
        return _frame(table, data)
    except (UnicodeDecodeError, pa.ArrowInvalid, pa.ArrowNotImplementedError, _Unsure):
        return None


def _frame(table: pa.Table, data: bytes) -> tuple[pd.DataFrame, int]:
    n = table.num_rows
    # Text columns stay Arrow arrays: a frame of them is made without converting a value to
    # a Python string (a frame from arrays of Python strings cost half the reading).
    columns: dict[str, pa.Array] = {}
    again = np.zeros(n, dtype=bool)  # lines Python reads again (see the module's docstring)
    for name in table.column_names:
        if name == "entities":
            continue
        if name not in _KNOWN:
            if name != name.lower():
                raise _Unsure  # the line-by-line reader folds keys to lower case
            continue  # unknown fields are not kept
        text, unsure = _text(table.column(name).combine_chunks())
        columns[name] = text
        again |= unsure
    slots = _entities(table.column("entities").combine_chunks(), n, columns)
    if again.any():
        _read_again(columns, again, data)
    rows = pa.table(columns).to_pandas() if columns else pd.DataFrame(index=range(n))
    rows["line_no"] = np.arange(1, n + 1)
    return rows, slots


def _text(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """The column as str() would give it (nulls as ""), and the rows that cannot be sure."""
    kind = values.type
    unsure = np.zeros(len(values), dtype=bool)
    if pa.types.is_null(kind) or pa.types.is_string(kind) or pa.types.is_integer(kind):
        return pc.cast(values, pa.string()).fill_null(""), unsure
    if not pa.types.is_floating(kind):
        raise _Unsure  # booleans, timestamps, …
    floats = values.to_numpy(zero_copy_only=False)  # nulls become NaN
    given = values.is_valid().to_numpy(zero_copy_only=False)
    whole = given & ~(np.isfinite(floats) & (floats != np.floor(floats)))
    text = np.full(len(values), "", dtype=object)
    exact = given & ~whole
    text[exact] = [repr(v) for v in floats[exact].tolist()]
    return pa.array(text, pa.string()), whole


def _entities(entities: pa.ListArray, n: int, columns: dict[str, pa.Array]) -> int:
    """entityN_field columns from the `entities` lists; the number of slots used."""
    lengths = pc.list_value_length(entities).fill_null(0).to_numpy(zero_copy_only=False)
    slots = int(lengths.max()) if n else 0
    if slots > MAX_ENTITIES:
        raise _Unsure
    items = entities.flatten()
    if items.null_count:
        raise _Unsure  # an entity that is not an object
    parent = pc.list_parent_indices(entities).to_numpy(zero_copy_only=False)
    starts = np.concatenate([[0], np.cumsum(lengths)])[:-1]
    position = np.arange(len(items)) - starts[parent]
    takes = []  # per slot: each line's item in that slot (null: the line has fewer)
    for slot in range(slots):
        item = np.full(n, -1, dtype=np.int64)
        at = np.flatnonzero(position == slot)
        item[parent[at]] = at
        takes.append(pa.array(item, mask=item < 0))
    for name in ENTITY_FIELDS:
        values = items.field(name).fill_null("")
        for slot, take in enumerate(takes, start=1):
            columns[entity_column(slot, name)] = values.take(take).fill_null("")
    return slots


def _read_again(columns: dict[str, pa.Array], again: np.ndarray, data: bytes) -> None:
    """Replace these lines' fields by what the line-by-line reader makes of them."""
    lines = data.split(b"\n")
    flats = []
    for index in np.flatnonzero(again).tolist():
        flat, problem = flatten(json.loads(lines[index]))
        if problem:
            raise _Unsure
        flats.append(flat)
    mask = pa.array(again)
    for column, values in columns.items():
        again_values = pa.array([flat.get(column, "") for flat in flats], pa.string())
        columns[column] = pc.replace_with_mask(values, mask, again_values)
