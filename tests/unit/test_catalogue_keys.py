"""Every label the app asks for exists in both languages (a missing key is a crash on screen)."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.i18n import CATALOGUE

ROOT = Path(__file__).resolve().parents[2]


def test_every_literal_label_key_exists():
    used: set[str] = set()
    for path in [*ROOT.glob("dashboard/*.py"), *ROOT.glob("pages/*.py")]:
        used |= set(re.findall(r'\bt\(\s*"([a-z0-9_]+)"', path.read_text(encoding="utf-8")))
    # Keys built from a prefix (t("role_" + ...)) end in "_" here and are checked elsewhere.
    missing = {k for k in used if not k.endswith("_")} - set(CATALOGUE)
    assert not missing, sorted(missing)
