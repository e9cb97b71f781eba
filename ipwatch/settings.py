"""The one settings object: `IPWATCH_*` environment variables over an optional `ipwatch.toml`."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)


class Settings(BaseSettings):
    """Everything a deployment can change; read once at the door and passed down."""

    model_config = SettingsConfigDict(
        env_prefix="IPWATCH_", toml_file="ipwatch.toml", extra="forbid"
    )

    data_dir: Path = Field(Path("ipwatch-data"), description="database, outbox, images, evidence")
    database_url: str | None = Field(None, description="any SQLAlchemy URL; default SQLite in data_dir")
    match_threshold: float = Field(0.75, ge=0, le=1, description="alert when a match scores this or more")
    mail_from: str = "ipwatch <alerts@ipwatch.invalid>"
    smtp_host: str | None = Field(None, description="send mail by SMTP; unset writes .eml files to the outbox")
    smtp_port: int = 25
    smtp_user: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    triage_base_url: str = Field("http://127.0.0.1:8000", description="links in emails point here")
    chromium_path: Path | None = Field(None, description="a Chromium binary for Playwright pages")
    crawl_concurrency: int = Field(8, ge=1)
    image_max_bytes: int = Field(8 * 1024 * 1024, ge=1024)
    page_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, TomlConfigSettingsSource(settings_cls))

    @property
    def db_url(self) -> str:
        """The SQLAlchemy URL in force: the configured one, or SQLite inside data_dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'ipwatch.db').resolve()}"

    @property
    def outbox_dir(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def images_dir(self) -> Path:
        return self.data_dir / "images"

    @property
    def evidence_dir(self) -> Path:
        return self.data_dir / "evidence"

    def ensure_dirs(self) -> None:
        """Create the data folders this deployment writes to."""
        for path in (self.data_dir, self.outbox_dir, self.images_dir, self.evidence_dir):
            path.mkdir(parents=True, exist_ok=True)
