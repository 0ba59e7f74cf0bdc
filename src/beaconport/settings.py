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

    # Accounts and sessions
    session_idle_minutes: int = Field(
        default=30, ge=1, description="A signed-in session ends after this long without a request"
    )
    session_max_hours: int = Field(
        default=12, ge=1,
        description="A signed-in session ends this long after sign-in, however busy",
    )
    sign_in_slow_after: int = Field(
        default=3, ge=1,
        description="Failed sign-ins after which each further attempt must wait (doubling)",
    )
    lockout_after: int = Field(
        default=10, ge=2, description="Failed sign-ins after which the account is locked"
    )
    lockout_minutes: int = Field(
        default=30, ge=1, description="How long a locked account stays locked (or until unlocked)"
    )
    sign_in_client_limit: int = Field(
        default=30, ge=5,
        description="Failed sign-ins from one address, over any usernames, before it must wait",
    )
    sign_in_client_minutes: int = Field(
        default=15, ge=1, description="The window those failures are counted over, and the wait"
    )
    password_min_length: int = Field(default=12, ge=8, description="Shortest password accepted")
    api_token_days: int = Field(
        default=90, ge=1, le=366, description="How long a new API token lasts unless told otherwise"
    )

    # The web application
    host: str = Field(default="127.0.0.1", description="Address `beaconport serve` listens on")
    port: int = Field(
        default=8000, ge=1, le=65535, description="Port `beaconport serve` listens on"
    )
    workers: int = Field(
        default=1, ge=1, le=64, description="Worker processes `beaconport serve` starts"
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description="Proxies trusted to say the client's address and scheme (X-Forwarded-*)",
    )
    cookie_secure: bool = Field(
        default=True,
        description="Send the session cookie over HTTPS only (browsers treat localhost as secure)",
    )
    max_request_kb: int = Field(
        default=1024, ge=16, description="Largest request body other than a file upload, in KiB"
    )
    max_upload_mb: int = Field(default=200, ge=1, description="Largest file upload, in MiB")

    # Messages to people outside (the outbox)
    smtp_host: str = Field(default="127.0.0.1", description="Mail server the outbox sends through")
    smtp_port: int = Field(default=25, ge=1, le=65535, description="Its port")
    smtp_from: str = Field(default="beaconport@localhost",
                           description="The address messages are sent from")
    smtp_starttls: bool = Field(default=False,
                                description="Encrypt the connection with STARTTLS first")
    smtp_username: str = Field(default="", description="Sign in to the mail server as this "
                               "user (none: no sign-in)")
    smtp_password: str = Field(default="", description="The mail server password")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
