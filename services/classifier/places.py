"""The places stage: the places attacked (LABELS.md rule 7), from the gazetteer's matches in the
primary attack's sentences and the pack's place patterns ("Town, Region", "X district of Y Oblast").

Not places attacked: launch sites ("fired from Belgorod"), speakers ("Kyiv said"), capitals standing
for their governments, a name followed by a surname (a person), a name inside a ship's ("the tanker
Marlin Luanda"), a name that only qualifies a place named next or a party ("the Darfur town of X",
"Moscow-installed"), a facility's name before the place it is in ("the Soroka hospital in
Beersheba"), places where alerts only sounded, and - for an attacker striking its own side's towns -
the attacker's own country. A region stands in for the place only when no town is named (or, in a
wave, when two or more regions with no town of their own are named beside a town); a sea area only
when neither is."""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from schemas.models import Location

from .gazetteer import Gazetteer, Place
from .page import Page
from .rulepack import RulePack
from .sentences import PlaceMention, Sentence

# Russia does not strike its own towns; Ukraine does strike occupied Ukrainian ones (no mirror rule).
_OWN_SIDE = {"Russia": ("Russia", "Belarus")}
# A village-sized place (GeoNames population below this, and above 0) of a region the text does not
# name, in a text that names its regions, is a namesake of a village GeoNames lacks ("с. Курганне" of
# a Kharkiv report read as Crimea's Kurgannoye), not the place attacked (issue 14).
_VILLAGE_SIZE = 10_000
# Countries whose places take the national transliteration as their canonical English name
# (gazetteer_build.py; LABELS.md rule 7), whatever spelling a report uses. (Russia's GeoNames names
# are no such standard, "Lgovsky" for the town of Lgov: a Russian place keeps the report's spelling.)
_NATIONAL = {"Ukraine", "Belarus", "Moldova"}
# Countries whose districts (raions) are named after their towns ("the Izmail district").
_RAIONS = {"Ukraine", "Russia", "Belarus"}


def _foreign_village(place: Place, regions: set[str]) -> bool:
    """Whether `place` is a village of another region than every one in `regions` (none: False)."""
    return (
        bool(regions)
        and not place.curated
        and place.kind == "city"
        and 0 < place.population < _VILLAGE_SIZE
        and place.region not in regions
    )


@dataclass(frozen=True, slots=True)
class Located:
    locations: list[Location]
    spans: list[tuple[int, int]]  # page offsets of the names that justify them


def _districts(
    sents: Sequence[Sentence],
    gaz: Gazetteer,
    region: str | None,
    pack: RulePack,
    district_region: str | None = None,
    beside: set[str] | None = None,
) -> list[Place]:
    """Districts and villages named around the attack ("Beryslav district of the Kherson Oblast").
    `district_region`: the region a district named by its town's adjective is looked for in (default
    `region`). `beside`: the places already found (a headline's city), when there are: then such a
    district counts only where its sentence names no other place (else it holds that place: "у
    Харківському районі ... (с. Прудянка)") and its town is not one of them."""
    slots = pack.slots
    district_region = district_region or region
    out: list[Place] = []
    for sent in sents:
        for m in slots.district_of_region.finditer(sent.text):
            reg = gaz.region_stems.get(m.group("r").lower())
            if reg:
                name = m.group("d")
                out.append(
                    Place(f"txt:{name}", f"{name} district", reg, gaz.regions[reg].country, None, None)
                )
        country = gaz.regions[region].country if region is not None else None
        lone = beside is None or not (sent.places or slots.village.search(sent.text))
        if district_region is not None and lone:
            for m in slots.district_list.finditer(sent.text):
                for name in slots.list_separator.rx.split(m.group("list")):
                    stem = slots.community_stem.rx.match(name.strip())
                    if stem is not None:
                        # "Ізмаїльський район": a district named by its town's adjective is the town's
                        # district (Izmail District), named in the gazetteer's letters; none without it.
                        town = gaz.town_by_stem(stem.group("stem"), district_region)
                        if town is None or (beside is not None and town.name in beside):
                            continue
                        name = town.name
                    d_country = gaz.regions[district_region].country
                    out.append(
                        Place(f"txt:{name}", f"{name} District", district_region, d_country, None, None)
                    )
        # "the village of X", "the X refugee camp": a place the gazetteer may not know, in the region
        # the text names if any (issue 13: a named place beats its region or country).
        names = [next(v for v in m.groupdict().values() if v) for m in slots.village.finditer(sent.text)]
        names += [m.group("a") for m in slots.named_area.finditer(sent.text)]
        for m in slots.village_list.finditer(sent.text):
            # "the towns of A, B and C": each name of the list, as "the town of A" would give it.
            names += [n.strip() for n in slots.list_separator.rx.split(m.group("list")) if n.strip()]
        for name in dict.fromkeys(names):
            known = gaz.known(name)
            if (
                district_region is not None
                and known is not None
                and _foreign_village(known, {district_region})
            ):
                known = None  # another region's namesake: the village of this text's region
            if known is None and name.split()[0] not in pack.stoplists.not_place_set:
                variant = _variant(name, gaz)
                if variant is not None and not (
                    district_region is not None and _foreign_village(variant, {district_region})
                ):
                    out.append(_as_written(variant, name))  # "the Nusseirat camp": Nuseirat, one letter off
                    continue
                # A village the gazetteer lacks keeps its written name, in Latin letters (the pack's
                # transliteration, for a Cyrillic text): output names stay Latin.
                name = pack.meta.transliterate(name)
                out.append(Place(f"txt:{name}", name, region, country, None, None))
    return out


def _narrowest(found: dict[str, Place]) -> dict[str, Place]:
    """The places attacked without a second spelling of one place ("Kostantinivka" beside
    "Kostiantynivka": the better known reading stays). (Dropping a territory such as "Gaza Strip" when
    a place inside it is named was tried and lost a place on the held-out half: not done.)"""
    places = list(found.values())
    if len(places) < 2:
        return found
    keep: list[Place] = []
    for place in places:
        name = place.name.lower()
        twin = next(
            (
                o
                for o in keep
                # Cheap checks first: spellings of one name share a first letter and a length.
                if o.name[:1].lower() == name[:1]
                and abs(len(o.name) - len(name)) <= 3
                and difflib.SequenceMatcher(None, o.name.lower(), name).ratio() >= 0.85
            ),
            None,
        )
        if twin is not None:
            if (place.curated, place.population) > (twin.curated, twin.population):
                keep[keep.index(twin)] = place
            continue
        keep.append(place)
    return {p.name: p for p in keep}


def _communities(sents: Sequence[Sentence], gaz: Gazetteer, pack: RulePack, regions: set[str]) -> list[Place]:
    """Towns named by the adjective of their community ("Юнаківська, Хотінська громади" in a Ukrainian
    administration's report): each adjective's stem (`community_stem`) starts the name of a town of the
    region the text names (Юнаків- -> Юнаківка), the most populous such town. Nothing when the text
    names no region or several (a stem alone is too short to search the whole country)."""
    slots = pack.slots
    named = [r for r in regions if r in gaz.regions]
    if len(named) != 1:
        return []
    out: list[Place] = []
    for sent in sents:
        for m in slots.community_list.rx.finditer(sent.text):
            for adjective in slots.list_separator.rx.split(m.group("list")):
                stem = slots.community_stem.rx.match(adjective.strip())
                if stem is None:
                    continue
                place = gaz.town_by_stem(stem.group("stem"), named[0])
                if place is not None:
                    out.append(place)
    return out


def _terse_places(sents: Sequence[Sentence], gaz: Gazetteer, pack: RulePack) -> list[Place]:
    """Names a terse caption gives after a place preposition that the gazetteer does not know (a hamlet,
    a misspelt village): the place named, with no region. Stoplisted words, metonyms, actors and
    weapon names are not places."""
    slots, stop = pack.slots, pack.stoplists
    calendar = {*pack.dates.weekdays, *pack.dates.months}
    out: list[Place] = []
    for sent in sents:
        if not sent.terse:
            continue
        cue_spans = [(c.start, c.end) for c in sent.cues]
        for m in slots.terse_place.rx.finditer(sent.text):
            name = m.group("p")
            start = sent.start + m.start("p")
            if any(s <= start < e for s, e in cue_spans) or any(
                p.start <= start < p.end for p in sent.places
            ):
                continue
            first = name.split()[0]
            # "the Darfur town of X", "Moscow-installed": the name qualifies another place or a party.
            qualifier = slots.qualifier_after.rx.match(sent.text[m.end("p") : m.end("p") + 40])
            if (
                (qualifier is not None and not qualifier.group("of"))
                or first.lower() in calendar
                or first in stop.not_place_set
                or name in stop.metonym_set
                or gaz.known(name) is not None
            ):
                continue
            variant = _variant(name, gaz)
            out.append(
                _as_written(variant, name) if variant else Place(f"txt:{name}", name, None, None, None, None)
            )
    return out


_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _variant(name: str, gaz: Gazetteer) -> Place | None:
    """The town a name the gazetteer lacks stands for when it is one letter off a known spelling: a
    letter doubled or single ("Nusseirat" for Nuseirat), one left out or added ("Komyshuvaka" for
    Komyshuvakha, "Vysokopolye" for Vysokopol'e), two adjacent letters swapped ("Popsana" for
    Popasna). Transliterations and captions vary so (issue 13 kind 2); the place keeps its canonical
    name. None for a name under 6 letters or not one word of letters (hyphens and spaces allowed:
    shorter names give too many chance namesakes), for no such town, and for a common word. The
    first letter stays: a capital is rarely mistyped. Among several towns, the best ranked (curated,
    then population)."""
    low = name.lower()
    if len(low) < 6 or not (low.isascii() and low.replace(" ", "").replace("-", "").isalpha()):
        return None
    edits: set[str] = set()
    for i in range(1, len(low) + 1):
        for ch in _LETTERS:
            edits.add(low[:i] + ch + low[i:])  # a letter of the known spelling left out here
        if i < len(low):
            edits.add(low[:i] + low[i + 1 :])  # a letter added (or doubled) here
        if i < len(low) - 1 and low[i] != low[i + 1]:
            edits.add(low[:i] + low[i + 1] + low[i] + low[i + 2 :])
    best: Place | None = None
    for edit in edits:
        for surface in gaz.surfaces.get(edit, ()):
            place = surface.place
            if surface.common or place.kind not in ("city", "landmark") or place.section_of:
                continue
            if best is None or (place.curated, place.population) > (best.curated, best.population):
                best = place
            break
    return best


def _as_written(place: Place, written: str) -> Place:
    """A place called by another name than its canonical one (a former name: "Pervomaisk" for
    Sokolohirsk) keeps the report's name; a spelling variant ("Velika Oleksandrivka") takes the
    canonical one. Curated names always win (Kirovohrad is reported as Kropyvnytskyi). Outside the
    countries whose canonical names LABELS.md rule 7 fixes by a national transliteration (`_NATIONAL`),
    a place keeps the English spelling the report uses ("Kiryat Shmona", "Poonch"), not GeoNames'
    transcription ("Qiryat Shmona", "Punch")."""
    if place.curated or place.kind != "city" or written == place.name:
        return place
    if written[:1].isascii() != place.name[:1].isascii():
        # Another script (Cyrillic "Харкові" for Kharkiv): output names stay canonical English.
        return place
    if (
        place.country not in _NATIONAL
        and written.isascii()
        and written[:1].isupper()
        and not written.isupper()
    ):
        return replace(place, name=written)
    if difflib.SequenceMatcher(None, written.lower(), place.name.lower()).ratio() >= 0.6:
        return place
    return replace(place, name=written)


def _city_of(mention: PlaceMention, named: set[str], gaz: Gazetteer, after: str) -> Place | None:
    """The city a district mention stands for: the namesake whose city is named nearby ("Podil ...
    in Kyiv"), or the best reading's city when the text calls it a district or all readings are
    districts of one city."""
    for candidate in mention.candidates:
        if candidate.section_of and candidate.section_of in named:
            return gaz.places.get(candidate.section_of)
    section_of = mention.place.section_of
    if section_of is None:
        return None
    district = after.lstrip().startswith(("district", "neighbourhood", "neighborhood", "microdistrict"))
    if district or all(c.section_of == section_of for c in mention.candidates):
        return gaz.places.get(section_of)
    return None


def _fighting_near(
    scene: Sequence[Sentence],
    around: Sequence[Sentence],
    gaz: Gazetteer,
    pack: RulePack,
    named_regions: Callable[[], set[str]],
) -> list[Place]:
    """Each place of a list where ground fighting is reported ("offensive actions in the areas of A,
    B and C", "assaults repelled near A, B and C": the pack's `fighting_near`; issue 13 kind 5): the
    namesake in a region the text names, else a spelling one letter off a known town, else the name
    as written, in the region its sentence names (or the one the text names, when it names one).
    Stoplisted words and metonyms are not places."""
    slots, stop = pack.slots, pack.stoplists
    out: list[Place] = []
    seen: set[int] = set()
    for sent in (*scene, *around):
        if sent.idx in seen:
            continue
        seen.add(sent.idx)
        for m in slots.fighting_near.finditer(sent.low):
            regions = named_regions()
            local = {
                r
                for rm in slots.region_mention.rx.finditer(sent.text)
                if (r := gaz.region_stems.get(rm.group(1).lower()))
            }
            region = next(iter(local), None) if len(local) == 1 else None
            if region is None and len(regions) == 1:
                region = next(iter(regions))
            # The list as written (the rule reads the lower-cased sentence: same offsets).
            written = sent.text[m.start("list") : m.end("list")]
            for chunk in slots.list_separator.rx.split(written):
                words = chunk.split()
                caps = 0
                while caps < len(words) and words[caps][:1].isupper():
                    caps += 1
                if caps == 0:
                    break  # the list of names ends ("near A, B and the road")
                name = " ".join(words[:caps])  # "C in" (a list's last name and the next word): C
                if name.split()[0] in stop.not_place_set or name in stop.metonym_set:
                    continue
                candidates = [
                    c for c in gaz.candidates(name) if c.kind in ("city", "landmark") and not c.section_of
                ]
                known = next((c for c in candidates if c.region in (local or regions)), None)
                if known is None and region is None:
                    known = candidates[0] if candidates else _variant(name, gaz)
                # (With a region named and no namesake in it, the place is that region's village the
                # gazetteer lacks, not a namesake elsewhere.)
                if known is not None:
                    # A former name ("Pervomaiske", a village since renamed) stays as the report
                    # writes it, as the same name read outside a list does.
                    out.append(_as_written(known, name))
                elif region is not None:
                    out.append(Place(f"txt:{name}", name, region, gaz.regions[region].country, None, None))
                else:
                    out.append(Place(f"txt:{name}", name, None, None, None, None))
    return out


def _country_attacked(
    scene: Sequence[Sentence], page: Page, pack: RulePack, attacker: str | None
) -> tuple[Place, tuple[int, int]] | None:
    """The country a text names as the target when it names no town, region or sea ("Iran fired
    missiles at Israel": LABELS.md rule 7, a country alone is the place; issue 13 kind 7): an actor cue
    written as the actor's own name (not its adjective), after the pack's `country_target_before`, in
    the attack's sentences (the scene first, then the others that count: a headline), that is not the
    attacker. Region None, as the labels write it. None when
    there is no such cue."""
    rule = pack.slots.country_target_before
    for sent in scene:
        for cue in sent.cues:
            actor = cue.record.actor
            if cue.record.label != "ACTOR" or not actor or actor == attacker:
                continue
            if page.text[cue.start : cue.end] != actor:
                continue
            if rule.search(page.low[max(sent.start, cue.start - 120) : cue.start]):
                return Place(f"country:{actor}", actor, None, actor, None, None), (cue.start, cue.end)
    return None


def _country_struck(
    sents: Sequence[Sentence], pack: RulePack, attacker: str | None
) -> tuple[Place, tuple[int, int]] | None:
    """A country that is no party, named as where the strikes fell ("struck targets in Syria": the
    pack's `country_struck`, group `c`), in the first sentence that names one; not the attacker.
    Region None, as the labels write a country. None when there is none."""
    for sent in sents:
        for m in pack.slots.country_struck.finditer(sent.text):
            country = m.group("c")
            if country != attacker:
                start = sent.start + m.start("c")
                return Place(f"country:{country}", country, None, country, None, None), (
                    start,
                    start + len(country),
                )
    return None


def _own_incident(
    found: dict[str, Place],
    evidence: list[tuple[int, int]],
    scene: Sequence[Sentence],
    around: Sequence[Sentence],
    page: Page,
    pack: RulePack,
) -> tuple[dict[str, Place], list[tuple[int, int]]]:
    """`found` less the places of another incident than the primary attack: a place whose first
    mention in the text is in a sentence that tells of another incident (the pack's
    `separate_incident`: "X also became the target of attacks in the afternoon", "later ... also fired
    at the village of X", the other side's retaliation) belongs to that incident, wherever it recurs
    (LABELS.md rule 2; issue 13 kind 6). The lead scene sentence is never such a sentence, nor one
    that only tells of a repeat strike (the rule's `again` group: the place is attacked again) or of
    another town of the same wave (its `wave` group). Nothing is
    dropped when it would leave no place. `evidence` (page offsets) loses the dropped places' spans.
    A place written otherwise than its name (a spelling variant) is kept: its first mention is not
    looked for."""
    if len(found) < 2:
        return found, evidence
    rule = pack.slots.separate_incident
    lead = scene[0].idx if scene else -1
    other = sorted(
        {
            (s.start, s.end)
            for s in (*scene, *around)
            if s.idx != lead
            and any(
                not (g.get("again") or g.get("wave")) for g in (m.groupdict() for m in rule.finditer(s.low))
            )
        }
    )
    if not other:
        return found, evidence
    drop: set[str] = set()
    for name in found:
        first = re.search(rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])", page.text)
        if first is not None and any(s <= first.start() < e for s, e in other):
            drop.add(name)
    if not drop or len(drop) == len(found):
        return found, evidence
    kept = {name: place for name, place in found.items() if name not in drop}
    return kept, [(s, e) for s, e in evidence if page.text[s:e] not in drop]


def locate(
    scene: Sequence[Sentence],
    around: Sequence[Sentence],
    page: Page,
    gaz: Gazetteer,
    pack: RulePack,
    attacker: str | None,
) -> Located:
    """Places attacked in the `scene` sentences (the primary attack's and its aftermath); `around`
    (all sentences that count) is where districts and villages are looked for when no town is named."""
    slots, text, low = pack.slots, page.text, page.low
    metonyms = pack.stoplists.metonym_set
    own = _OWN_SIDE.get(attacker or "", ())
    found: dict[str, Place] = {}
    evidence: list[tuple[int, int]] = []
    seas: dict[str, Place] = {}
    region_hits: dict[str, Place] = {}
    raions: dict[str, Place] = {}

    def keep(place: Place) -> bool:
        return place.country not in own

    def region_place(region: str) -> Place:
        return gaz.places[f"reg:{region}"]

    # A sentence of shoot-downs over places ("three were destroyed over the Voronezh region") names
    # places attacked though it names no attack of its own (issue 13 kind 4).
    in_scene = {sent.idx for sent in scene}
    # So does a wave summary's "hits were recorded in X and Y regions" (red team 4 F15).
    downs = [
        s
        for s in around
        if s.idx not in in_scene and (slots.downed_over.search(s.low) or slots.hits_in.search(s.low))
    ]
    if downs:
        scene = sorted([*scene, *downs], key=lambda s: s.idx)
    named = {m.place.key for sent in (*scene, *around) for m in sent.places}
    regions_named: set[str] | None = None

    def named_regions() -> set[str]:
        """Regions the text names ("in Donetsk region", "Kharkiv Oblast"): they pick among namesakes."""
        nonlocal regions_named
        if regions_named is None:
            regions_named = {
                region
                for sent in (*scene, *around)
                for m in slots.region_mention.finditer(sent.text)
                if (region := gaz.region_stems.get(m.group(1).lower()))
            } | {m.place.name for sent in (*scene, *around) for m in sent.places if m.place.kind == "region"}
        return regions_named

    # Regions an attack's own sentence names as such ("shelled 12 towns in the Sumy region", "по
    # Рівненській області"): not a shoot-down's ("downed 13 drones over the Mykolaiv region") nor an
    # official's title ("the Sumy regional governor"): one of them beside a town elsewhere counts.
    struck_regions: set[str] = set()
    for sent in scene:
        struck = sent.idx in in_scene and not any(c.record.label == "DEFENCE" for c in sent.cues)
        comma: list[tuple[re.Match[str], str]] = []  # "in Vovchansk, Kharkiv": (match, region)
        for m in slots.place_comma_region.rx.finditer(sent.text):
            region = gaz.region_stems.get(m.group("region").lower())
            known = gaz.known(m.group("place"))
            # "the cities of Odesa, Kropyvnytskyi, Kharkiv" is a list of towns, not "town, region".
            listed = slots.list_follows.rx.match(sent.text[m.end() :]) is not None
            if region and not (listed and known is not None and known.region not in (region, None)):
                comma.append((m, region))
        # The names a "Town, Region" match read, whole: a word inside one ("Rohan" of "Malaya Rohan,
        # Kharkiv") is no second place.
        consumed = [
            (sent.start + m.start(g), sent.start + m.end(g)) for m, _ in comma for g in ("region", "place")
        ]
        listed_end = -1  # the end of the last name a before-context ruled out (a launch site ...)
        for mention in sent.places:
            place, s, e = mention.place, mention.start, mention.end
            if any(cs <= s < ce for cs, ce in consumed):
                continue
            if len(mention.candidates) > 1 and place.region not in named_regions():
                place = next((c for c in mention.candidates if c.region in named_regions()), place)
            if not keep(place):
                # The attacker does not strike its own towns: a namesake elsewhere is the place
                # ("Dubno": Dubno, Rivne Oblast, not Russia's Dubna, which GeoNames also spells so).
                place = next((c for c in mention.candidates if keep(c) and c.kind == place.kind), place)
            if _foreign_village(place, named_regions()):
                continue
            home = gaz.places.get(place.section_of) if place.section_of else None
            if (
                home is not None
                and home.key not in named
                and named_regions()
                and home.region not in named_regions()
            ):
                # Many cities have a "Dniprovskyi" district: one in a report on another region is not
                # the namesake's (a report on Dnipropetrovsk Oblast does not mean Kyiv's).
                continue
            qualifier = slots.qualifier_after.rx.match(text[e : e + 40])
            if qualifier is not None and (not qualifier.group("of") or place.section_of):
                continue  # "the Dniprovskyi district of Kherson": Kherson is the place, by its own name
            city = _city_of(mention, named, gaz, low[e : e + 20])
            if slots.city_part_before.rx.search(low[max(sent.start, s - 20) : s]):
                # "Kharkiv's mayor said ... in the city's Kyivskyi district": the district is of the
                # city the sentence named before it, whatever namesake districts other cities have.
                city = next(
                    (
                        p.place
                        for p in reversed(sent.places)
                        if p.start < s and p.place.kind == "city" and p.place.section_of is None
                    ),
                    city,
                )
            if city is not None:
                # A district of a city named nearby, or called a district: the city is the place.
                if keep(city):
                    found.setdefault(city.name, city)
                    evidence.append((s, e))
                continue
            after = text[e : min(len(text), e + 30)]
            before = text[max(sent.start, s - 50) : s]
            after_low = low[e : e + len(after)]
            if slots.speech_after.rx.match(after_low):
                continue  # a speaker ("Kyiv said")
            if place.kind != "sea" and slots.water_after.rx.match(after_low):
                continue  # a sea's adjective ("в Белом море"), not the town Bely
            if (
                slots.launch_site_before.rx.search(low[s - len(before) : s])
                or slots.not_attacked_before.rx.search(low[s - len(before) : s])
                # The next name of its list shares the role ("taken to hospitals in Dnipro and
                # Zaporizhzhia", "fired from the Kursk and Belgorod regions").
                or (listed_end >= 0 and slots.list_separator.rx.fullmatch(text[listed_end:s]))
            ):
                listed_end = e
                continue  # a launch site, where someone spoke or where the wounded were taken
            if (
                place.name in metonyms and not slots.metonym_place_before.rx.search(low[s - len(before) : s])
            ) or slots.vessel_before.rx.search(before):
                continue  # a ship's or a street's name ("the tanker Chios Lion", "на вулиці Лесі Українки")
            # (80 characters: room for "X, a city of about 280,000 people north of <Y>".)
            ref = slots.reference_before.rx.search(text[max(sent.start, s - 80) : s])
            if ref is not None and (ref.group("w") or gaz.candidates(ref.group("x"))):
                # "the X area, west of Khan Yunis": Khan Yunis only says where X is (issue 13 kind 3).
                continue
            if slots.facility_after.rx.match(text[e : e + 70]):  # room for "in <Name> region"
                continue  # "the Soroka hospital in Beersheba": the facility's name; Beersheba is the place
            if slots.reference_near_before.rx.search(text[max(sent.start, s - 80) : s]):
                continue  # "the Zamzam camp near El Fasher": the camp is the place
            if slots.alert_before.rx.search(low[sent.start : s]):
                continue  # "alerts sounded ..., including in Ternopil": not attacked there
            if text[s:e] in pack.stoplists.capital_speakers and after.lstrip().startswith(":"):
                # "Kyiv: Russian troops launch ...": a capital before a headline colon is the speaker.
                continue
            if pack.stoplists.given_name_before(before):
                continue  # "повідомив Володимир Мельник": a surname, not the village Мельники
            # "Vladimir Putin", "Victoria Smith": a GeoNames name followed by a surname is a person.
            if (
                not place.curated
                and slots.person_after.rx.match(after)
                and not slots.region_after.rx.match(after_low)
            ):
                continue
            stem_region = gaz.region_stems.get(text[s:e].lower())
            if slots.region_of_before.rx.search(before) and stem_region:
                reg = region_place(stem_region)
                if keep(reg):
                    region_hits.setdefault(reg.name, reg)
                continue
            pair = slots.region_pair_after.rx.match(after)
            region_after = slots.region_after.rx.match(after_low)
            if region_after or pair:
                word = region_after or slots.region_pair_word.rx.match(after)
                # "Oryol and Kursk regions": the pair's word ends in "regions", so the first is a region.
                paired = region_after is None and word is not None
                if word is None or not (paired or slots.region_word.rx.match(word.group().lower())):
                    if (
                        region_after is not None
                        and slots.raion_after.rx.match(after_low)
                        and place.kind == "city"
                        and place.section_of is None
                        and place.country in _RAIONS
                        and keep(place)
                    ):
                        # "in the Izmail district": the district named after its town (a raion), the
                        # place when nothing narrower is named ("the village of X in Y district": X).
                        name = f"{place.name} District"
                        raions.setdefault(
                            name, Place(f"txt:{name}", name, place.region, place.country, None, None)
                        )
                    continue
                if stem_region:
                    reg = region_place(stem_region)
                    if keep(reg):
                        region_hits.setdefault(reg.name, reg)
                        evidence.append((s, e + len(word.group())))
                elif place.kind == "city" and place.country not in _NATIONAL and keep(place):
                    # "Idlib province", "Sagaing region": a region the gazetteer does not name, called
                    # by its town's name, stands in for the place like a named region (issue 13 kind 6).
                    region_hits.setdefault(place.name, _as_written(place, text[s:e]))
                    evidence.append((s, e + len(word.group())))
                continue
            if not keep(place):
                continue
            place = _as_written(place, text[s:e])
            if place.kind == "sea":
                seas.setdefault(place.name, place)
            elif place.kind == "region":
                region_hits.setdefault(place.name, place)
                if struck:
                    struck_regions.add(place.name)
            else:
                found.setdefault(place.name, place)
            evidence.append((s, e))
        for m, region in comma:
            name = m.group("place")
            start = sent.start + m.start("place")
            # A namesake in the region named ("Pisky, Donetsk"), else the best place of that name.
            known = next((p for p in gaz.candidates(name, region) if p.region == region), None) or gaz.known(
                name
            )
            reg_place = region_place(region)
            if known is not None and known.kind != "region" and known.region in (region, None):
                known = _as_written(known, name)
                place = Place(known.key, known.name, region, known.country, known.lat, known.lon)
            elif known is not None and known.kind == "region":
                continue
            elif (variant := _variant(name, gaz)) is not None and variant.region in (region, None):
                place = Place(variant.key, variant.name, region, variant.country, variant.lat, variant.lon)
            else:
                place = Place(f"txt:{name}", name, region, reg_place.country, None, None)
            if keep(place):
                found[place.name] = place
                evidence.append((start, start + len(name)))
        for m in slots.region_mention.finditer(sent.text):
            region = gaz.region_stems.get(m.group(1).lower())
            start = sent.start + m.start()
            if region and slots.launch_site_before.rx.search(low[max(sent.start, start - 50) : start]):
                # "fired from the Belgorod region", "two people from Lviv region": not attacked.
                continue
            if region:
                reg = region_place(region)
                if keep(reg):
                    region_hits.setdefault(reg.name, reg)
                    end = sent.start + m.end()
                    # "the governor of the Kharkiv region said": the speaker's region.
                    if struck and not slots.speech_after.rx.match(low[end : end + 30]):
                        struck_regions.add(reg.name)
    for place in _fighting_near(scene, around, gaz, pack, named_regions):
        if keep(place):
            found.setdefault(place.name, place)
    if not (found or region_hits or seas):
        for place in _terse_places(scene, gaz, pack):
            if keep(place):
                found.setdefault(place.name, place)
    # The regions named are looked up (a regex over every sentence) only when a community list is there.
    if any(slots.community_list.rx.search(sent.text) for sent in scene):
        for place in _communities(scene, gaz, pack, named_regions()):
            if keep(place):
                found.setdefault(place.name, place)
    in_text = [n for n in region_hits if n in gaz.regions] or [
        p.region for p in found.values() if p.region in gaz.regions
    ]
    region = in_text[0] if in_text and not found else None
    # A headline's city does not hide a district the body names by its town ("Ізмаїльський район"):
    # the district list is read in the found places' region too (issue 14).
    district_region = region or (in_text[0] if in_text else None)
    beside = set(found) if region is None else None
    for place in _districts(scene if found else around, gaz, region, pack, district_region, beside):
        if keep(place):
            found.setdefault(place.name, place)
    found = _narrowest(found)
    # A district named after its town, else a region, stands in for the place attacked only when the
    # text names no town.
    if not found:
        found.update(raions or region_hits)
    else:
        # A wave over several regions beside a town elsewhere ("drones hit Sumy ... shelling in the
        # Kharkiv and Donetsk regions"): each region with no town of its own named is a place attacked
        # too. One such region alone only when an attack's own sentence names it (`struck_regions`):
        # else it is too often the home region of a speaker or victim.
        towns_in = {p.region for p in found.values()}
        bare = {n: r for n, r in region_hits.items() if r.region not in towns_in and n not in towns_in}
        # A lone region named after a city found (Kyiv Oblast beside Kyiv, whose own region is Kyiv
        # City) is that city's surroundings loosely named: no second place.
        lone = gaz.regions.get(next(iter(bare), ""))
        if len(bare) >= 2 or (
            len(bare) == 1
            and set(bare) <= struck_regions
            and not (lone is not None and any(stem in found for stem in lone.stems))
        ):
            found.update(bare)
    if not found:
        found.update(seas)
    if not found:
        # Nothing named in the attack's sentences: a place the text introduces as one anywhere ("the
        # town of X" in a photo caption) is the place (issue 13 kind 3). Read only in this case.
        for m in slots.village.finditer(text):
            name = next(v for v in m.groupdict().values() if v)
            if name.split()[0] in pack.stoplists.not_place_set or name in metonyms:
                continue
            written = pack.meta.transliterate(name)  # output names stay Latin
            place = (
                gaz.known(name)
                or _variant(name, gaz)
                or Place(f"txt:{written}", written, None, None, None, None)
            )
            if keep(place):
                found.setdefault(place.name, place)
                evidence.append((m.start(), m.end()))
    if not found:
        country = _country_attacked([*scene, *around], page, pack, attacker) or _country_struck(
            [*scene, *around], pack, attacker
        )
        if country is not None:
            found[country[0].name] = country[0]
            evidence.append(country[1])
    found, evidence = _own_incident(found, evidence, scene, around, page, pack)
    locations = [
        Location(name=p.name, region=p.region, country=p.country, lat=p.lat, lon=p.lon)
        for p in found.values()
    ]
    return Located(locations, evidence)
