"""The regions table: valid codes, unique slugs, and every region the classifier can name is in it."""

from __future__ import annotations

import json
from pathlib import Path

import pycountry

from schemas.regions import country_named, region_by_slug, region_named, region_slugs, regions

CLASSIFIER_DATA = Path(__file__).resolve().parent.parent / "services" / "classifier" / "geo"


def test_codes_are_real_iso_3166_2_subdivisions_of_the_regions_country() -> None:
    for region in regions():
        if region.iso_3166_2 is None:
            continue
        subdivision = pycountry.subdivisions.get(code=region.iso_3166_2)
        assert subdivision is not None, region
        assert subdivision.country_code == region.country_code, region


def test_slugs_are_unique_and_round_trip() -> None:
    assert len(region_slugs()) == len(regions())
    kharkiv = region_by_slug("kharkiv-oblast")
    assert kharkiv is not None and kharkiv.iso_3166_2 == "UA-63"
    assert region_named("Kyiv City") == region_by_slug("kyiv-city")
    assert region_by_slug("donetsk") is None


def test_countries_have_iso_codes() -> None:
    ukraine = country_named("Ukraine")
    assert ukraine is not None and ukraine.country_code == "UA"
    assert country_named("Atlantis") is None


def test_every_region_the_classifier_names_is_in_the_table() -> None:
    """One home for region names: the classifier's gazetteer emits only names the table knows."""
    names = set()
    for path in CLASSIFIER_DATA.glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        for record in data.get("regions", []) if isinstance(data, dict) else []:
            names.add(record["name"])
    assert names, "no classifier region data found"
    missing = sorted(n for n in names if region_named(n) is None)
    assert not missing, f"regions the classifier names but schemas/data/regions.json lacks: {missing}"
