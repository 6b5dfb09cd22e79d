"""The functional core: one processed article in, a schema-valid Classification out.

`classify_doc` is the composition of the stages, each a pure function over typed values, with the
rule pack and the gazetteer passed in (no stage reads a global):

    page -> sentences (with roles) -> actors -> figures (candidates, then resolved) -> places
         -> kinds -> dates -> harm -> severity.grade
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from spacy.tokens import Doc

from schemas.models import Article, Casualties, Classification, Evidence, Projectiles
from services.common.severity import grade

from .actors import Votes, page_enemy, primary_attacker, sides_with, votes
from .components import cues_of, places_of
from .dates import DateCache, evening_report, local_day, long_before, sentence_date, weekday_named, when
from .figures import candidates, foreign_figures, resolve
from .gazetteer import Gazetteer
from .harm import harm
from .kinds import kinds
from .normalise import Normalised
from .page import read_page
from .places import locate
from .rulepack import RulePack
from .sentences import Sentence, other_incidents, sentences


def _evidence(norm: Normalised, field: str, span: tuple[int, int]) -> Evidence:
    """Evidence for `field`: the page span mapped back to the article's own characters."""
    start, end = norm.span(*span)
    return Evidence(field=field, text=norm.original[start:end], start=start, end=end)


def is_reported_attack(
    events: list[Sentence],
    sents: list[Sentence],
    dated: DateCache,
    pack: RulePack,
    published: date | None,
) -> bool:
    """At least one event sentence, unless the text is another topic's story that mentions attacks in
    passing (or frames an old strike from its lead: a film, a verdict), or an aggregate story (two or
    more aggregate sentences) whose few events carry no date of their own, or every event sentence
    names a full date over a year before `published` (an old strike retold: "On 24 February 2022 missiles
    struck Kyiv"). The pack gives the casualty words, the not-attack words that only name a place
    (`not_attack_venue`) and the date words."""
    if not events:
        return False
    if all(long_before(s, published, pack.dates, dated) for s in events):
        return False
    casualties, venue = pack.slots.casualty_words, pack.slots.not_attack_venue
    # A story that opens on another topic (a test, plans, statistics) and keeps to it: at least twice
    # as many of its sentences are about that topic as report an attack, and none of those reports
    # anyone hurt (issue 13, kind 4).
    # (Each costlier test runs only when the cheaper ones leave the answer open.)
    topical = [s for s in sents if s.event or s.not_attack or s.plan or s.aggregate]
    if not topical[0].event:
        other = sum(1 for s in topical if not s.event)
        if other >= 2 * len(events) and not any(casualties.search(s.low) for s in events):
            return False
        # A story another domain frames from its lead (a film, an exhibition, a verdict about an old
        # strike) whose attack sentences carry no day of their own retells that strike (issue 13, kind 4).
        # (A venue word, "football ground", frames nothing: the strike may have hit it.)
        lead = topical[0]
        framed = lead.not_attack and any(
            c.record.label == "NOT_ATTACK"
            and not venue.rx.match(lead.low[c.start - lead.start : c.end - lead.start])
            for c in lead.cues
        )
        if framed and not any(dated.of(s) for s in events):
            return False
    if len(events) > 2 or sum(1 for s in sents if s.aggregate) < 2:
        return True
    return any(dated.of(s) for s in events)


def classify_doc(
    doc: Doc,
    norm: Normalised,
    *,
    article: Article,
    pack: RulePack,
    gazetteer: Gazetteer,
    version: str,
    language: str | None = None,
) -> Classification:
    """Everything the contract asks for, from `doc` (the pipeline's output for `norm.text`, the
    normalised article text). Evidence spans index the article's own text (`norm.original`).
    `language`: the code the text was read in (reported as `Classification.language`)."""
    page = read_page(norm.text, local_day(article.published, pack.dates.zone), pack)
    sents = sentences(page, cues_of(doc), places_of(doc), gazetteer, pack)
    tally = pack.slots.tally
    # (Each sentence's `low` is a part of the page's: a page the gate stays shut on has none to scan.)
    if tally.opens_within(page.low) and any(tally.opens(s.low) for s in sents):
        # A war-wide daily tally ("1,120 soldiers killed over the past day") is aggregate: no attack,
        # no figure of the attack (a lexicon phrase cannot say it: the number and the period are apart).
        sents = [
            replace(s, aggregate=True, event=False) if tally.opens(s.low) and tally.rx.search(s.low) else s
            for s in sents
        ]
    base = {
        "id": article.id,
        "title": article.title,
        "published": article.published,
        "source": article.source,
        "url": article.url,
        "ingested_at": article.ingested_at,
        "classifier_version": version,
        "language": language,
    }
    events = [s for s in sents if s.event]
    dates = DateCache(pack)
    if not is_reported_attack(events, sents, dates, pack, page.published):
        return Classification(is_attack=False, attack_score=0.3 if events else 0.05, **base)

    enemy = page_enemy(sents)
    # Each sentence's votes, weighed when first asked for (a summary's or a plan's never are).
    weighed: dict[int, Votes] = {}

    def votes_of(sent: Sentence) -> Votes:
        found = weighed.get(sent.idx)
        if found is None:
            found = weighed[sent.idx] = votes(sent, page, pack, enemy)
        return found

    attacker = primary_attacker(events, [votes_of(s) for s in events])
    # Explosions heard while air defence works name no side; the alert they came in does ("an alert
    # was declared over the threat of a Russian missile attack"): its side is the attacker's.
    warnings = [s for s in sents if s.plan and not s.event and not s.aggregate and not s.not_attack]
    if attacker is None and warnings:
        attacker = primary_attacker(warnings, [votes_of(s) for s in warnings])

    def ours(sent: Sentence) -> bool:
        # With no attacker every sentence sides with it (`sides_with`): its votes are not weighed.
        return attacker is None or sides_with(votes_of(sent), attacker)

    # A paragraph about an earlier incident ("Ранее ...") lends the primary attack nothing, unless the
    # text tells of nothing else.
    earlier = other_incidents(sents, page, pack)
    if earlier and all(s.idx in earlier for s in events):
        earlier = frozenset()
    primary = [s for s in events if ours(s) and s.idx not in earlier]
    attack = {s.idx for s in primary}
    # A report published in the evening: its "tonight" is the coming night (red team uknight #2).
    late = evening_report(article.published, pack.dates.zone)
    dated = when([*primary, *sents[:3]], page.published, pack, dates, page.approximate, attack, late)
    if dated.span is None:
        # The lead names no day: a later sentence that refers back to the attack may ("The missile
        # struck the gym late on Sunday"), before the published date stands in.
        later = [s for s in sents[3:] if pack.slots.same_attack.search(s.low)]
        followed = (
            when(later, page.published, pack, dates, page.approximate, evening_report=late)
            if later
            else dated
        )
        if followed.span is not None:
            dated = followed
    if dated.basis == "relative" and (dated.evening or dated.night) and dated.span is not None:
        # A relative word outside the attack's own sentences ("This evening the mayor will hold a
        # briefing") gives the day as before, but says nothing of the attack's night (red team 15 F1).
        at = dated.span[0]
        if not any(s.start <= at < s.end for s in primary):
            dated = replace(dated, evening=False, night=False)
    event_date: date | None = dated.date
    # A figure of another strike ("the toll from the strike on Odesa a week ago was revised to 10", "...
    # rose to 19") lends this attack nothing: no figure, place or weapon (red team 6 R1/R6, 7 R1).
    foreign = foreign_figures(sents, pack, event_date, page.published)
    if foreign and any(s.idx not in foreign for s in primary):
        earlier = earlier | foreign
        primary = [s for s in primary if s.idx not in foreign]

    # Without a published date a weekday still tells two days apart.
    weekday = weekday_named(primary, pack, dates) if event_date is None else None

    def same_day(sent: Sentence) -> bool:
        """A sentence dated to another day than the primary attack tells of another incident (asked
        only of sentences that gave a figure)."""
        if not dates.of(sent):
            return True
        if weekday is not None:
            own_weekday = weekday_named([sent], pack, dates)
            return own_weekday is None or own_weekday == weekday
        own = sentence_date(sent, page.published, pack, dates, page.approximate).date
        return own is None or own == event_date

    # Figures may sit in sentences without war words ("There were no casualties, he said").
    counting = [
        s
        for s in sents
        if not s.aggregate
        and (not s.not_attack or s.event)
        and (not s.plan or s.event)
        and ours(s)
        and s.idx not in earlier
    ]
    cands = candidates(counting, pack)
    if (event_date is not None and dated.span is not None) or weekday is not None:
        # Only the sentences that gave a figure are asked for their day (a date scan each).
        starts = sorted(
            f.start
            for bucket in (cands.killed, cands.injured, cands.victims, cands.launched, cands.intercepted)
            for f in bucket
        )
        other_day = {s.idx for s in counting if any(s.start <= x < s.end for x in starts) and not same_day(s)}
        if other_day:
            counting = [s for s in counting if s.idx not in other_day]
            cands = candidates(counting, pack)
            # An event sentence dated to another day is another incident ("On Sunday, shelling of
            # Kherson killed 2" after Monday's strike on Kharkiv): its places and weapons are not
            # this attack's either (red team 12). A wave told city by city shares its day and stays.
            if any(s.idx not in other_day for s in primary):
                primary = [s for s in primary if s.idx not in other_day]
                earlier = earlier | other_day
    event_note = pack.slots.event_note.rx.match(page.text) is not None
    told_by_place = any(pack.slots.wave_also.search(s.low) for s in counting)
    figures = resolve(cands, page, pack, event_note=event_note, told_by_place=told_by_place)

    first = primary[0] if primary else events[0]
    evidence = [_evidence(norm, "is_attack", (first.start, first.end))]
    if dated.span is not None:
        evidence.append(_evidence(norm, "event_date", dated.span))
    # The attacker's evidence: the event sentence that weighed most in choosing it (as weighed there).
    backing = [
        (votes_of(s).get(attacker or "", 0.0) / (1.0 + 0.5 * rank), s) for rank, s in enumerate(events)
    ]
    weight, voted = max(backing, key=lambda b: b[0], default=(0.0, first))
    if weight > 0:
        evidence.append(_evidence(norm, "attacker", (voted.start, voted.end)))
    for name in ("killed", "killed_max", "injured", "injured_max", "launched", "intercepted"):
        if name in figures.spans:
            evidence.append(_evidence(norm, name, figures.spans[name]))

    # Follow-up sentences on the same attack's effects ("Port infrastructure in Izmail was damaged"), and
    # corrections of its figures ("The death toll in Dnipro was revised down to 5"; red team 6 N10).
    told = {s.idx for s in primary}
    scene = sorted(
        [
            *primary,
            *(
                s
                for s in sents
                if (s.aftermath or (s.idx not in told and pack.slots.revised_to.search(s.low) is not None))
                and ours(s)
                and s.idx not in earlier
            ),
        ],
        key=lambda s: s.idx,
    )
    located = locate(scene, counting, page, gazetteer, pack, attacker)
    evidence.extend(_evidence(norm, "locations", span) for span in located.spans)
    found = kinds(primary, pack, attacker)
    if not found.attack_types:
        fallback = kinds([s for s in counting if s.war], pack, attacker)
        if not fallback.attack_types and warnings:
            # The weapon the alert warned of is what the explosions were ("the air force warned of
            # drones heading for the city"), when no sentence of the attack names one.
            fallback = kinds([s for s in warnings if ours(s) and s.idx not in earlier], pack, attacker)
        # No weapon named: the pack's type for that (LABELS.md rule 8: "anything else -> other"), unless
        # the attack was seen only as explosions while air defence worked, whose kind is unknown.
        seen = not any(pack.slots.unseen_weapon.search(s.low) for s in primary)
        untyped = [pack.meta.untyped_attack_type] if pack.meta.untyped_attack_type and seen else []
        found = type(found)(
            fallback.attack_types or untyped,
            found.weapons or fallback.weapons,
            found.targets or fallback.targets,
        )

    damage = harm(counting, figures, page, pack)
    evidence.extend(_evidence(norm, "severity", span) for span in damage.spans)
    severity, reasons = grade(damage.facts, pack.severity)
    score = 0.55 + 0.08 * len(events) + (0.1 if located.locations else 0.0) + (0.1 if attacker else 0.0)
    return Classification(
        is_attack=True,
        attack_score=round(min(0.99, score), 3),
        attacker=attacker,
        attack_types=found.attack_types,
        weapons=found.weapons,
        targets=found.targets,
        locations=located.locations,
        casualties=Casualties(
            killed=figures.killed,
            killed_max=figures.killed_max,
            injured=figures.injured,
            injured_max=figures.injured_max,
        ),
        projectiles=Projectiles(launched=figures.launched, intercepted=figures.intercepted),
        event_date=event_date,
        event_date_basis=dated.basis if event_date is not None else None,
        event_date_evening=dated.evening and event_date is not None,
        event_date_night=dated.night and event_date is not None,
        corrections=list(figures.corrections),
        lowered=list(figures.lowered),
        severity=severity,
        severity_reasons=reasons,
        evidence=evidence,
        **base,
    )
