from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from dashboard import i18n
from dashboard.launcher import config_flags, streamlit_command


@pytest.mark.parametrize(("lang", "expected"), [("nl", "1.234.567"), ("en", "1,234,567")])
def test_integers_follow_the_language(lang, expected):
    assert i18n.fmt_int(1234567, lang) == expected


@pytest.mark.parametrize(
    ("value", "nl", "en"),
    [
        (0, "0", "0"),
        (9876, "9.876", "9,876"),
        (12_345, "12k", "12k"),
        (-1_234_567, "-1,2 mln", "-1.2M"),
        (3_456_000_000, "3,5 mld", "3.5bn"),
    ],
)
def test_compact_numbers_follow_the_language(value, nl, en):
    assert i18n.fmt_compact(value, "nl") == nl
    assert i18n.fmt_compact(value, "en") == en


def test_dates_follow_the_language():
    day = dt.date(2024, 3, 9)
    assert i18n.fmt_date(day, "nl") == "09-03-2024"
    assert i18n.fmt_date(day, "en") == "2024-03-09"
    assert i18n.fmt_date(None, "nl") == "nooit"


def test_a_missing_time_in_a_frame_reads_never():
    # an agency without deliveries has NaT as its last delivery on the status page
    assert i18n.fmt_date(pd.NaT, "en") == "never"


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
    assert cmd[4].endswith("dashboard/server.py")  # app.py plus the export download route
    assert "--server.port=8765" in cmd and "--browser.gatherUsageStats=false" in cmd
    # no full garbage collection after every run: 36% of the server's CPU under 20 sessions
    assert "--runner.postScriptGC=false" in cmd


def test_production_refuses_development_identities_and_weak_cookie_secrets(tmp_path):
    from dashboard import devidp
    from dashboard.launcher import check_production_secrets
    from warehouse.settings import agencies

    path = tmp_path / "secrets.toml"
    with pytest.raises(ValueError, match="missing"):
        check_production_secrets(path)
    path.write_text(devidp.demo_secrets(agencies(), app_port=8501, base_port=9400))
    with pytest.raises(ValueError, match="development identity providers"):
        check_production_secrets(path)
    example = Path(__file__).resolve().parents[2] / "streamlit_config" / "secrets.toml.example"
    path.write_text(example.read_text())
    with pytest.raises(ValueError, match="cookie_secret"):
        check_production_secrets(path)
    path.write_text(
        example.read_text().replace(
            "change-me-to-a-random-value-of-32-characters-or-more", "x" * 40
        )
    )
    check_production_secrets(path)


def test_secrets_example_configures_every_agency():
    import tomllib

    from dashboard.identity import ProviderConfig
    from warehouse.settings import agencies

    example = Path(__file__).resolve().parents[2] / "streamlit_config" / "secrets.toml.example"
    raw = tomllib.loads(example.read_text())
    for a in agencies():
        assert {"client_id", "client_secret", "server_metadata_url"} <= set(raw["auth"][a.code])
        ProviderConfig.from_mapping(a.code, raw["idp"][a.code])
