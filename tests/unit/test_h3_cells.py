"""H3 cells of delivered points: the loader's vectorised hexadecimal text is exactly what H3's
own API and Python's formatting give, point by point, missing coordinates giving no cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from h3.api.basic_int import latlng_to_cell

from warehouse.ingest.validate import _h3, _hex


def test_cells_are_h3s_own_for_every_resolution_and_point():
    rng = np.random.default_rng(7)
    lat = np.concatenate([rng.uniform(50.7, 53.6, 500), rng.uniform(-89.9, 89.9, 500)])
    lon = np.concatenate([rng.uniform(3.3, 7.3, 500), rng.uniform(-179.9, 179.9, 500)])
    lat[::50], lon[1::50] = np.nan, np.nan  # half a point is no point
    lat[7], lon[7] = lat[3], lon[3]  # a point delivered twice
    out = pd.DataFrame({"lat": lat, "lon": lon}, index=np.arange(1000) + 40)
    _h3(out)
    for res in (5, 7, 9):
        expected = [
            None if np.isnan(a) or np.isnan(b) else format(latlng_to_cell(a, b, res), "x")
            for a, b in zip(lat, lon, strict=True)
        ]
        got = [None if pd.isna(v) else v for v in out[f"h3_r{res}"]]
        assert got == expected
        assert out[f"h3_r{res}"].index.equals(out.index)


@pytest.mark.parametrize("cells", [[0x85196B87FFFFFFF, 0x8F754E64992D6D8], [1, 255, 2**63]])
def test_hexadecimal_text_as_python_formats_it(cells):
    values = np.array(cells, dtype=np.uint64)
    assert _hex(values).to_pylist() == [format(c, "x") for c in cells]
