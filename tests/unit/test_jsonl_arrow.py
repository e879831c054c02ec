"""JSON Lines read by Arrow give exactly the rows the line-by-line reader gives; whatever Arrow
cannot read with certainty goes line by line (and its problems are reported per line)."""

from __future__ import annotations

import json

import pytest

from warehouse.ingest import formats, jsonl_arrow

BASE = {
    "source_ref": "A1",
    "phenomenon": "X",
    "lat": 51.5,
    "lon": 4.25,
    "severity": 3,
    "amount_eur": 1200,
    "entities": [{"kind": "person", "id": "1"}],
}


def lines(*objs: object) -> bytes:
    return ("\n".join(o if isinstance(o, str) else json.dumps(o) for o in objs) + "\n").encode()


# (file, whether Arrow reads it)
CASES = {
    "plain": (lines(BASE, {**BASE, "source_ref": "A2", "entities": []}), True),
    "whole numbers among doubles": (lines(BASE, {**BASE, "lat": 52.0}, {**BASE, "lat": 52}), True),
    "exponents": (lines({**BASE, "amount_eur": 1e5}, {**BASE, "amount_eur": 2.5e-7}), True),
    "nulls": (lines({**BASE, "lat": None, "network": None, "entities": None}), True),
    "three entities": (lines({**BASE, "entities": [{"name": str(i)} for i in range(3)]}), True),
    "unknown entity keys": (lines({**BASE, "entities": [{"id": "1", "ID": "2", "z": {}}]}), True),
    "no final newline": (lines(BASE)[:-1], True),
    "crlf": (lines(BASE).replace(b"\n", b"\r\n"), True),
    "huge integer": (lines({**BASE, "amount_eur": 10**23}), True),
    "nul": (lines({**BASE, "network": "a\u0000b"}), True),
    "empty object": (lines({}, BASE), True),
    "negative zero": (lines({**BASE, "lat": -0.0}), True),
    "a code as text and as number": (lines({**BASE, "severity": "3"}, BASE), False),
    "boolean": (lines({**BASE, "severity": True}), False),
    "key in upper case": (lines({**BASE, "Severity": 2}), False),
    "blank line": (lines(BASE, "", BASE), False),
    "not json": (lines(BASE, "not json", BASE), False),
    "not an object": (lines(BASE, [1, 2]), False),
    "object as a field": (lines({**BASE, "network": {"a": 1}}), False),
    "entity id as number": (lines({**BASE, "entities": [{"id": 12345678}]}), False),
    "entity null": (lines({**BASE, "entities": [None]}), False),
    "too many entities": (lines({**BASE, "entities": [{"name": "x"}] * 21}), False),
    "key twice": (b'{"source_ref": "A", "source_ref": "B"}\n', False),
    "invalid utf-8": (lines(BASE) + b'{"source_ref": "\xff"}\n', False),
}


@pytest.mark.parametrize("name", CASES)
def test_arrow_reads_as_the_line_reader_does(name, monkeypatch):
    data, arrow = CASES[name]
    assert (jsonl_arrow.read(data) is not None) is arrow
    fast = formats.read_jsonl(data)
    monkeypatch.setattr(jsonl_arrow, "read", lambda data: None)
    slow = formats.read_jsonl(data)
    assert fast.entity_slots == slow.entity_slots
    assert fast.rows.astype(object).equals(slow.rows.astype(object))
    assert [(e.line_no, e.reason) for e in fast.errors] == [
        (e.line_no, e.reason) for e in slow.errors
    ]
