"""Settings from the environment (``BEACONPORT_*``). The only module that reads it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SQLITE_PATH = Path("var") / "beaconport.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BEACONPORT_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default=f"sqlite:///{DEFAULT_SQLITE_PATH.as_posix()}",
        description="SQLAlchemy URL: a SQLite file, or postgresql+psycopg://user@host/db",
    )
    import_batch_size: int = Field(
        default=1000, ge=1, le=100_000,
        description="Referrals committed together during an import; a kill loses at most one batch",
    )
    max_import_file_mb: int = Field(
        default=2048, ge=1, description="Largest file import will read, in MiB"
    )
    sql_echo: bool = Field(default=False, description="Log every SQL statement (development only)")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
