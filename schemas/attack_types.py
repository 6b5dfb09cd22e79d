"""The one table of attack types: what each implies, which family it belongs to, and whether it is
fired from afar. Read by the classifier (types, severity's projectile counts) and by the alerter's
incident clustering (which reports of one attack are compatible), so both agree."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from schemas.models import ATTACK_TYPES, AttackType


@dataclass(frozen=True, slots=True)
class AttackTypeInfo:
    # The family reports confuse within (translated Ukrainian reports say "rocket" for missiles;
    # glide bombs are dropped by aircraft): two reports of one attack may name either member.
    family: AttackType
    # Fired or dropped from afar (a drone, missile, rocket, bomb): LABELS.md rule 5 counts these.
    ranged: bool
    # Types that this one always is too: a glide bomb is an airstrike (LABELS.md rule 8).
    implies: tuple[AttackType, ...] = ()
    # Launched together in one combined strike ("drones and missiles overnight"): one report of the
    # night may name only the drones and another only the missiles (red team 5, N15).
    combined: bool = False


ATTACK_TYPE_TABLE: dict[AttackType, AttackTypeInfo] = {
    "drone": AttackTypeInfo(family="drone", ranged=True, combined=True),
    "missile": AttackTypeInfo(family="missile", ranged=True, combined=True),
    "rocket": AttackTypeInfo(family="missile", ranged=True, combined=True),
    "artillery": AttackTypeInfo(family="artillery", ranged=False),
    "airstrike": AttackTypeInfo(family="airstrike", ranged=True, combined=True),
    "glide_bomb": AttackTypeInfo(family="airstrike", ranged=True, implies=("airstrike",), combined=True),
    "ground_assault": AttackTypeInfo(family="ground_assault", ranged=False),
    "other": AttackTypeInfo(family="other", ranged=False),
}
assert set(ATTACK_TYPE_TABLE) == set(ATTACK_TYPES), "every attack type has a row"

RANGED: frozenset[str] = frozenset(t for t, info in ATTACK_TYPE_TABLE.items() if info.ranged)
COMBINED: frozenset[str] = frozenset(t for t, info in ATTACK_TYPE_TABLE.items() if info.combined)


def implied(attack_type: str) -> tuple[AttackType, ...]:
    info = ATTACK_TYPE_TABLE.get(attack_type)  # type: ignore[call-overload]
    return info.implies if info else ()


def family(attack_type: str) -> str:
    info = ATTACK_TYPE_TABLE.get(attack_type)  # type: ignore[call-overload]
    return info.family if info else attack_type


def families(types: Iterable[str]) -> set[str]:
    return {family(t) for t in types}


def ordered(types: Iterable[str]) -> list[AttackType]:
    """`types` in the contract's order (docs/contract.md section 4), unknown names dropped."""
    present = set(types)
    return [t for t in ATTACK_TYPES if t in present]
