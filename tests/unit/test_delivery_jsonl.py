"""The seed's JSON Lines writer puts each line together a column at a time: the text must be
what json.dumps gives for the record (as the writer did before, a dictionary per line), and
the warehouse's reader must read it back."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from seed.deliveries import _write_jsonl
from warehouse.ingest import formats
from warehouse.ingest.formats import ENTITY_FIELDS, SIGNAL_FIELDS, entity_column


def _frame() -> pd.DataFrame:
    n = 6
    frame = pd.DataFrame({name: [f"{name}-{i}" for i in range(n)] for name in SIGNAL_FIELDS})
    frame["source_ref"] = ['a"quote', "back\\slash", "tab\there", "é ünïcode ✓", "\x01ctl", "x"]
    frame["node"] = [None, np.nan, "NLRTM", "", None, "NLAMS"]
    frame["lat"] = [52.1, np.nan, 51.00001, 53.0, 1e-05, 52.123456789]
    frame["amount_eur"] = pd.array([1.5, None, 0.0, 1e20, 2.25, None], dtype="float64")
    frame["severity"] = np.array([1, 2, 3, 4, 5, 1], dtype=np.int64)
    frame["credibility"] = pd.Series([1, 2, 3, 4, 1, 2], dtype="int64")
    # slot 1 on most lines, slot 2 on some, a line with none; empty and missing fields
    for slot, kinds in (
        (1, ["person", "company", None, "vessel", "", "bank_account"]),
        (2, [None, "company", np.nan, None, None, "person"]),
    ):
        for field in ENTITY_FIELDS:
            frame[entity_column(slot, field)] = [
                None if not (isinstance(k, str) and k) else f"{field}{slot}-{i}"
                for i, k in enumerate(kinds)
            ]
        frame[entity_column(slot, "kind")] = kinds
        frame[entity_column(slot, "name")] = ["", 'N"V', None, "Ørsted", np.nan, "Ü"]
        frame[entity_column(slot, "category")] = [np.nan, None, None, "TRANSPORT", None, ""]
    return frame


def _as_before(frame: pd.DataFrame) -> str:
    """The writer as it was: a dictionary and json.dumps per line."""
    slots = sorted({int(c[6 : c.index("_")]) for c in frame.columns if c.startswith("entity")})
    base = frame[list(SIGNAL_FIELDS)]
    records = base.astype(object).where(base.notna(), None).to_dict("records")
    ent = frame[[c for c in frame.columns if c.startswith("entity")]]
    ent_rows = ent.astype(object).where(ent.notna(), None).to_dict("records")
    lines = []
    for record, er in zip(records, ent_rows, strict=True):
        record["entities"] = [
            {k: er[entity_column(s, k)] for k in ENTITY_FIELDS if er[entity_column(s, k)]}
            for s in slots
            if er[entity_column(s, "kind")]
        ]
        lines.append(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    return "".join(lines)


def test_lines_are_what_json_dumps_writes(tmp_path: Path) -> None:
    frame = _frame()
    path = tmp_path / "0000-kmar.jsonl"
    _write_jsonl(frame, path)
    written = path.read_text(encoding="utf-8")
    assert written == _as_before(frame)
    first = json.loads(written.splitlines()[0])
    assert first["node"] is None and first["severity"] == 1
    assert [e["kind"] for e in first["entities"]] == ["person"]
    assert "name" not in first["entities"][0]  # an empty field is left out


def test_the_warehouse_reads_the_lines(tmp_path: Path) -> None:
    frame = _frame()
    path = tmp_path / "0000-kmar.jsonl"
    _write_jsonl(frame, path)
    parsed = formats.read(path.read_bytes(), "jsonl")
    assert len(parsed.rows) == len(frame)
    assert parsed.rows["source_ref"].tolist() == frame["source_ref"].tolist()
