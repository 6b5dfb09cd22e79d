"""The functional core: one processed article in, a schema-valid Classification out.

`classify_doc` is the composition of the stages, each a pure function over typed values, with the
rule pack and the gazetteer passed in (no stage reads a global):

    page -> sentences (with roles) -> actors -> figures (candidates, then resolved) -> places
         -> kinds -> dates -> harm -> severity.grade
"""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc

from schemas.models import Article, Casualties, Classification, Evidence, Projectiles

from .actors import primary_attacker, sides_with, votes
from .components import cues_of, places_of
from .dates import DateCache, when
from .figures import candidates, resolve
from .gazetteer import Gazetteer
from .harm import harm
from .kinds import kinds
from .normalise import Normalised
from .page import read_page
from .places import locate
from .rulepack import RulePack
from .sentences import Sentence, sentences
from .severity import grade


def _evidence(norm: Normalised, field: str, span: tuple[int, int]) -> Evidence:
    """Evidence for `field`: the page span mapped back to the article's own characters."""
    start, end = norm.span(*span)
    return Evidence(field=field, text=norm.original[start:end], start=start, end=end)


def is_reported_attack(events: list[Sentence], sents: list[Sentence], dated: DateCache) -> bool:
    """At least one event sentence, unless the text is an aggregate story (two or more aggregate
    sentences) whose few events carry no date of their own."""
    if not events:
        return False
    aggregate_doc = sum(1 for s in sents if s.aggregate) >= 2
    anchored = any(dated.of(s) for s in events)
    return not (aggregate_doc and not anchored and len(events) <= 2)


def classify_doc(
    doc: Doc, norm: Normalised, *, article: Article, pack: RulePack, gazetteer: Gazetteer, version: str
) -> Classification:
    """Everything the contract asks for, from `doc` (the pipeline's output for `norm.text`, the
    normalised article text). Evidence spans index the article's own text (`norm.original`)."""
    page = read_page(norm.text, article.published_date(), pack)
    sents = sentences(page, cues_of(doc), places_of(doc), gazetteer, pack)
    base = {
        "id": article.id,
        "title": article.title,
        "published": article.published,
        "source": article.source,
        "url": article.url,
        "ingested_at": article.ingested_at,
        "classifier_version": version,
    }
    events = [s for s in sents if s.event]
    dates = DateCache(pack)
    if not is_reported_attack(events, sents, dates):
        return Classification(is_attack=False, attack_score=0.3 if events else 0.05, **base)

    sent_votes = [votes(s, page, pack) for s in sents]
    attacker = primary_attacker(events, [sent_votes[s.idx] for s in events])

    def ours(sent: Sentence) -> bool:
        return sides_with(sent_votes[sent.idx], attacker)

    primary = [s for s in events if ours(s)]
    # Figures may sit in sentences without war words ("There were no casualties, he said").
    counting = [
        s for s in sents if not s.aggregate and not s.not_attack and (not s.plan or s.event) and ours(s)
    ]
    event_note = pack.slots.event_note.rx.match(page.text) is not None
    figures = resolve(candidates(counting, pack), page, pack, event_note=event_note)

    first = primary[0] if primary else events[0]
    evidence = [_evidence(norm, "is_attack", (first.start, first.end))]
    # The attacker's evidence: the event sentence that weighed most in choosing it (as weighed there).
    backing = [
        (sent_votes[s.idx].get(attacker or "", 0.0) / (1.0 + 0.5 * rank), s) for rank, s in enumerate(events)
    ]
    weight, voted = max(backing, key=lambda b: b[0], default=(0.0, first))
    if weight > 0:
        evidence.append(_evidence(norm, "attacker", (voted.start, voted.end)))
    for name in ("killed", "injured", "launched", "intercepted"):
        if name in figures.spans:
            evidence.append(_evidence(norm, name, figures.spans[name]))

    # Follow-up sentences on the same attack's effects ("Port infrastructure in Izmail was damaged").
    scene = sorted([*primary, *(s for s in sents if s.aftermath and ours(s))], key=lambda s: s.idx)
    located = locate(scene, counting, page, gazetteer, pack, attacker)
    evidence.extend(_evidence(norm, "locations", span) for span in located.spans)
    found = kinds(primary, pack)
    if not found.attack_types:
        fallback = kinds([s for s in counting if s.war], pack)
        found = type(found)(
            fallback.attack_types, found.weapons or fallback.weapons, found.targets or fallback.targets
        )

    event_date: date | None = None
    dated = when([*primary, *sents[:3]], page.published, pack, dates)
    if dated.date is not None and dated.span is not None:
        event_date = dated.date
        evidence.append(_evidence(norm, "event_date", dated.span))

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
        severity=severity,
        severity_reasons=reasons,
        evidence=evidence,
        **base,
    )
