"""Configuration from the environment (prefix STRIKEWATCH_), read once by `load_settings()`."""

from __future__ import annotations

import ipaddress
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from services.common.names import Names

DEFAULT_HTTP_PORTS = {"demo": 9100, "producer": 9101, "classifier": 9102, "alerter": 9103}


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STRIKEWATCH_", extra="ignore", frozen=True)

    redis_url: SecretStr | None = Field(default=None, description="redis:// or rediss:// URL")
    prefix: str = Field(default="strikewatch", pattern=r"^[A-Za-z0-9_.-]+$")
    webhooks_file: Path | None = None
    http_port: int | None = Field(default=None, ge=0, le=65535)
    http_host: str = Field(default="0.0.0.0", description="Address the HTTP endpoints listen on")
    api_token: SecretStr | None = None
    webhook_allowlist: str = ""

    # Logging (services/common/logs.py): always to stderr. None = JSON unless stderr is a terminal.
    log_format: Literal["json", "text"] | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"

    # Limits: each enforced with a clear error (dead-letter entry or HTTP 413).
    max_article_bytes: int = Field(default=1_000_000, ge=1)
    articles_maxlen: int = Field(default=1_000_000, ge=1000)
    classified_maxlen: int = Field(default=1_000_000, ge=1000)
    alert_log_maxlen: int = Field(default=100_000, ge=100)
    deadletter_maxlen: int = Field(default=100_000, ge=100)
    max_request_bytes: int = Field(default=2_000_000, ge=1024)

    # Consumers
    batch_size: int = Field(default=32, ge=1, le=1000)
    poll_ms: int = Field(default=100, ge=1)
    claim_idle_ms: int = Field(default=30_000, ge=100)
    max_deliveries: int = Field(default=5, ge=1)
    done_marker_ttl_s: int = Field(default=7 * 86400, ge=60)

    # Alerter
    incident_ttl_s: int = Field(default=7 * 86400, ge=60)
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    webhook_max_attempts: int = Field(default=8, ge=1)
    webhook_backoff_base_s: float = Field(default=2.0, gt=0)
    webhook_backoff_max_s: float = Field(default=3600.0, gt=0)
    webhook_concurrency: int = Field(default=4, ge=1)
    webhook_max_response_bytes: int = Field(default=65_536, ge=1)
    # A claimed delivery not finished within this time goes back to the queue (its worker died).
    webhook_lease_s: float = Field(default=120.0, gt=0)
    # Longest the delivery worker waits before looking at the shared queue again (jobs enqueued by
    # other replicas do not wake it).
    webhook_poll_max_s: float = Field(default=1.0, gt=0)
    cap_sender: str = Field(default="strikewatch", pattern=r"^[^\s,<&]+$")

    # Live sources (services/producer/sources): what to poll, and what a fetch may cost.
    sources_file: Path | None = None
    fetch_allowlist: str = ""
    # Named in the User-Agent, so a site's operator can reach whoever runs this poller.
    fetch_contact_url: str | None = Field(default=None, pattern=r"^(https?://|mailto:)\S+$")
    fetch_max_bytes: int = Field(default=10_000_000, ge=1024)
    fetch_connect_timeout_s: float = Field(default=10.0, gt=0)
    fetch_read_timeout_s: float = Field(default=30.0, gt=0)
    # Everything one fetch may take: DNS, every redirect hop, the whole body.
    fetch_deadline_s: float = Field(default=60.0, gt=0)
    fetch_max_redirects: int = Field(default=5, ge=0, le=20)
    # Items published longer ago than this are not turned into articles (a new source's archive).
    source_max_item_age_s: int = Field(default=3 * 86400, ge=60)
    # How long an item stays "seen" after the last poll that listed it.
    source_seen_ttl_s: int = Field(default=30 * 86400, ge=3600)
    source_backoff_max_s: float = Field(default=3600.0, gt=0)

    @field_validator("redis_url", "api_token", "sources_file", "fetch_contact_url", mode="before")
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        # `STRIKEWATCH_API_TOKEN=` in a compose file must not become a valid, empty token.
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        return None if raw in ("", None) else value

    @field_validator("log_format", mode="before")
    @classmethod
    def _format_case(cls, value: Any) -> Any:
        # `STRIKEWATCH_LOG_FORMAT=JSON` means json; an empty value means "decide by the terminal".
        return (value.strip().lower() or None) if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _level_case(cls, value: Any) -> Any:
        # `STRIKEWATCH_LOG_LEVEL=debug` and `=DEBUG` mean the same; empty means the default.
        return (value.strip().upper() or "INFO") if isinstance(value, str) else value

    @field_validator("redis_url")
    @classmethod
    def _redis_scheme(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith(
            ("redis://", "rediss://", "unix://")
        ):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("source_seen_ttl_s")
    @classmethod
    def _seen_outlives_max_age(cls, value: int, info: ValidationInfo) -> int:
        # An item that drops out of a feed and comes back must still be "seen", or too old to take.
        max_age = info.data.get("source_max_item_age_s")
        if isinstance(max_age, int) and value < max_age:
            raise ValueError("must be at least STRIKEWATCH_SOURCE_MAX_ITEM_AGE_S")
        return value

    @cached_property
    def names(self) -> Names:
        return Names(self.prefix)

    def require_redis_url(self) -> str:
        if self.redis_url is None:
            raise RuntimeError(
                "STRIKEWATCH_REDIS_URL is not set: point it at a Redis server "
                "(redis://host:6379/0 or rediss://...), or use `strikewatch demo`, which starts its own."
            )
        return self.redis_url.get_secret_value()

    def port_for(self, service: str) -> int:
        return self.http_port if self.http_port is not None else DEFAULT_HTTP_PORTS[service]

    def allowlist(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network | str]:
        """Parsed STRIKEWATCH_WEBHOOK_ALLOWLIST: networks, or host names as given."""
        out: list[ipaddress.IPv4Network | ipaddress.IPv6Network | str] = []
        for item in (part.strip() for part in self.webhook_allowlist.split(",")):
            if not item:
                continue
            try:
                out.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                out.append(item.lower())
        return out


class SettingsError(ValueError):
    """Invalid configuration, described without echoing values (they may hold passwords)."""


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; services pass the result down instead of re-reading."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"STRIKEWATCH_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors()
        )
        raise SettingsError(f"invalid configuration: {problems}") from None
