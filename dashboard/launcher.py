"""Start Streamlit on the project's own config and secrets, wherever it is run from."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import tomllib
from pathlib import Path

from warehouse.settings import PROJECT_ROOT, get_settings

APP = PROJECT_ROOT / "dashboard" / "app.py"
# The ASGI wrapper around APP that adds the export download route (Streamlit serves it).
SERVER = PROJECT_ROOT / "dashboard" / "server.py"


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
        str(SERVER),
        f"--server.port={port}",
        f"--server.address={address}",
        *config_flags(settings.config_dir / "config.toml"),
    ]
    if settings.secrets_path.exists():
        cmd.append(f"--secrets.files={settings.secrets_path}")
    return cmd


def check_production_secrets(path: Path) -> None:
    """Production refuses development identities and weak cookie secrets (fail fast)."""
    from dashboard.devidp import DEMO_MARKER

    if not path.exists():
        raise ValueError(f"{path} is missing: copy streamlit_config/secrets.toml.example")
    text = path.read_text(encoding="utf-8")
    raw = tomllib.loads(text)
    if text.startswith(DEMO_MARKER) or any(
        isinstance(v, dict) and v.get("development") for v in raw.get("idp", {}).values()
    ):
        raise ValueError(f"{path} configures development identity providers; not in production")
    secret = str(raw.get("auth", {}).get("cookie_secret", ""))
    if len(secret) < 32 or "change-me" in secret:
        raise ValueError(f"{path}: [auth].cookie_secret must be a random value of 32+ characters")


def serve(*, port: int, address: str = "localhost") -> int:
    """Run the app in the foreground until interrupted; returns Streamlit's exit code.
    The app finds the warehouse the same way the CLI does (NSOC_DATABASE_URL or embedded)."""
    if get_settings().mode == "production":
        check_production_secrets(get_settings().secrets_path)
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    proc = subprocess.Popen(
        streamlit_command(port=port, address=address), env=env, cwd=PROJECT_ROOT
    )
    # A supervisor (systemd, a test, the benchmark) stops `nsoc serve` with SIGTERM: pass it on,
    # or the Streamlit server would outlive us, holding its port and memory.
    forwarding = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, lambda *_: proc.terminate()) if forwarding else None
    try:
        return proc.wait()
    except KeyboardInterrupt:  # Ctrl-C reached Streamlit too (same process group)
        proc.wait()
        return 0
    finally:
        if forwarding:
            signal.signal(signal.SIGTERM, previous)
