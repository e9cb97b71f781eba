"""The one settings object: `IPWATCH_*` environment variables over an optional `ipwatch.toml`."""

from __future__ import annotations

from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, IPvAnyNetwork, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from .i18n import DEFAULT_LANGUAGE, Language


class SeverityThresholds(BaseModel):
    """Scores at which an alert about one kind of mark becomes medium or high severity."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    high: float = Field(0.9, ge=0, le=1)
    medium: float = Field(0.85, ge=0, le=1)
    high_needs_signal: bool = True  # high only with a counterfeit signal (replica wording, price, ...)

    @model_validator(mode="after")
    def _ordered(self) -> SeverityThresholds:
        if self.medium > self.high:
            raise ValueError(f"medium ({self.medium}) must not be above high ({self.high})")
        return self


SEVERITY_DEFAULTS: dict[Literal["trademark", "gi", "old_brand"], SeverityThresholds] = {
    "trademark": SeverityThresholds(), "old_brand": SeverityThresholds(),
    "gi": SeverityThresholds(high_needs_signal=False)}


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
    smtp_ssl: bool = Field(False, description="implicit TLS from the first byte (SMTPS, port 465 at QQ or 163 mail)")
    triage_base_url: str = Field("http://127.0.0.1:8000", description="links in emails point here")
    secret_key: SecretStr | None = Field(
        None, description="signs triage session cookies; unset: generated once into data_dir/secret_key")
    request_max_bytes: int = Field(
        1024 * 1024, ge=1024, description="the largest request body the triage app reads (uploads of watchlists and "
                                          "reference images may be larger); a larger one gets 413 before sign-in")
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list, description="reverse proxies (addresses or networks, e.g. 127.0.0.1) whose "
                                          "X-Forwarded-For names the client; empty: the peer is the client")
    queue_cache_pages: int = Field(
        512, ge=0, description="triage queue pages each web worker keeps until the queue's data changes; 0: off")
    severity: dict[Literal["trademark", "gi", "old_brand"], SeverityThresholds] = Field(
        default_factory=lambda: dict(SEVERITY_DEFAULTS), description="per mark kind; kinds left out keep defaults")
    office_channels: list[SecretStr] = Field(
        default_factory=list,
        description="Apprise URLs (dingtalk://, wecombot://, feishu://, slack://, json://) for the office")
    office_channel_severity: Literal["low", "medium", "high"] = Field(
        "high", description="alerts of this severity or more go to the office channels")
    digest_hour: int = Field(
        8, ge=0, le=23, description="daily digests go out at this hour, unless a mark says otherwise")
    timezone: str = Field(
        "Asia/Shanghai", description="the office's time zone: every time a person reads, and digest hours")
    language: Language = Field(DEFAULT_LANGUAGE, description="the language of the UI, e-mails, notices and CLI "
                                                             "output unless a user chooses another (zh-CN or en)")
    delivery_lease_s: float = Field(
        300, ge=1, description="a delivery claimed by a worker that died is sent again after this many seconds")
    chromium_path: Path | None = Field(None, description="a Chromium binary for Playwright pages")
    crawl_concurrency: int = Field(8, ge=1)
    image_max_bytes: int = Field(8 * 1024 * 1024, ge=1024)
    page_max_bytes: int = Field(10 * 1024 * 1024, ge=1024)
    allow_private_addresses: bool = Field(
        False, description="let crawls reach private, loopback and link-local addresses (an intranet site); "
                           "off: only the addresses a profile names literally, such as the demo's 127.0.0.1")
    plan: Path | None = Field(None, description="the monitoring plan (YAML, see scheduler.py); unset: the default plan")
    redis_url: str | None = Field(
        None, description="distributed mode: the crawl frontier and duplicate filter in Redis (scrapy-redis)")
    redis_prefix: str = Field("ipwatch", min_length=1, description="prefix of every Redis key ipwatch writes")
    crawl_processes: int = Field(1, ge=1, le=64, description="crawler processes per crawl; more than 1 needs redis_url")

    @field_validator("severity", mode="before")
    @classmethod
    def _every_kind(cls, value: object) -> object:
        """A kind given in part keeps that kind's other defaults; kinds left out keep theirs."""
        if not isinstance(value, dict):
            return value
        merged: dict[object, object] = {kind: thresholds for kind, thresholds in SEVERITY_DEFAULTS.items()}
        for kind, given in value.items():
            if isinstance(given, SeverityThresholds):
                given = given.model_dump(exclude_unset=True)
            default = SEVERITY_DEFAULTS.get(kind)
            merged[kind] = {**default.model_dump(), **given} if default and isinstance(given, dict) else given
        return merged

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"unknown time zone {value!r}: use a tz database name such as Asia/Shanghai") from exc
        return value

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
