"""`make eval`: classify every labelled file in ../shared/data the way `strikewatch classify` does, score
each with the held-out scorer (../shared/tools/score.py), per file and per origin, beside the
baseline, and write EVAL.md.

The texts are read from beside the repository and never copied into it; only figures are written.
The baseline (`eval_baseline.json`) is the scores of the classifier before issue 12 (commit ce4b2ae),
made with `--baseline-from DIR` from that version's `strikewatch classify` output."""

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
DATA_DIR = REPO.parent / "shared" / "data"
DEFAULT_DATA = DATA_DIR / "dev.jsonl"
SCORER = REPO.parent / "shared" / "tools" / "score.py"
SEEDS = REPO / "seeds"
BASELINE = Path(__file__).resolve().parent / "eval_baseline.json"
BASELINE_NAME = "before: rules-0.4.0 (commit ce4b2ae, before issue 12)"

# (metric key, label, floor on dev.jsonl or None) — floors from issue 3.
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
INVENTED = ("killed_invented", "injured_invented", "launched_invented", "intercepted_invented")


def origin_of(record: dict[str, Any]) -> str:
    """The three kinds of text the labelled files hold (LABELS.md)."""
    origin = str(record.get("origin") or "")
    if origin.startswith("acled"):
        return "event note"
    if origin.startswith("osint"):
        return "caption"
    return "news page"


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


def read_gold(data: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_groups(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Scores of the whole file ("all") and of each origin in it."""
    scorer = load_scorer()
    by_id = {p.get("id"): p for p in pred}
    groups: dict[str, list[dict[str, Any]]] = {"all": gold}
    for record in gold:
        groups.setdefault(origin_of(record), []).append(record)
    out: dict[str, dict[str, Any]] = {}
    for name, records in groups.items():
        out[name] = scorer.score(records, [by_id.get(r.get("id"), {}) for r in records])
    return out


def measure_throughput(classifier: Classifier, rounds: int = 3, copies: int = 20) -> Throughput:
    """Articles/s on one core, classifier vs the bare tokenizer, medians of interleaved rounds."""
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS.glob("*.txt"))]
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


def _shown(metrics: dict[str, Any] | None, key: str) -> str:
    if metrics is None:
        return "–"
    value = metrics.get(key)
    n = (
        metrics.get(key.replace("_exact", "_n"))
        if key.endswith("_exact") and key != "event_date_exact"
        else None
    )
    return _fmt(value) + (f" (n{n})" if n else "")


def _change(before: dict[str, Any] | None, after: dict[str, Any], key: str) -> str:
    b, a = (before or {}).get(key), after.get(key)
    if not isinstance(b, int | float) or not isinstance(a, int | float):
        return ""
    worse = a > b if key in INVENTED else a < b
    better = a < b if key in INVENTED else a > b
    return " ▼" if worse and abs(a - b) > 1e-9 else " ▲" if better and abs(a - b) > 1e-9 else ""


def file_section(
    name: str, scores: dict[str, dict[str, Any]], baseline: dict[str, dict[str, Any]] | None
) -> list[str]:
    # A file of one origin: its "all" column is that origin's.
    groups = list(scores) if len(scores) > 2 else ["all"]
    header = ["field"]
    for group in groups:
        shown = group if len(scores) > 2 else next(g for g in scores if g != "all")
        label = f"{shown} ({scores[group]['n']})"
        header += [f"{label} before", f"{label} after"]
    lines = [f"## {name}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    keys = [(key, label) for key, label, _ in FLOORS] + [
        (k, k.replace("_", " ") + " (a figure where gold has none)") for k in INVENTED
    ]
    keys.append(("errors", "lines that errored"))
    for key, label in keys:
        row = [label]
        for group in groups:
            before = (baseline or {}).get(group)
            row += [_shown(before, key), _shown(scores[group], key) + _change(before, scores[group], key)]
        lines.append("| " + " | ".join(row) + " |")
    return [*lines, ""]


def floors_section(metrics: dict[str, Any]) -> tuple[list[str], bool]:
    lines = ["## Floors on dev.jsonl (issue 3)", "", "| field | value | floor | pass |", "|---|---|---|---|"]
    ok = True
    for key, label, floor in FLOORS:
        if floor is None:
            continue
        value = metrics.get(key)
        passed = value is not None and value >= floor
        ok = ok and passed
        lines.append(f"| {label} | {_fmt(value)} | ≥ {floor:.2f} | {'pass' if passed else 'FAIL'} |")
    errors = metrics.get("errors")
    ok = ok and not errors
    lines.append(f"| lines that errored | {errors} | 0 | {'pass' if not errors else 'FAIL'} |")
    return [*lines, ""], ok


def throughput_section(tp: Throughput) -> list[str]:
    tp_ok = tp.classifier_per_s >= 120 and tp.ratio <= 2.5
    return [
        "## Throughput (one core, CPU time, median of 3 interleaved rounds)",
        "",
        f"{tp.articles} seed articles (~{tp.words_per_article:.0f} words each), same texts, same run "
        "(a warm tokenizer cache; `make bench` measures cold caches and is the reference):",
        "",
        "| pipeline | articles/s | × tokenizer |",
        "|---|---|---|",
        f'| `spacy.blank("en")` tokenizer only | {tp.tokenizer_per_s:.0f} | 1.00 |',
        f"| strikewatch classifier (normalise + matchers + stages + pydantic) | {tp.classifier_per_s:.0f} "
        f"| {tp.ratio:.2f} |",
        "",
        f"Floors: ≥ 120 articles/s and ≤ 2.5× the tokenizer → {'pass' if tp_ok else 'FAIL'}.",
        "",
    ]


def data_files(data_dir: Path = DATA_DIR) -> list[Path]:
    return sorted(data_dir.glob("*.jsonl"))


def evaluate(files: list[Path], classifier: Classifier) -> dict[str, dict[str, dict[str, Any]]]:
    """Scores per file name, per group ("all" and each origin)."""
    return {path.name: score_groups(read_gold(path), predict(path, classifier)) for path in files}


def render(
    results: dict[str, dict[str, dict[str, Any]]],
    baseline: dict[str, dict[str, dict[str, Any]]],
    tp: Throughput | None,
) -> tuple[str, bool]:
    lines = [
        "# Classifier evaluation",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- classifier: `{CLASSIFIER_VERSION}`; {BASELINE_NAME}",
        f"- data: every labelled file beside the repository (shared/data: {', '.join(results)}), scored by "
        f"`{SCORER.name}` "
        "(the held-out scorer); one table per file, columns per origin (news page, event note = "
        "ACLED-like, caption = OSINT) before and after. ▲/▼: better/worse than before.",
        "- reproduce: `make eval` (= `.venv/bin/python -m services.classifier.evaluate`)",
        "",
    ]
    ok = True
    dev = results.get("dev.jsonl")
    if dev is not None:
        floor_lines, ok = floors_section(dev["all"])
        lines += floor_lines
    for name, scores in results.items():
        lines += file_section(name, scores, baseline.get(name))
    if tp is not None:
        lines += throughput_section(tp)
    lines += [f"Overall: {'PASS' if ok else 'FAIL'} on the dev floors.", ""]
    return "\n".join(lines), ok


def run(data: Path, out: Path | None, throughput: bool = True) -> tuple[dict[str, Any], bool, str]:
    """Score one file (the floors test) — or, via `main`, every file. Returns (metrics of `data`, the
    floors passed, the report)."""
    classifier = Classifier()
    results = evaluate([data], classifier)
    tp = measure_throughput(classifier) if throughput else None
    report, ok = render(results, load_baseline(), tp)
    if out is not None:
        out.write_text(report, encoding="utf-8")
    return results[data.name]["all"], ok, report


def load_baseline() -> dict[str, dict[str, dict[str, Any]]]:
    if not BASELINE.exists():
        return {}
    data: dict[str, dict[str, dict[str, Any]]] = json.loads(BASELINE.read_text(encoding="utf-8"))
    return data


def write_baseline(pred_dir: Path, files: list[Path]) -> None:
    """Score the baseline's predictions (`pred_dir/<file>`, from `strikewatch classify`)."""
    scores = {}
    for path in files:
        pred_path = pred_dir / path.name
        pred = [json.loads(x) for x in pred_path.read_text(encoding="utf-8").splitlines() if x.strip()]
        scores[path.name] = score_groups(read_gold(path), pred)
    BASELINE.write_text(json.dumps(scores, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--out", type=Path, default=REPO / "EVAL.md")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--baseline-from", type=Path, help="write eval_baseline.json from these predictions")
    args = parser.parse_args(argv)
    files = data_files(args.data_dir)
    if not files:
        print(f"no labelled files in {args.data_dir}", file=sys.stderr)
        return 2
    if args.baseline_from:
        write_baseline(args.baseline_from, files)
        return 0
    classifier = Classifier()
    results = evaluate(files, classifier)
    tp = None if args.no_throughput else measure_throughput(classifier)
    report, ok = render(results, load_baseline(), tp)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
