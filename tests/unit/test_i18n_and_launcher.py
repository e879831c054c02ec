from __future__ import annotations

import datetime as dt

import pytest

from dashboard import i18n
from dashboard.launcher import config_flags, streamlit_command


@pytest.mark.parametrize(("lang", "expected"), [("nl", "1.234.567"), ("en", "1,234,567")])
def test_integers_follow_the_language(lang, expected):
    assert i18n.fmt_int(1234567, lang) == expected


def test_dates_follow_the_language():
    day = dt.date(2024, 3, 9)
    assert i18n.fmt_date(day, "nl") == "09-03-2024"
    assert i18n.fmt_date(day, "en") == "2024-03-09"
    assert i18n.fmt_date(None, "nl") == "nooit"


def test_every_label_has_dutch_and_english():
    for key, entry in i18n.CATALOGUE.items():
        assert set(entry) == {"nl", "en"}, key
        assert all(entry.values()), key


def test_unknown_language_falls_back_to_dutch():
    assert i18n.t("signals", "fr") == "Signalen"


def test_config_toml_becomes_flags(tmp_path):
    cfg = tmp_path / "config.toml"
    cfg.write_text('[server]\nheadless = true\nport = 1\n[theme]\nprimaryColor = "#154273"\n')
    assert config_flags(cfg) == [
        "--server.headless=true",
        "--server.port=1",
        "--theme.primaryColor=#154273",
    ]


def test_streamlit_command_runs_the_project_app():
    cmd = streamlit_command(port=8765)
    assert cmd[1:4] == ["-m", "streamlit", "run"]
    assert cmd[4].endswith("dashboard/app.py")
    assert "--server.port=8765" in cmd and "--browser.gatherUsageStats=false" in cmd
