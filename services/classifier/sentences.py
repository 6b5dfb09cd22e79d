"""The sentences stage: split the page, give each sentence its cues and places, and its role.

Roles, from the pack's cues and slots: `event` (reports an attack that happened), `aftermath` (no war
word but the attack's effects at a named place), `aggregate` (war-wide totals, retrospectives),
`not_attack` (another domain's war words: heart attacks, drills), `plan` (threats, warnings),
`war` (war vocabulary but no event) and `other`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .components import Cue, PlaceMatch
from .gazetteer import Gazetteer, Place
from .page import Page
from .rulepack import RulePack

# A text of at most this many words is terse (a caption, an event title): its first sentence names
# its attack in a few words, without the verbs a news sentence uses ("Aftermath of shelling at the
# plant"). Later sentences of a short text are read as news sentences.
TERSE_MAX_WORDS = 40

Role = Literal["event", "aftermath", "aggregate", "not_attack", "plan", "war", "other"]

# A sentence ends after [.!?…] (closing quotes/brackets, then whitespace) or at a line break.
# Written so every match starts by consuming one whitespace or closing-quote character: `re` then
# skips all other characters in C instead of trying the pattern at each position (2x faster). (The
# text is normalised: no runs of blanks remain, so a run of blanks no longer ends a sentence.)
_CLOSERS = "\"'”’)\\]"
# Not after a Cyrillic abbreviation of a place word ("у с. Курганне", "в м. Ізюм", "г. Курск", "смт.",
# "вул.") or of a thousand ("60 тыс. жителей"), nor after "St." or "Mt." ("St. Petersburg") or a "No."
# before its number ("School No. 3": red team 14 F9, the split lost the sentence's place and figures):
# none of them is a word that can end a sentence.
_NOT_ABBREVIATION = (
    r"(?<![\s(][смгпдх]\.\s)(?<!смт\.\s)(?<!пгт\.\s)(?<!вул\.\s)(?<!\sул\.\s)(?<!тис\.\s)(?<!тыс\.\s)"
    r"(?<!\sSt\.\s)(?<!\sMt\.\s)(?!(?<=[\s(]No\.\s)\d)(?!(?<=[\s(]Nos\.\s)\d)"
)
_SENT_BOUNDARY = re.compile(
    rf"[\s{_CLOSERS}](?:(?<=[.!?…][{_CLOSERS}])[{_CLOSERS}]*\s+|(?<=[.!?…]\s){_NOT_ABBREVIATION}\s*|(?<=\n)\s*"
    rf"|(?<=\s)\s*\n\s*|(?<=\s)\s+)"
)
# Where a boundary may start: a whitespace or closing character after [.!?…], a line break, or a
# blank before another blank (each branch of `_SENT_BOUNDARY` starts at one of these). Most blanks
# are none of these, so `split` tries the full pattern only here (2.5x faster than `finditer`).
_MAY_BOUND = re.compile(rf"[\s{_CLOSERS}](?:(?<=[.!?…].)|(?<=\n)|(?=\s))")


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: Place  # the best reading
    start: int
    end: int
    candidates: tuple[Place, ...] = ()  # every place the name may be, best first (namesakes)


@dataclass(frozen=True, slots=True)
class Sentence:
    idx: int
    start: int
    end: int
    text: str  # possibly cut at "in response to ..." (same start)
    low: str  # `text` lower-cased (same length)
    cues: tuple[Cue, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    event: bool = False
    aggregate: bool = False
    not_attack: bool = False
    plan: bool = False
    war: bool = False
    aftermath: bool = False
    terse: bool = False  # the first sentence of a terse text (a caption or title)

    @property
    def role(self) -> Role:
        if self.event:
            return "event"
        if self.aggregate:
            return "aggregate"
        if self.not_attack:
            return "not_attack"
        if self.plan:
            return "plan"
        if self.aftermath:
            return "aftermath"
        return "war" if self.war else "other"

    def has(self, *labels: str) -> bool:
        return any(cue.record.label in labels for cue in self.cues)


# The last word before a line break (at most this many characters are looked at).
_LAST_WORD = re.compile(r"(\w+)$")
_LAST_WORD_SPAN = 24


def _wrapped(text: str, start: int, end: int, joiners: frozenset[str] = frozenset()) -> bool:
    """Whether the blank text[start:end] is a line break inside a sentence: hard-wrapped or pasted
    text ("struck Poltava overnight,\nkilling 3 people", "the strike killed\n12 people") breaks a line
    after a comma, a lower-case word or a number and goes on in lower case or with a number. (Such a break
    ended the sentence and lost its figures.) A break after one of `joiners` (the pack's words that never
    end a sentence: "in", "the", "and") is inside the sentence whatever follows ("drones struck
    homes in\nKharkiv"; red team F13)."""
    if start == 0 or end >= len(text) or "\n" not in text[start:end]:
        return False
    before, after = text[start - 1], text[end]
    if (after.islower() or after.isdigit()) and (before.islower() or before.isdigit() or before in ",;"):
        return True
    if not joiners or not after.isalnum():
        return False
    last = _LAST_WORD.search(text, max(0, start - _LAST_WORD_SPAN), start)
    return last is not None and last.group(1).lower() in joiners


def split(text: str, joiners: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Sentence spans of `text` (start, end), empty ones left out. `joiners`: words after which a line
    break does not end the sentence (`_wrapped`)."""
    spans: list[tuple[int, int]] = []
    pos = at = 0
    may, bound = _MAY_BOUND.search, _SENT_BOUNDARY.match
    # `_SENT_BOUNDARY.finditer`, tried only where `_MAY_BOUND` says a boundary may start.
    while (c := may(text, at)) is not None:
        m = bound(text, c.start())
        if m is None:
            at = c.start() + 1
            continue
        if _wrapped(text, m.start(), m.end(), joiners):
            at = m.end()  # the whole blank stays inside the sentence
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = at = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def sentences(
    page: Page, cues: Sequence[Cue], places: Sequence[PlaceMatch], gazetteer: Gazetteer, pack: RulePack
) -> list[Sentence]:
    """Every sentence of the page with its cues, its places and its role."""
    bounds = split(page.text, pack.stoplists.line_joiner_set)
    if not bounds:
        return []
    terse = page.text.count(" ") < TERSE_MAX_WORDS
    starts = [s for s, _ in bounds]
    owned_cues: list[list[Cue]] = [[] for _ in bounds]
    owned_places: list[list[PlaceMention]] = [[] for _ in bounds]
    find = bisect.bisect_right
    for cue in cues:
        i = find(starts, cue.start) - 1
        owned_cues[i if i > 0 else 0].append(cue)
    not_places = pack.stoplists.not_place_set
    name_keys = pack.stoplists.name_place_keys
    for match in places:
        s, e = match.start, match.end
        # Names inside masked datelines and headers ("Lviv/Moscow, Dec 19 (EFE)") are not places attacked.
        if page.text[s].isspace():
            continue
        i = find(starts, s) - 1
        i = i if i > 0 else 0
        written = page.text[s:e]
        surfaces = gazetteer.surfaces.get(match.key, ())
        stop = not_places
        if match.key in name_keys:
            # A person's name that is also a place ("struck Volodymyr" / "Volodymyr Zelensky").
            if not _name_place(page, s, e, bounds[i], pack):
                continue
            stop = frozenset()
        if len(surfaces) == 1:
            # The usual case: one place, written as the table writes it, not a common word.
            only = surfaces[0]
            if written == only.written and not only.common and (only.place.curated or written not in stop):
                owned_places[i].append(PlaceMention(only.place, s, e, (only.place,)))
                continue
        sent_start, sent_end = bounds[i]
        # Only a name written all lower or all upper asks whether the sentence has capitals, and
        # only a common-word name asks what precedes it: both are looked at when needed.
        caseless = False
        if pack.meta.caseless_names and (written.islower() or written.isupper()):
            body = page.text[sent_start + 1 : sent_end]
            caseless = body.islower() or body.isupper()
        after_lower_word = False
        if s > sent_start and any(surface.common for surface in surfaces):
            before = page.text[max(sent_start, s - 30) : s].rstrip()
            after_lower_word = bool(before) and before[-1].islower()
        # Namesakes (eighty Novoselivkas) share a written form and flags: decide once per kind.
        decided: dict[tuple[str, bool, bool], bool] = {}
        accepted: list[Place] = []
        for surface in surfaces:
            kind = (surface.written, surface.common, surface.place.curated)
            ok = decided.get(kind)
            if ok is None:
                ok = decided[kind] = gazetteer.accepts(
                    surface,
                    written,
                    caseless=caseless,
                    after_lower_word=after_lower_word,
                    not_places=stop,
                )
            if ok:
                accepted.append(surface.place)
        found = tuple(accepted)
        if found:
            owned_places[i].append(PlaceMention(found[0], s, e, found))
    out = [
        _role(i, s, e, page, tuple(owned_cues[i]), tuple(owned_places[i]), pack, terse and i == 0)
        for i, (s, e) in enumerate(bounds)
    ]
    out = _toll_updates(_other_causes(_drone_follow_ups(_harmed_strikes(out, pack), pack), pack), pack)
    return _period_totals(_retrospectives(out, pack), pack)


# Characters before a name looked at for its place preposition or attack verb ("struck the city of ").
_NAME_PLACE_SPAN = 40


def _name_place(page: Page, start: int, end: int, bounds: tuple[int, int], pack: RulePack) -> bool:
    """Whether a name that is a person's and a place (the pack's `name_places`) at page[start:end] is
    the place: the sentence attacks it the way it attacks places (`name_place_before`, lower-cased:
    "struck Volodymyr", "in Vladimir", "по Володимиру") and no surname follows it
    (`name_person_after`, as written: "on Volodymyr Zelensky's order"). Elsewhere ("President
    Volodymyr Zelensky", "Volodymyr said") it is the person (red team, places10)."""
    slots = pack.slots
    sent_start, sent_end = bounds
    before = page.low[max(sent_start, start - _NAME_PLACE_SPAN) : start]
    if slots.name_place_before.rx.search(before) is None:
        return False
    return slots.name_person_after.rx.match(page.text[end:sent_end]) is None


def _drone_follow_ups(sents: list[Sentence], pack: RulePack) -> list[Sentence]:
    """`sents` with each drone sentence that follows a war event made a war event itself. Drones alone,
    with no side and no military word, make no war sentence (a delivery drone, a drone show), so "Drones
    also hit Poltava, injuring 3" after "Russian drones hit Kharkiv overnight, killing 2" lost Poltava
    (a wave told city by city: LABELS.md rule 2). After a war event in the same text such a sentence
    tells of the same war's drones: it is an event when it has an attack type and an event cue
    (`ATTACK_TYPE`, `EVENT`), names a place and tells of harm (the pack's `harm`: "injuring 3"), and is
    on no other topic, no plan and no summary.
    Same list when nothing matches."""
    war_event = False
    for i, sent in enumerate(sents):
        if sent.event and sent.war:
            war_event = True
            continue
        if not war_event or sent.war or sent.not_attack or sent.plan or sent.aggregate or not sent.places:
            continue
        labels = {c.record.label for c in sent.cues}
        if {"ATTACK_TYPE", "EVENT"} <= labels and pack.slots.harm.rx.search(sent.low) is not None:
            sents[i] = replace(sent, war=True, event=True)
    return sents


def _other_causes(sents: list[Sentence], pack: RulePack) -> list[Sentence]:
    """`sents` with each event sentence that tells of an accident, not an attack, made no event
    (LABELS.md rule 1: industrial accidents and accidental mine or UXO detonations are no attacks; red
    team 9, 14). A sentence with an attack act ("strike", "shelling": the pack's `attack_act`) keeps its
    role whatever accident it names ("The strike caused a gas explosion"). Otherwise it is an accident's
    when it tells of a mine's or old ordnance's detonation with harm (`uxo_accident` and `harm`: "ran over
    an anti-tank mine", weapon named or not), or names no weapon (a side may stand for a place:
    "Russian-occupied Donetsk") and an accident (`accident`: "mine blast", "collided"), in itself or, when
    no sentence of the text is about the war, in another ("... Police say a leaking cylinder ignited").
    Same list when nothing matches."""
    slots = pack.slots
    accident_told = None  # whether a text with no war sentence names an accident: asked when needed
    for i, sent in enumerate(sents):
        if not sent.event or slots.attack_act.search(sent.low) is not None:
            continue
        if slots.uxo_accident.search(sent.low) is not None and slots.harm.rx.search(sent.low) is not None:
            sents[i] = replace(sent, event=False, not_attack=True)
            continue
        if any(c.record.label in ("ATTACK_TYPE", "WEAPON") for c in sent.cues):
            continue
        if slots.accident.search(sent.low) is None:
            if accident_told is None:
                accident_told = not any(s.war for s in sents) and any(
                    slots.accident.search(s.low) is not None for s in sents
                )
            if not accident_told:
                continue
        sents[i] = replace(sent, event=False, not_attack=True)
    return sents


def _toll_updates(sents: list[Sentence], pack: RulePack) -> list[Sentence]:
    """`sents` with each sentence that updates a toll in a named place ("The death toll in Zhytomyr
    was revised down to 5": the pack's `toll_update` or `revised_to`) made an event, when the text has
    no event sentence, none on another topic, no plan and no summary, and names no other cause of
    death (`toll_cause`: an earthquake, a fire, a crash). Source: LABELS.md rule 1, death-toll updates
    are attack reports; such a follow-up names the attack only by its toll, and without it the
    correction it carries never reaches its alert (red team 8 #1). Same list otherwise."""
    slots = pack.slots
    if any(s.event or s.not_attack or s.plan or s.aggregate for s in sents):
        return sents
    if any(slots.toll_cause.search(s.low) for s in sents):
        return sents
    for i, sent in enumerate(sents):
        if sent.places and (slots.toll_update.search(sent.low) or slots.revised_to.search(sent.low)):
            sents[i] = replace(sent, event=True)
    return sents


def _harmed_strikes(sents: list[Sentence], pack: RulePack) -> list[Sentence]:
    """`sents` with each war sentence that names a strike on a place but no act ("Удар по Дніпру.",
    a headline: the pack's `event_noun` and a place) made an event when the next sentence tells of
    its harm (the pack's `harm`: "Поранено до 20 людей, загинули щонайменше 3"), which names the
    attack only by that strike (red team R12). Same list when nothing matches."""
    for i in range(len(sents) - 1):
        sent, after = sents[i], sents[i + 1]
        if (
            sent.war
            and not (sent.event or sent.plan or sent.aggregate or sent.not_attack)
            and sent.places
            and not (after.event or after.plan or after.aggregate or after.not_attack)
            and pack.slots.harm.rx.search(after.low) is not None
            and pack.slots.event_noun.rx.search(sent.low) is not None
        ):
            sents[i] = replace(sent, event=True)
    return sents


def _retrospectives(sents: list[Sentence], pack: RulePack) -> list[Sentence]:
    """`sents` with each sentence that points back (the pack's `retrospective`: "Тоді загинули 60",
    "В результате того удара ...") right after an aggregate or not-attack sentence (an anniversary, a
    memorial, a film, a verdict: LABELS.md rule 1) made aggregate too: it tells the same past event, so
    it is neither an event nor counted. A chain of them follows its first. Same list when the pack has
    no such slot or nothing matches."""
    rule = pack.slots.retrospective
    for i in range(1, len(sents)):
        sent, prev = sents[i], sents[i - 1]
        if (prev.aggregate or prev.not_attack) and not sent.aggregate and rule.search(sent.low) is not None:
            sents[i] = replace(sent, event=False, aggregate=True)
    return sents


def _period_totals(sents: list[Sentence], pack: RulePack) -> list[Sentence]:
    """`sents` with each sentence that opens on a week's or a month's total (the pack's
    `period_total`: "За тиждень росіяни випустили 1 200 дронів") made aggregate when another sentence
    reports an attack (an event): beside it the total is background, no figure of that attack (issue 13
    kind 2). A text that is only the period's summary keeps it as it is."""
    rule = pack.slots.period_total
    totals = [i for i, sent in enumerate(sents) if not sent.aggregate and rule.search(sent.low) is not None]
    if totals and any(sent.event for i, sent in enumerate(sents) if i not in totals):
        for i in totals:
            sents[i] = replace(sents[i], event=False, aggregate=True)
    return sents


def other_incidents(sents: Sequence[Sentence], page: Page, pack: RulePack) -> frozenset[int]:
    """Indices of the sentences that tell of another incident than the article's own: from a sentence
    that opens on the pack's `other_incident` marker ("Ранее губернатор сообщил ...", "Як
    повідомлялося, напередодні ...") to the end of its paragraph (the next line break). A later
    paragraph opening on a night (`earlier_night`) after the text set the report in the evening
    (`later_anchor`) opens one too. One anchored match per sentence; a pack without the slots marks
    nothing."""
    opener, night, anchor = pack.slots.other_incident, pack.slots.earlier_night, pack.slots.later_anchor
    out: list[int] = []
    inside = False
    prev_end = 0
    for sent in sents:
        new_par = "\n" in page.text[prev_end : sent.start]
        if inside and new_par:
            inside = False
        prev_end = sent.end
        # A night opening a later paragraph of an evening's report is an earlier night.
        if not inside and (
            (opener.opens(sent.low) and opener.rx.match(sent.low) and not _earlier_figure(sent, pack))
            or (
                new_par
                and night.opens(sent.low)
                and night.rx.match(sent.low)
                and anchor.rx.search(page.low, 0, sent.start)
            )
        ):
            inside = True
        if inside:
            out.append(sent.idx)
    return frozenset(out)


def _earlier_figure(sent: Sentence, pack: RulePack) -> bool:
    """Whether the sentence only restates an earlier figure of the article's own attack ("Раніше
    повідомлялося про 9 загиблих": the pack's `superseded` at its start, no attack word and no
    place of its own), which is the earlier state of this incident, not another one (red team F5)."""
    return (
        not sent.event
        and not sent.places
        and pack.slots.superseded.rx.match(sent.low.lstrip(" \t\n\"'«„“-—–")) is not None
    )


def _role(
    idx: int,
    start: int,
    end: int,
    page: Page,
    cues: tuple[Cue, ...],
    places: tuple[PlaceMention, ...],
    pack: RulePack,
    terse: bool = False,
) -> Sentence:
    """The sentence with its role (built once: this runs for every sentence of every article).

    In a terse text (`terse`) a sentence is an event when it names an attack the way captions do
    (`caption_event`, `caption_weapon_at`), with no other role's cue."""
    slots = pack.slots
    text, low = page.text[start:end], page.low[start:end]
    if terse:
        return _terse_role(idx, start, end, page, cues, places, pack)
    if cues and slots.lead_recall.opens(low):
        lead = slots.lead_recall.rx.match(low)
        if lead is not None:
            # "On the anniversary of the strike on X that killed 20, Russia again struck the city": the
            # opening clause recalls the old strike (its words and figures are not this attack's); the
            # rest reports a new one. Its places stay: the new strike's "the city" is the one named.
            start += lead.end()
            text, low = page.text[start:end], page.low[start:end]
            cues = tuple(c for c in cues if c.start >= start)
    if places and cues:
        # "Moscow's Domodedovo airport": a possessive before a place owns the place; it fires nothing.
        place_starts = {p.start for p in places}
        cues = tuple(c for c in cues if not (c.record.label == "ACTOR" and c.end + 1 in place_starts))
    if not cues:
        # No domain word: at most a follow-up on the attack's effects at a named place.
        aftermath = bool(places) and slots.aftermath.search(low) is not None
        return Sentence(idx, start, end, text, low, cues, places, aftermath=aftermath)
    cut = slots.clause_cut.search(low)
    if cut:
        end = start + cut.start()
        text, low = text[: cut.start()], low[: cut.start()]
        places = tuple(p for p in places if p.start < end)
        cues = tuple(c for c in cues if c.start < end)
    labels = {c.record.label for c in cues}
    if "PLAN" in labels:
        # "the toll could rise to 10, officials warned": a forecast of this attack's toll is no plan;
        # its modal and warning words say nothing of the sentence (red team 7).
        told = [(start + m.start(), start + m.end()) for m in slots.forecast.finditer(low)]
        if told:
            labels = {
                c.record.label
                for c in cues
                if not (c.record.label == "PLAN" and any(a <= c.start < b for a, b in told))
            }
    if "AGGREGATE" in labels and slots.toll_update.opens(low):
        # "the number of injured has increased from 5 to 11": the attack's toll rising, not a trend of
        # the war; an AGGREGATE cue that is the update's own verb says nothing of the sentence (red team
        # 10 #1). One elsewhere in it still does ("the toll from ongoing attacks has risen").
        told = [(start + m.start(), start + m.end()) for m in slots.toll_update.finditer(low)]
        if told:
            labels = {
                c.record.label
                for c in cues
                if c.record.label in labels
                and not (c.record.label == "AGGREGATE" and any(a <= c.start and c.end == b for a, b in told))
            }
    if not labels:
        return Sentence(idx, start, end, text, low, cues, places)
    not_attack = "NOT_ATTACK" in labels
    aggregate = "AGGREGATE" in labels
    if aggregate and all(c.record.trend for c in cues if c.record.label == "AGGREGATE"):
        # Only a trend word ("intensified"): where it names the places of the fighting, the battle
        # goes on now (a General Staff report), not a summary; a period ("in recent weeks") would
        # be an AGGREGATE cue of its own.
        aggregate = slots.fighting_near.search(low) is None
    plan = "PLAN" in labels
    kinds = {c.record.kind for c in cues if c.record.label in ("ATTACK_TYPE", "WEAPON")}
    typed = bool(kinds)
    only_drones = (
        typed
        and kinds == {"drone"}
        and all(c.record.label == "ATTACK_TYPE" for c in cues if c.record.label in ("ATTACK_TYPE", "WEAPON"))
    )
    actor = bool(labels & {"ACTOR", "ENEMY"})
    # A weapon other than drones, or a side, makes it a war sentence; `military_words` is searched only
    # when neither does (drones alone or no weapon: a military word must make it one).
    war = (
        (typed and not only_drones)
        or actor
        or slots.military_words.rx.search(low) is not None
        or (bool(places) and _place_attacked(low, start, places, pack))
    )
    flags = {"not_attack": not_attack, "aggregate": aggregate, "plan": plan, "war": war}
    if not war:
        # Not a war sentence, so not an event: skip the event patterns.
        aftermath = not (not_attack or aggregate or plan) and slots.aftermath.search(low) is not None
        return Sentence(idx, start, end, text, low, cues, places, aftermath=aftermath, **flags)
    strong = slots.strong_event.rx.search(low) is not None
    # Searched only when `strong` leaves the answer open (these run for every war sentence).
    harm = not strong and slots.harm.rx.search(low) is not None
    noun = not strong and slots.event_noun.rx.search(low) is not None
    eventful = (
        strong
        or (harm and (noun or typed))
        or (noun and typed and actor)
        or (noun and actor and bool(places))
        # An OSINT-style title: "Missile strike on a school in Zhytomyr".
        or (noun and typed and bool(places))
        # A General Staff report: a side's ground attack and the places of the fighting ("Russian
        # troops conducted offensive actions in the areas of A, B and C").
        or (typed and actor and slots.fighting_near.search(low) is not None)
    )
    if plan and not (strong or harm):
        eventful = False
    # A word that names where (a football ground) does not veto a weapon that hurt people ("a rocket
    # attack on a football ground killed 12"); other domains' words do ("a court sentenced ...").
    # So does one the strike hit ("a drone hit a war memorial, injuring 2": `not_attack_target`).
    target = slots.not_attack_target.search(low) if not_attack else None
    venue = not_attack and all(
        slots.not_attack_venue.rx.match(page.low[c.start : c.end])
        or (target is not None and target.start() <= c.start - start < target.end())
        for c in cues
        if c.record.label == "NOT_ATTACK"
    )
    event = eventful and not aggregate and (not not_attack or (venue and (harm or strong) and typed))
    return Sentence(idx, start, end, text, low, cues, places, event=event, **flags)


def _place_attacked(low: str, start: int, places: tuple[PlaceMention, ...], pack: RulePack) -> bool:
    """Whether an impersonal or passive attack verb (the pack's `place_attacked`: "атакували", "був
    атакований") follows a place of the sentence with only spaces between ("Вночі Дніпро атакували",
    "Горловку атаковали"), or, for a match with group `after` ("Вночі атакували "), a place starts
    where it ends: the place is what was attacked, a war act with no weapon or side named (red team
    uknight #1). `low` is the sentence from page offset `start`. Not "хакери атакували сайт" (no
    place before the verb), nor "Вболівальники атакували суддю в Херсоні"."""
    rule = pack.slots.place_attacked
    if not rule.opens(low):
        return False
    ends = {p.end - start for p in places}
    for m in rule.finditer(low):
        if m.groupdict().get("after") is not None:
            if any(p.start - start == m.end() for p in places):
                return True
            continue
        at = m.start()
        while at > 0 and low[at - 1] == " ":
            at -= 1
        if at < m.start() and at in ends:
            return True
    return False


def _terse_role(
    idx: int,
    start: int,
    end: int,
    page: Page,
    cues: tuple[Cue, ...],
    places: tuple[PlaceMention, ...],
    pack: RulePack,
) -> Sentence:
    """A sentence of a terse text: not cut at "following ..." (a caption's cause is its attack), an
    event when it names an attack, otherwise the news rules decide."""
    slots = pack.slots
    text, low = page.text[start:end], page.low[start:end]
    labels = {c.record.label for c in cues}
    blocked = any(
        c.record.label in ("NOT_ATTACK", "AGGREGATE", "PLAN")
        and not slots.caption_overrides.rx.match(page.low[c.start : c.end])
        for c in cues
    )
    named = slots.caption_event.search(low) is not None or slots.caption_weapon_at.search(low) is not None
    if named and not blocked:
        war = bool(labels & {"ATTACK_TYPE", "WEAPON", "ACTOR", "ENEMY"})
        return Sentence(idx, start, end, text, low, cues, places, event=True, war=war, terse=True)
    return replace(_role(idx, start, end, page, cues, places, pack), terse=True)
