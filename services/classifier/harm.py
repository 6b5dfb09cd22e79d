"""The harm stage: the severity facts of the primary attack (damage words, outages, unnumbered deaths)
from its sentences and the resolved figures, with the spans that justify them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from services.common.severity import SeverityFacts

from .figures import Figures
from .page import Page
from .rulepack import RulePack
from .sentences import Sentence

MAX_DAMAGE_WORDS = 5  # per list in the severity reasons


@dataclass(frozen=True, slots=True)
class Harm:
    facts: SeverityFacts
    spans: list[tuple[int, int]]  # page offsets of the outage and critical-damage phrases


def harm(counting: Sequence[Sentence], figures: Figures, page: Page, pack: RulePack) -> Harm:
    """Facts for `severity.grade`. Outside the event's own sentences (and its aftermath) only outages
    count as critical damage ("power outages", "without power")."""
    slots = pack.slots
    critical: list[str] = []
    civil: list[str] = []
    spans: list[tuple[int, int]] = []
    dark: str | None = None
    deaths_unnumbered = False
    for sent in counting:
        low = sent.low
        dark_m = slots.whole_area_dark.search(low)
        if dark_m and dark is None:
            s, e = sent.start + dark_m.start(), sent.start + dark_m.end()
            dark = page.text[s:e]
            spans.append((s, e))
        # A war sentence that is no event of its own may still tell the attack's effects ("all targets
        # were destroyed, but debris caused a fire in a building"): its damage counts.
        scene = sent.event or sent.aftermath or (sent.war and slots.aftermath.search(low) is not None)
        if scene or slots.outage.opens(low):
            for m in slots.critical.rx.finditer(low):
                word = m.group()
                if word not in critical and (scene or slots.outage.rx.search(word)):
                    critical.append(word)
                    spans.append((sent.start + m.start(), sent.start + m.end()))
        if not scene:
            continue
        if slots.damage_verb.rx.search(low):
            for m in slots.civil_damage.rx.finditer(low):
                # "taken to a hospital": the place of care, not a building the strike damaged.
                if m.group() not in civil and not slots.care_before.search(low[: m.start()]):
                    civil.append(m.group())
        if figures.killed is None and not slots.correction.search(low):
            for m in slots.death_words.rx.finditer(low):
                before = low[: m.start()]
                if not slots.negated_before.rx.search(before) and not slots.anaphoric_before.rx.search(
                    before
                ):
                    deaths_unnumbered = True
    facts = SeverityFacts(
        killed=figures.killed,
        killed_max=figures.killed_max,
        killed_at_least=figures.killed_at_least,
        injured_at_least=figures.injured_at_least,
        killed_range=figures.killed_range,
        injured_range=figures.injured_range,
        corrected=figures.corrected,
        deaths_unnumbered=deaths_unnumbered,
        injured=figures.injured,
        injured_max=figures.injured_max,
        projectiles=figures.projectiles,
        whole_area_without_power=dark,
        critical_damage=_english(critical, pack)[:MAX_DAMAGE_WORDS],
        civil_damage=_english(civil, pack)[:MAX_DAMAGE_WORDS],
    )
    return Harm(facts, spans)


def _english(words: Sequence[str], pack: RulePack) -> list[str]:
    """`words` (slot matches, lower case) as the pack glossary's English terms, in order, each term
    once ("житловий будинок", "приватні будинки" -> ["homes", "houses"]): the severity reasons are
    English for the duty desk. A word the glossary lacks stays as written."""
    return list(dict.fromkeys(pack.glossary.english(w) for w in words))
