"""Start Streamlit on the project's own config and secrets, wherever it is run from."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

from warehouse.settings import PROJECT_ROOT, get_settings

APP = PROJECT_ROOT / "dashboard" / "app.py"


def config_flags(config_file: Path) -> list[str]:
    """config.toml as --section.option flags (Streamlit only reads config.toml from fixed places)."""
    if not config_file.exists():
        return []
    raw = tomllib.loads(config_file.read_text(encoding="utf-8"))
    flags = []
    for section, options in raw.items():
        for option, value in options.items():
            rendered = str(value).lower() if isinstance(value, bool) else str(value)
            flags.append(f"--{section}.{option}={rendered}")
    return flags


def streamlit_command(*, port: int, address: str = "localhost") -> list[str]:
    settings = get_settings()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        f"--server.port={port}",
        f"--server.address={address}",
        *config_flags(settings.config_dir / "config.toml"),
    ]
    secrets = settings.config_dir / "secrets.toml"
    if secrets.exists():
        cmd.append(f"--secrets.files={secrets}")
    return cmd


def serve(*, port: int, address: str = "localhost") -> int:
    """Run the app in the foreground until interrupted; returns Streamlit's exit code.
    The app finds the warehouse the same way the CLI does (NSOC_DATABASE_URL or embedded)."""
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    try:
        return subprocess.call(
            streamlit_command(port=port, address=address), env=env, cwd=PROJECT_ROOT
        )
    except KeyboardInterrupt:
        return 0
