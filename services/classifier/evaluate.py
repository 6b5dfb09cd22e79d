"""`make eval`: classify the labelled dev set the way `strikewatch classify` does, score it, write EVAL.md."""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import spacy

from schemas.models import Article

from .engine import CLASSIFIER_VERSION, Classifier
from .offline import classify_jsonl

REPO = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO.parent / "shared" / "data" / "dev.jsonl"
SCORER = REPO.parent / "shared" / "tools" / "score.py"
SEEDS = REPO / "seeds"

# (metric key, label, floor or None, kind) — floors from issue 3.
FLOORS: list[tuple[str, str, float | None]] = [
    ("is_attack_p", "is_attack precision", 0.95),
    ("is_attack_r", "is_attack recall", None),
    ("is_attack_f1", "is_attack F1", 0.95),
    ("types_f1", "attack_types micro-F1", 0.90),
    ("location_p", "locations precision (by name)", None),
    ("location_r", "locations recall (by name)", None),
    ("location_f1", "locations micro-F1 (by name)", 0.90),
    ("killed_exact", "killed exact (records that state it)", 0.85),
    ("injured_exact", "injured exact (records that state it)", 0.85),
    ("launched_exact", "launched exact", None),
    ("intercepted_exact", "intercepted exact", None),
    ("event_date_exact", "event_date exact", None),
    ("severity_exact", "severity exact", 0.80),
    ("severity_within1", "severity within one level", 0.95),
    ("attacker_exact", "attacker exact", None),
]


@dataclass(frozen=True)
class Throughput:
    articles: int
    words_per_article: float
    classifier_per_s: float
    tokenizer_per_s: float

    @property
    def ratio(self) -> float:
        return self.tokenizer_per_s / self.classifier_per_s


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("strikewatch_score", SCORER)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"scorer not found at {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(data: Path, classifier: Classifier) -> list[dict[str, Any]]:
    with data.open(encoding="utf-8") as f:
        return [json.loads(line) for line in classify_jsonl(f, classifier)]


def targets_f1(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> float | None:
    """Micro-F1 of targets on attack records, or None when the gold carries no target labels."""
    if not any("targets" in g for g in gold):
        return None
    by_id = {p.get("id"): p for p in pred}
    tp = fp = fn = 0
    for g in gold:
        if not g.get("is_attack"):
            continue
        gt, pt = set(g.get("targets") or []), set(by_id.get(g.get("id"), {}).get("targets") or [])
        tp, fp, fn = tp + len(gt & pt), fp + len(pt - gt), fn + len(gt - pt)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return 2 * p * r / (p + r) if p + r else 0.0


def measure_throughput(classifier: Classifier, rounds: int = 3, copies: int = 20) -> Throughput:
    """Articles/s on one core, classifier vs the bare tokenizer, medians of interleaved rounds."""
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        texts.append(text)
    articles = [Article(id=f"bench-{i}", text=t) for i, t in enumerate(texts * copies)]
    blank = spacy.blank("en")
    tok_rates: list[float] = []
    clf_rates: list[float] = []
    classifier.classify(articles[:5])  # warm caches
    for _ in range(rounds):
        t0 = time.process_time()
        for _doc in blank.tokenizer.pipe([a.text for a in articles]):  # type: ignore[union-attr]
            pass
        tok_rates.append(len(articles) / max(time.process_time() - t0, 1e-9))
        t0 = time.process_time()
        classifier.classify(articles)
        clf_rates.append(len(articles) / max(time.process_time() - t0, 1e-9))
    words = statistics.mean(len(t.split()) for t in texts)
    return Throughput(len(articles), words, statistics.median(clf_rates), statistics.median(tok_rates))


def _fmt(value: Any) -> str:
    return "n/a" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def render(metrics: dict[str, Any], tgt: float | None, tp: Throughput | None, data: Path) -> tuple[str, bool]:
    lines = [
        "# Classifier evaluation",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- classifier: `{CLASSIFIER_VERSION}`; data: `{data}` ({metrics['n']} records); "
        f"scored by `{SCORER.name}` (the held-out scorer)",
        "- reproduce: `make eval` (= `.venv/bin/python -m services.classifier.evaluate`)",
        "",
        "| field | value | floor | pass |",
        "|---|---|---|---|",
    ]
    ok = True
    for key, label, floor in FLOORS:
        value = metrics.get(key)
        n = (
            metrics.get(key.replace("_exact", "_n"))
            if key.endswith("_exact") and key != "event_date_exact"
            else None
        )
        shown = _fmt(value) + (f" (n={n})" if n is not None else "")
        if floor is None:
            lines.append(f"| {label} | {shown} | – | – |")
            continue
        passed = value is not None and value >= floor
        ok = ok and passed
        lines.append(f"| {label} | {shown} | ≥ {floor:.2f} | {'pass' if passed else 'FAIL'} |")
    lines.append(
        "| targets micro-F1 | "
        + ("n/a: the dev gold carries no target labels" if tgt is None else f"{tgt:.3f}")
        + " | – | – |"
    )
    for key in ("killed_invented", "injured_invented", "launched_invented", "intercepted_invented"):
        lines.append(
            f"| {key.replace('_', ' ')} (a figure where gold has none) | {_fmt(metrics.get(key))} | – | – |"
        )
    errors = metrics.get("errors")
    lines.append(f"| lines that errored | {errors} | 0 | {'pass' if not errors else 'FAIL'} |")
    if tp is not None:
        tp_ok = tp.classifier_per_s >= 120 and tp.ratio <= 2.5
        lines += [
            "",
            "## Throughput (one core, CPU time, median of 3 interleaved rounds)",
            "",
            f"{tp.articles} seed articles (~{tp.words_per_article:.0f} words each), same texts, same run:",
            "",
            "| pipeline | articles/s | × tokenizer |",
            "|---|---|---|",
            f'| `spacy.blank("en")` tokenizer only | {tp.tokenizer_per_s:.0f} | 1.00 |',
            f"| strikewatch classifier (matchers + extraction + pydantic) | {tp.classifier_per_s:.0f} "
            f"| {tp.ratio:.2f} |",
            "",
            f"Floors: ≥ 120 articles/s and ≤ 2.5× the tokenizer → {'pass' if tp_ok else 'FAIL'}.",
        ]
    lines += ["", f"Overall: {'PASS' if ok else 'FAIL'} on the dev floors.", ""]
    return "\n".join(lines), ok


def run(data: Path, out: Path | None, throughput: bool = True) -> tuple[dict[str, Any], bool, str]:
    classifier = Classifier()
    pred = predict(data, classifier)
    gold = [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]
    metrics: dict[str, Any] = load_scorer().score(gold, pred)
    tp = measure_throughput(classifier) if throughput else None
    report, ok = render(metrics, targets_f1(gold, pred), tp, data)
    if out is not None:
        out.write_text(report, encoding="utf-8")
    return metrics, ok, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=REPO / "EVAL.md")
    parser.add_argument("--no-throughput", action="store_true")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"dev data not found at {args.data}", file=sys.stderr)
        return 2
    _, ok, report = run(args.data, args.out, throughput=not args.no_throughput)
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
