"""The offline JSONL path and the dev-set floors of issue 3."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from services.classifier import evaluate
from services.classifier.engine import Classifier
from services.classifier.offline import classify_jsonl


def test_classify_jsonl_keeps_order_and_reports_bad_lines(classifier: Classifier) -> None:
    lines = [
        json.dumps({"id": "a", "text": "Russian drones hit Odesa overnight.", "published": "2024-03-04"}),
        "not json",
        json.dumps([1, 2]),
        json.dumps({"id": "d", "text": "  "}),
        json.dumps({"id": "e", "text": "Bread prices rose."}),
    ]
    out = [json.loads(x) for x in classify_jsonl(lines, classifier, batch_size=2)]
    assert [o.get("id") for o in out] == ["a", None, None, "d", "e"]
    assert out[0]["is_attack"] and not out[4]["is_attack"]
    assert all("error" in o for o in out[1:4])


@pytest.mark.skipif(not evaluate.DEFAULT_DATA.exists(), reason=f"dev set absent at {evaluate.DEFAULT_DATA}")
def test_dev_set_meets_the_floors(tmp_path: Path) -> None:
    metrics, ok, report = evaluate.run(evaluate.DEFAULT_DATA, tmp_path / "EVAL.md", throughput=False)
    assert metrics["is_attack_p"] >= 0.95 and metrics["is_attack_f1"] >= 0.95
    assert metrics["location_f1"] >= 0.90 and metrics["types_f1"] >= 0.90
    assert metrics["killed_exact"] >= 0.85 and metrics["injured_exact"] >= 0.85
    assert metrics["severity_exact"] >= 0.80 and metrics["severity_within1"] >= 0.95
    assert metrics["errors"] == 0 and ok, report


def test_classify_jsonl_prints_a_refused_article_as_an_error_line(classifier: Classifier) -> None:
    huge = "Kyiv " * (classifier.bounds.max_chars // 5 + 1)
    lines = [
        json.dumps({"id": "big", "text": huge}),
        json.dumps({"id": "ok", "text": "Russian drones hit Odesa overnight.", "published": "2024-03-04"}),
    ]
    out = [json.loads(x) for x in classify_jsonl(lines, classifier)]
    assert out[0]["id"] == "big" and "limit is" in out[0]["error"] and set(out[0]) == {"id", "error"}
    assert out[1]["id"] == "ok" and out[1]["is_attack"]
