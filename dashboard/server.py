"""The ASGI app `nsoc serve` runs: the Streamlit app (dashboard/app.py) plus the export
download route, which streams files with bounded memory (see dashboard/export_route.py).

`streamlit run dashboard/server.py` finds `app` below and serves it with uvicorn on the same
port and origin as before, so login (st.login, its /oauth2callback) works unchanged."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/server.py` puts dashboard/ on the path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.export_route import ROUTES  # noqa: E402

app = st.App(str(ROOT / "dashboard" / "app.py"), routes=ROUTES)
