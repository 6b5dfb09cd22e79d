"""The first-level regions (and countries) that alerts name: the one table behind region slugs,
ISO 3166-2 codes and the areas of CAP and GeoJSON outputs.

`Location.region` values produced by the classifier are names in this table (a test holds that);
subscription filters, `--region`, pub/sub region channels and read-API filters use `slug(name)`.
Data: `schemas/data/regions.json` (codes checked against pycountry's ISO 3166-2 tables).
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

_NON_SLUG = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """`Kyiv City` -> `kyiv-city`, `Kharkiv Oblast` -> `kharkiv-oblast`."""
    return _NON_SLUG.sub("-", text.casefold()).strip("-")


class Area(BaseModel):
    """A named area with an approximate circle that covers most of it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    country_code: str = Field(pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2")
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_km: float = Field(gt=0)


class Region(Area):
    """A first-level unit: oblast, krai, republic, state, governorate, or a city with that status."""

    country: str
    iso_3166_2: str | None = Field(default=None, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$")

    @property
    def slug(self) -> str:
        return slug(self.name)


class Country(Area):
    pass


class _Table(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    regions: tuple[Region, ...]
    countries: tuple[Country, ...]


@cache
def _table() -> _Table:
    raw = resources.files("schemas").joinpath("data", "regions.json").read_text("utf-8")
    return _Table.model_validate(json.loads(raw))


def regions() -> tuple[Region, ...]:
    """Every region, in file order."""
    return _table().regions


@cache
def _by_name() -> dict[str, Region]:
    return {r.name: r for r in regions()}


@cache
def _by_slug() -> dict[str, Region]:
    return {r.slug: r for r in regions()}


def region_named(name: str | None) -> Region | None:
    """The region whose canonical name is `name` (e.g. "Kharkiv Oblast"), or None."""
    return _by_name().get(name) if name else None


def region_by_slug(value: str) -> Region | None:
    """The region whose slug is `value` (e.g. "kharkiv-oblast"), or None."""
    return _by_slug().get(value)


def region_slugs() -> tuple[str, ...]:
    """Every known region slug, sorted."""
    return tuple(sorted(_by_slug()))


@cache
def _countries() -> dict[str, Country]:
    return {c.name: c for c in _table().countries}


def countries() -> tuple[Country, ...]:
    """Every country, in file order."""
    return _table().countries


def country_named(name: str | None) -> Country | None:
    """The country whose English name is `name` (as in `Location.country`), or None."""
    return _countries().get(name) if name else None
