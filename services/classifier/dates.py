"""The dates stage: the attack's date from phrases like "on Monday", "overnight", "31 July 2022",
"Dec 19", resolved against the published date with the pack's month, weekday and relative words."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from schemas import DateBasis
from schemas.models import PUBLISHED_YEARS

from .rulepack import DateWords, RulePack
from .sentences import Sentence

# A report is news: a date weeks before publication is background ("which began on February 24").
MAX_DAYS_BEFORE_PUBLISHED = 31
# A strike dated (day, month and year written) more than a year before publication is retold, not
# reported: anniversaries, memorials, retrospectives (LABELS.md rule 1). Months-old dates are left to
# the other tests: a report may come out weeks later with new findings.
RETOLD_AFTER_DAYS = 365
# The years an event date may fall in: none before 1990 (a date that old is history, never this
# report's attack), none after the published years' end (a "night into 1 January" read in a report
# of 31 December 2999 is no date the contract carries: no date rather than a wrong one; R8).
EVENT_YEARS = (1990, PUBLISHED_YEARS[1])
# Characters before and after a date phrase that the pack's `date_evening` slot reads ("late on" before
# "Sunday", "night" after it).
EVENING_AROUND = 24
# The local hour from which a report is an evening report: its "tonight" words (the pack's
# `relative_tonights`: "сьогодні вночі") name the night that starts on its day (red team uknight #2).
EVENING_REPORT_FROM = 18


@dataclass(frozen=True, slots=True)
class When:
    date: date | None
    span: tuple[int, int] | None = None  # page offsets of the phrase that gives it
    # How `date` was found: "text", "relative" or "published" (schemas.DateBasis); None without a date.
    basis: DateBasis | None = None
    # The phrase names the evening or night that starts on `date` ("on Sunday night", "late on Sunday").
    evening: bool = False
    # The phrase names the night that ends on `date` (the pack's `into` group: "overnight into Monday",
    # "в ніч на понеділок"), not the whole day; never with `evening`.
    night: bool = False
    # Without a date: the sentence named a day, its month in words ("on 1 January"), that was refused
    # as implausible (after publication but the night into the next day, or over a month before it).
    refused: bool = False


def basis_of(match: re.Match[str], words: DateWords) -> DateBasis:
    """How one `date` rule match gives its day: "relative" for a relative word ("last night",
    "yesterday": a day counted back from the published date), "text" for every other shape (a written
    date, a weekday, a named holiday)."""
    phrase = match.group("rel")
    if phrase and phrase.lower().replace("’", "'") not in words.holidays:
        return "relative"
    return "text"


def evening(low: str, match: re.Match[str], pack: RulePack) -> bool:
    """Whether the words around one `date` match (EVENING_AROUND characters each side) name the
    evening or night that starts on its day: the pack's `date_evening` slot ("late on Sunday",
    "Sunday night", "в ночь с воскресенья")."""
    offset = max(0, match.start() - EVENING_AROUND)
    window = low[offset : match.end() + EVENING_AROUND]
    rule = pack.slots.date_evening
    if rule.search(window) is None:  # the rule's cheap gate first
        return False
    # Only a phrase that holds this date's words: "late on Sunday. On Monday ..." makes Monday no evening.
    start, end = match.start() - offset, match.end() - offset
    return any(m.start() < end and start < m.end() for m in rule.rx.finditer(window))


def local_day(published: date | datetime | None, zone: str) -> date | None:
    """The calendar day an article was published on where its war is: an aware datetime is
    converted to `zone` (an IANA name, the pack's `dates.zone`) first; a naive datetime or a date
    is taken as written; None stays None. Weekdays and "last night" resolve against this day, so a
    report stamped 23:30 UTC on Sunday that says "overnight into Monday" (01:30 on Monday in Kyiv)
    is dated that Monday, not the Monday before."""
    if isinstance(published, datetime):
        if published.tzinfo is not None:
            published = published.astimezone(ZoneInfo(zone))
        return published.date()
    return published


def evening_report(published: date | datetime | None, zone: str) -> bool:
    """Whether an article was published in the evening where its war is: a time of day from
    EVENING_REPORT_FROM local (`zone`, the pack's `dates.zone`; an aware datetime converted there, a
    naive one taken as written). A date alone, or None, is no evening report (red team uknight #2)."""
    if not isinstance(published, datetime):
        return False
    if published.tzinfo is not None:
        published = published.astimezone(ZoneInfo(zone))
    return published.hour >= EVENING_REPORT_FROM


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def resolve(match: re.Match[str], published: date | None, words: DateWords) -> date | None:
    """The date one `date` rule match stands for, given the publication date (may be None; the
    local day of `local_day`).

    Rules (red team 7, R4 and R7): a day and month with no year is that day in the year that puts it
    nearest before the published day, or on the day after it (a "1 January" read on 31 December is
    the coming one, a "31 December" read on 2 January the last one). A weekday is the latest such
    weekday on or before the published day (0 to 6 days back), except a night that ends on it (the
    pack's `into` group: "overnight into Tuesday", "в ніч на вівторок", "в ночь на вторник")
    whose weekday is the day after the published one: a report out on Monday evening about the
    night into Tuesday speaks of the coming night, not of one six days back. The day after the
    published one is kept only for such a night (`ends_after_published`)."""
    g = match.groupdict()
    if g["dmy"] or g["mdy"]:
        day = int(g["d1"] or g["d2"])
        month = words.months[(g["m1"] or g["m2"]).lower().rstrip(".")]
        year_text = g["y1"] or g["y2"]
        if year_text:
            return _safe(int(year_text), month, day)
        if published is None:
            return None
        latest = published + timedelta(days=1)
        found = [d for y in (1, 0, -1) if (d := _safe(published.year + y, month, day)) and d <= latest]
        return found[0] if found else None
    if g["num"]:
        return _safe(int(g["y3"]), int(g["m3"]), int(g["d3"]))
    if g["iso"]:
        return _safe(int(g["y4"]), int(g["m4"]), int(g["d4"]))
    if published is None:
        return None
    if g["wday"]:
        target = words.weekday_index(g["wday"])
        if g.get("into") and (published.weekday() + 1) % 7 == target:
            return published + timedelta(days=1)
        return published - timedelta(days=(published.weekday() - target) % 7)
    phrase = (g["rel"] or "").lower().replace("’", "'")
    if phrase in words.holidays:
        month, day = (int(x) for x in words.holidays[phrase].split("-"))
        found_day = _safe(published.year, month, day)
        # The latest such day on or before publication.
        if found_day is None or found_day <= published:
            return found_day
        return _safe(published.year - 1, month, day)
    return published - timedelta(days=words.relative.get(phrase, 0))


def ends_after_published(match: re.Match[str], found: date, published: date) -> bool:
    """Whether `found` is the day after `published` and the match names a night that ends on it
    ("overnight into Tuesday" in a Monday-evening report): the one date after publication that is
    still news rather than a schedule or a forecast."""
    return bool(match.groupdict().get("into")) and found == published + timedelta(days=1)


def find_dates(low: str, pack: RulePack) -> list[re.Match[str]]:
    """Date phrases in a lower-cased sentence; sentences without a trigger skip the (costly) scan."""
    return list(pack.slots.date.finditer(low))


class DateCache:
    """Date phrases per sentence, found once per article (two stages ask)."""

    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self.found: dict[int, list[re.Match[str]]] = {}

    def of(self, sent: Sentence) -> list[re.Match[str]]:
        got = self.found.get(sent.idx)
        if got is None:
            got = self.found[sent.idx] = find_dates(sent.low, self.pack)
        return got


def when(
    sents: Sequence[Sentence],
    published: date | None,
    pack: RulePack,
    cache: DateCache | None = None,
    approximate: bool = False,
    attack: Collection[int] = (),
    evening_report: bool = False,
) -> When:
    """The first plausible date in the primary attack's sentences, then in the first three sentences;
    else the published date (a report that names no day is breaking news: issue 13), without a span.

    A date after publication (but the night into the day after it: `ends_after_published`), outside
    EVENT_YEARS, or more than a month before publication is background; so is the day someone spoke
    ("officials said Thursday"). But when one of the attack's own sentences (`attack`: sentence
    indexes) names a day and every day it names is refused so, there is no date (basis None): the text
    says the attack was on another day than publication, so the published date would be an invented
    one ("struck Kyiv on 1 January" in a report of 30 December; red team 7 #9)."""
    refused = False
    for sent in sents:
        found = sentence_date(sent, published, pack, cache, approximate, evening_report)
        if found.date is not None:
            return found
        refused = refused or (found.refused and sent.idx in attack)
    if approximate or published is None or refused:
        return When(None)
    return When(published, basis="published")


def sentence_date(
    sent: Sentence,
    published: date | None,
    pack: RulePack,
    cache: DateCache | None = None,
    approximate: bool = False,
    evening_report: bool = False,
) -> When:
    """The first plausible date phrase of one sentence (no fallback), with its page span. With an
    `approximate` published date (a month's last day) only phrases that name their month count.
    In an evening report (`evening_report`: published from EVENING_REPORT_FROM local) a "tonight"
    word (the pack's `relative_tonights`) names the evening and the night after it; otherwise the
    night that ends on its day."""
    toll = pack.slots.toll_update.search(sent.low)
    speech = pack.slots.speech_date_before
    refused = False
    for m in cache.of(sent) if cache is not None else find_dates(sent.low, pack):
        if speech.rx.search(sent.low[max(0, m.start() - 40) : m.start()]):
            continue
        if toll is not None and m.start() < toll.start():
            # "On Monday the death toll rose to 14": the day of the count, not the attack's ("the toll
            # from Monday's strike rose" names the attack's day after the toll word).
            continue
        if approximate and not (m.group("dmy") or m.group("mdy") or m.group("num") or m.group("iso")):
            continue
        found = resolve(m, published, pack.dates)
        if found is None:
            continue
        if published is not None and (
            (found > published and not ends_after_published(m, found, published))
            or (published - found).days > MAX_DAYS_BEFORE_PUBLISHED
        ):
            # Only a month named in words says for sure which day the text means: a numeric date
            # ("10/2/2024 1:06 AM" in a dateline) may be month-first and misread.
            refused = refused or bool(m.group("dmy") or m.group("mdy"))
            continue
        if not EVENT_YEARS[0] <= found.year <= EVENT_YEARS[1]:
            # Only the contract's bound refuses it (the night into 1 January 3000, read on
            # 31 December 2999): the published day is that night's eve, so it may still stand in.
            continue
        basis = basis_of(m, pack.dates)
        phrase = (m.group("rel") or "").lower() if basis == "relative" else ""
        # An evening: the night that starts on the day ("on Sunday night", "tonight"); a night: one that
        # ends on it ("overnight into Monday", "last night": the night into the published day).
        late = (
            (basis == "text" and evening(sent.low, m, pack))
            or phrase in pack.dates.relative_evenings
            or (evening_report and phrase in pack.dates.relative_tonights)
        )
        night = (basis == "text" and not late and bool(m.groupdict().get("into"))) or (
            not late and phrase in pack.dates.relative_nights
        )
        return When(found, (sent.start + m.start(), sent.start + m.end()), basis, late, night)
    return When(None, refused=refused)


def long_before(sent: Sentence, published: date | None, words: DateWords, cache: DateCache) -> bool:
    """Whether `sent` names a full date (day, month and year all written: "24 February 2022",
    "2022-02-24", "24.02.2022") more than RETOLD_AFTER_DAYS before `published`: the sentence
    retells an old strike (LABELS.md rule 1: anniversaries and retrospectives are not news). False
    without a published date."""
    if published is None:
        return False
    for m in cache.of(sent):
        full = (
            m.group("num")
            or m.group("iso")
            or ((m.group("dmy") or m.group("mdy")) and (m.group("y1") or m.group("y2")))
        )
        if not full:
            continue
        found = resolve(m, published, words)
        if found is not None and (published - found).days > RETOLD_AFTER_DAYS:
            return True
    return False


def weekday_named(sents: Sequence[Sentence], pack: RulePack, cache: DateCache | None = None) -> str | None:
    """The first weekday the sentences name for an event (not the day someone spoke), lower case:
    what tells two incidents apart when the published date is unknown ("on Monday ... nine killed"
    beside a Tuesday strike)."""
    speech = pack.slots.speech_date_before
    for sent in sents:
        for m in cache.of(sent) if cache is not None else find_dates(sent.low, pack):
            if m.group("wday") and not speech.rx.search(sent.low[max(0, m.start() - 40) : m.start()]):
                return m.group("wday").lower()
    return None
