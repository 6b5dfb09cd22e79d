"""Where an alert goes: its pub/sub channels (docs/contract.md section 6) and which subscriptions want it."""

from __future__ import annotations

from schemas import SEVERITIES, Alert, Severity, WebhookSubscription, severity_rank
from services.common.names import Names, slug


def severity_from_level(level: str) -> Severity:
    """`extreme` -> `Extreme`; a clear error for anything else."""
    for severity in SEVERITIES:
        if severity.lower() == level.strip().lower():
            return severity
    raise ValueError(f"unknown severity {level!r}; expected one of extreme, severe, moderate, minor")


def region_slugs(alert: Alert) -> list[str]:
    return list(dict.fromkeys(slug(loc.region) for loc in alert.locations if loc.region))


def channels(alert: Alert, names: Names) -> list[str]:
    out = [names.alerts, names.severity_channel(alert.severity)]
    out.extend(names.region_channel(region) for region in region_slugs(alert))
    out.extend(names.type_channel(attack_type) for attack_type in dict.fromkeys(alert.attack_types))
    return out


def wants(
    alert: Alert,
    *,
    min_severity: str | None = None,
    regions: list[str] | None = None,
    attack_types: list[str] | None = None,
) -> bool:
    """Filters as subscriptions and `strikewatch tail` express them; None or empty means any."""
    if min_severity is not None and severity_rank(alert.severity) < severity_rank(
        severity_from_level(min_severity)
    ):
        return False
    if regions and not {slug(r) for r in regions} & set(region_slugs(alert)):
        return False
    return not (attack_types and not set(attack_types) & set(alert.attack_types))


def subscription_wants(subscription: WebhookSubscription, alert: Alert) -> bool:
    return wants(
        alert,
        min_severity=subscription.min_severity,
        regions=subscription.regions,
        attack_types=list(subscription.attack_types) if subscription.attack_types else None,
    )
