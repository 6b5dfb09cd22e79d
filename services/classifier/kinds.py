"""The kinds stage: attack types, named weapons and target classes of the primary attack (LABELS.md
rule 8), with the weapon families from the one attack-type table (schemas/attack_types.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from schemas.attack_types import RANGED, implied, ordered
from schemas.models import TARGETS, AttackType, Target

from .components import Cue
from .rulepack import RulePack
from .sentences import Sentence


@dataclass(frozen=True, slots=True)
class Kinds:
    attack_types: list[AttackType]
    weapons: list[str]
    targets: list[Target]


def _typed(sent: Sentence) -> list[Cue]:
    """The sentence's type and weapon cues, without words inside a longer phrase or after a weapon.

    One sort and one sweep (a sentence may hold thousands of cues in hostile input)."""
    spans = [c for c in sent.cues if c.record.label in ("ATTACK_TYPE", "WEAPON")]
    # A weapon word inside a warning ("missile danger", "missile warning": a PLAN phrase) names the
    # alarm, not the weapon that struck (issue 13, kind 4).
    warnings = [(c.start, c.end) for c in sent.cues if c.record.label == "PLAN"]
    if warnings:
        spans = [c for c in spans if not any(s <= c.start and c.end <= e for s, e in warnings)]
    # "Grad missiles": a generic word right after a named system takes the system's kind.
    weapon_ends = {c.end for c in spans if c.record.label == "WEAPON"}
    spans = [c for c in spans if not (c.record.label == "ATTACK_TYPE" and c.start - 1 in weapon_ends)]
    if len(spans) < 2:
        return spans
    # A word inside a longer phrase of another kind does not count ("rocket shelling"): a span is
    # dropped when an earlier-starting (or same-start, longer) span reaches at least as far.
    kept: list[Cue] = []
    reach = -1
    previous: tuple[int, int] | None = None
    reach_before = -1
    for cue in sorted(spans, key=lambda c: (c.start, -c.end)):
        span = (cue.start, cue.end)
        if span != previous:
            reach_before, previous = reach, span
        if reach_before < cue.end:
            kept.append(cue)
        reach = max(reach, cue.end)
    order = {id(c): i for i, c in enumerate(spans)}
    return sorted(kept, key=lambda c: order[id(c)])


def kinds(sents: Sequence[Sentence], pack: RulePack, attacker: str | None = None) -> Kinds:
    """The attack types, named weapons and target classes of the primary attack's sentences `sents`
    (LABELS.md rule 8). `attacker`: the side that fired, if known (a side whose fire is rockets reads a
    generic missile word beside a rocket word as that rocket: `slots.rocket_sides`)."""
    slots = pack.slots
    types: set[str] = set()
    weapons: list[str] = []
    targets: set[str] = set()
    explicit_any = False
    raid = False
    specific_rocket = False  # a rocket system or launcher is named, not just the word "rocket"
    specific_missile = False  # a kind of missile is named, not just the word "missile"
    # Kinds named only by a word for bombardment in general ("the city was bombed eight times"): they
    # stand for their kind only when no other type is named (as "air raid" does).
    loose: set[str] = set()
    # A later sentence telling of another incident ("shelled it for the second time, with Smerch
    # rockets"; the other side's retaliatory strikes) adds no type, unless no other sentence names one.
    own = [s for i, s in enumerate(sents) if i == 0 or not slots.separate_incident.search(s.low)]
    if len(own) < len(sents) and not any(_typed(s) for s in own):
        own = list(sents)
    for sent in own:
        local: set[str] = set()
        shell_only = False
        for cue in _typed(sent):
            record = cue.record
            kind = record.kind
            assert kind is not None  # the loader requires it for ATTACK_TYPE and WEAPON records
            if record.label == "WEAPON" and record.weapon and record.weapon not in weapons:
                weapons.append(record.weapon)
            word = sent.low[cue.start - sent.start : cue.end - sent.start]
            loose_word = record.label == "ATTACK_TYPE" and slots.bombardment_word.rx.match(word)
            if loose_word and kind != "artillery":
                loose.add(kind)
                continue
            local.add(kind)
            local.update(implied(kind))
            if kind == "rocket" and not slots.generic_rocket.rx.match(word):
                specific_rocket = True
            elif kind == "missile" and not slots.generic_missile.rx.match(word):
                specific_missile = True
            if (
                record.label == "ATTACK_TYPE"
                and kind == "artillery"
                and slots.bombardment_word.rx.match(word)
            ):
                shell_only = True
        explicit_artillery = slots.explicit_artillery.search(sent.low) is not None
        explicit_any = explicit_any or (explicit_artillery and "artillery" in local)
        if shell_only and not explicit_artillery and local & RANGED:
            local.discard("artillery")
        types |= local
        for cue in sent.cues:
            if cue.record.label == "TARGET" and cue.record.target:
                if not slots.care_before.search(sent.low[: cue.start - sent.start]):
                    targets.add(cue.record.target)
            elif cue.record.label == "AIR_RAID":
                raid = True
    if loose and not types:
        for word_kind in loose:
            types.add(word_kind)
            types.update(implied(word_kind))
    # "Air raid" names the alarm or the wave; it means aviation only when no other weapon is named.
    if raid and not types & (RANGED | {"artillery"}):
        types.add("airstrike")
    if types & RANGED:
        # An assault word beside a missile, drone or bomb is the strike ("a drone assault"); beside
        # shelling alone it is fighting on the ground under artillery cover (issue 13 kind 4).
        types.discard("ground_assault")
    rocket_side = attacker is not None and slots.rocket_sides.rx.match(attacker.lower()) is not None
    if "missile" in types and "rocket" in types and rocket_side:
        # A group that fires rockets: its "missile attack" (a caption's word) is the rocket the body
        # names (LABELS.md rule 8); a kind of missile named as well ("anti-tank missiles") keeps both.
        if not specific_missile:
            types.discard("missile")
    elif "missile" in types and "rocket" in types and not specific_rocket:
        # "Rocket" beside a named missile is the same weapon in loose or translated wording (LABELS.md
        # rule 8); a rocket system (Grad, MLRS, HIMARS) named as well keeps both.
        types.discard("rocket")
    if "artillery" in types and types & RANGED and not explicit_any:
        # "Shelling" in translated reports often means any bombardment; a named weapon says which.
        types.discard("artillery")
    return Kinds(ordered(types), weapons, [t for t in TARGETS if t in targets])
