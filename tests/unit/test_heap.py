"""The app freezes its long-lived objects after importing what every page imports."""

from __future__ import annotations

import ast
import gc
import importlib.util
import sys
from pathlib import Path

from dashboard import heap

PAGES = Path(__file__).resolve().parents[2] / "pages"


def _module(package: str, name: str) -> str:
    try:
        return f"{package}.{name}" if importlib.util.find_spec(f"{package}.{name}") else package
    except ModuleNotFoundError:  # `package` is a module: `name` is something in it
        return package


def _page_imports() -> set[str]:
    found = set()
    for page in PAGES.glob("*.py"):
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module not in (None, "__future__"):
                for alias in node.names:  # `from a import b`: the module a.b, or a
                    found.add(_module(node.module, alias.name))
    return {name for name in found if name.split(".")[0] not in sys.stdlib_module_names}


def test_every_module_a_page_imports_is_imported_before_the_freeze():
    imports = _page_imports()
    assert "warehouse.queries.facilitators" in imports and "altair" in imports
    # a submodule of a listed one (streamlit.delta_generator) is imported with it
    missing = {
        name
        for name in imports
        if not any(name == m or name.startswith(m + ".") for m in heap.PAGE_IMPORTS)
    }
    assert not missing, missing


def test_settle_freezes_what_is_alive():
    try:
        frozen = heap.settle(("json",))
        assert frozen > 10_000 and gc.get_freeze_count() == frozen
        # objects made afterwards are collected as usual
        assert gc.isenabled()
    finally:
        gc.unfreeze()
