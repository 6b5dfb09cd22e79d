"""The functional core: a processed Doc and its Article in, a schema-valid Classification out."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc

from schemas.models import (
    ATTACK_TYPES,
    TARGETS,
    Article,
    AttackType,
    Casualties,
    Classification,
    Evidence,
    Location,
    Projectiles,
    Target,
)

from . import patterns as P
from .components import LEXICON_KEY, PLACES_KEY, matches_of
from .dates import find_dates, resolve
from .gazetteer import METONYM_CITIES, Gazetteer, Place, load_gazetteer
from .numbers import parse_number
from .severity import SeverityFacts, grade

_CONTROL = {c: " " for c in range(32) if c not in (9, 10, 13)} | {127: " "}
# A sentence ends after [.!?…] (closing quotes/brackets, then whitespace), at a line break, or at a run
# of 2+ blanks. Written so every match starts by consuming one whitespace or closing-quote character:
# `re` then skips all other characters in C instead of trying the pattern at each position (2x faster),
# with the same matches as r"(?<=[.!?…])[\"'”’)\]]*\s+|\s*\n\s*|\s{2,}".
_CLOSERS = "\"'”’)\\]"
_SENT_BOUNDARY = re.compile(
    rf"[\s{_CLOSERS}](?:(?<=[.!?…][{_CLOSERS}])[{_CLOSERS}]*\s+|(?<=[.!?…]\s)\s*|(?<=\n)\s*"
    rf"|(?<=\s)\s*\n\s*|(?<=\s)\s+)"
)
_CAPITAL_ACTORS = {"Kyiv": "Ukraine", "Moscow": "Russia"}
_RANGED = frozenset({"drone", "missile", "rocket", "airstrike", "glide_bomb"})


_CONTROL_CHARS = tuple(chr(c) for c in _CONTROL)


def safe_text(text: str) -> str:
    """Control characters become spaces, one for one, so evidence offsets still index the article text."""
    # `translate` costs ~0.3 ms per article (a dict lookup per character); ~30 substring tests say
    # in a few microseconds that there is nothing to replace, which is the usual case.
    for ch in _CONTROL_CHARS:
        if ch in text:
            return text.translate(_CONTROL)
    return text


@dataclass(slots=True)
class Sentence:
    idx: int
    start: int
    end: int
    text: str  # possibly cut at "in response to ..." (same start)
    low: str  # `text` lower-cased (same length): what the patterns run on
    labels: list[tuple[str, int, int]] = field(default_factory=list)  # (label, start, end) absolute offsets
    places: list[tuple[Place, int, int]] = field(default_factory=list)
    event: bool = False
    background: bool = False
    negdomain: bool = False
    plan: bool = False
    war: bool = False
    aftermath: bool = False  # no war word, but reports damage or casualties (see P.AFTERMATH)
    votes: dict[str, float] = field(default_factory=dict)
    _dates: list[re.Match[str]] | None = None

    def dates(self) -> list[re.Match[str]]:
        """Date phrases in this sentence (matches on `low`), found once."""
        if self._dates is None:
            self._dates = find_dates(self.low)
        return self._dates

    def has(self, prefix: str) -> bool:
        return any(label.startswith(prefix) for label, _, _ in self.labels)


def _split(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_BOUNDARY.finditer(text):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


def _enemy_of(sent: Sentence) -> str:
    """Who "the enemy" is depends on who reports: a strike on a place in Russia reported as the
    enemy's is Ukraine's, anything else in this war's reporting (Ukrainian officials' wording) Russia's."""
    countries = {place.country for place, _, _ in sent.places}
    return "Ukraine" if "Russia" in countries and "Ukraine" not in countries else "Russia"


def _actor_votes(sent: Sentence, text: str, low: str) -> dict[str, float]:
    """Which side fired, from how each actor word sits next to attack words in this sentence."""
    votes: dict[str, float] = {}
    mentions: list[tuple[str, int, int]] = [
        (label[6:], s, e) for label, s, e in sent.labels if label.startswith("ACTOR:")
    ]
    mentions = [(_enemy_of(sent) if actor == "Enemy" else actor, s, e) for actor, s, e in mentions]
    for place, s, e in sent.places:
        actor = _CAPITAL_ACTORS.get(place.name)
        if actor and text[s:e] in ("Kyiv", "Moscow", "Kiev"):
            mentions.append((actor, s, e))
    # Keep the longest actor phrase at a position ("Russian forces" over "Russian").
    mentions.sort(key=lambda m: (m[1], -(m[2] - m[1])))
    last_end = -1
    for actor, s, e in mentions:
        if s < last_end:
            continue
        last_end = e
        after = low[e : min(sent.end, e + 70)]
        before = low[max(sent.start, s - 45) : s]
        strength = 0.0
        if P.ACTOR_THEN_VERB.match(after) or P.ACTOR_THEN_WEAPON.match(after):
            strength = 2.0
        elif sent.event and P.BY_FROM_BEFORE.search(before):
            strength = 1.5
        if strength and P.DOWN_BEFORE.search(before) is None and P.DOWNED_AFTER.match(after):
            strength = 0.0
        if strength:
            votes[actor] = votes.get(actor, 0.0) + strength
    return votes


def _analyse(doc: Doc, text: str, low: str, gaz: Gazetteer) -> list[Sentence]:
    bounds = _split(text)
    starts = [s for s, _ in bounds]
    sents = [Sentence(i, s, e, text[s:e], low[s:e]) for i, (s, e) in enumerate(bounds)]
    if not sents:
        return sents

    def owner(char: int) -> Sentence:
        return sents[max(0, bisect.bisect_right(starts, char) - 1)]

    find = bisect.bisect_right
    for match in matches_of(doc, LEXICON_KEY):
        # `owner(match[1])`, inlined: ~30 lexicon matches per article.
        i = find(starts, match[1]) - 1
        sents[i if i > 0 else 0].labels.append(match)
    for key, s, e in matches_of(doc, PLACES_KEY):
        place = gaz.places.get(key)
        # Names inside masked datelines and headers ("Lviv/Moscow, Dec 19 (EFE)") are not places attacked.
        if place is not None and not text[s].isspace():
            owner(s).places.append((place, s, e))
    for sent in sents:
        if sent.places and sent.labels:
            # "Moscow's Domodedovo airport": a possessive before a place owns the place; it fires nothing.
            place_starts = {s for _, s, _ in sent.places}
            sent.labels = [
                x for x in sent.labels if not (x[0].startswith("ACTOR:") and x[2] + 1 in place_starts)
            ]
        if not sent.labels:
            # No domain word: at most a follow-up on the attack's effects at a named place.
            if sent.places and P.gate(sent.low, P.AFTERMATH_TRIGGERS):
                sent.aftermath = P.AFTERMATH.search(sent.low) is not None
            continue
        cut = P.CLAUSE_CUT.search(sent.low) if P.gate(sent.low, P.CUT_TRIGGERS) else None
        if cut:
            sent.text = sent.text[: cut.start()]
            sent.low = sent.low[: cut.start()]
            sent.end = sent.start + cut.start()
            sent.labels = [x for x in sent.labels if x[1] < sent.end]
            sent.places = [x for x in sent.places if x[1] < sent.end]
        labels = {label for label, _, _ in sent.labels}
        if not labels:
            continue
        sent.negdomain = "NEGDOMAIN" in labels
        sent.background = "AGGREGATE" in labels
        sent.plan = "PLAN" in labels
        typed = any(label.startswith(("TYPE:", "WEAPON:")) for label in labels)
        actor = any(label.startswith("ACTOR:") for label in labels)
        only_drones = typed and all(
            label in ("TYPE:drone",) or not label.startswith(("TYPE:", "WEAPON:")) for label in labels
        )
        military = actor or bool(P.MILITARY_WORDS.search(sent.low))
        sent.war = (typed and not only_drones) or actor or military or (only_drones and (actor or military))
        if not sent.war:
            # Not a war sentence, so not an event: skip the event patterns.
            if sent.places:
                sent.votes = _actor_votes(sent, text, low)
            sent.aftermath = (
                not (sent.negdomain or sent.background or sent.plan)
                and P.gate(sent.low, P.AFTERMATH_TRIGGERS)
                and P.AFTERMATH.search(sent.low) is not None
            )
            continue
        strong = P.STRONG_EVENT.search(sent.low)
        harm = P.HARM.search(sent.low)
        noun = P.EVENT_NOUN.search(sent.low)
        eventful = (
            bool(strong)
            or bool(harm and (noun or typed))
            or bool(noun and typed and actor)
            or bool(noun and actor and sent.places)
            # An OSINT-style title: "Missile strike on a school in Zhytomyr".
            or bool(noun and typed and sent.places)
        )
        if sent.plan and not (strong or harm):
            eventful = False
        sent.event = eventful and not sent.negdomain and not sent.background
        sent.votes = _actor_votes(sent, text, low)
    return sents


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group())


def _count(sents: list[Sentence], text: str) -> dict[str, object]:
    """Casualty and projectile figures from the sentences that belong to the primary attack.

    Every pattern runs only on sentences holding one of its trigger substrings, and the patterns that
    need a figure only where the sentence holds a number."""
    killed: list[tuple[int, bool, int, int]] = []  # value, lower-bound qualifier, start, end
    injured: list[tuple[int, bool, int, int]] = []
    victims: list[tuple[int, int, int]] = []
    launched: list[tuple[int, int, int]] = []
    intercepted: list[tuple[int, int, int]] = []
    vague_killed: list[int] = []  # lower bounds from "dozens killed", "hundreds wounded"
    vague_injured: list[int] = []
    zero_killed = zero_injured = corrected = conflict = False
    correction_max: int | None = None
    for sent in sents:
        raw = sent.low
        no_casualties = P.gate(raw, P.NO_CASUALTY_TRIGGERS) and P.NO_CASUALTIES.search(raw) is not None
        no_injuries = not no_casualties and "injur" in raw and P.NO_INJURIES.search(raw) is not None
        if no_injuries:
            zero_injured = True
        if not sent.labels and not no_casualties:
            continue
        if no_casualties:
            zero_killed = zero_injured = True
        kill = P.gate(raw, P.KILL_TRIGGERS)
        hurt = P.gate(raw, P.HURT_TRIGGERS)
        proj = P.gate(raw, P.PROJ_TRIGGERS)
        victim = "victim" in raw
        if kill:
            if "to die" in raw:
                for m in P.ORDINAL_DEATH.finditer(raw):
                    killed.append((int(m.group("ord")), False, sent.start + m.start(), sent.start + m.end()))
            if P.NO_DEATHS.search(raw):
                zero_killed = True
        if P.gate(raw, P.CONFLICT_TRIGGERS) and P.CONFLICT.search(raw):
            conflict = True
        if not (kill or hurt or proj or victim):
            continue
        if (kill or hurt) and P.gate(raw, P.VAGUE_TRIGGERS):
            for rx, vague, gated in (
                (P.VAGUE_KILLED, vague_killed, kill),
                (P.VAGUE_INJURED, vague_injured, hurt),
            ):
                for m in rx.finditer(raw) if gated else ():
                    vague.append(P.VAGUE_MINIMUM[m.group("q") or m.group("q2")])
        sent_corrected = P.gate(raw, P.CORRECTION_TRIGGERS) and P.CORRECTION.search(raw) is not None
        if sent_corrected and kill:
            # "A man reported killed ... was later found alive": the reported death is withdrawn.
            corrected = True
        # A digit is a number (HAS_NUMBER's first branch): the word scan runs only without one.
        digit = P.HAS_DIGIT.search(raw) is not None
        numbered = digit or P.HAS_NUMBER.search(raw) is not None
        masked = P.NOT_COUNTS.sub(_blank, raw) if digit else raw
        if numbered and P.gate(raw, P.NO_ONE_TRIGGERS):
            masked = P.NO_ONE.sub(_blank, masked)  # "no one was killed" is not a count of one
        for regexes, out, gated in ((P.KILLED_RULES, killed, kill), (P.INJURED_RULES, injured, hurt)):
            if not gated:
                continue
            for rx, needs_number, _ in regexes:
                if needs_number and not numbered:
                    continue
                one = "one" in rx.groupindex
                for m in rx.finditer(masked):
                    if one:
                        value: int | None = 1
                        qualified = False
                        s, e = m.span()
                    else:
                        value = parse_number(m.group("n"))
                        qualified = P.LOWER_BOUND.match(m.group("n")) is not None
                        s, e = m.span("n")
                    if value is None:
                        continue
                    if sent_corrected and out is killed:
                        corrected = True
                        correction_max = max(correction_max or 0, value)
                        continue
                    out.append((value, qualified, sent.start + s, sent.start + e))
        if victim and numbered:
            for m in P.VICTIMS.finditer(masked):
                v = parse_number(m.group("n"))
                if v is not None:
                    victims.append((v, sent.start + m.start("n"), sent.start + m.end("n")))
        if not proj:
            continue
        down = P.gate(raw, P.DOWN_TRIGGERS)
        if numbered and (down or P.gate(raw, P.WAVE_TRIGGERS)):
            for m in P.WAVE.finditer(masked):
                # "42 drones and 3 missiles": the wave's total.
                total = 0
                for item in P.WAVE_NUM.finditer(m.group("items")):
                    total += parse_number(item.group("n")) or 0
                bucket = intercepted if P.WAVE_DOWN.fullmatch(m.group("verb")) else launched
                if total:
                    bucket.append((total, sent.start + m.start("items"), sent.start + m.end("items")))
            for rx in P.X_OF_Y if down else ():
                for m in rx.finditer(masked):
                    i, lo = parse_number(m.group("i")), parse_number(m.group("l"))
                    if i is not None:
                        intercepted.append((i, sent.start + m.start("i"), sent.start + m.end("i")))
                    if lo is not None:
                        launched.append((lo, sent.start + m.start("l"), sent.start + m.end("l")))
        for regexes, bucket in ((P.INTERCEPTED_RULES, intercepted), (P.LAUNCHED_RULES, launched)):
            for rx, needs_number, triggers in regexes:
                if needs_number and not numbered:
                    continue
                if triggers and not (down if triggers is P.DOWN_TRIGGERS else P.gate(raw, triggers)):
                    continue
                for m in rx.finditer(masked):
                    v = parse_number(m.group("n"))
                    if v is not None:
                        bucket.append((v, sent.start + m.start("n"), sent.start + m.end("n")))
    return {
        "killed": killed,
        "injured": injured,
        "victims": victims,
        "launched": launched,
        "intercepted": intercepted,
        "zero_killed": zero_killed,
        "zero_injured": zero_injured,
        "corrected": corrected,
        "correction_max": correction_max,
        "conflict": conflict,
        "vague_killed": max(vague_killed, default=None),
        "vague_injured": max(vague_injured, default=None),
    }


def _resolve_figures(
    cands: list[tuple[int, bool, int, int]], conflict: bool
) -> tuple[int | None, int | None, tuple[int, int] | None]:
    if not cands:
        return None, None, None
    values = sorted({v for v, _, _, _ in cands})
    if len(values) > 1 and conflict:
        # Competing claims: the smaller exact claim and the larger one ("more than 60" yields to "63").
        exact = [v for v, q, _, _ in cands if not q or not any(w > v for w in values if w != v)]
        low = min(exact) if exact else values[0]
        high = values[-1]
        span = next((s, e) for v, _, s, e in cands if v == low)
        return low, (high if high > low else None), span
    # Updates: the death toll rises, the latest (largest) figure stands.
    best = values[-1]
    span = next((s, e) for v, _, s, e in cands if v == best)
    return best, None, span


def _districts(sents: list[Sentence], gaz: Gazetteer, region: str | None) -> list[Place]:
    """Districts and villages named around the attack ("Beryslav district of the Kherson Oblast")."""
    out: list[Place] = []
    for sent in sents:
        for m in P.DISTRICT_OF_REGION.finditer(sent.text):
            reg = gaz.region_stems.get(m.group("r").lower())
            if reg:
                out.append(
                    Place(
                        f"txt:{m.group('d')}",
                        f"{m.group('d')} district",
                        reg,
                        gaz.regions[reg].country,
                        None,
                        None,
                    )
                )
        if region is None:
            continue
        for m in P.DISTRICT_LIST.finditer(sent.text):
            for name in re.split(r",\s+|,?\s+and\s+", m.group("list")):
                out.append(
                    Place(f"txt:{name}", f"{name} District", region, gaz.regions[region].country, None, None)
                )
        for m in P.VILLAGE.finditer(sent.text):
            name = m.group("v")
            if name not in gaz.phrases:
                out.append(Place(f"txt:{name}", name, region, gaz.regions[region].country, None, None))
    return out


def _locations(
    sents: list[Sentence],
    text: str,
    low: str,
    gaz: Gazetteer,
    attacker: str | None,
    around: list[Sentence],
) -> tuple[list[Location], list[Evidence]]:
    found: dict[str, Place] = {}
    evidence: list[Evidence] = []
    seas: dict[str, Place] = {}
    region_hits: dict[str, Place] = {}

    def keep(place: Place) -> bool:
        # Russia does not strike its own towns; Ukraine does strike occupied Ukrainian ones (no mirror rule).
        return not (attacker == "Russia" and place.country in ("Russia", "Belarus"))

    for sent in sents:
        comma: list[tuple[re.Match[str], str]] = []
        for m in P.PLACE_COMMA_REGION.finditer(sent.text):
            region = gaz.region_stems.get(m.group("region").lower())
            key = gaz.phrases.get(m.group("place"))
            known = gaz.places.get(key) if key else None
            # "the cities of Odesa, Kropyvnytskyi, Kharkiv" is a list of towns, not "town, region".
            listed = re.match(r"^(?:,\s+|\s+and\s+)[A-Z]", sent.text[m.end() :]) is not None
            if region and not (listed and known is not None and known.region not in (region, None)):
                comma.append((m, region))
        consumed = {sent.start + m.start(g) for m, _ in comma for g in ("region", "place")}
        for place, s, e in sent.places:
            if s in consumed:
                continue
            after = text[e : min(len(text), e + 30)]
            before = text[max(sent.start, s - 50) : s]
            after_low = low[e : e + len(after)]
            if P.SPEECH_AFTER.match(after_low) or P.LAUNCH_SITE_BEFORE.search(low[s - len(before) : s]):
                continue
            if place.name in METONYM_CITIES:
                continue
            # "Vladimir Putin", "Victoria Smith": a GeoNames name followed by a surname is a person.
            if (
                place.key.startswith("geo:")
                and re.match(r"^ [A-Z][a-z]", after)
                and not P.REGION_AFTER.match(after_low)
            ):
                continue
            region_of = re.search(r"\bregion of\s+$", before)
            if region_of and gaz.region_stems.get(text[s:e].lower()):
                reg = gaz.places[f"reg:{gaz.region_stems[text[s:e].lower()]}"]
                if keep(reg):
                    region_hits.setdefault(reg.name, reg)
                continue
            pair = re.match(r"^\s+and\s+[A-Z][\w'’-]+\s+(?:regions|oblasts)\b", after)
            region_after = P.REGION_AFTER.match(after_low)
            if region_after or pair:
                word = region_after or re.match(r"^\s+and\s+[A-Z][\w'’-]+\s+regions", after)
                region = gaz.region_stems.get(text[s:e].lower())
                if (
                    word
                    and word.group().strip().lower()
                    in ("region", "regions", "oblast", "province", "regional")
                    and region
                ):
                    reg = gaz.places[f"reg:{region}"]
                    if keep(reg):
                        region_hits.setdefault(reg.name, reg)
                        evidence.append(
                            Evidence(
                                field="locations",
                                text=text[s : e + len(word.group())],
                                start=s,
                                end=e + len(word.group()),
                            )
                        )
                continue
            if not keep(place):
                continue
            if place.kind == "sea":
                seas.setdefault(place.name, place)
            elif place.kind == "region":
                region_hits.setdefault(place.name, place)
            else:
                found.setdefault(place.name, place)
            evidence.append(Evidence(field="locations", text=text[s:e], start=s, end=e))
        for m, region in comma:
            name = m.group("place")
            key = gaz.phrases.get(name)
            known = gaz.places.get(key) if key else None
            reg_place = gaz.places[f"reg:{region}"]
            if known is not None and known.kind != "region" and known.region in (region, None):
                place = Place(known.key, known.name, region, known.country, known.lat, known.lon)
            elif known is not None and known.kind == "region":
                continue
            else:
                place = Place(f"txt:{name}", name, region, reg_place.country, None, None)
            if keep(place):
                found[place.name] = place
                s = sent.start + m.start("place")
                evidence.append(Evidence(field="locations", text=name, start=s, end=s + len(name)))
        for m in P.REGION_MENTION.finditer(sent.text):
            region = gaz.region_stems.get(m.group(1).lower())
            if region:
                reg = gaz.places[f"reg:{region}"]
                if keep(reg):
                    region_hits.setdefault(reg.name, reg)
    regions_named = list(region_hits) or [p.region for p in found.values() if p.region in gaz.regions]
    for place in _districts(
        around if not found else sents, gaz, regions_named[0] if regions_named and not found else None
    ):
        if keep(place):
            found.setdefault(place.name, place)
    # A region stands in for the place attacked only when the text names no town.
    if not found:
        found.update(region_hits)
    if not found:
        found.update(seas)
    locations = [
        Location(name=p.name, region=p.region, country=p.country, lat=p.lat, lon=p.lon)
        for p in found.values()
    ]
    return locations, evidence


def _types(sents: list[Sentence]) -> tuple[list[AttackType], list[str], list[Target]]:
    types: set[str] = set()
    weapons: list[str] = []
    targets: set[str] = set()
    explicit_any = False
    raid = False
    for sent in sents:
        spans = [(label, s, e) for label, s, e in sent.labels if label.startswith(("TYPE:", "WEAPON:"))]
        # "Grad missiles": a generic word right after a named system takes the system's kind.
        weapon_ends = {e for label, _, e in spans if label.startswith("WEAPON:")}
        spans = [x for x in spans if not (x[0].startswith("TYPE:") and x[1] - 1 in weapon_ends)]
        # A word inside a longer weapon phrase of another kind does not count ("rocket shelling").
        spans = [
            x
            for x in spans
            if not any(
                y is not x and y[1] <= x[1] and x[2] <= y[2] and (y[2] - y[1]) > (x[2] - x[1]) for y in spans
            )
        ]
        local: set[str] = set()
        shell_only = False
        for label, s, e in spans:
            if label.startswith("WEAPON:"):
                name, _, kind = label[7:].partition("|")
                if name not in weapons:
                    weapons.append(name)
                local.add(kind)
                if kind == "glide_bomb":
                    local.add("airstrike")
            else:
                kind = label[5:]
                local.add(kind)
                if kind == "glide_bomb":
                    local.add("airstrike")
                if kind == "artillery" and sent.text[s - sent.start : e - sent.start].lower().startswith(
                    "shell"
                ):
                    shell_only = True
        explicit_artillery = P.gate(sent.low, P.ARTILLERY_TRIGGERS) and bool(
            P.EXPLICIT_ARTILLERY.search(sent.low)
        )
        explicit_any = explicit_any or (explicit_artillery and "artillery" in local)
        if shell_only and not explicit_artillery and local & _RANGED:
            local.discard("artillery")
        types |= local
        for label, _, _ in sent.labels:
            if label.startswith("TARGET:"):
                targets.add(label[7:])
            elif label == "RAID":
                raid = True
    # "Air raid" names the alarm or the wave; it means aviation only when no other weapon is named.
    if raid and not types & (_RANGED | {"artillery"}):
        types.add("airstrike")
    if types & (_RANGED | {"artillery"}):
        types.discard("ground_assault")
    if "artillery" in types and types & _RANGED and not explicit_any:
        # "Shelling" in translated reports often means any bombardment; a named weapon says which.
        types.discard("artillery")
    ordered_types: list[AttackType] = [t for t in ATTACK_TYPES if t in types]
    ordered_targets: list[Target] = [t for t in TARGETS if t in targets]
    return ordered_types, weapons, ordered_targets


def classify_doc(doc: Doc, *, article: Article, version: str, text: str | None = None) -> Classification:
    """Everything the contract asks for, from one processed article.

    `text` is the string the doc was made from; passing it saves rebuilding it from the tokens."""
    if text is None:
        text = doc.text
    published = article.published_date()
    header = P.DATE_HEADER.match(text)
    if header:
        if published is None:
            try:
                published = date.fromisoformat(header.group(1))
            except ValueError:
                published = None
        text = " " * header.end() + text[header.end() :]
    text = P.DATELINE.sub(_blank, text)
    low = P.lower(text)
    gaz = load_gazetteer()
    sents = _analyse(doc, text, low, gaz)
    base = {
        "id": article.id,
        "title": article.title,
        "published": article.published,
        "ingested_at": article.ingested_at,
        "classifier_version": version,
    }
    events = [s for s in sents if s.event]
    aggregate_doc = sum(1 for s in sents if s.background) >= 2
    anchored = any(s.dates() for s in events)
    if not events or (aggregate_doc and not anchored and len(events) <= 2):
        score = 0.3 if events else 0.05
        return Classification(is_attack=False, attack_score=score, **base)

    # The primary attacker: votes from event sentences, earlier (headline) sentences weigh more.
    totals: dict[str, float] = {}
    for rank, sent in enumerate(events):
        for actor, v in sent.votes.items():
            totals[actor] = totals.get(actor, 0.0) + v / (1.0 + 0.5 * rank)
    attacker = max(totals, key=lambda a: totals[a]) if totals else None

    def ours(sent: Sentence) -> bool:
        if not sent.votes or attacker is None:
            return True
        return max(sent.votes, key=lambda a: sent.votes[a]) == attacker

    primary = [s for s in events if ours(s)]
    # Figures may sit in sentences without war words ("There were no casualties, he said").
    counting = [
        s for s in sents if not s.background and not s.negdomain and (not s.plan or s.event) and ours(s)
    ]
    c = _count(counting, text)
    killed_c = c["killed"]
    injured_c = c["injured"]
    assert isinstance(killed_c, list) and isinstance(injured_c, list)
    killed, killed_max, killed_span = _resolve_figures(killed_c, bool(c["conflict"]))
    # Injury counts: the first figure (the headline's) unless the text says the count rose.
    if injured_c and not P.INJURED_ROSE.search(low):
        injured_c = [min(injured_c, key=lambda x: x[2])]
    injured, injured_max, injured_span = _resolve_figures(injured_c, bool(c["conflict"]))
    victims = c["victims"]
    assert isinstance(victims, list)
    if injured is None and victims and killed is None:
        injured = max(v for v, _, _ in victims)
        injured_span = next((s, e) for v, s, e in victims if v == injured)
    corrected = bool(c["corrected"])
    if corrected and killed is None:
        killed = 0
        cm = c["correction_max"]
        killed_max = cm if isinstance(cm, int) else None
    if killed is None and injured and P.EVENT_NOTE.match(text) and not P.DEATH_WORDS.search(low):
        # A dated one-paragraph event note (ACLED style: "On 5 January 2023, ... 2 civilians were
        # wounded.") states its full casualty count, so listing only wounded says nobody died. A news
        # article that mentions only wounded says nothing about deaths: null there (LABELS.md rule 3).
        killed = 0
    if killed is None and c["zero_killed"]:
        killed = 0
    if injured is None and c["zero_injured"]:
        injured = 0
    launched_c, intercepted_c = c["launched"], c["intercepted"]
    assert isinstance(launched_c, list) and isinstance(intercepted_c, list)
    launched = max((v for v, _, _ in launched_c), default=None)
    intercepted = max((v for v, _, _ in intercepted_c), default=None)

    evidence: list[Evidence] = []
    first = primary[0] if primary else events[0]
    evidence.append(
        Evidence(field="is_attack", text=text[first.start : first.end], start=first.start, end=first.end)
    )
    for fieldname, span in (("killed", killed_span), ("injured", injured_span)):
        if span:
            evidence.append(
                Evidence(field=fieldname, text=text[span[0] : span[1]], start=span[0], end=span[1])
            )
    for fieldname, cands, value in (
        ("launched", launched_c, launched),
        ("intercepted", intercepted_c, intercepted),
    ):
        for v, s, e in cands:
            if v == value:
                evidence.append(Evidence(field=fieldname, text=text[s:e], start=s, end=e))
                break

    # Follow-up sentences on the same attack's effects ("Port infrastructure in Izmail was damaged").
    scene = sorted([*primary, *(s for s in sents if s.aftermath and ours(s))], key=lambda s: s.idx)
    locations, loc_evidence = _locations(scene, text, low, gaz, attacker, counting)
    evidence.extend(loc_evidence)
    attack_types, weapons, targets = _types(primary)
    if not attack_types:
        attack_types, weapons2, targets2 = _types([s for s in counting if s.war])
        weapons = weapons or weapons2
        targets = targets or targets2

    event_date: date | None = None
    for sent in [*primary, *sents[:3]]:
        for m in sent.dates():
            found = resolve(m, published)
            # A report is news: a date weeks before publication is background ("which began on February 24").
            if (
                found is None
                or found.year < 1990
                or (published is not None and (found > published or (published - found).days > 31))
            ):
                continue
            event_date = found
            s = sent.start + m.start()
            e = sent.start + m.end()
            evidence.append(Evidence(field="event_date", text=text[s:e], start=s, end=e))
            break
        if event_date:
            break

    # Severity facts, from the primary attack's sentences and the figures above.
    critical: list[str] = []
    civil: list[str] = []
    dark: str | None = None
    deaths_unnumbered = False
    for sent in counting:
        low_s = sent.low
        dark_m = P.WHOLE_AREA_DARK.search(low_s) if P.gate(low_s, ("without", "affect")) else None
        if dark_m and dark is None:
            s, e = sent.start + dark_m.start(), sent.start + dark_m.end()
            dark = text[s:e]
            evidence.append(Evidence(field="severity", text=dark, start=s, end=e))
        # Outside event sentences only outages count ("power outages", "without power", "power cuts").
        if sent.event or sent.aftermath or P.gate(low_s, ("outage", "without", "cuts")):
            for m in P.CRITICAL.finditer(low_s):
                word = m.group()
                if word not in critical and (
                    sent.event or sent.aftermath or "outage" in word or "without" in word or "cuts" in word
                ):
                    critical.append(word)
                    s, e = sent.start + m.start(), sent.start + m.end()
                    evidence.append(Evidence(field="severity", text=text[s:e], start=s, end=e))
        if not (sent.event or sent.aftermath):
            continue
        if P.DAMAGE_VERB.search(low_s):
            for m in P.CIVIL_DAMAGE.finditer(low_s):
                word = m.group()
                if word not in civil:
                    civil.append(word)
        if killed is None and not (P.gate(low_s, P.CORRECTION_TRIGGERS) and P.CORRECTION.search(low_s)):
            for m in P.DEATH_WORDS.finditer(low_s):
                if not P.NEGATED_BEFORE.search(low_s[: m.start()]):
                    deaths_unnumbered = True
    projectiles = max((v for v in (launched, intercepted) if v is not None), default=None)
    sev, reasons = grade(
        SeverityFacts(
            killed=killed,
            killed_max=killed_max,
            killed_at_least=vk if isinstance(vk := c["vague_killed"], int) else None,
            injured_at_least=vi if isinstance(vi := c["vague_injured"], int) else None,
            corrected=corrected,
            deaths_unnumbered=deaths_unnumbered,
            injured=injured,
            injured_max=injured_max,
            projectiles=projectiles,
            whole_area_without_power=dark,
            critical_damage=critical[:5],
            civil_damage=civil[:5],
        )
    )
    score = min(0.99, 0.55 + 0.08 * len(events) + (0.1 if locations else 0.0) + (0.1 if attacker else 0.0))
    return Classification(
        is_attack=True,
        attack_score=round(score, 3),
        attacker=attacker,
        attack_types=attack_types,
        weapons=weapons,
        targets=targets,
        locations=locations,
        casualties=Casualties(killed=killed, killed_max=killed_max, injured=injured, injured_max=injured_max),
        projectiles=Projectiles(launched=launched, intercepted=intercepted),
        event_date=event_date,
        severity=sev,
        severity_reasons=reasons,
        evidence=evidence,
        **base,
    )
