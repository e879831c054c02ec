"""Write the example delivery files in examples/deliveries/ from the synthetic generator:
a few rows per agency, in CSV (and JSON Lines for the agencies in seed.deliveries)."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from seed.deliveries import choose_name_only, delivery_frames, write_files  # noqa: E402
from seed.load import _prepare  # noqa: E402
from seed.simulate import generate  # noqa: E402
from warehouse.settings import DEMO_PSEUDONYM_KEY, agencies  # noqa: E402

ROWS = 15


def main() -> None:
    configured = agencies()
    ctx, _ = _prepare(20_000, 1, configured, DEMO_PSEUDONYM_KEY.encode())
    signals, links = next(generate(ctx, 2_000))
    entities = ctx.world.entities
    frames = delivery_frames(
        np.random.default_rng(1),
        signals=signals,
        links=links,
        entities=entities,
        network_codes=dict(zip(ctx.world.networks["id"], ctx.world.networks["code"], strict=True)),
        agency_codes=tuple(a.code for a in configured),
        all_mask=ctx.all_mask,
        agency_bits={a.code: a.bit for a in configured},
        name_only=choose_name_only(np.random.default_rng(1), entities, ctx.agencies),
    )
    out = ROOT / "examples" / "deliveries"
    for agency, frame in frames.items():
        sample = frame.head(ROWS).dropna(axis=1, how="all")
        sample.to_csv(out / f"{agency}.csv", index=False, float_format="%.5f", lineterminator="\n")
    with tempfile.TemporaryDirectory() as tmp:
        for agency, path in write_files(
            {"kmar": frames["kmar"].iloc[ROWS : 2 * ROWS]}, Path(tmp), 0
        ):
            (out / f"{agency}.jsonl").write_bytes(path.read_bytes())
    print(f"wrote {len(frames) + 1} files to {out}")


if __name__ == "__main__":
    main()
