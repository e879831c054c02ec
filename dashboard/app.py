"""Entrypoint of the Streamlit app: language, navigation and the shared page frame."""

from __future__ import annotations

import sys
from pathlib import Path

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard.i18n import LANGUAGES, t  # noqa: E402
from dashboard.shell import language  # noqa: E402

PAGES = ROOT / "pages"


def run() -> None:
    st.set_page_config(page_title="NSOC", layout="wide")
    lang = language()
    with st.sidebar:
        choice = st.segmented_control(
            t("language", lang),
            options=list(LANGUAGES),
            default=lang,
            format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
            key="language",
        )
        if choice and choice != lang:
            st.query_params["lang"] = choice
            st.rerun()
    pages = [
        st.Page(
            str(PAGES / "status.py"),
            title=t("status_title", lang),
            icon=":material/database:",
            url_path="status",
            default=True,
        ),
    ]
    st.navigation(pages).run()


if __name__ == "__main__":
    run()
