"""`strikewatch doctor`: checks the configured Redis, the consumer groups and the webhook
subscriptions, and says what to fix. Sends nothing to any webhook; changes nothing in Redis.

The judgements are pure functions over what was read (`judge_*`), so each rule is tested without a
server; `gather` is the only part that talks to Redis and DNS.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import socket
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

import typer
from redis.asyncio import Redis
from redis.exceptions import ResponseError

from services.cli.connect import run_with_redis
from services.cli.context import globals_of
from services.cli.errors import ExitCode, redact
from services.common.names import Names
from services.common.settings import Settings

# XAUTOCLAIM (reclaiming a dead consumer's entries) needs 6.2; the lag in XINFO GROUPS, which the
# metrics and KEDA's lag trigger read, needs 7.0.
MIN_VERSION = (6, 2)
RECOMMENDED_VERSION = (7, 0)
LAG_WARNING = 1000
MEMORY_WARNING_RATIO = 0.8
DNS_TIMEOUT_S = 5.0


class Status(StrEnum):
    ok = "ok"
    warn = "warn"  # worth a look; nothing is lost today
    fix = "fix"  # must be fixed: data can be lost or alerts cannot be delivered


@dataclass(frozen=True, slots=True)
class Finding:
    check: str
    status: Status
    detail: str
    fix: str | None = None


# ------------------------------------------------------------------------------ pure judgements


def _version_tuple(text: str) -> tuple[int, ...]:
    parts = []
    for piece in text.split("."):
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def judge_version(server: Mapping[str, Any]) -> Finding:
    """From INFO server: Redis >= 7.0 (or Valkey, which reports a Redis-compatible version)."""
    redis_version = str(server.get("redis_version", "0"))
    valkey = server.get("valkey_version")
    name = f"Valkey {valkey} (Redis {redis_version} compatible)" if valkey else f"Redis {redis_version}"
    found = _version_tuple(redis_version)
    if found < MIN_VERSION:
        return Finding(
            "server version",
            Status.fix,
            f"{name}: XAUTOCLAIM is missing, so entries of a dead consumer are never reclaimed",
            "upgrade to Redis 7 or later (or Valkey)",
        )
    if found < RECOMMENDED_VERSION:
        return Finding(
            "server version",
            Status.warn,
            f"{name}: consumer-group lag is not reported (strikewatch_stream_lag stays empty, "
            "KEDA's lag trigger does not work)",
            "upgrade to Redis 7 or later",
        )
    return Finding("server version", Status.ok, name)


def judge_persistence(persistence: Mapping[str, Any], save: str | None) -> Finding:
    """From INFO persistence and CONFIG GET save (None when CONFIG is disabled, as on managed Redis)."""
    for key in ("aof_last_write_status", "aof_last_bgrewrite_status", "rdb_last_bgsave_status"):
        if str(persistence.get(key, "ok")) != "ok":
            return Finding(
                "persistence",
                Status.fix,
                f"{key} is {persistence.get(key)}: Redis cannot write to disk",
                "check the server's disk space and permissions, then its log",
            )
    if int(persistence.get("aof_enabled", 0)):
        return Finding("persistence", Status.ok, "append-only file on")
    if save:
        return Finding(
            "persistence",
            Status.warn,
            f"snapshots only (save {save!r}): a crash loses what was written since the last snapshot, "
            "acknowledgements included, so articles are classified and alerted again",
            "CONFIG SET appendonly yes (and `appendonly yes` in redis.conf)",
        )
    if save is None:
        return Finding(
            "persistence",
            Status.warn,
            "append-only file off and the snapshot schedule cannot be read (CONFIG is disabled)",
            "make sure the provider persists this database (AOF or snapshots)",
        )
    return Finding(
        "persistence",
        Status.fix,
        "no persistence: a restart loses every stream, consumer group, incident and queued webhook delivery",
        "CONFIG SET appendonly yes (and `appendonly yes` in redis.conf)",
    )


def judge_memory(memory: Mapping[str, Any]) -> list[Finding]:
    """From INFO memory: `maxmemory-policy noeviction`, and room left under `maxmemory`."""
    policy = str(memory.get("maxmemory_policy", "noeviction"))
    limit = int(memory.get("maxmemory", 0) or 0)
    used = int(memory.get("used_memory", 0) or 0)
    findings = []
    if policy == "noeviction":
        findings.append(Finding("memory policy", Status.ok, "noeviction"))
    elif limit == 0:
        findings.append(
            Finding(
                "memory policy",
                Status.warn,
                f"maxmemory-policy is {policy}: harmless while maxmemory is 0 (no limit), but once a limit "
                "is set Redis evicts keys silently, streams and consumer groups included",
                "CONFIG SET maxmemory-policy noeviction",
            )
        )
    else:
        findings.append(
            Finding(
                "memory policy",
                Status.fix,
                f"maxmemory-policy is {policy} with maxmemory {_size(limit)}: when memory fills, Redis "
                "evicts keys silently (streams, consumer groups, incident state, de-duplication markers)",
                "CONFIG SET maxmemory-policy noeviction (writes then fail loudly and the services retry)",
            )
        )
    if limit and used > MEMORY_WARNING_RATIO * limit:
        findings.append(
            Finding(
                "memory use",
                Status.warn,
                f"{_size(used)} used of maxmemory {_size(limit)}",
                "raise maxmemory, or lower the STRIKEWATCH_*_MAXLEN stream caps (docs/operations.md, sizing)",
            )
        )
    else:
        findings.append(
            Finding("memory use", Status.ok, f"{_size(used)} used" + (f" of {_size(limit)}" if limit else ""))
        )
    return findings


def _size(n: int) -> str:
    value = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{n} B"


def judge_group(stream: str, group: str, groups: Sequence[Mapping[str, Any]] | None) -> Finding:
    """From XINFO GROUPS (None when the stream does not exist yet)."""
    check = f"group {group} on {stream}"
    if groups is None:
        return Finding(
            check, Status.warn, "the stream does not exist yet", "start the services: they create it"
        )
    info = next((g for g in groups if _text(g.get("name")) == group), None)
    if info is None:
        return Finding(
            check,
            Status.warn,
            "the consumer group does not exist (services not started yet, or Redis lost its data)",
            "start the services: they create it",
        )
    lag, pending, consumers = info.get("lag"), int(info.get("pending", 0)), int(info.get("consumers", 0))
    summary = f"lag {lag if lag is not None else 'unknown'}, pending {pending}, {consumers} consumer(s)"
    if lag is None:
        return Finding(
            check,
            Status.warn,
            f"{summary}: entries were trimmed or deleted before the group read them",
            "check that consumers keep up; raise STRIKEWATCH_ARTICLES_MAXLEN / _CLASSIFIED_MAXLEN",
        )
    if int(lag) > LAG_WARNING:
        return Finding(
            check, Status.warn, f"{summary}: a backlog", "add replicas or look for a stuck consumer"
        )
    return Finding(check, Status.ok, summary)


def judge_deadletters(stream: str, length: int) -> Finding:
    if length == 0:
        return Finding("dead letters", Status.ok, f"{stream} is empty")
    return Finding(
        "dead letters",
        Status.warn,
        f"{length} entr{'y' if length == 1 else 'ies'} in {stream}",
        f"read the reasons with `XREVRANGE {stream} + - COUNT 10`; webhook ones go back with "
        "`strikewatch webhooks redeliver`",
    )


Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def judge_subscription(
    sub_id: str, url: str, resolved: Sequence[Address] | str, allowlist: Iterable[Any]
) -> Finding:
    """`resolved`: the addresses DNS gave for the URL's host, or why resolution failed."""
    from services.alerter.webhooks.masking import mask_url
    from services.common.netpolicy import choose_address

    check = f"webhook {sub_id}"
    parts = urlsplit(url)
    host = parts.hostname or ""
    if isinstance(resolved, str):
        return Finding(
            check, Status.fix, f"{host} does not resolve: {resolved}", "fix the URL or the DNS record"
        )
    chosen, reason = choose_address(host, resolved, allowlist)
    if chosen is None:
        return Finding(
            check,
            Status.fix,
            reason or f"{host} has no usable address",
            "point it at a public address, or allow it in STRIKEWATCH_WEBHOOK_ALLOWLIST",
        )
    if parts.scheme != "https":
        return Finding(
            check,
            Status.warn,
            f"{mask_url(url)} uses plain http: alerts travel unencrypted",
            "use an https URL",
        )
    return Finding(check, Status.ok, f"{host} -> {chosen}")


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


# ---------------------------------------------------------------------------------- gathering


async def _info(redis: Redis, section: str) -> dict[str, Any]:
    data: dict[str, Any] = await redis.info(section)
    return data


async def _config(redis: Redis, key: str) -> str | None:
    try:
        data: dict[Any, Any] = await redis.config_get(key)
    except ResponseError:  # CONFIG renamed or disabled (managed services)
        return None
    value = data.get(key, data.get(key.encode()))
    return None if value is None else _text(value)


async def _groups(redis: Redis, stream: str) -> list[dict[str, Any]] | None:
    if not await redis.exists(stream):
        return None
    groups: list[dict[str, Any]] = await redis.xinfo_groups(stream)
    return groups


async def _resolve(host: str) -> list[Address] | str:
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, None, type=socket.SOCK_STREAM), timeout=DNS_TIMEOUT_S
        )
    except TimeoutError:
        return f"no answer within {DNS_TIMEOUT_S:.0f} s"
    except OSError as exc:
        return exc.strerror or str(exc)
    return [ipaddress.ip_address(info[4][0]) for info in infos]


async def gather(redis: Redis, settings: Settings) -> list[Finding]:
    names: Names = settings.names
    findings = [judge_version(await _info(redis, "server"))]
    findings.append(judge_persistence(await _info(redis, "persistence"), await _config(redis, "save")))
    findings.extend(judge_memory(await _info(redis, "memory")))
    for stream, group in names.groups.items():
        findings.append(judge_group(stream, group, await _groups(redis, stream)))
    findings.append(judge_deadletters(names.deadletter, int(await redis.xlen(names.deadletter))))
    findings.extend(await _webhook_findings(redis, settings))
    return findings


async def _webhook_findings(redis: Redis, settings: Settings) -> list[Finding]:
    from services.alerter.webhooks.subscriptions import SubscriptionStore, load_file

    file_subs = []
    findings: list[Finding] = []
    if settings.webhooks_file is not None:
        try:
            file_subs = load_file(settings.webhooks_file, allowlist=settings.allowlist())
        except ValueError as exc:
            findings.append(Finding("webhooks file", Status.fix, str(exc), "fix STRIKEWATCH_WEBHOOKS_FILE"))
    subscriptions = await SubscriptionStore(redis, settings.names, file_subs).records()
    if not subscriptions and not findings:
        return [Finding("webhooks", Status.ok, "no subscriptions")]
    allowlist = settings.allowlist()
    for sub in subscriptions:
        url = str(sub.definition.url)
        if not sub.active:
            findings.append(
                Finding(
                    f"webhook {sub.id} ({sub.source})",
                    Status.warn,
                    f"disabled: {sub.state.disabled_reason or 'no reason recorded'}",
                    f"fix the receiver, then PATCH /subscriptions/{sub.id} with status active",
                )
            )
            continue
        host = urlsplit(url).hostname or ""
        finding = judge_subscription(f"{sub.id} ({sub.source})", url, await _resolve(host), allowlist)
        findings.append(finding)
    return findings


# ---------------------------------------------------------------------------------- rendering

_LABEL = {Status.ok: "ok", Status.warn: "WARN", Status.fix: "FIX"}


def render(findings: Iterable[Finding], *, header: str) -> str:
    items = list(findings)
    width = max((len(f.check) for f in items), default=10)
    lines = [header]
    for f in items:
        lines.append(f"{_LABEL[f.status]:<4}  {f.check:<{width}}  {f.detail}")
        if f.fix and f.status is not Status.ok:
            lines.append(f"{'':<4}  {'':<{width}}  -> {f.fix}")
    to_fix = sum(f.status is Status.fix for f in items)
    warnings = sum(f.status is Status.warn for f in items)
    lines.append(f"{to_fix} to fix, {warnings} warning(s)")
    return "\n".join(lines)


def doctor(
    ctx: typer.Context,
    as_json: Annotated[
        bool, typer.Option("--json", help="The findings as one JSON object on stdout.")
    ] = False,
) -> int:
    """Check the configured Redis (version, persistence, memory policy), the consumer groups and
    their lag, the dead letters and the webhook subscriptions (DNS and the address policy; nothing
    is sent). Prints what to fix; exit 1 when something must be fixed."""
    settings = globals_of(ctx).settings()

    async def body(redis: Redis) -> int:
        findings = await gather(redis, settings)
        url = redact(settings.require_redis_url())
        if as_json:
            document = {"redis": url, "prefix": settings.prefix, "findings": [asdict(f) for f in findings]}
            sys.stdout.write(json.dumps(document) + "\n")
        else:
            print(render(findings, header=f"strikewatch doctor: {url}, prefix {settings.prefix!r}"))
        failed = any(f.status is Status.fix for f in findings)
        return int(ExitCode.FAILED if failed else ExitCode.OK)

    return run_with_redis(settings, body)
