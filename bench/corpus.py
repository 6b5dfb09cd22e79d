"""Synthetic attack reports for load: varied places, weapons, figures and dates, many reports per
incident, deterministic for a seed. Written here, not taken from the labelled data."""

from __future__ import annotations

import random
from datetime import date, timedelta

from schemas import Article

PLACES = [
    ("Kharkiv", "Kharkiv"),
    ("Odesa", "Odesa"),
    ("Dnipro", "Dnipropetrovsk"),
    ("Zaporizhzhia", "Zaporizhzhia"),
    ("Mykolaiv", "Mykolaiv"),
    ("Kherson", "Kherson"),
    ("Sumy", "Sumy"),
    ("Chernihiv", "Chernihiv"),
    ("Lviv", "Lviv"),
    ("Poltava", "Poltava"),
    ("Kryvyi Rih", "Dnipropetrovsk"),
    ("Kramatorsk", "Donetsk"),
    ("Belgorod", "Belgorod"),
    ("Kursk", "Kursk"),
    ("Vinnytsia", "Vinnytsia"),
    ("Rivne", "Rivne"),
]
WEAPONS = [("drones", "Shahed drones"), ("missiles", "cruise missiles"), ("rockets", "Grad rockets")]
TARGETS = ["a residential building", "an energy facility", "a railway depot", "warehouses", "a port terminal"]
NUMBERS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15", "20"]
FILLER = (
    "Officials said rescue teams were working at the scene and that the information was being updated. "
    "Air raid sirens sounded across the region for several hours before the all-clear was given. "
)


Incident = tuple[str, str, str, str, str]  # place, oblast, weapon plural, weapon named, target


def _incident(rng: random.Random, n: int) -> Incident:
    place, oblast = PLACES[n % len(PLACES)]
    plural, named = WEAPONS[rng.randrange(len(WEAPONS))]
    return place, oblast, plural, named, TARGETS[rng.randrange(len(TARGETS))]


def _report(rng: random.Random, incident: Incident, day: date, note: str, filler: int) -> str:
    """One synthetic report of `incident`: its figures drawn from `rng`."""
    place, oblast, plural, named, target = incident
    launched = rng.randrange(10, 60)
    downed = rng.randrange(0, launched)
    injured = NUMBERS[rng.randrange(len(NUMBERS))]
    return (
        f"Russian forces attacked {place} with {named} overnight, hitting {target}, the head of the "
        f"{oblast} regional military administration said on {day:%A}. {launched} {plural} were launched "
        f"and {downed} were shot down by air defence. At least {injured} people were injured{note}. "
        + FILLER
        * filler
    )


def incident_reports(
    incidents: int, reports_per_incident: int, *, seed: int = 7, filler: int = 1
) -> list[Article]:
    """Several reports of each incident (same place and day), for clustering and load."""
    rng = random.Random(seed)
    start = date(2024, 3, 1)
    out: list[Article] = []
    for n in range(incidents):
        day = start + timedelta(days=n // len(PLACES) * 3)
        incident = _incident(rng, n)
        place = incident[0]
        for r in range(reports_per_incident):
            text = _report(rng, incident, day, f" (report {r + 1} of incident {n})", filler)
            out.append(
                Article(
                    id=f"syn-{seed}-{n}-{r}",
                    text=text,
                    title=f"Attack on {place}",
                    published=day + timedelta(days=1),
                )
            )
    return out


# ~556 words, like the seed articles (measured: PERFORMANCE-NOTES.md); each FILLER adds ~31 words.
SEED_SIZED_FILLER = 16


def distinct_incidents(
    count: int, *, first_day: date, tag: str, filler: int = SEED_SIZED_FILLER
) -> list[Article]:
    """One report per incident, each at its own (place, day), so every article should raise its
    own alert (version 1) and latency is measured per article."""
    rng = random.Random(tag)
    out: list[Article] = []
    for n in range(count):
        # Three days apart per lap of the places: outside the clustering window of ±1 day.
        day = first_day + timedelta(days=n // len(PLACES) * 3)
        incident = _incident(rng, n)
        place = incident[0]
        text = _report(rng, incident, day, "", filler)
        out.append(
            Article(id=f"{tag}-{n}", text=text, title=f"Attack on {place}", published=day + timedelta(days=1))
        )
    return out
