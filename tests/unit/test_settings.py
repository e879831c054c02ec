from __future__ import annotations

import os

import pytest
from pydantic import ValidationError

from warehouse.settings import (
    DEMO_PSEUDONYM_KEY,
    ConfigError,
    Settings,
    agencies,
    get_settings,
    load_agencies,
)


def test_shipped_agencies_config_loads(tmp_path):
    agencies = load_agencies(Settings().agencies_file)
    assert [a.code for a in agencies][:2] == ["politie", "om"]
    assert len({a.bit for a in agencies}) == len(agencies)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "no \\[\\[agency\\]\\]"),
        (
            '[[agency]]\ncode="a"\nbit=0\nname_nl="A"\n[[agency]]\ncode="a"\nbit=1\nname_nl="B"',
            "codes must be unique",
        ),
        (
            '[[agency]]\ncode="a"\nbit=0\nname_nl="A"\n[[agency]]\ncode="b"\nbit=0\nname_nl="B"',
            "bits must be unique",
        ),
        ('[[agency]]\ncode="a"\nbit=63\nname_nl="A"', "bit must be 0..62"),
        ('[[agency]]\ncode="a_b"\nbit=1\nname_nl="A"', "lowercase letters and digits"),
        ("[[agency]\n", "agencies.toml"),
    ],
)
def test_bad_agencies_config_is_refused_clearly(tmp_path, body, message):
    path = tmp_path / "agencies.toml"
    path.write_text(body)
    with pytest.raises(ConfigError, match=message):
        load_agencies(path)


def test_missing_agencies_file(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_agencies(tmp_path / "nope.toml")


def test_the_agencies_are_read_again_when_their_file_changes(tmp_path, monkeypatch):
    path = tmp_path / "agencies.toml"
    path.write_text('[[agency]]\ncode="a"\nbit=0\nname_nl="A"\n')
    monkeypatch.setenv("NSOC_CONFIG_DIR", str(tmp_path))
    get_settings.cache_clear()
    try:
        first = agencies()
        assert [a.code for a in first] == ["a"] and agencies() is first  # read once
        path.write_text(
            '[[agency]]\ncode="a"\nbit=0\nname_nl="A"\n[[agency]]\ncode="b"\nbit=1\nname_nl="B"\n'
        )
        os.utime(path, ns=(1, 1))  # whatever the clock's grain
        assert [a.code for a in agencies()] == ["a", "b"]
        path.unlink()
        with pytest.raises(ConfigError, match="not found"):
            agencies()
    finally:
        get_settings.cache_clear()


def test_production_refuses_the_demo_pseudonym_key():
    with pytest.raises(ValidationError, match="NSOC_PSEUDONYM_KEY"):
        Settings(mode="production", pseudonym_key=DEMO_PSEUDONYM_KEY)
    with pytest.raises(ValidationError, match="at least 32"):
        Settings(mode="production", pseudonym_key="short")
    token = "t" * 40
    ok = Settings(mode="production", pseudonym_key="x" * 40, export_token_secret=token)
    assert ok.mode == "production"


def test_production_refuses_the_demo_export_token_secret():
    with pytest.raises(ValidationError, match="NSOC_EXPORT_TOKEN_SECRET"):
        Settings(mode="production", pseudonym_key="x" * 40)
    with pytest.raises(ValidationError, match="NSOC_EXPORT_TOKEN_SECRET"):
        Settings(mode="production", pseudonym_key="x" * 40, export_token_secret="short")


def test_database_url_from_environment(monkeypatch):
    monkeypatch.setenv("NSOC_DATABASE_URL", "postgresql://u@h/d")
    s = Settings()
    assert s.database_url == "postgresql://u@h/d" and not s.embedded
    monkeypatch.delenv("NSOC_DATABASE_URL")
    assert Settings().embedded
