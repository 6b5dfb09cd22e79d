"""Places we can recognise: the compact table `make gazetteer` builds from GeoNames (geo/gazetteer.tsv),
the curated regions (geo/regions.json), and a rule pack's own spellings (rules/<lang>/places.jsonl).

Loaded once per process (~0.2 s) and passed to the stages; no stage reads it from a global. Surfaces
are matched case-insensitively by the `strikewatch_places` component; `accepts` decides which matches
are places: a name written as the table writes it, or in a text without capitals (all lower case or
ALL CAPS) when it is not also a common word.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from .rulepack import PlaceSpelling

GEO_DIR = Path(__file__).resolve().parent / "geo"
TABLE = GEO_DIR / "gazetteer.tsv"
REGIONS = GEO_DIR / "regions.json"
_APOSTROPHES = re.compile("[\u2019\u02bc\u2018`\u00b4]")
# Surfaces shorter than this are never matched (initials, "Ur", "Bar" ...).
MIN_SURFACE = 3
# Countries whose places outrank namesakes elsewhere (Odessa, Ukraine over Odessa, Texas).
FOCUS = frozenset({"Ukraine", "Russia", "Belarus"})


@dataclass(frozen=True, slots=True)
class Place:
    key: str
    name: str
    region: str | None
    country: str | None
    lat: float | None
    lon: float | None
    kind: str = "city"  # city | region | sea | landmark
    population: int = 0
    section_of: str | None = None  # the city this is a district of
    curated: bool = False


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    country: str
    stems: tuple[str, ...]
    lat: float
    lon: float
    bare: bool  # the stem alone names the region ("Crimea", "North Darfur")


@dataclass(frozen=True, slots=True)
class Surface:
    """One way a place is written, as the table writes it."""

    place: Place
    written: str
    common: bool  # also a common word: only taken when written as here, inside a sentence


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: dict[str, Place]
    # lower-case surface -> its places, best first (curated, then the focus countries, then population)
    surfaces: dict[str, tuple[Surface, ...]]
    # lower-case region stem ("kharkov") -> region name ("Kharkiv Oblast")
    region_stems: dict[str, str]
    regions: dict[str, Region]
    source: str = ""
    _exact: dict[str, str] = field(default_factory=dict)
    # region -> its towns' (lower-case surface, place), sorted: built on first use by `town_by_stem`.
    _towns: dict[str, tuple[list[str], list[Place]]] = field(default_factory=dict)

    def known(self, written: str) -> Place | None:
        """The best place written exactly so ("Vovchansk"), or None."""
        key = self._exact.get(written)
        return self.places.get(key) if key else None

    def candidates(self, written: str, region: str | None = None) -> list[Place]:
        """Places written so (any case), those in `region` first."""
        found = [s.place for s in self.surfaces.get(written.lower(), ())]
        if region is not None:
            found.sort(key=lambda p: p.region != region)
        return found

    def accepts(
        self,
        surface: Surface,
        written: str,
        *,
        caseless: bool,
        after_lower_word: bool,
        not_places: frozenset[str],
    ) -> bool:
        """Whether `written` (what the text has where the matcher found `surface`) names the place.

        Written as the table writes it: yes, but a name that is also a common word only right after
        a lower-case word ("strikes on Tyre", not "Progress was slow" nor a title's "Crater From ...").
        ALL CAPS: a curated name, or any name in a text without capitals. Lower case: only in a text
        without capitals, never a common word. The pack's `not_places` never (curated places excepted)."""
        if written in not_places and not surface.place.curated:
            return False
        if written == surface.written:
            return not surface.common or after_lower_word
        if written.isupper():
            return surface.place.curated or (caseless and not surface.common)
        if written[:1].isupper():  # "Kryvyi rih": capitalised, the rest loosely written
            return not surface.common
        return caseless and not surface.common

    def with_spellings(self, spellings: Iterable[PlaceSpelling]) -> Gazetteer:
        """This gazetteer plus a rule pack's spellings ("Kiev" -> Kyiv); an unknown place is an error."""
        by_name: dict[str, Place] = {}
        for place in self.places.values():
            current = by_name.get(place.name)
            if current is None or _rank(place) > _rank(current):
                by_name[place.name] = place
        surfaces = dict(self.surfaces)
        exact = dict(self._exact)
        for spelling in spellings:
            named = by_name.get(spelling.place)
            if named is None:
                raise ValueError(f"place spelling {spelling.pattern!r}: no place named {spelling.place!r}")
            place = named
            entry = Surface(place, spelling.pattern, common=False)
            low = spelling.pattern.lower()
            surfaces[low] = (entry, *(s for s in surfaces.get(low, ()) if s.place.key != place.key))
            exact[spelling.pattern] = place.key
        return Gazetteer(self.places, surfaces, self.region_stems, self.regions, self.source, exact)

    def town_by_stem(self, stem: str, region: str, *, min_stem: int = 3) -> Place | None:
        """The most populous town of `region` with a name (any surface) starting with `stem` or, for a
        stem of 5+ letters, with the stem less its last letter (Білопіль- -> Білопілля, Ворожбян- ->
        Ворожба takes two); None for a stem shorter than `min_stem`. A sorted index per region, built
        on first use, answers each stem with a binary search."""
        low = stem.lower()
        if len(low) < min_stem:
            return None
        index = self._towns.get(region)
        if index is None:
            pairs = sorted(
                (
                    (surface, entry.place)
                    for surface, entries in self.surfaces.items()
                    for entry in entries
                    if entry.place.region == region
                    and entry.place.kind == "city"
                    and entry.place.section_of is None
                ),
                key=lambda t: t[0],
            )
            index = self._towns[region] = ([t[0] for t in pairs], [t[1] for t in pairs])
        keys, towns = index
        for head in [low] + [low[:-k] for k in (1, 2) if len(low) - k >= 5]:
            i = bisect.bisect_left(keys, head)
            best: Place | None = None
            while i < len(keys) and keys[i].startswith(head):
                place = towns[i]
                if best is None or place.population > best.population:
                    best = place
                i += 1
            if best is not None:
                return best
        return None

    def phrases(self) -> dict[str, str]:
        """What the places matcher looks for: each lower-case surface, as its own match id."""
        return {low: low for low in self.surfaces}


def _rank(place: Place) -> tuple[bool, bool, bool, int]:
    return (place.curated, place.country in FOCUS, place.kind != "city", place.population)


def _float(cell: str) -> float | None:
    return float(cell) if cell else None


def load_gazetteer(
    table: Path = TABLE,
    regions_file: Path = REGIONS,
    *,
    not_places: Sequence[str] = (),
    script: Literal["latin", "cyrillic"] = "latin",
) -> Gazetteer:
    """Read the compact table and the regions. `not_places`: surfaces never taken as places.
    `script`: which names become surfaces, the Latin ones (English text) or the Cyrillic ones
    (Ukrainian and Russian text: GeoNames' alternate names, Харків and Харьков alike); places keep
    their canonical English names either way. Cyrillic region names come from the packs' spellings."""
    regions_data = json.loads(regions_file.read_text(encoding="utf-8"))["regions"]
    regions = {
        r["name"]: Region(r["name"], r["country"], tuple(r["stems"]), r["lat"], r["lon"], bool(r.get("bare")))
        for r in regions_data
    }
    banned = set(not_places)
    places: dict[str, Place] = {}
    entries: dict[str, list[Surface]] = {}
    source = ""
    with table.open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                if line.startswith("# source:"):
                    source = line[len("# source:") :].strip()
                continue
            cells = line.rstrip("\n").split("\t")
            key, name, kind, region, country, lat, lon, pop, curated, section_of, latin = cells[:11]
            # Cyrillic names are written with the apostrophes normalise() reads as "'" (Куп’янськ).
            names = (
                latin if script == "latin" else _APOSTROPHES.sub("'", cells[11] if len(cells) > 11 else "")
            )
            place = Place(
                key=key,
                name=name,
                region=region or None,
                country=country or None,
                lat=_float(lat),
                lon=_float(lon),
                kind=kind,
                population=int(pop or 0),
                section_of=section_of or None,
                curated=curated == "1",
            )
            places[key] = place
            for written in names.split("|") if names else ():
                common = written.startswith("~")
                written = written.lstrip("~")
                if len(written) < MIN_SURFACE or (written in banned and not place.curated):
                    continue
                entries.setdefault(written.lower(), []).append(Surface(place, written, common))
    for unit in regions.values():
        key = f"reg:{unit.name}"
        place = Place(key, unit.name, unit.name, unit.country, unit.lat, unit.lon, "region", curated=True)
        places[key] = place
        for written in (unit.name, *(unit.stems if unit.bare else ())) if script == "latin" else ():
            entries.setdefault(written.lower(), []).append(Surface(place, written, False))
    surfaces: dict[str, tuple[Surface, ...]] = {}
    exact: dict[str, str] = {}
    for low, found in entries.items():
        # A name written as a place's own name outranks a namesake that only lists it among its other
        # spellings ("Dubno": the Rivne Oblast town, not Russia's Dubna, GeoNames' alternate "Dubno").
        ordered = sorted(
            found,
            key=lambda s: (*_rank(s.place)[:3], s.written == s.place.name, s.place.population),
            reverse=True,
        )
        # One place may list a surface twice (name and alternate): keep its first, but each way of
        # writing it ("Al-Mawasi" and, as news writes it inside a sentence, "al-Mawasi": `accepts`
        # takes a name written as the table writes it).
        seen: set[tuple[str, str]] = set()
        unique = tuple(
            s
            for s in ordered
            if not ((s.place.key, s.written) in seen or seen.add((s.place.key, s.written)))  # type: ignore[func-returns-value]
        )
        surfaces[low] = unique
        for s in unique:
            exact.setdefault(s.written, s.place.key)
    region_stems = {stem.lower(): region.name for region in regions.values() for stem in region.stems}
    return Gazetteer(places, surfaces, region_stems, regions, source, exact)
