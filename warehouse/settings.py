"""One settings object, read once from the environment (prefix NSOC_)."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# Only for demo and test data; production refuses to start with it.
DEMO_PSEUDONYM_KEY = "nsoc-demo-pseudonym-key-not-for-production"
DEMO_EXPORT_TOKEN_SECRET = "nsoc-demo-export-token-secret-not-for-production"


class Settings(BaseSettings):
    """Runtime settings; every field can be set as NSOC_<FIELD> in the environment."""

    model_config = SettingsConfigDict(env_prefix="NSOC_", extra="ignore")

    database_url: str | None = Field(
        default=None,
        description="postgresql://… of an external server; unset means the embedded server",
    )
    data_dir: Path = Field(default=PROJECT_ROOT / ".nsoc", description="embedded server data")
    config_dir: Path = Field(default=PROJECT_ROOT / "streamlit_config")
    mode: str = Field(default="demo", pattern="^(demo|production)$")
    pseudonym_key: str = Field(
        default=DEMO_PSEUDONYM_KEY,
        description="HMAC key that turns person identifiers into pseudonyms",
    )
    app_database_url: str | None = Field(
        default=None,
        description="URL for the app's own role; default: the warehouse URL as nsoc_app",
    )
    app_db_password: str | None = Field(default=None, description="password of the nsoc_app role")
    secrets_file: Path | None = Field(
        default=None, description="default: <config_dir>/secrets.toml"
    )
    idp_base_port: int = Field(default=9400, description="first port of the development IdPs")
    session_max_age_seconds: int = Field(default=8 * 3600, ge=5)
    idle_timeout_seconds: int = Field(default=30 * 60, ge=5)
    suppression_k: int = Field(default=5, ge=2, description="aggregates under k shown as '< k'")
    export_max_rows_analyst: int = Field(
        default=1_000_000, ge=0, description="most signal rows in one export by an analyst"
    )
    export_max_rows_steward: int = Field(
        default=1_000_000, ge=0, description="most signal rows in one export by a steward"
    )
    export_token_secret: str = Field(
        default=DEMO_EXPORT_TOKEN_SECRET,
        description="HMAC key of the short-lived download tokens the export page mints",
    )
    export_token_ttl_seconds: int = Field(default=120, ge=5, le=3600)
    briefing_classification: str = Field(
        default="DEPARTEMENTAAL VERTROUWELIJK", description="banner on every briefing page"
    )
    demo_size: str = "demo"
    demo_seed: int = 20240701

    @model_validator(mode="after")
    def _no_demo_secrets_in_production(self) -> Settings:
        if self.mode == "production" and self.pseudonym_key == DEMO_PSEUDONYM_KEY:
            raise ValueError("NSOC_PSEUDONYM_KEY must be set to a secret of your own in production")
        if self.mode == "production" and len(self.pseudonym_key) < 32:
            raise ValueError("NSOC_PSEUDONYM_KEY must be at least 32 characters")
        if self.mode == "production" and (
            self.export_token_secret == DEMO_EXPORT_TOKEN_SECRET
            or len(self.export_token_secret) < 32
        ):
            raise ValueError("NSOC_EXPORT_TOKEN_SECRET must be a secret of 32+ characters")
        return self

    @property
    def embedded(self) -> bool:
        return not self.database_url

    @property
    def pgdata(self) -> Path:
        return self.data_dir / "pgdata"

    @property
    def secrets_path(self) -> Path:
        return self.secrets_file or self.config_dir / "secrets.toml"

    @property
    def agencies_file(self) -> Path:
        return self.config_dir / "agencies.toml"


@dataclass(frozen=True)
class Agency:
    code: str
    bit: int
    name_nl: str
    name_en: str
    focus: tuple[str, ...] = ()

    @property
    def mask(self) -> int:
        return 1 << self.bit


class ConfigError(ValueError):
    """Configuration that cannot be used; the message says what to fix."""


def load_agencies(path: Path) -> tuple[Agency, ...]:
    """Read and check the partner agencies from agencies.toml."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"agencies file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}") from exc
    agencies = tuple(
        Agency(
            code=str(a["code"]),
            bit=int(a["bit"]),
            name_nl=str(a["name_nl"]),
            name_en=str(a.get("name_en", a["name_nl"])),
            focus=tuple(a.get("focus", ())),
        )
        for a in raw.get("agency", [])
    )
    _check_agencies(agencies, path)
    return agencies


def _check_agencies(agencies: tuple[Agency, ...], path: Path) -> None:
    if not agencies:
        raise ConfigError(f"{path}: no [[agency]] entries")
    codes = [a.code for a in agencies]
    bits = [a.bit for a in agencies]
    if len(set(codes)) != len(codes):
        raise ConfigError(f"{path}: agency codes must be unique")
    if len(set(bits)) != len(bits):
        raise ConfigError(f"{path}: agency bits must be unique")
    for a in agencies:
        if not 0 <= a.bit <= 62:
            raise ConfigError(f"{path}: agency {a.code}: bit must be 0..62")
        if not a.code.isascii() or not a.code.isalnum() or a.code != a.code.lower():
            raise ConfigError(f"{path}: agency code {a.code!r}: use lowercase letters and digits")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def agencies() -> tuple[Agency, ...]:
    """The partner agencies of the configured agencies file, read again only when it changed
    (the app asks at every page load: reading and checking the file each time was ~1 % of the
    app server's Python under twenty sessions)."""
    path = get_settings().agencies_file
    try:
        stat = path.stat()
    except FileNotFoundError:
        return load_agencies(path)  # says so clearly
    return _agencies_of(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=4)
def _agencies_of(path: Path, modified: int, size: int) -> tuple[Agency, ...]:
    return load_agencies(path)
