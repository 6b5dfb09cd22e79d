"""The actors stage: which side fired, from how each actor word sits next to attack words."""

from __future__ import annotations

from collections.abc import Sequence

from .page import Page
from .rulepack import RulePack
from .sentences import Sentence

Votes = dict[str, float]


def enemy_of(
    sent: Sentence, default: str = "Russia", page: Page | None = None, pack: RulePack | None = None
) -> str:
    """Who "the enemy" is depends on who reports: a strike on a place in Russia reported as the
    enemy's is Ukraine's, anything else in this war's reporting (Ukrainian officials' wording) Russia's.
    A sentence that names no place takes `default` (the text's own: `page_enemy`). With `page` and
    `pack`, a place the weapons came from (the pack's `launch_site_before`, as places.py reads it: "UAVs
    launched from Kursk and Primorsko-Akhtarsk") is no place struck and tells nothing (red team F14)."""
    places = sent.places
    if page is not None and pack is not None and places:
        site = pack.slots.launch_site_before
        places = tuple(
            p for p in places if site.rx.search(page.low[max(sent.start, p.start - 50) : p.start]) is None
        )
    countries = {p.place.country for p in places}
    if not countries:
        return default
    return "Ukraine" if "Russia" in countries and "Ukraine" not in countries else "Russia"


def page_enemy(sents: Sequence[Sentence]) -> str:
    """ "The enemy" of a text's sentences that name no place: Ukraine when the text names places in
    Russia and none in Ukraine (a Russian governor's "вражеские БПЛА" over Kursk), else Russia."""
    countries = {p.place.country for s in sents for p in s.places}
    return "Ukraine" if "Russia" in countries and "Ukraine" not in countries else "Russia"


def votes(sent: Sentence, page: Page, pack: RulePack, enemy_default: str = "Russia") -> Votes:
    """Each side's weight as the one that fired in `sent` (empty for a sentence that names none)."""
    if not sent.cues or not (sent.war or sent.places):
        return {}
    slots = pack.slots
    enemy: str | None = None  # read only for a sentence that says "the enemy" (a scan per place)
    mentions: list[tuple[str, int, int]] = []
    for cue in sent.cues:
        if cue.record.label == "ACTOR" and cue.record.actor:
            mentions.append((cue.record.actor, cue.start, cue.end))
        elif cue.record.label == "ENEMY":
            if enemy is None:
                enemy = enemy_of(sent, enemy_default, page, pack)
            mentions.append((enemy, cue.start, cue.end))
    speakers = pack.stoplists.capital_speakers
    for mention in sent.places:
        actor = speakers.get(page.text[mention.start : mention.end])
        if actor:
            mentions.append((actor, mention.start, mention.end))
    # Keep the longest actor phrase at a position ("Russian forces" over "Russian").
    mentions.sort(key=lambda m: (m[1], -(m[2] - m[1])))
    low = page.low
    out: Votes = {}
    last_end = -1
    for actor, s, e in mentions:
        if s < last_end:
            continue
        last_end = e
        after = low[e : min(sent.end, e + 70)]
        before = low[max(sent.start, s - 45) : s]
        strength = 0.0
        if slots.actor_then_verb.rx.match(after) or slots.actor_then_weapon.rx.match(after):
            strength = 2.0
        elif sent.event and slots.by_from_before.rx.search(before):
            strength = 1.5
        if strength and slots.down_before.rx.search(before) is None and slots.downed_after.rx.match(after):
            strength = 0.0
        if strength:
            out[actor] = out.get(actor, 0.0) + strength
    return out


def primary_attacker(events: Sequence[Sentence], event_votes: Sequence[Votes]) -> str | None:
    """The side with most votes over the event sentences, earlier (headline) sentences weighing more."""
    totals: dict[str, float] = {}
    for rank, sent_votes in enumerate(event_votes):
        for actor, v in sent_votes.items():
            totals[actor] = totals.get(actor, 0.0) + v / (1.0 + 0.5 * rank)
    return max(totals, key=lambda a: totals[a]) if totals else None


def sides_with(sent_votes: Votes, attacker: str | None) -> bool:
    """Whether a sentence belongs to the primary attacker's side (a sentence naming no side does)."""
    if not sent_votes or attacker is None:
        return True
    return max(sent_votes, key=lambda a: sent_votes[a]) == attacker
