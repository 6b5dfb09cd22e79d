"""Webhook subscriptions: read-only definitions from STRIKEWATCH_WEBHOOKS_FILE, definitions made
through the API (a Redis hash, so every replica sees them), and each subscription's state (status,
secrets being rotated out) in a second hash, for both kinds.

The file owns what it defines: the API may change a file-defined subscription's status (re-enable
it after a `410 Gone`, or pause it) but not its URL, filters or secret, and may not delete it."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError
from redis.asyncio import Redis
from redis.exceptions import WatchError

from schemas import WebhookSubscription, secret_problem
from schemas.models import STORED
from services.alerter.webhooks.masking import mask_secret, mask_url
from services.common.names import Names
from services.common.netpolicy import AllowItem, Allowlist, literal_address, refusal
from services.common.settings import SettingsError

log = logging.getLogger("strikewatch.alerter")
# No allow-list given: nothing non-global is allowed, and refusals name the setting to change.
WEBHOOK_ALLOWLIST_UNSET = Allowlist(setting="STRIKEWATCH_WEBHOOK_ALLOWLIST")

Source = Literal["file", "api"]
Status = Literal["active", "disabled"]
STATUSES: tuple[Status, ...] = ("active", "disabled")
# Secrets a subscription may be rotating out at once (each one more signature per delivery).
MAX_PREVIOUS_SECRETS = 3
# Writes are optimistic (WATCH); a handful of rounds is plenty for a rarely written hash.
_MAX_WRITE_ROUNDS = 20


class SubscriptionConflict(Exception):
    """The change contradicts what exists (a duplicate id, a file-defined subscription)."""


class UnknownSubscription(LookupError):
    pass


class PreviousSecret(BaseModel):
    """A secret replaced by a rotation; it keeps signing until `rotated_at` + the overlap window."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    secret: str
    rotated_at: datetime


class SubscriptionState(BaseModel):
    """What changes while a subscription runs, kept apart from its definition."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    status: Status = "active"
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    previous_secrets: tuple[PreviousSecret, ...] = ()  # newest first


@dataclass(frozen=True, slots=True)
class Subscription:
    """A subscription as the worker and the API use it: definition, origin and state."""

    definition: WebhookSubscription
    source: Source
    state: SubscriptionState = field(default_factory=SubscriptionState)

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def secret(self) -> str:
        # Definitions are stored only with a secret (the API generates one, the file requires it).
        assert self.definition.secret is not None, f"subscription {self.id!r} has no secret"
        return self.definition.secret

    @property
    def active(self) -> bool:
        return self.state.status == "active"

    def signing_secrets(self, *, now: datetime, overlap_s: float) -> list[str]:
        """The current secret, then every replaced one still inside its overlap window."""
        window = timedelta(seconds=overlap_s)
        return [self.secret] + [p.secret for p in self.state.previous_secrets if now < p.rotated_at + window]


# -- pure state changes ---------------------------------------------------------------------------


def rotated(subscription: Subscription, *, now: datetime, overlap_s: float) -> SubscriptionState:
    """The state after replacing the current secret: it joins the secrets still signing (those
    whose window is over are dropped). SubscriptionConflict when too many are still signing."""
    window = timedelta(seconds=overlap_s)
    live = tuple(p for p in subscription.state.previous_secrets if now < p.rotated_at + window)
    if len(live) >= MAX_PREVIOUS_SECRETS:
        until = min(p.rotated_at for p in live) + window
        raise SubscriptionConflict(
            f"subscription {subscription.id!r} already has {len(live)} replaced secrets still signing; "
            f"rotate again after {until.isoformat()}"
        )
    if overlap_s <= 0:
        return subscription.state.model_copy(update={"previous_secrets": ()})
    previous = (PreviousSecret(secret=subscription.secret, rotated_at=now), *live)
    return subscription.state.model_copy(update={"previous_secrets": previous})


def with_status(state: SubscriptionState, status: Status, *, reason: str, at: datetime) -> SubscriptionState:
    """Active clears the reason; disabling an already disabled subscription keeps the first
    reason and time (the cause, not the last echo of it)."""
    if status == "active":
        return state.model_copy(update={"status": "active", "disabled_reason": None, "disabled_at": None})
    if state.status == "disabled":
        return state
    return state.model_copy(update={"status": "disabled", "disabled_reason": reason, "disabled_at": at})


def public_view(
    subscription: Subscription,
    *,
    now: datetime,
    overlap_s: float,
    file: Path | None = None,
    reveal_secret: bool = False,
) -> dict[str, Any]:
    """The subscription as the API shows it: secrets and URL credentials masked (the secret in full
    only once, in the answer that generated it), with its source, status and rotation."""
    data = subscription.definition.model_dump(mode="json", exclude_none=True)
    data["url"] = mask_url(str(subscription.definition.url))
    data["secret"] = subscription.secret if reveal_secret else mask_secret(subscription.secret)
    data["source"] = subscription.source
    if subscription.source == "file" and file is not None:
        data["file"] = str(file)
    state = subscription.state
    data["status"] = state.status
    if state.status == "disabled":
        data["disabled_reason"] = state.disabled_reason
        data["disabled_at"] = state.disabled_at.isoformat() if state.disabled_at else None
    window = timedelta(seconds=overlap_s)
    data["previous_secrets"] = [
        {"secret": mask_secret(p.secret), "signs_until": (p.rotated_at + window).isoformat()}
        for p in state.previous_secrets
        if now < p.rotated_at + window
    ]
    problem = secret_problem(subscription.secret)
    if problem is not None:
        data["warnings"] = [f"secret is weak ({problem}); rotate it"]
    return data


# -- the file -------------------------------------------------------------------------------------


def load_file(
    path: Path, *, allowlist: Iterable[AllowItem] = WEBHOOK_ALLOWLIST_UNSET
) -> list[WebhookSubscription]:
    """The YAML list of docs/contract.md section 6, checked as strictly as the API checks: a weak or
    missing secret, an unknown region or a literal non-global address (not allow-listed) stops
    start-up with the file and the entry named (SettingsError, a ValueError: the CLI prints it as
    a configuration error). Errors never echo secrets or URL credentials."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"cannot read webhooks file {path}: {type(exc).__name__}") from None
    if data is None:
        return []
    if not isinstance(data, list):
        raise SettingsError(f"webhooks file {path} must be a YAML list of subscriptions")
    subscriptions: list[WebhookSubscription] = []
    problems: list[str] = []
    for number, entry in enumerate(data, start=1):
        named = isinstance(entry, dict) and "id" in entry
        where = f"entry {number}" + (f" (id {entry['id']!r})" if named else "")
        try:
            subscription = WebhookSubscription.model_validate(entry)
        except ValidationError as exc:
            for err in exc.errors(include_input=False):
                field = ".".join(str(p) for p in err["loc"]) or "entry"
                problems.append(f"{where}: {field}: {err['msg'].removeprefix('Value error, ')}")
            continue
        problem = _file_entry_problem(subscription, allowlist)
        if problem is not None:
            problems.append(f"{where}: {problem}")
            continue
        subscriptions.append(subscription)
    if problems:
        raise SettingsError(f"invalid webhooks file {path}: " + "; ".join(problems))
    ids = [sub.id for sub in subscriptions]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SettingsError(f"webhooks file {path} repeats subscription ids {duplicates}")
    return subscriptions


def _file_entry_problem(subscription: WebhookSubscription, allowlist: Iterable[AllowItem]) -> str | None:
    if subscription.secret is None:
        return (
            'secret: required in the webhooks file (make one with: python -c "import base64, secrets; '
            "print('whsec_' + base64.b64encode(secrets.token_bytes(32)).decode())\")"
        )
    host = subscription.url.host or ""
    address = literal_address(host)
    if address is not None:
        reason = refusal(host, address, allowlist)
        if reason is not None:
            return f"url {mask_url(str(subscription.url))}: {reason}"
    return None


# -- the store ------------------------------------------------------------------------------------


class SubscriptionStore:
    def __init__(
        self,
        redis: Redis,
        names: Names,
        file_subscriptions: list[WebhookSubscription],
        *,
        file: Path | None = None,
    ) -> None:
        self._redis = redis
        self._key = names.webhook_subscriptions
        self._state_key = names.webhook_states
        self._file = {sub.id: sub for sub in file_subscriptions}
        self._file_path = file
        self._warned: set[str] = set()

    @property
    def file(self) -> Path | None:
        return self._file_path

    def file_defined(self, sub_id: str) -> bool:
        return sub_id in self._file

    def file_conflict(self, sub_id: str, what: str) -> SubscriptionConflict:
        where = f"in {self._file_path}" if self._file_path else "in the webhooks file"
        return SubscriptionConflict(
            f"subscription {sub_id!r} is defined {where}; {what} there (the API may only change its status)"
        )

    def parse(self, sub_id: str, raw: bytes | None, raw_state: bytes | None) -> Subscription | None:
        """The subscription `sub_id` from its stored definition and state as read from Redis (the
        file's definition wins), or None when there is none."""
        return self._parse(sub_id, raw, raw_state)

    def _parse(self, sub_id: str, raw: bytes | None, raw_state: bytes | None) -> Subscription | None:
        if sub_id in self._file:
            definition = self._file[sub_id]
        elif raw is None:
            return None
        else:
            try:
                # Made before secrets and regions were checked: kept working, flagged for rotation.
                definition = WebhookSubscription.model_validate_json(raw, context=STORED)
            except ValidationError:
                log.error("ignoring stored webhook subscription %r: it is not a valid subscription", sub_id)
                return None
            if definition.secret is not None and sub_id not in self._warned:
                problem = secret_problem(definition.secret)
                if problem is not None:
                    self._warned.add(sub_id)
                    log.warning(
                        "webhook subscription %r: its secret is weak (%s); rotate it", sub_id, problem
                    )
        source: Source = "file" if sub_id in self._file else "api"
        state = SubscriptionState()
        if raw_state is not None:
            try:
                state = SubscriptionState.model_validate_json(raw_state)
            except ValidationError:
                log.error("webhook subscription %r: unreadable stored state; treating it as active", sub_id)
        return Subscription(definition, source, state)

    async def records(self) -> list[Subscription]:
        """Every subscription: the file's in file order, then the API's by id."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self._key)
            pipe.hgetall(self._state_key)
            stored, states = await pipe.execute()
        state_of = {k.decode(): v for k, v in states.items()}
        out = [self._parse(sub_id, None, state_of.get(sub_id)) for sub_id in self._file]
        for raw_id, raw in sorted(stored.items()):
            sub_id = raw_id.decode()
            if sub_id not in self._file:
                out.append(self._parse(sub_id, raw, state_of.get(sub_id)))
        return [sub for sub in out if sub is not None]

    async def active(self) -> list[WebhookSubscription]:
        """The definitions of the subscriptions alerts are queued for (disabled ones get none)."""
        return [sub.definition for sub in await self.records() if sub.active]

    async def get(self, sub_id: str) -> Subscription | None:
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hget(self._key, sub_id)
            pipe.hget(self._state_key, sub_id)
            raw, raw_state = await pipe.execute()
        return self._parse(sub_id, raw, raw_state)

    async def add(self, subscription: WebhookSubscription) -> Subscription:
        """A new API subscription (with its secret already set), active."""
        if subscription.secret is None:
            raise ValueError("a subscription is stored only with its secret")
        if subscription.id in self._file:
            raise SubscriptionConflict(f"subscription {subscription.id!r} is defined in the webhooks file")

        def create(current: Subscription | None) -> tuple[WebhookSubscription, SubscriptionState]:
            if current is not None:
                raise SubscriptionConflict(f"subscription {subscription.id!r} exists; delete it first")
            return subscription, SubscriptionState()

        return await self._write(subscription.id, create)

    async def patch(
        self,
        sub_id: str,
        *,
        updates: Mapping[str, Any] | None = None,
        status: Status | None = None,
        reason: str = "",
        now: datetime,
        overlap_s: float,
    ) -> Subscription:
        """Change a subscription in one transaction: `updates` (validated field values) are applied
        to its definition as it is now, so a concurrent change to other fields is kept; a changed
        secret is a rotation (the old one keeps signing for `overlap_s`); `status` enables or
        disables it (`reason` says why). A file-defined subscription takes only `status`."""
        if updates and sub_id in self._file:
            raise self.file_conflict(sub_id, "change it")

        def change(current: Subscription | None) -> tuple[WebhookSubscription | None, SubscriptionState]:
            existing = _require(sub_id, current)
            state = existing.state
            definition = None
            if updates:
                definition = existing.definition.model_copy(update=dict(updates))
                if definition.secret != existing.secret:
                    state = rotated(existing, now=now, overlap_s=overlap_s)
            if status is not None:
                state = with_status(state, status, reason=reason, at=now)
            return definition, state

        return await self._write(sub_id, change)

    async def set_status(self, sub_id: str, status: Status, *, reason: str, at: datetime) -> Subscription:
        """Enable or disable a subscription, file-defined or not. UnknownSubscription if none."""
        return await self.patch(sub_id, status=status, reason=reason, now=at, overlap_s=0)

    async def remove(self, sub_id: str) -> bool:
        if sub_id in self._file:
            raise self.file_conflict(sub_id, "remove it")
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._key, sub_id)
            pipe.hdel(self._state_key, sub_id)
            removed, _ = await pipe.execute()
        return bool(removed)

    async def _write(
        self,
        sub_id: str,
        change: Callable[[Subscription | None], tuple[WebhookSubscription | None, SubscriptionState]],
    ) -> Subscription:
        """Read, change and write one subscription under WATCH, so concurrent writers (two API
        calls, a worker disabling it) never lose each other's change."""
        for _ in range(_MAX_WRITE_ROUNDS):
            async with self._redis.pipeline(transaction=True) as pipe:
                try:
                    await pipe.watch(self._key, self._state_key)
                    raw: Any = await pipe.hget(self._key, sub_id)
                    raw_state: Any = await pipe.hget(self._state_key, sub_id)
                    current = self._parse(sub_id, raw, raw_state)
                    definition, state = change(current)
                    pipe.multi()  # type: ignore[no-untyped-call]
                    if definition is not None:
                        pipe.hset(self._key, sub_id, definition.model_dump_json(exclude_none=True))
                    pipe.hset(self._state_key, sub_id, state.model_dump_json())
                    await pipe.execute()
                except WatchError:
                    continue
            result = definition if definition is not None else _require(sub_id, current).definition
            source: Source = "file" if sub_id in self._file else "api"
            return Subscription(result, source, state)
        raise RuntimeError(
            f"subscription {sub_id!r} kept changing in {_MAX_WRITE_ROUNDS} attempts to write it"
        )


def _require(sub_id: str, current: Subscription | None) -> Subscription:
    if current is None:
        raise UnknownSubscription(f"no subscription {sub_id!r}")
    return current
