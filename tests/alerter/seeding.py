"""The five seeds through the real classifier and the clustering, as the alerter sees them, each
article given an outlet and an address so provenance can be followed back."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from schemas import Alert, Article, Classification
from services.alerter.clustering import IncidentState, assign, lookup_keys
from services.alerter.render import alert_from_state

if TYPE_CHECKING:
    from services.classifier.engine import Classifier

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
PUBLISHED = {
    "000": "2024-01-01",
    "001": "2022-12-19",
    "002": "2022-12-19",
    "003": "2023-01-03",
    "004": "2022-12-19",
}


def seed_articles() -> dict[str, Article]:
    articles = {}
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        if text.lstrip().startswith("date "):  # the producer strips this header before classifying
            text = text.lstrip()[len("date 2024-01-01 ") :]
        seed = path.stem[:3]
        articles[seed] = Article(
            id=seed,
            text=text,
            published=date.fromisoformat(PUBLISHED[seed]),
            source=f"Outlet {seed}",
            url=f"https://news.example.org/{seed}",
        )
    return articles


def classified_seeds(engine: Classifier) -> list[Classification]:
    """The seed articles as the classifier reports them, in file order."""
    return engine.classify(list(seed_articles().values()))


def classified_seed_alerts(engine: Classifier, *, now: datetime) -> tuple[dict[str, Article], list[Alert]]:
    """The seed articles, and the latest alert of each incident they make."""
    articles = seed_articles()
    states: dict[str, IncidentState] = {}
    for classification in classified_seeds(engine):
        keys = set(lookup_keys(classification))
        candidates = [s for s in states.values() if keys & set(s.index_keys())]
        state = assign(candidates, classification, now=now, sender="strikewatch").state
        states[state.alert_id] = state
    return articles, [alert_from_state(state) for state in states.values()]
