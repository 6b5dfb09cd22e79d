"""Issue 14's floors on the labelled Ukrainian and Russian texts (../shared/data/dev_uk_ru.jsonl), per
language, scored by the held-out scorer. A floor not met is a strict xfail carrying its measured
figure (see `SHORTFALLS`), so it is reported, not hidden, and the test says when it starts to pass."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from services.classifier import evaluate
from services.classifier.engine import Classifier

DATA = evaluate.DATA_DIR / "dev_uk_ru.jsonl"
# Issue 14, "Done means": metric key -> floor, for each language.
FLOORS: dict[str, float] = {
    "is_attack_p": 0.93,
    "is_attack_r": 0.90,
    "location_f1": 0.85,
    "types_f1": 0.80,
    "killed_exact": 0.80,
    "injured_exact": 0.80,
    "severity_within1": 0.90,
    "attacker_exact": 0.85,
}
# (language, metric) -> the figure measured when this was written, for the floors not met (whole file,
# per language; halves A/B in the final report of issue 14). Not faked, not fitted to the records.
# (Met in round 4: uk location .899, ru location .872, ru types .882, ru severity within one .938 once
# an earlier night opening a later paragraph of an evening's report counted as another incident.)
SHORTFALLS: dict[tuple[str, str], float] = {}

CASES = [
    pytest.param(
        lang,
        key,
        marks=pytest.mark.xfail(
            strict=True, reason=f"measured {SHORTFALLS[(lang, key)]:.3f} < {FLOORS[key]:.2f} (issue 14)"
        ),
        id=f"{lang}-{key}",
    )
    if (lang, key) in SHORTFALLS
    else pytest.param(lang, key, id=f"{lang}-{key}")
    for lang in ("uk", "ru")
    for key in FLOORS
]


@pytest.fixture(scope="module")
def scores(classifier: Classifier) -> dict[str, dict[str, Any]]:
    if not DATA.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"labelled data absent at {DATA}")
        pytest.skip(f"labelled data absent at {DATA}")
    gold = evaluate.read_gold(Path(DATA))
    return evaluate.score_groups(gold, evaluate.predict(Path(DATA), classifier))


@pytest.mark.parametrize(("lang", "key"), CASES)
def test_floor_per_language(scores: dict[str, dict[str, Any]], lang: str, key: str) -> None:
    value = scores[f"lang {lang}"].get(key)
    assert value is not None and value >= FLOORS[key], f"{lang} {key} = {value} < {FLOORS[key]}"


def test_every_text_is_read_in_its_own_language(classifier: Classifier) -> None:
    if not DATA.exists():
        pytest.skip(f"labelled data absent at {DATA}")
    gold = evaluate.read_gold(Path(DATA))
    predictions = {p["id"]: p for p in evaluate.predict(Path(DATA), classifier)}
    wrong = {
        r["id"]: predictions[r["id"]].get("language")
        for r in gold
        if predictions[r["id"]].get("language") != r["lang"]
    }
    assert not wrong
