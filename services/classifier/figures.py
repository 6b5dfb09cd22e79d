"""The figures stage: candidate casualty and projectile figures from the primary attack's sentences,
then the resolved figures (LABELS.md rules 2-5).

Every pattern runs only on sentences holding one of its trigger substrings, and the patterns that need
a figure only where the sentence holds a number."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from schemas import CorrectedFigure

from .numbers import parse_number, parse_range
from .page import Page, blank, blank_matches
from .rulepack import NumberWords, RulePack, Slots
from .sentences import Sentence

_HAS_DIGIT = re.compile(r"\d")
# A wave: at least this many drones/missiles launched or downed (LABELS.md rule 2: its casualties are
# summed over the places it hit).
WAVE_MIN_PROJECTILES = 10
# An attack at most this many days before its report is recent: a correction of a strike "a week ago"
# is then of another strike (red team 6 R1).
RECENT_DAYS = 5


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure as written: its value, where it is (page offsets), and whether a qualifier made
    it a lower bound ("more than 60")."""

    value: int
    start: int
    end: int
    lower_bound: bool = False
    high: int | None = None  # the upper end of a range ("30–40 killed": value 30, high 40)
    place: str | None = None  # the one place its sentence names, if it names exactly one
    revised: bool = False  # its sentence corrects the figure to it ("later corrected the figure to 6")
    upper: bool = False  # an upper bound only ("up to 12 killed"): the figure is unknown, at most `value`
    down: bool = False  # a revision downward ("revised down to 4"): it cannot raise the figure it corrects
    bare: bool = False  # a revision of a toll that names neither dead nor injured ("the toll ... to 35")
    adds: bool = False  # an increment ("a further 3 died"): it adds to the figure of its kind before it
    floor: bool = False  # a part that bounds the figure from below only ("3 are in serious condition")
    kin: bool = False  # counts the kin it names beside its figure ("a mother and her two children": 3)


@dataclass(frozen=True, slots=True)
class Candidates:
    killed: list[Figure] = field(default_factory=list)
    injured: list[Figure] = field(default_factory=list)
    victims: list[Figure] = field(default_factory=list)
    launched: list[Figure] = field(default_factory=list)
    intercepted: list[Figure] = field(default_factory=list)
    zero_killed: bool = False  # "no one was killed"
    zero_injured: bool = False
    corrected: bool = False  # a reported death withdrawn ("later found alive")
    correction_max: int | None = None  # the figure the correction withdrew
    conflict: bool = False  # the text gives competing claims
    vague_killed: int | None = None  # lower bound from "dozens killed"
    vague_injured: int | None = None
    # The words that state a zero ("There were no casualties"; page offsets), its evidence.
    zero_killed_span: tuple[int, int] | None = None
    zero_injured_span: tuple[int, int] | None = None
    # The words that say every launched projectile was shot down ("усі збито"; page offsets).
    all_down_span: tuple[int, int] | None = None
    # ... said of the rest after a part was counted ("35 were destroyed; all the rest were also downed":
    # the `all_down` match's `rest` group), so every launched one was downed though a part has a figure.
    rest_down: bool = False


@dataclass(frozen=True, slots=True)
class Figures:
    """The primary attack's figures, with the span that justifies each."""

    killed: int | None = None
    killed_max: int | None = None
    injured: int | None = None
    injured_max: int | None = None
    launched: int | None = None
    intercepted: int | None = None
    corrected: bool = False
    killed_at_least: int | None = None
    injured_at_least: int | None = None
    killed_range: bool = False  # killed_max is a range's upper end, not a competing claim
    injured_range: bool = False
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    # The figures the text states as a correction of an earlier figure ("revised down from 35 to 34",
    # "уточнили до 6": the pack's `revised_to` slot), never a plain rise ("the toll rose to 14").
    corrections: tuple[CorrectedFigure, ...] = ()
    # Of `corrections`, those revised down ("revised down to 4"; red team 7 #2).
    lowered: tuple[CorrectedFigure, ...] = ()

    @property
    def projectiles(self) -> int | None:
        """max(launched, intercepted): the rubric's count of a wave."""
        return max((v for v in (self.launched, self.intercepted) if v is not None), default=None)


# What a named weapon after a figure ("2 Kh-101", "3 Iskander-M") is masked with: a word of its own
# length, which the packs' projectile fragment (`PROJ`) reads as a projectile.
DESIGNATOR_FILL = "_"
# The kinds of named weapon a figure counts (LABELS.md rule 5: drones, missiles, rockets and guided
# bombs; not aircraft, whose kind is airstrike, nor guns).
COUNTED_KINDS = frozenset({"drone", "missile", "rocket", "glide_bomb"})


# How far before a named weapon `_counted` looks for its figure (characters): one word and its blanks.
_COUNT_LOOKBACK = 40


def _counted(before: str, words: NumberWords) -> bool:
    """Whether `before` (the masked text before a named weapon) ends in a figure ("launched 2", "two"),
    not a word that counts only inside a phrase ("a")."""
    last = before.rstrip().rpartition(" ")[2]
    return bool(last) and last not in words.not_alone and parse_number(last, words) is not None


def _masked(sent: Sentence, pack: RulePack, digit: bool, numbered: bool) -> str:
    """The sentence with what is not a count blanked (same length): ages, years, sizes and weapon
    designators ("Shahed-136") where it holds a digit, a negated one ("no one") and a forecast ("the
    toll could rise to 10"). A named weapon
    after a figure ("launched 2 Kh-101 and 1 Kh-47M2") is what was counted: it becomes a word of
    `DESIGNATOR_FILL` (red team N12), never a number."""
    slots = pack.slots
    masked = sent.low
    if digit:
        masked = blank_matches(slots.not_counts.finditer(masked), masked)
    if numbered:
        # Edited in place, each look-back bounded: linear in the sentence however many cues it holds.
        chars: list[str] | None = None
        for cue in sent.cues:
            record = cue.record
            named = record.label == "WEAPON" and (record.designator or record.kind in COUNTED_KINDS)
            if named and sent.start <= cue.start and cue.end <= sent.end:
                s, e = cue.start - sent.start, cue.end - sent.start
                chars = chars if chars is not None else list(masked)
                if _counted("".join(chars[max(0, s - _COUNT_LOOKBACK) : s]), pack.numbers):
                    chars[s:e] = DESIGNATOR_FILL * (e - s)
                elif record.designator:
                    chars[s:e] = " " * (e - s)
        if chars is not None:
            masked = "".join(chars)
    if numbered and slots.forecast.opens(sent.low):
        # "the toll could rise to 10": a forecast states no figure (red team 7).
        masked = slots.forecast.rx.sub(blank, masked)
    if numbered and slots.no_one.opens(sent.low):
        masked = slots.no_one.rx.sub(blank, masked)
    return masked


def candidates(sents: Sequence[Sentence], pack: RulePack) -> Candidates:
    """Every figure the sentences give, sorted by slot (nothing resolved yet)."""
    slots, words = pack.slots, pack.numbers
    out = Candidates()
    vague_killed: list[int] = []
    vague_injured: list[int] = []
    zero_killed = zero_injured = corrected = conflict = False
    correction_max: int | None = None
    zero_killed_span: tuple[int, int] | None = None
    zero_injured_span: tuple[int, int] | None = None
    all_down_span: tuple[int, int] | None = None
    rest_down = False
    # The bucket of each sentence that names only a superseded figure of that bucket.
    outdated: list[list[Figure]] = []
    launch_idx = -2  # the last sentence that gave a launched figure
    for sent in sents:
        raw = sent.low
        if all_down_span is None:
            every = slots.all_down.search(raw)
            if every is not None:
                all_down_span = _offset(sent, every.span())
                rest_down = every.groupdict().get("rest") is not None
        none_hurt = slots.no_casualties.search(raw)
        no_casualties = none_hurt is not None
        if none_hurt is None:
            no_hurt = slots.no_injuries.search(raw)
            if no_hurt is not None:
                zero_injured = True
                zero_injured_span = zero_injured_span or _offset(sent, no_hurt.span())
        # "Officials later corrected the figure to 6": the number after it is the figure now.
        revised = slots.revised_to.search(raw)
        if (
            not sent.cues
            and not no_casualties
            and revised is None
            and not slots.toll_update.search(raw)
            and not slots.superseded.search(raw)  # "Initial reports had put the dead at 12"
        ):
            continue
        if none_hurt is not None:
            zero_killed = zero_injured = True
            zero_killed_span = zero_killed_span or _offset(sent, none_hurt.span())
            zero_injured_span = zero_injured_span or zero_killed_span
        kill = slots.killed.opens(raw)
        hurt = slots.injured.opens(raw)
        # A named weapon is a projectile word too ("launched 2 Kh-101": no trigger substring).
        # ... and so is a shoot-down right after a launch count ("Ворог запустив 150 БпЛА. Збито 120.":
        # the figure counts the projectiles just named; red team N5).
        proj = (
            slots.projectiles.opens(raw)
            or any(c.record.label == "WEAPON" and c.record.kind in COUNTED_KINDS for c in sent.cues)
            or (sent.idx == launch_idx + 1 and slots.intercepted.opens(raw))
        )
        victim = slots.victims.opens(raw)
        if kill:
            for m in slots.ordinal_death.finditer(raw):
                out.killed.append(Figure(int(m.group("ord")), sent.start + m.start(), sent.start + m.end()))
            # Once a zero and its span are known, a later "no deaths" changes neither.
            no_death = slots.no_deaths.rx.search(raw) if zero_killed_span is None else None
            if no_death is not None:
                zero_killed = True
                zero_killed_span = zero_killed_span or _offset(sent, no_death.span())
        if not conflict and slots.conflict.search(raw):  # one competing claim marks the text
            conflict = True
        if not (kill or hurt or proj or victim or revised):
            if slots.superseded.search(raw) and (out.killed or out.injured):
                # "Initial reports had said 9.": no casualty word, so the earlier figure is of the
                # latest figure's kind before it (as `_revised_alone` reads a bare corrected figure).
                outdated.append(_latest_bucket(out))
            continue
        if kill or hurt:
            for rule, vague, gated in (
                (slots.vague_killed, vague_killed, kill),
                (slots.vague_injured, vague_injured, hurt),
            ):
                for m in rule.finditer(raw) if gated else ():
                    # The quantity word is whichever named group matched ("q", "q2", ...).
                    vague.append(words.vague[next(w for w in m.groupdict().values() if w)])
        # "Officials later corrected the figure to 6 killed": the figure replaces the earlier one. A
        # pack whose rule names the number (group `n`) marks that figure only; else the sentence's.
        sent_revised = revised is not None
        # "revised down to 10, then raised to 11": the revision the sentence ends on (red team 6 R11).
        last = _last_revision(raw, revised, slots) if revised is not None else None
        revised_at = last.span("n") if last is not None and "n" in last.re.groupindex else None
        down = last is not None and slots.revised_down.search(last.group(0)) is not None
        revised_found = False
        # "killed 34, correcting an earlier toll of 35": the earlier figure never counts, and the
        # sentence's own figures are the correction, unless the sentence says the toll rose ("rose
        # from an earlier 14 to 20": an update, which the usual rules take).
        superseded = _superseded_spans(raw, slots) if (kill or hurt) else []
        subset: list[tuple[int, int]] = []
        if revised is not None and revised_at is not None and _of_subset(raw[: revised.start("n")], slots):
            # "The number of injured children was corrected to 3": a part of the victims, no correction
            # of the total (red team 6 R2); its figure counts for nothing.
            subset.append(revised_at)
            revised = last = revised_at = None
            sent_revised = False
        if revised_at is not None and any(revised_at[0] < b and a < revised_at[1] for a, b in superseded):
            # "rose to 12; it had earlier been revised down to 4": a revision told as history is itself
            # superseded (red team F4); the sentence's latest statement stands.
            revised = revised_at = None
            sent_revised = False
            history = True
        else:
            history = False
        sent_revised = sent_revised or (bool(superseded) and slots.toll_update.search(raw) is None)
        sent_corrected = not sent_revised and not history and slots.correction.search(raw) is not None
        if sent_corrected and kill:
            # "A man reported killed ... was later found alive": the reported death is withdrawn.
            corrected = True
        digit = _HAS_DIGIT.search(raw) is not None
        numbered = digit or pack.number_word.search(raw) is not None
        masked = _masked(sent, pack, digit, numbered)
        named = {p.place.key for p in sent.places if p.place.kind != "region"}
        where = next(iter(named)) if len(named) == 1 else None
        bounds = _count_ends(masked, pack) if len(named) > 1 else []
        increments = [m.span() for m in slots.increment.finditer(masked)] if kill or hurt else []
        for ruleset, bucket, gated in ((slots.killed, out.killed, kill), (slots.injured, out.injured, hurt)):
            if not gated:
                continue
            for rule in ruleset.rules:
                if rule.numbered and not numbered:
                    continue
                floor = "floor" in rule.rx.groupindex
                fixed = 3 if rule.counts_three else 2 if rule.counts_two else 1 if rule.counts_one else 0
                plus = rule.plus
                for m in rule.finditer(masked):
                    high: int | None = None
                    if fixed:
                        value: int | None = fixed
                        # "a child was among the injured": at least one (`floor`).
                        qualified = floor
                        s, e = m.span()
                    else:
                        value, high = parse_range(m.group("n"), words)
                        # A rule with an empty `floor` group counts at least its figure ("3 are in
                        # serious condition": at least 3 injured; red team 8 #3).
                        qualified = slots.lower_bound.rx.match(m.group("n")) is not None or floor
                        s, e = m.span("n")
                        if plus and value is not None:
                            # "a mother and her two children": the kin named before the figure count
                            # too, and the whole phrase backs it.
                            value, high = value + plus, None if high is None else high + plus
                            s, e = m.span()
                    if value is None:
                        continue
                    upper = not fixed and slots.upper_bound.rx.match(m.group("n")) is not None
                    nexts: list[tuple[int, int, int, str]] = []
                    # A figure summed over several places has none of its own (`_own_place`).
                    own = where
                    if not fixed and high is None and not plus:
                        # "killed 3 people in Kharkiv and 2 in Kupiansk": one count over its places.
                        more, e = _place_more(sent, masked, e, pack)
                        value += more
                        if own is None and not more:
                            own = _own_place(sent, s, bounds)
                        # "Kharkiv's toll has since risen to 4, and Sumy's to 5": each place's own.
                        nexts = _place_next(sent, masked, e, pack)
                    elif own is None:
                        own = _own_place(sent, s, bounds)
                    if any(s < b and a < e for a, b in (*superseded, *subset)):
                        continue
                    if sent_corrected and bucket is out.killed:
                        corrected = True
                        correction_max = max(correction_max or 0, value)
                        continue
                    is_revised = (
                        sent_revised if revised_at is None else s < revised_at[1] and revised_at[0] < e
                    )
                    revised_found = revised_found or is_revised
                    bare = is_revised and slots.bare_toll.rx.search(masked, m.start(), s) is not None
                    head = Figure(
                        value,
                        sent.start + s,
                        sent.start + e,
                        qualified,
                        value if upper else high,
                        own,
                        is_revised,
                        upper,
                        is_revised and down,
                        bare,
                        any(s < b and a < e for a, b in increments),
                        floor,
                        bool(plus) or rule.counts_three,
                    )
                    bucket.append(head)
                    for nv, ns, ne, key in nexts:
                        bucket.append(
                            replace(head, value=nv, start=sent.start + ns, end=sent.start + ne, place=key)
                        )
        if revised is not None and last is not None and revised_at is not None and not revised_found:
            _revised_alone(sent, revised, last, out, pack)
        elif superseded and sent_revised and not revised_found:
            _superseded_alone(sent, superseded, kill, hurt, out, outdated, pack)
        if victim and numbered:
            for m in slots.victims.rx.finditer(masked):
                v = parse_number(m.group("n"), words)
                if v is not None:
                    out.victims.append(Figure(v, sent.start + m.start("n"), sent.start + m.end("n")))
        if not proj:
            continue
        launches = len(out.launched)
        _projectiles(sent, raw, masked, numbered, out, pack)
        if len(out.launched) > launches:
            launch_idx = sent.idx
    out.intercepted.extend(_pronoun_down(sents, pack))
    for bucket in (out.killed, out.injured):
        _add_increments(bucket)
        if any(f.kin for f in bucket):
            # "a mother and her two children were killed": "two ... were killed" is a part of the 3.
            kin = [(f.start, f.end) for f in bucket if f.kin]
            bucket[:] = [f for f in bucket if f.kin or not any(a <= f.start and f.end <= b for a, b in kin)]
        if any(not f.floor for f in bucket):
            # "43 injured ... one person is in critical condition": a part never stands for the total.
            bucket[:] = [f for f in bucket if not f.floor]
        bucket[:] = [f for f in bucket if _plausible(f, bucket)]
    if _stated(out.killed) and _stated(out.injured):
        # A bare toll revised down stays the killed figure's (`_plausible` drops one above it: red team 6
        # R3); one revised up or to a value may be the casualty total.
        out.killed[:] = [f for f in out.killed if not f.bare or f.down]
    for bucket in outdated:
        _mark_corrections(bucket)
    return Candidates(
        killed=out.killed,
        injured=out.injured,
        victims=out.victims,
        launched=out.launched,
        intercepted=out.intercepted,
        zero_killed=zero_killed,
        zero_injured=zero_injured,
        corrected=corrected,
        correction_max=correction_max,
        conflict=conflict,
        vague_killed=max(vague_killed, default=None),
        vague_injured=max(vague_injured, default=None),
        zero_killed_span=zero_killed_span,
        zero_injured_span=zero_injured_span,
        all_down_span=all_down_span,
        rest_down=rest_down,
    )


def _pronoun_down(sents: Sequence[Sentence], pack: RulePack) -> list[Figure]:
    """The downed counted by a pronoun ("Russia fired missiles at Dnipro. Both were shot down.", "Усі
    три збито"; the pack's `pronoun_down`, group `n`): a figure when the weapons were named just before
    (in its sentence or the one before) and nothing before it there is counted ("hit three houses; all
    three were destroyed" counts houses). Red team counts12 #1; LABELS.md rule 5."""
    rule, proj = pack.slots.pronoun_down, pack.slots.projectiles
    found: list[Figure] = []
    before = ""
    for sent in sents:
        raw = sent.low
        m = rule.search(raw)
        if m is not None:
            at = sent.start + m.start()
            context = f"{before} {raw[: m.start()]}"
            # A named weapon is a projectile word too ("fired Kh-101s at Kyiv; both ...": no trigger).
            named = proj.rx.search(context) is not None or any(
                c.record.label == "WEAPON" and c.record.kind in COUNTED_KINDS and c.start < at
                for c in sent.cues
            )
            counted = _HAS_DIGIT.search(context) is not None or pack.number_word.search(context) is not None
            value = parse_number(m.group("n"), pack.numbers)
            if named and not counted and value is not None:
                found.append(Figure(value, sent.start + m.start("n"), sent.start + m.end("n")))
        before = raw
    return found


def foreign_figures(
    sents: Sequence[Sentence], pack: RulePack, event_date: date | None, published: date | None
) -> frozenset[int]:
    """Indices (`Sentence.idx`) of the sentences whose casualty figure is of another strike than the
    article's own (red team 6 R1/R6, red team 7 R1): its figure, places and weapons are that strike's.
    - A revision (`revised_to`: "the toll ... was revised to 10"), a toll update (`toll_update`: "the
      death toll ... rose to 19") or a count (`killed`, `injured` rules) that dates its strike back
      (`past_period`: "the strike on Poltava a week ago") while the article's own attack (`event_date`)
      is less than `RECENT_DAYS` before `published` (else "a week ago" may be that attack; an unknown
      day counts as recent).
    - A revision, or a toll update that names a strike of its own (`event_noun`: "the toll from the
      missile strike on Odesa rose to 10") while the text's first event sentence names a city, that
      names a city no other event sentence names while they name one ("drones hit Kharkiv ... The
      death toll in Odesa was revised to 10").
    The text's first event sentence tells the article's own attack, whatever it recalls: only a
    revision there may be another strike's. A count on another city with no past period may be the
    same night's wave (LABELS.md rule 2): it stays. A revision that names no city, or one the events
    name, or any when they name none (N10: "missiles struck the region ... The death toll in Dnipro was
    revised down to 5"), is this attack's."""
    slots = pack.slots
    recent = event_date is None or published is None or (published - event_date).days < RECENT_DAYS
    cities = [{p.place.key for p in s.places if p.place.kind == "city"} for s in sents]
    lead = next((i for i, s in enumerate(sents) if s.event), None)
    out: list[int] = []
    for i, sent in enumerate(sents):
        low = sent.low
        revision = slots.revised_to.search(low) is not None
        update = not revision and i != lead and slots.toll_update.search(low) is not None
        count = update or (
            not revision and i != lead and (slots.killed.opens(low) or slots.injured.opens(low))
        )
        if not (revision or count):
            continue
        if recent and slots.past_period.search(low) is not None:
            out.append(sent.idx)
            continue
        elsewhere = revision or (
            update and lead is not None and bool(cities[lead]) and slots.event_noun.search(low) is not None
        )
        if not (elsewhere and cities[i]):
            continue
        others: set[str] = set()
        for j, other in enumerate(sents):
            if j != i and other.event:
                others |= cities[j]
        # A revision in a sentence that reports an attack itself ("drones also hit Odesa, where the toll
        # was later revised to 5") is that attack's, a second city of the same strike (review8); a toll
        # update naming its own strike is an event sentence too, and stays another strike's.
        if (update or not sent.event) and others and not cities[i] & others:
            out.append(sent.idx)
    return frozenset(out)


def _last_revision(raw: str, revised: re.Match[str], slots: Slots) -> re.Match[str]:
    """The revision a sentence ends on: `revised`, or the last `revised_again` chained after it
    ("revised down to 10, then raised to 11": the match of "then raised to 11"; red team 6 R11)."""
    last = revised
    while (again := slots.revised_again.rx.match(raw, last.end())) is not None:
        last = again
    return last


def _superseded_spans(raw: str, slots: Slots) -> list[tuple[int, int]]:
    """Sentence offsets of the earlier figures the sentence names (`superseded`), each with the figures
    of the same earlier report coordinated with it (`superseded_more`: "earlier reports said 9 were
    killed and 20 injured": 9 and 20; red team 6 N4)."""
    spans: list[tuple[int, int]] = []
    for m in slots.superseded.finditer(raw):
        spans.append(m.span("n"))
        end = m.end("n")
        while (more := slots.superseded_more.rx.match(raw, end)) is not None:
            spans.append(more.span("n"))
            end = more.end("n")
    return spans


def _of_subset(before: str, slots: Slots) -> bool:
    """Whether the clause before a corrected figure (`before`: the sentence up to its number) makes it
    a figure of a part of the victims (`correction_subset`: "the number of injured children"; red team
    6 R2). The clause starts after the last semicolon or the last figure before it ("the number of
    children killed rose to 3, and the overall death toll was revised to 12": 3 is the subset's)."""
    clause = before[before.rfind(";") + 1 :]
    figures = list(_HAS_DIGIT.finditer(clause))
    if figures:
        clause = clause[figures[-1].end() :]
    return slots.correction_subset.search(clause) is not None


def _plausible(f: Figure, bucket: Sequence[Figure]) -> bool:
    """False for a downward revision (`down`) to a value above every exact figure of its kind the text
    gives ("killing 12 and injuring 40. The toll was revised down to 35": 35 cannot be the killed figure
    lowered; it is likely the casualty total). Red team 6 R3: a revision never raises what it says it
    lowers; the figure is left as the text's other statements give it rather than changed wrongly."""
    if not (f.revised and f.down):
        return True
    stated = [g for g in bucket if not g.revised and not g.upper]
    if not stated or any(g.lower_bound for g in stated):
        return True
    return f.value <= max(g.high or g.value for g in stated)


def _add_increments(bucket: list[Figure]) -> None:
    """Add each increment of `bucket` (in place) to the figure of its kind written before it ("2 people
    were killed; a further 3 died in hospital": 5; red team 8 #2). A chain adds up ("a further 3 ...
    another 1": 6); an increment with no exact figure before it stays as written. Figures are read rule
    by rule, so they are put in text order first."""
    if not any(f.adds for f in bucket):
        return
    bucket.sort(key=lambda f: f.start)
    for i, f in enumerate(bucket):
        if not f.adds:
            continue
        before = next((g for g in reversed(bucket[:i]) if not g.upper), None)
        if before is not None:
            bucket[i] = replace(f, value=f.value + before.value, high=None)


def _stated(bucket: Sequence[Figure]) -> bool:
    """Whether `bucket` holds a figure the text states as it is (not a revision, not an upper bound).

    With both killed and injured stated ("killed 12 and injured 40"), a bare toll revised other than
    down ("the toll was revised to 35") may be either figure or their sum: it is applied to neither,
    and the figures stay as stated (red team 8 #4; LABELS.md counts a revision only of the figure it
    names). Revised down ("revised down to 10") it lowers the killed figure, as before (R3)."""
    return any(not g.revised and not g.upper for g in bucket)


def _superseded_alone(
    sent: Sentence,
    superseded: Sequence[tuple[int, int]],
    kill: bool,
    hurt: bool,
    out: Candidates,
    outdated: list[list[Figure]],
    pack: RulePack,
) -> None:
    """A sentence naming earlier figures and no figure of its own read by the count rules.

    "Раніше повідомлялося про 3 загиблих, тепер їх 7": the figure now (`superseded_now`, after the
    earlier one) is the correction, of the earlier figure's kind (red team 6 N9). Else ("Initial reports
    had put the number of dead at 12", "Раніше повідомлялося про 9 загиблих") the text's other figure of
    the earlier one's kind is the correction (red team F3/F5), of both kinds when the sentence names both
    ("Earlier reports said 9 were killed and 20 injured"; red team 6 N4): marked once every sentence is
    read (`outdated`)."""
    slots = pack.slots
    buckets = [b for b, named in ((out.killed, kill), (out.injured, hurt)) if named]
    now = (
        slots.superseded_now.rx.search(sent.low, superseded[-1][1])
        if slots.superseded_now.opens(sent.low)
        else None
    )
    if now is not None and len(buckets) == 1:
        value, high = parse_range(now.group("n"), pack.numbers)
        if value is not None:
            s, e = now.span("n")
            buckets[0].append(Figure(value, sent.start + s, sent.start + e, high=high, revised=True))
            return
    outdated.extend(buckets)


def _mark_corrections(bucket: list[Figure]) -> None:
    """Mark as corrected (in place) the figures of `bucket` that a sentence naming only the earlier
    figure it superseded corrects: every exact figure of the text's other sentences (that sentence gave
    none; `_resolve_list` takes the latest). Upper bounds ("up to 12") stay as they are."""
    for i, f in enumerate(bucket):
        if not f.revised and not f.upper:
            bucket[i] = replace(f, revised=True)


def _latest_bucket(out: Candidates) -> list[Figure]:
    """The bucket (killed or injured) of the text's latest casualty figure so far, killed on a tie or
    when there is none: what a figure with no casualty word of its own ("corrected the figure to 6",
    "Initial reports had said 9") is a figure of."""
    last_killed = max((f.start for f in out.killed), default=-1)
    last_injured = max((f.start for f in out.injured), default=-1)
    return out.killed if last_killed >= last_injured else out.injured


def _revised_alone(
    sent: Sentence, revised: re.Match[str], last: re.Match[str], out: Candidates, pack: RulePack
) -> None:
    """A corrected figure with no casualty word after its number ("officials corrected the figure to
    6"): the figure of the toll its words name ("death toll": killed), else of the latest figure before
    it (killed or injured); none before it, no figure (what it corrects is unknown). `last` is the
    revision the sentence ends on (`revised` itself, or "then raised to 11" after it), whose number
    is the figure."""
    slots = pack.slots
    value, high = parse_range(last.group("n"), pack.numbers)
    if value is None:
        return
    words = revised.group(0)
    # The casualty word nearest before the number names the figure ("the number of injured was
    # revised down to 4": injured, whatever figure came before; red team 5 N1).
    before = sent.low[: revised.start("n")]
    killed_at = max((before.rfind(t) for t in slots.killed.triggers), default=-1)
    injured_at = max((before.rfind(t) for t in slots.injured.triggers), default=-1)
    weapons_at = max((before.rfind(t) for t in slots.projectiles.triggers), default=-1)
    if weapons_at >= 0 and killed_at < 0 and injured_at < 0:
        return  # "the number of drones launched was revised down to 3": no casualty figure
    if slots.killed.opens(words):
        bucket = out.killed
    elif slots.injured.opens(words):
        bucket = out.injured
    elif killed_at >= 0 or injured_at >= 0:
        bucket = out.killed if killed_at > injured_at else out.injured
    elif out.killed or out.injured:
        bucket = _latest_bucket(out)
    else:
        return
    s, e = last.span("n")
    down = slots.revised_down.search(last.group(0)) is not None
    bare = slots.bare_toll.rx.search(sent.low, revised.start(), revised.start("n")) is not None
    bucket.append(
        Figure(
            value,
            sent.start + s,
            sent.start + e,
            high=high,
            revised=True,
            down=down,
            bare=bare and bucket is out.killed,
        )
    )


def _place_more(sent: Sentence, masked: str, end: int, pack: RulePack) -> tuple[int, int]:
    """(sum, end) of the figures that follow a figure ending at `end` (sentence offsets), one per place
    ("killed 3 people in Kharkiv and 2 in Kupiansk": 2, and the end of "2"); (0, end) when none does.

    Each place of the chain, and the last, must be one the sentence names (LABELS.md rule 2: a wave's
    casualties are summed over the places it hit)."""
    slots = pack.slots
    more_rx, end_rx = slots.place_more.rx, slots.place_more_end.rx
    starts = {p.start - sent.start for p in sent.places}
    total, pos = 0, end
    parts: list[tuple[int, int]] = []
    while (m := more_rx.match(masked, pos)) is not None and m.start("p") in starts:
        v = parse_number(m.group("n"), pack.numbers)
        if v is None:
            break
        parts.append((v, m.end("n")))
        pos = m.end("n")
    # The chain's last place must be named too; else it stops at the figure before it. A pack whose chain
    # names each place before its own figure (group `own`: "у Харкові троє, у Сумах — двоє") has no last
    # place after it: `p` was that figure's place.
    while parts and "own" not in more_rx.groupindex:
        last = end_rx.match(masked, parts[-1][1])
        if last is not None and last.end() in starts:
            break
        parts.pop()
    for v, _ in parts:
        total += v
    return total, (parts[-1][1] if parts else end)


def _count_ends(masked: str, pack: RulePack) -> list[int]:
    """Sentence offsets of the ends of the figures in `masked` (digits or number words; what is no
    count is blanked already), in text order."""
    return [m.end() for m in pack.number_word.finditer(masked)]


def _own_place(sent: Sentence, start: int, bounds: Sequence[int]) -> str | None:
    """The place a figure starting at `start` (sentence offset) is of, in a sentence naming several:
    the one place named between the figure before it (an end in `bounds`) and it ("Drones also hit
    Sumy, killing 3, and Poltava, killing 4": Sumy's 3, Poltava's 4); None when none or several are
    (LABELS.md rule 2: a wave's casualties are summed over its places, so each figure needs its own;
    red team 10 #2)."""
    after = max((b for b in bounds if b <= start), default=0)
    keys = {
        p.place.key for p in sent.places if p.place.kind != "region" and after <= p.start - sent.start < start
    }
    return next(iter(keys)) if len(keys) == 1 else None


def _place_next(sent: Sentence, masked: str, end: int, pack: RulePack) -> list[tuple[int, int, int, str]]:
    """The figures of other places that follow a figure ending at `end` (sentence offsets), each its
    own place's (the pack's `place_next`: "Kharkiv's toll has since risen to 4, and Sumy's to 5":
    Sumy's 5), as (value, start, end, place key); none when no place's figure follows. Each place must
    be one the sentence names (LABELS.md rule 2; red team 10 #2)."""
    rx = pack.slots.place_next.rx
    keys = {p.start - sent.start: p.place.key for p in sent.places if p.place.kind != "region"}
    out: list[tuple[int, int, int, str]] = []
    pos = end
    while (m := rx.match(masked, pos)) is not None and m.start("p") in keys:
        v = parse_number(m.group("n"), pack.numbers)
        if v is None:
            break
        out.append((v, m.start("n"), m.end("n"), keys[m.start("p")]))
        pos = m.end("n")
    return out


def _offset(sent: Sentence, span: tuple[int, int]) -> tuple[int, int]:
    """A span of the sentence's text as page offsets."""
    return sent.start + span[0], sent.start + span[1]


def _projectiles(
    sent: Sentence, raw: str, masked: str, numbered: bool, out: Candidates, pack: RulePack
) -> None:
    slots, words = pack.slots, pack.numbers
    down = slots.x_of_y.opens(raw)
    if numbered and (down or slots.wave.opens(raw)):
        for m in slots.wave.rx.finditer(masked):
            # "42 drones and 3 missiles": the wave's total; the passive ("... were shot down") is
            # written as items2/verb2.
            g = "items" if m.group("items") is not None else "items2"
            verb = m.group("verb") if g == "items" else m.group("verb2")
            total = 0
            for item in slots.wave_item.rx.finditer(m.group(g)):
                # An item without a figure (group `n` unset) is one weapon named in the singular.
                n = item.group("n")
                total += 1 if n is None else (parse_number(n, words) or 0)
            bucket = out.intercepted if slots.wave_down.rx.fullmatch(verb) else out.launched
            if total:
                bucket.append(Figure(total, sent.start + m.start(g), sent.start + m.end(g)))
        for rule in slots.x_of_y.rules if down else ():
            for m in rule.rx.finditer(masked):
                i, lo = parse_number(m.group("i"), words), parse_number(m.group("l"), words)
                if i is not None:
                    out.intercepted.append(Figure(i, sent.start + m.start("i"), sent.start + m.end("i")))
                if lo is not None:
                    out.launched.append(Figure(lo, sent.start + m.start("l"), sent.start + m.end("l")))
    for ruleset, bucket in ((slots.intercepted, out.intercepted), (slots.launched, out.launched)):
        if not ruleset.opens(raw):
            continue
        for rule in ruleset.rules:
            if rule.numbered and not numbered:
                continue
            if not rule.opens(raw):
                continue
            for m in rule.rx.finditer(masked):
                if rule.named and not _names_weapon(sent, sent.start + m.start(), sent.start + m.end()):
                    continue
                # "the rocket struck", "збили ракету": one, its span the whole phrase; "with a Kh-101
                # missile and a Shahed drone": two.
                whole = rule.counts_one or rule.counts_two
                v = (2 if rule.counts_two else 1) if whole else parse_number(m.group("n"), words)
                s, e = m.span() if whole else m.span("n")
                if v is not None:
                    bucket.append(Figure(v, sent.start + s, sent.start + e))


def _names_weapon(sent: Sentence, start: int, end: int) -> bool:
    """Whether a named weapon system (a WEAPON lexicon record: "Kh-38", "Iskander") lies in the
    page span [start, end)."""
    return any(cue.record.label == "WEAPON" and start <= cue.start < end for cue in sent.cues)


def _resolve_list(
    cands: list[Figure], conflict: bool
) -> tuple[int | None, int | None, tuple[int, int] | None]:
    """(figure, maximum, span): competing claims give (smaller exact, larger); updates the latest."""
    if not cands:
        return None, None, None
    # "Up to 12 killed": no figure, 12 its maximum, unless an exact figure is given too.
    upper = [c for c in cands if c.upper]
    if upper:
        top = max(upper, key=lambda c: c.value)
        rest = [c for c in cands if not c.upper]
        value, high, span = _resolve_list(rest, conflict) if rest else (None, None, None)
        if high is None and (value is None or top.value > value):
            high = top.value
        return value, high, span or (top.start, top.end)
    # A figure the text corrected to stands, the latest correction last.
    revised = [c for c in cands if c.revised]
    if revised:
        last = max(revised, key=lambda c: c.start)
        return last.value, last.high, (last.start, last.end)
    values = sorted({c.value for c in cands})
    if len(values) > 1 and conflict:
        # Competing claims: the smaller exact claim and the larger one ("more than 60" yields to "63").
        exact = [
            c.value
            for c in cands
            if not c.lower_bound or not any(w > c.value for w in values if w != c.value)
        ]
        low = min(exact) if exact else values[0]
        high = values[-1]
        span = next((c.start, c.end) for c in cands if c.value == low)
        return low, (high if high > low else None), span
    # Updates: the death toll rises, the latest (largest) figure stands.
    best = values[-1]
    chosen = next(c for c in cands if c.value == best)
    # A range ("30–40 killed"): the lower end is the figure, the upper end its maximum.
    return best, chosen.high, (chosen.start, chosen.end)


def _wave_sum(cands: list[Figure]) -> int | None:
    """A wave's casualties summed over the places it hit ("two killed in Kharkiv ... one in Odesa"):
    the largest figure of each place, when every figure names one place and there are several; else
    None (the usual rules decide)."""
    if len(cands) < 2 or any(f.place is None for f in cands):
        return None
    per_place: dict[str, int] = {}
    for f in cands:
        assert f.place is not None
        per_place[f.place] = max(per_place.get(f.place, 0), f.value)
    return sum(per_place.values()) if len(per_place) >= 2 else None


def resolve(
    c: Candidates, page: Page, pack: RulePack, *, event_note: bool, told_by_place: bool = False
) -> Figures:
    """The primary attack's figures from its candidates (LABELS.md rules 2-5).

    `event_note`: the text is a dated one-paragraph event note (ACLED style), which states its full
    casualty count, so listing only wounded says nobody died. `told_by_place`: the text adds places to
    the attack as parts of it ("Drones also hit Poltava": the pack's `wave_also`), so it is a wave
    whatever its projectile count, and its casualties are summed over its places (LABELS.md rule 2),
    unless it revises a toll."""
    slots = pack.slots
    spans: dict[str, tuple[int, int]] = {}
    # (A text told by place that revises a toll is not summed: "the death toll was revised to 5" may be
    # the whole attack's, and the revision is the figure; review 8.)
    wave = (told_by_place and not any(f.revised for f in (*c.killed, *c.injured))) or (
        max((f.value for f in (*c.launched, *c.intercepted)), default=0) >= WAVE_MIN_PROJECTILES
    )
    killed_max: int | None = None
    corrections: list[CorrectedFigure] = []
    killed = _wave_sum(c.killed) if wave and not c.conflict else None
    if killed is None:
        killed, killed_max, span = _resolve_list(c.killed, c.conflict)
        if _corrected_to(c.killed, killed):
            corrections.append("killed")
    else:
        span = (c.killed[0].start, c.killed[0].end)
    if span:
        # "Up to 12 killed": the words back the maximum, there is no figure.
        spans["killed" if killed is not None else "killed_max"] = span
    injured_c = c.injured
    injured = _wave_sum(injured_c) if wave and not c.conflict else None
    injured_max: int | None = None
    if injured is None:
        # Injury counts: the first figure (the headline's) unless the text says the count rose.
        # (A corrected figure stands over both: `_resolve_list` takes it.)
        if injured_c and not any(f.revised for f in injured_c) and not slots.injured_rose.rx.search(page.low):
            injured_c = [min(injured_c, key=lambda f: f.start)]
        injured, injured_max, span = _resolve_list(injured_c, c.conflict)
        if _corrected_to(injured_c, injured):
            corrections.append("injured")
    else:
        span = (injured_c[0].start, injured_c[0].end)
    if span:
        spans["injured" if injured is not None else "injured_max"] = span
    if injured is None and c.victims and killed is None:
        injured = max(v.value for v in c.victims)
        spans["injured"] = next((v.start, v.end) for v in c.victims if v.value == injured)
    if c.corrected and killed is None:
        killed = 0
        killed_max = c.correction_max
    if killed is None and injured and event_note and not slots.death_words.rx.search(page.low):
        # A news article that mentions only wounded says nothing about deaths: null there (rule 3).
        killed = 0
    if killed is None and c.zero_killed:
        killed = 0
        if c.zero_killed_span is not None:
            spans["killed"] = c.zero_killed_span
    if injured is None and c.zero_injured:
        injured = 0
        if c.zero_injured_span is not None:
            spans["injured"] = c.zero_injured_span
    # Competing claims: the larger claim's own words back the maximum (a range's span covers both ends).
    for name, cands, top in (("killed_max", c.killed, killed_max), ("injured_max", injured_c, injured_max)):
        upper = next((f for f in cands if top is not None and f.value == top and f.high is None), None)
        if upper is not None:
            spans[name] = (upper.start, upper.end)
    launched = max((f.value for f in c.launched), default=None)
    if launched == 1 and slots.plural_launch.search(page.low):
        # "A guided bomb struck ... guided bombs were launched at the city": how many is unclear.
        launched = None
    intercepted = max((f.value for f in c.intercepted), default=None)
    if (
        launched is not None
        and c.all_down_span is not None
        and (intercepted is None or (c.rest_down and intercepted < launched))
    ):
        # "N drones were launched; all of them were shot down", "Усі збито": the launched figure; so
        # too "35 of 40 were destroyed; all the rest were also downed" (LABELS.md rule 5 counts every
        # one brought down, as the Air Force's "збито/подавлено" does).
        intercepted = launched
        spans["intercepted"] = c.all_down_span
    for name, cands, value in (
        ("launched", c.launched, launched),
        ("intercepted", c.intercepted, intercepted if "intercepted" not in spans else None),
    ):
        for f in cands:
            if f.value == value:
                spans[name] = (f.start, f.end)
                break
    return Figures(
        killed=killed,
        killed_max=killed_max,
        injured=injured,
        injured_max=injured_max,
        launched=launched,
        intercepted=intercepted,
        corrected=c.corrected,
        killed_at_least=c.vague_killed,
        injured_at_least=c.vague_injured,
        killed_range=any(f.high is not None and f.high == killed_max for f in c.killed),
        injured_range=any(f.high is not None and f.high == injured_max for f in injured_c),
        spans=spans,
        corrections=tuple(corrections),
        lowered=tuple(
            name
            for name, cands, value in (("killed", c.killed, killed), ("injured", injured_c, injured))
            if name in corrections and any(f.revised and f.down and f.value == value for f in cands)
        ),
    )


def _corrected_to(cands: Sequence[Figure], value: int | None) -> bool:
    """Whether the figure resolved to `value` is one the text corrected to (a `revised` candidate,
    which `_resolve_list` prefers over every other); an upper bound only ("up to 12") is no figure."""
    return value is not None and any(f.revised and not f.upper and f.value == value for f in cands)
