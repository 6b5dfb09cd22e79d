"""Stories for the live-source tests, written for these tests (not taken from any data set)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.sources.sites import Story, now_utc

ATTACK_PARAGRAPHS = [
    "Russian drones struck an apartment block in Kharkiv overnight, killing two residents and injuring "
    "eleven others, the regional governor said on Tuesday.",
    "Emergency crews pulled survivors from the rubble of the nine-storey building in the city's "
    "north-east until dawn, according to the state emergency service.",
    "The air force said it had shot down most of the drones launched across the country, but several "
    "got through the air defences around the city.",
    "Local officials said heating and water supplies to the district were cut while engineers "
    "inspected the damage to the block and the substation beside it.",
]

CALM_PARAGRAPHS = [
    [
        "The city council approved a new budget for public libraries on Monday after a long debate "
        "about opening hours in the outer districts.",
        "Councillors agreed to keep the central reading room open until nine in the evening and to "
        "fund a mobile library that will visit villages twice a month.",
        "The plan also sets aside money to repair the roof of the children's library, which has "
        "leaked through two winters.",
    ],
    [
        "Farmers in the south expect a larger wheat harvest than last year thanks to steady spring "
        "rain, the agriculture ministry said.",
        "Exporters said shipping schedules from the river ports were back to normal after the "
        "spring floods receded.",
        "Prices at the regional grain exchange were little changed on the news.",
    ],
    [
        "A new footbridge over the river opened to pedestrians and cyclists on Saturday, linking "
        "two parks that had been separated for decades.",
        "The bridge was paid for by the city and a European development fund and took two years to build.",
        "Residents said the crossing would cut their walk to the railway station by twenty minutes.",
    ],
]


def attack_story(slug: str = "kharkiv-strike", *, hours_ago: float = 0.5) -> Story:
    return Story(
        slug=slug,
        title="Drone strike on Kharkiv apartment block kills two",
        paragraphs=list(ATTACK_PARAGRAPHS),
        published=now_utc() - timedelta(hours=hours_ago),
        summary="Two people were killed in an overnight drone strike, officials said.",
    )


def calm_story(index: int, *, hours_ago: float = 1.0, published: datetime | None = None) -> Story:
    paragraphs = CALM_PARAGRAPHS[index % len(CALM_PARAGRAPHS)]
    titles = ["Council approves library budget", "Wheat harvest expected to grow", "New footbridge opens"]
    return Story(
        slug=f"story-{index}",
        title=f"{titles[index % len(titles)]} ({index})",
        paragraphs=[f"{p} (Report {index}.)" for p in paragraphs],
        published=published or now_utc() - timedelta(hours=hours_ago),
    )
