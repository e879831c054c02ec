"""Entrypoint of the Streamlit app: language, login gate, the pages this role may use, audit."""

from __future__ import annotations

import copy
import functools
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

# `streamlit run dashboard/app.py` puts dashboard/ on the path, not the project root.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from dashboard import auth, data, heap  # noqa: E402
from dashboard.filters_ui import sidebar_filters  # noqa: E402
from dashboard.i18n import LANGUAGES, t  # noqa: E402
from dashboard.shell import language  # noqa: E402
from warehouse.db import DatabaseUnavailable  # noqa: E402
from warehouse.filters import Filters  # noqa: E402
from warehouse.ingest.decisions import DECIDERS  # noqa: E402
from warehouse.viewer import Role, Viewer  # noqa: E402

PAGES = ROOT / "pages"
Visibility = Literal["visible", "hidden"]


@dataclass(frozen=True)
class PageSpec:
    """A page file in pages/, its title, and the roles that may use it. A page is registered in
    st.navigation only for these roles: hidden pages would still be reachable by URL."""

    name: str
    title: str  # i18n key
    icon: str
    roles: frozenset[Role]
    filtered: bool = False  # draws the shared filter sidebar


EVERYONE = frozenset(Role)
ROW_ROLES = frozenset({Role.analyst})
AGGREGATE_ROLES = frozenset({Role.analyst, Role.manager})
EXPORT_ROLES = frozenset({Role.analyst, Role.steward, Role.manager})
# Who may confirm or reject match proposals: the roles the warehouse accepts decisions from.
MATCH_ROLES = DECIDERS
# In order: the first page a role may use is its start page.
PAGES_SPEC: tuple[PageSpec, ...] = (
    PageSpec("audit", "audit_title", ":material/policy:", frozenset({Role.auditor})),
    PageSpec("deliveries", "deliveries_title", ":material/upload_file:", frozenset({Role.steward})),
    # The views analysts open first every morning (the heatmaps are their start page), then the
    # deeper ones, then what leaves, and last the warehouse status (the admin's start page).
    PageSpec("heatmaps", "heatmaps_title", ":material/grid_on:", AGGREGATE_ROLES, filtered=True),
    PageSpec("indicators", "indicators_title", ":material/warning:", AGGREGATE_ROLES, True),
    PageSpec("facilitators", "facilitators_title", ":material/leaderboard:", AGGREGATE_ROLES, True),
    PageSpec("map", "map_title", ":material/map:", AGGREGATE_ROLES, True),
    PageSpec("entity", "entity_title", ":material/person_search:", ROW_ROLES, True),
    PageSpec("matches", "matches_title", ":material/join_inner:", MATCH_ROLES),
    PageSpec("export", "export_title", ":material/download:", EXPORT_ROLES, filtered=True),
    PageSpec("briefing", "briefing_title", ":material/picture_as_pdf:", AGGREGATE_ROLES, True),
    PageSpec("status", "status_title", ":material/database:", EVERYONE),
)


def pages_for(role: Role) -> list[PageSpec]:
    return [p for p in PAGES_SPEC if role in p.roles]


def sidebar(viewer: Viewer, lang: str) -> None:
    with st.sidebar:
        st.caption(t("signed_in_as", lang))
        st.markdown(
            f"**{viewer.name or viewer.subject}**  \n{viewer.agency} · {t('role_' + str(viewer.role), lang)}"
        )
        if len(viewer.roles) > 1:
            choice = st.selectbox(
                t("role", lang),
                [str(r) for r in viewer.roles],
                index=[str(r) for r in viewer.roles].index(str(viewer.role)),
                format_func=lambda r: t("role_" + r, lang),
                key="role_select",
            )
            if choice != str(viewer.role):
                st.session_state["active_role"] = choice
                st.rerun()
        if st.button(t("logout", lang), icon=":material/logout:"):
            auth.logout(viewer)
        lang_choice = st.segmented_control(
            t("language", lang),
            options=list(LANGUAGES),
            default=lang,
            format_func=lambda code: {"nl": "Nederlands", "en": "English"}[code],
            key="language",
        )
        if lang_choice and lang_choice != lang:
            st.query_params["lang"] = lang_choice
            st.rerun()


def audit_page_view(viewer: Viewer, page: str, filters: Filters) -> None:
    """One entry per page and filter set (not per widget rerun)."""
    shown = filters.to_query()
    key = (viewer.subject, str(viewer.role), page, tuple(sorted(shown.items())))
    if st.session_state.get("last_page_view") != key:
        data.audit("page_view", viewer=viewer, details={"page": page, "filters": shown})
        st.session_state["last_page_view"] = key


def navigation_pages(specs: list[PageSpec], lang: str) -> list[tuple[PageSpec, st.Page]]:
    """The role's pages for st.navigation, the first one its start page at the app's root.

    Streamlit serves the default page only at the root: `/heatmaps` would show "Page not found"
    to whoever follows a bookmark or a shared link to the start page by name. So the start page
    is also registered hidden under its own name (the same script; the default page's internal
    path gets a suffix, since both may not claim one path)."""
    out: list[tuple[PageSpec, st.Page]] = []
    for i, spec in enumerate(specs):
        script, title = str(PAGES / f"{spec.name}.py"), t(spec.title, lang)
        if i == 0:
            start = _page(script, title, spec.icon, f"{spec.name}-start", True, "visible")
            out.append((spec, start))
        shown: Visibility = "hidden" if i == 0 else "visible"
        out.append((spec, _page(script, title, spec.icon, spec.name, False, shown)))
    return out


def _page(
    script: str, title: str, icon: str, url_path: str, default: bool, visibility: Visibility
) -> st.Page:
    """A page for this run: a copy of the process's page made once. st.Page resolves the
    script's path on the disk each time (a stat per folder of the path, each letting go of the
    interpreter lock): ~9 pages a run were ~5 % of the app server's samples under twenty
    sessions. Each run gets its own copy, since st.navigation marks the page it runs on it."""
    return copy.copy(_made_page(script, title, icon, url_path, default, visibility))


@functools.lru_cache(maxsize=256)
def _made_page(
    script: str, title: str, icon: str, url_path: str, default: bool, visibility: Visibility
) -> st.Page:
    if default:
        return st.Page(script, title=title, icon=icon, url_path=url_path, default=True)
    return st.Page(script, title=title, icon=icon, url_path=url_path, visibility=visibility)


@st.cache_resource(show_spinner=False)
def settled() -> int:
    """Once per process: what the pages import imported, the long-lived objects frozen out of
    the garbage collector's full passes (dashboard/heap.py)."""
    return heap.settle()


def run() -> None:
    st.set_page_config(page_title="NSOC", layout="wide", page_icon=":material/hub:")
    settled()
    lang = language()
    try:
        viewer = auth.gate(lang)
        st.session_state["viewer"] = viewer
        sidebar(viewer, lang)
        registered = navigation_pages(pages_for(viewer.role), lang)
        page = st.navigation([p for _, p in registered])
        spec = next(s for s, p in registered if p == page)
        filters = sidebar_filters(viewer, lang) if spec.filtered else Filters()
        st.session_state["filters"] = filters
        audit_page_view(viewer, spec.name, filters)
        page.run()
    except DatabaseUnavailable:
        st.error(t("db_unavailable", lang))


if __name__ == "__main__":
    run()
