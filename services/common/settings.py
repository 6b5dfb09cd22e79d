"""Configuration from the environment (prefix STRIKEWATCH_), read once by `load_settings()`."""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from schemas.regions import countries, country_named
from services.common.names import SINK_GROUPS, Names
from services.common.netpolicy import Allowlist, parse_allowlist

log = logging.getLogger("strikewatch")

DEFAULT_HTTP_PORTS = {"demo": 9100, "producer": 9101, "classifier": 9102, "alerter": 9103}
# What receivers of the common delivery services see: retries spread over more than a day.
DEFAULT_RETRY_SCHEDULE = (0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
MAX_RETRY_ATTEMPTS = 100
MAX_RETRY_STEP_S = 7 * 86400.0
LEGACY_BACKOFF = ("webhook_max_attempts", "webhook_backoff_base_s", "webhook_backoff_max_s")


def parse_retry_schedule(text: str) -> tuple[float, ...]:
    """`"0,5,300"` -> (0.0, 5.0, 300.0): seconds before each attempt. ValueError says what is wrong."""
    parts = [part.strip() for part in text.split(",")]
    try:
        return tuple(float(part) for part in parts)
    except ValueError:
        raise ValueError("must be comma-separated seconds before each attempt, e.g. 0,5,300,1800") from None


def check_retry_schedule(schedule: Sequence[float]) -> None:
    """The first attempt is immediate (0); each step is 0 to 7 days; 1 to 100 attempts."""
    if not 1 <= len(schedule) <= MAX_RETRY_ATTEMPTS:
        raise ValueError(f"must list 1 to {MAX_RETRY_ATTEMPTS} attempts, not {len(schedule)}")
    if schedule[0] != 0:
        raise ValueError("must start with 0: the first attempt is sent as soon as the alert is published")
    bad = [s for s in schedule if not (math.isfinite(s) and 0 <= s <= MAX_RETRY_STEP_S)]
    if bad:
        raise ValueError(f"each step must be 0 to {MAX_RETRY_STEP_S:g} seconds; got {bad[0]:g}")


def legacy_retry_schedule(*, attempts: int, base_s: float, max_s: float) -> tuple[float, ...]:
    """The schedule 0.1's exponential backoff described: the first attempt at once, then
    base, 2 x base, 4 x base ... capped at max_s, for `attempts` attempts in all."""
    if attempts < 1 or base_s <= 0 or max_s <= 0:
        raise ValueError("attempts, base and max must be positive")
    return (0.0, *(min(max_s, base_s * 2.0 ** min(n, 64)) for n in range(attempts - 1)))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="STRIKEWATCH_", extra="ignore", frozen=True)

    redis_url: SecretStr | None = Field(default=None, description="redis:// or rediss:// URL")
    prefix: str = Field(default="strikewatch", pattern=r"^[A-Za-z0-9_.-]+$")
    webhooks_file: Path | None = None
    http_port: int | None = Field(default=None, ge=0, le=65535)
    # Loopback unless told otherwise: a demo on a laptop must not offer its API, metrics and desk to
    # the cafe's network. The containers (docker-compose.yml, deploy/) set 0.0.0.0 explicitly.
    http_host: str = Field(default="127.0.0.1", description="Address the HTTP endpoints listen on")
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
    # Rejected inputs of one request (or file) kept one dead letter each; the rest are summarised.
    deadletters_per_request: int = Field(default=100, ge=1)
    # Retry-After (s) of a 503 from POST /articles when the articles stream is full, and of any
    # 503 an HTTP endpoint answers while Redis is unreachable.
    refused_retry_after_s: int = Field(default=5, ge=1)
    # How long an HTTP request waits for an unreachable Redis before answering 503 + Retry-After
    # (a client that waited longer would give up without knowing whether its articles were taken).
    http_redis_wait_s: float = Field(default=5.0, gt=0)

    # Consumers
    batch_size: int = Field(default=32, ge=1, le=1000)
    poll_ms: int = Field(default=100, ge=1)
    claim_idle_ms: int = Field(default=30_000, ge=100)
    max_deliveries: int = Field(default=5, ge=1)
    # A consumer idle this long with nothing pending has left the group (its process is gone):
    # XGROUP DELCONSUMER, so names of past processes do not pile up.
    consumer_forget_after_s: float = Field(default=3600.0, gt=0)
    done_marker_ttl_s: int = Field(default=7 * 86400, ge=60)

    # Alerter
    incident_ttl_s: int = Field(default=7 * 86400, ge=60)
    webhook_timeout_s: float = Field(default=10.0, gt=0)
    # Seconds before each delivery attempt, the first counted from the alert and each later one from
    # the failure before it: immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (about 27.6 h in
    # all), each later one with +-10 % jitter. The env value is a comma-separated list.
    webhook_retry_schedule: Annotated[tuple[float, ...], NoDecode] = DEFAULT_RETRY_SCHEDULE
    # Deprecated (0.1's exponential backoff): still read, turned into the equivalent schedule.
    webhook_max_attempts: int | None = Field(default=None, ge=1)
    webhook_backoff_base_s: float | None = Field(default=None, gt=0)
    webhook_backoff_max_s: float | None = Field(default=None, gt=0)
    # After a secret rotation the old secret keeps signing beside the new one for this long.
    webhook_secret_overlap_s: float = Field(default=86400.0, ge=0)
    webhook_concurrency: int = Field(default=4, ge=1)
    webhook_max_response_bytes: int = Field(default=65_536, ge=1)
    # A claimed delivery not finished within this time goes back to the queue (its worker died).
    webhook_lease_s: float = Field(default=120.0, gt=0)
    # Longest the delivery worker waits before looking at the shared queue again (jobs enqueued by
    # other replicas do not wake it).
    webhook_poll_max_s: float = Field(default=1.0, gt=0)
    # CAP <sender> (CAP 1.2 section 3.2.1): a domain-style id unique to this deployment, e.g.
    # `alerts.example.org`; unset, the host of STRIKEWATCH_PUBLIC_URL, else `strikewatch`
    # (services/alerter/links.py).
    cap_sender: str | None = Field(
        default=None, pattern=r"^[A-Za-z0-9._%+-]+(@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*)?$"
    )
    # CAP <contact> (CAP 1.2 section 3.2.2): who to ask about an alert, e.g. `duty@example.org` or a
    # phone line; unset, the CAP sender (services/alerter/cap.py).
    cap_contact: str | None = Field(default=None, max_length=500)
    # CAP <instruction>: the action recipients should take, written by the operator for their
    # audience. Unset (the default), alerts carry none: strikewatch never writes safety advice itself.
    cap_instruction: str | None = Field(default=None, max_length=2000)
    # A CAP version expires this many hours after it was sent (<expires>).
    cap_expires_h: float = Field(default=24.0, gt=0)
    # The CAP area of an alert whose reports name no place: this country's circle (regions.json).
    cap_fallback_country: str = "Ukraine"
    # Where users reach the alerter's pages (CAP <web>, chat messages' incident links); unset,
    # http://<host>:<port> of the alerter.
    public_url: str | None = Field(default=None, pattern=r"^https?://[^\s/?#]+(/[^\s?#]*)?$")

    # Alerter outputs (sinks on the alert log) and read APIs
    # Which sinks this replica runs: `all`, `none`, or names from services.common.names.SINK_GROUPS
    # (e.g. `pubsub,webhooks`). A sink no replica runs keeps its backlog in Redis until one does.
    sinks: str = Field(default="all", pattern=r"^[a-z, -]*$")
    # GET /alerts.geojson and /alerts.atom show incidents whose latest version was sent this recently.
    open_window_h: float = Field(default=72.0, gt=0)
    # Most incidents in one GeoJSON or Atom answer (the newest first).
    open_feed_limit: int = Field(default=1000, ge=1, le=100_000)
    # Optional bearer token (or `?token=`) for every read endpoint; separate from the API token.
    read_token: SecretStr | None = None
    # Server-sent events: clients served at once (429 past it), events waiting for one client
    # before it is dropped (it reconnects with Last-Event-ID and loses nothing), heartbeat comment
    # interval, and how long one write to a client may block before the client is dropped.
    sse_max_clients: int = Field(default=100, ge=1)
    sse_queue_size: int = Field(default=1000, ge=1)
    sse_heartbeat_s: float = Field(default=15.0, gt=0)
    sse_send_timeout_s: float = Field(default=30.0, gt=0)
    # The duty-desk page (GET /): its map's base tiles, a Leaflet URL template ({z}/{x}/{y}, optional
    # {s}); empty turns tiles off (markers on region outlines). The attribution is plain text.
    desk_tiles_url: str = Field(
        default="https://tile.openstreetmap.org/{z}/{x}/{y}.png", pattern=r"^(https?://\S+)?$"
    )
    desk_tiles_attribution: str = Field(default="© OpenStreetMap contributors", max_length=300)
    desk_tiles_attribution_url: str = Field(
        default="https://www.openstreetmap.org/copyright", pattern=r"^(https?://\S+)?$"
    )

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

    @field_validator(
        "redis_url",
        "api_token",
        "read_token",
        "sources_file",
        "fetch_contact_url",
        "cap_sender",
        "cap_contact",
        "cap_instruction",
        "public_url",
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        # `STRIKEWATCH_API_TOKEN=` in a compose file must not become a valid, empty token.
        raw = value.get_secret_value() if isinstance(value, SecretStr) else value
        return None if raw in ("", None) else value

    @field_validator("cap_contact", "cap_instruction")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        # A blank value (only spaces) is as good as unset: no empty <contact> or <instruction>.
        if value is None or not value.strip():
            return None
        if any((ord(c) < 32 and c not in "\n\t") or ord(c) == 127 for c in value):
            raise ValueError("must not hold control characters (XML cannot carry them)")
        return value.strip()

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

    @field_validator("cap_fallback_country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        if country_named(value) is None:
            known = ", ".join(c.name for c in countries())
            raise ValueError(f"unknown country {value!r}; countries of schemas/data/regions.json: {known}")
        return value

    @field_validator("sinks")
    @classmethod
    def _known_sinks(cls, value: str) -> str:
        wanted = {part.strip() for part in value.split(",") if part.strip()}
        unknown = sorted(wanted - {"all", "none", *SINK_GROUPS})
        if unknown or (len(wanted) > 1 and wanted & {"all", "none"}):
            raise ValueError(f"expected all, none or a list of {', '.join(SINK_GROUPS)}; got {value!r}")
        return value

    @field_validator("source_seen_ttl_s")
    @classmethod
    def _seen_outlives_max_age(cls, value: int, info: ValidationInfo) -> int:
        # An item that drops out of a feed and comes back must still be "seen", or too old to take.
        max_age = info.data.get("source_max_item_age_s")
        if isinstance(max_age, int) and value < max_age:
            raise ValueError("must be at least STRIKEWATCH_SOURCE_MAX_ITEM_AGE_S")
        return value

    @model_validator(mode="before")
    @classmethod
    def _legacy_backoff(cls, data: Any) -> Any:
        """0.1's WEBHOOK_MAX_ATTEMPTS / _BACKOFF_BASE_S / _BACKOFF_MAX_S keep working: they become
        the schedule they described. Set together with WEBHOOK_RETRY_SCHEDULE they are refused."""
        if not isinstance(data, dict):
            return data
        given = {k: data[k] for k in LEGACY_BACKOFF if data.get(k) not in (None, "")}
        if not given:
            return data
        names = ", ".join(f"STRIKEWATCH_{k.upper()}" for k in given)
        if data.get("webhook_retry_schedule") not in (None, ""):
            raise ValueError(
                f"{names} (deprecated) and STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE are both set; "
                "keep only STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE"
            )
        try:
            schedule = legacy_retry_schedule(
                attempts=int(given.get("webhook_max_attempts", 8)),
                base_s=float(given.get("webhook_backoff_base_s", 2.0)),
                max_s=float(given.get("webhook_backoff_max_s", 3600.0)),
            )
        except ValueError:
            return data  # the fields' own validation names the bad value
        log.warning(
            "%s are deprecated; using the equivalent STRIKEWATCH_WEBHOOK_RETRY_SCHEDULE=%s",
            names,
            ",".join(f"{s:g}" for s in schedule),
        )
        return {**data, "webhook_retry_schedule": schedule}

    @field_validator("webhook_retry_schedule", mode="before")
    @classmethod
    def _schedule_list(cls, value: Any) -> Any:
        return parse_retry_schedule(value) if isinstance(value, str) else value

    @field_validator("webhook_retry_schedule")
    @classmethod
    def _schedule_shape(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        check_retry_schedule(value)
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

    def sink_names(self) -> tuple[str, ...]:
        """The sinks this replica runs, in SINK_GROUPS order."""
        wanted = {part.strip() for part in self.sinks.split(",") if part.strip()}
        if wanted in ({"all"}, set()):
            return tuple(SINK_GROUPS)  # an empty value counts as unset, as everywhere
        return tuple(name for name in SINK_GROUPS if name in wanted)

    def allowlist(self) -> Allowlist:
        """Parsed STRIKEWATCH_WEBHOOK_ALLOWLIST (services/common/netpolicy.py)."""
        return parse_allowlist(self.webhook_allowlist, setting="STRIKEWATCH_WEBHOOK_ALLOWLIST")

    def fetch_allowlist_parsed(self) -> Allowlist:
        """Parsed STRIKEWATCH_FETCH_ALLOWLIST (services/common/netpolicy.py)."""
        return parse_allowlist(self.fetch_allowlist, setting="STRIKEWATCH_FETCH_ALLOWLIST")


class SettingsError(ValueError):
    """Invalid configuration, described without echoing values (they may hold passwords)."""


def load_settings(**overrides: object) -> Settings:
    """Read the environment once; services pass the result down instead of re-reading."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        # An error about several variables together has no location; its message names them.
        problems = "; ".join(
            (f"STRIKEWATCH_{'_'.join(map(str, e['loc'])).upper()}: " if e["loc"] else "") + e["msg"]
            for e in exc.errors()
        )
        raise SettingsError(f"invalid configuration: {problems}") from None
