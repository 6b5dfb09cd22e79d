"""`make eval`: classify every labelled file in ../shared/data the way `strikewatch classify` does, score
each with the held-out scorer (../shared/tools/score.py), per file, per origin, per `lang` (when records
carry one) and per half, beside the baseline, and write EVAL.md.

Halves (issue 13's held-out discipline): each file is split into half A and half B by the parity of the
SHA-1 of the record id. Rules are written from half-A errors only (`--errors FILE`), then checked on B;
EVAL.md reports both, so the gap between them says how far a rule generalised.

The texts are read from beside the repository and never copied into it; only figures are written.
The baseline (`eval_baseline.json`) is the scores of the classifier before issue 13 (rules-0.5.0,
commit bf0057a), made with `--baseline-from DIR` from that version's `strikewatch classify` output."""

from __future__ import annotations

import argparse
import hashlib
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
BASELINE_NAME = "before: rules-0.5.0 (commit bf0057a, before issue 13)"

# (metric key, label) in the order of the tables.
METRICS: list[tuple[str, str]] = [
    ("is_attack_p", "is_attack precision"),
    ("is_attack_r", "is_attack recall"),
    ("is_attack_f1", "is_attack F1"),
    ("types_f1", "attack_types micro-F1"),
    ("location_p", "locations precision (by name)"),
    ("location_r", "locations recall (by name)"),
    ("location_f1", "locations micro-F1 (by name)"),
    ("killed_exact", "killed exact (records that state it)"),
    ("injured_exact", "injured exact (records that state it)"),
    ("launched_exact", "launched exact"),
    ("intercepted_exact", "intercepted exact"),
    ("event_date_exact", "event_date exact"),
    ("severity_exact", "severity exact"),
    ("severity_within1", "severity within one level"),
    ("attacker_exact", "attacker exact"),
]
LABELS = dict(METRICS)

# Issue 13's floors, per English dev file (metric key -> floor). Captions (dev_short) have lower
# recall and location floors. A metric a file cannot measure (None: no record states it) passes.
_NEWS_FLOORS = {
    "is_attack_p": 0.95,
    "is_attack_r": 0.95,
    "location_f1": 0.90,
    "types_f1": 0.90,
    "killed_exact": 0.85,
    "injured_exact": 0.85,
    "launched_exact": 0.80,
    "intercepted_exact": 0.80,
    "event_date_exact": 0.85,
    "severity_exact": 0.80,
    "severity_within1": 0.95,
    "attacker_exact": 0.90,
}
FLOORS: dict[str, dict[str, float]] = {
    "dev.jsonl": _NEWS_FLOORS,
    "dev_news.jsonl": _NEWS_FLOORS,
    "dev_short.jsonl": {**_NEWS_FLOORS, "is_attack_r": 0.90, "location_f1": 0.85},
}
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


def half_of(record_id: object) -> str:
    """ "A" or "B": the parity of the SHA-1 of the record id (stable across runs and machines)."""
    return "A" if _digest(record_id) % 2 == 0 else "B"


def quarter_of(record_id: object) -> str | None:
    """ "B1" or "B2" for a half-B record (the next bit of the same SHA-1), None for half A.

    The second round of rules (after half A was used up) was written from B1 only and checked on B2,
    so one quarter of every file stays a check that no rule was written from."""
    digest = _digest(record_id)
    if digest % 2 == 0:
        return None
    return "B1" if (digest >> 1) % 2 == 0 else "B2"


def _digest(record_id: object) -> int:
    return int(hashlib.sha1(str(record_id).encode("utf-8"), usedforsecurity=False).hexdigest(), 16)


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("strikewatch_score", SCORER)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(f"scorer not found at {SCORER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def predict(data: Path, classifier: Classifier) -> list[dict[str, Any]]:
    with data.open(encoding="utf-8") as f:
        # Blank lines are skipped here as `read_gold` skips them (classify_jsonl answers each with
        # an error line), so predictions stay aligned with the gold records.
        return [json.loads(line) for line in classify_jsonl((x for x in f if x.strip()), classifier)]


def read_gold(data: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in data.read_text(encoding="utf-8").splitlines() if line.strip()]


def group_names(record: dict[str, Any]) -> list[str]:
    """The groups a record is scored in besides "all": its origin, its `lang` ("lang uk") when it
    carries one, and its half ("half A")."""
    names = [origin_of(record)]
    if record.get("lang"):
        names.append(f"lang {record['lang']}")
    names.append(f"half {half_of(record.get('id'))}")
    quarter = quarter_of(record.get("id"))
    if quarter:
        names.append(f"half {quarter}")
    return names


def score_groups(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Scores of the whole file ("all"), of each origin, each `lang` value and each half in it."""
    scorer = load_scorer()
    by_id = {p.get("id"): p for p in pred}
    groups: dict[str, list[dict[str, Any]]] = {"all": gold}
    for record in gold:
        for name in group_names(record):
            groups.setdefault(name, []).append(record)
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


def _table(
    title: str,
    groups: list[str],
    scores: dict[str, dict[str, Any]],
    baseline: dict[str, dict[str, Any]] | None,
) -> list[str]:
    header = ["field"]
    for group in groups:
        label = f"{group} ({scores[group]['n']})"
        header += [f"{label} before", f"{label} after"]
    lines = [title, "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    keys = [*METRICS, *((k, k.replace("_", " ") + " (a figure where gold has none)") for k in INVENTED)]
    keys.append(("errors", "lines that errored"))
    for key, label in keys:
        row = [label]
        for group in groups:
            before = (baseline or {}).get(group)
            row += [_shown(before, key), _shown(scores[group], key) + _change(before, scores[group], key)]
        lines.append("| " + " | ".join(row) + " |")
    return [*lines, ""]


def file_section(
    name: str, scores: dict[str, dict[str, Any]], baseline: dict[str, dict[str, Any]] | None
) -> list[str]:
    """One table per file by origin ("all" first when there are several), one per `lang` when records
    carry one, and one by half."""
    origins = [g for g in scores if g != "all" and not g.startswith(("lang ", "half "))]
    by_origin = ["all", *origins] if len(origins) > 1 else ["all"]
    if len(origins) == 1:
        # A file of one origin: name the column after it.
        scores = {**scores, origins[0]: scores["all"]}
        baseline = {**(baseline or {}), origins[0]: (baseline or {}).get("all", {})}
        by_origin = origins
    lines = [f"## {name}", ""]
    lines += _table(f"### {name}: by origin", by_origin, scores, baseline)
    langs = [g for g in scores if g.startswith("lang ")]
    if langs:
        lines += _table(f"### {name}: by language", sorted(langs), scores, baseline)
    halves = sorted(g for g in scores if g.startswith("half "))
    lines += _table(
        f"### {name}: by half (first rules written from A, later ones from B1; B2 is checked only)",
        halves,
        scores,
        baseline,
    )
    return lines


def floor_failures(name: str, metrics: dict[str, Any]) -> list[str]:
    """Each floor of issue 13 that `metrics` (a file's "all" scores) misses, as "label value < floor"."""
    out = []
    for key, floor in FLOORS.get(name, {}).items():
        value = metrics.get(key)
        if value is not None and value < floor:
            out.append(f"{LABELS[key]} {value:.3f} < {floor:.2f}")
    if metrics.get("errors"):
        out.append(f"{metrics['errors']} lines errored")
    return out


def floors_section(results: dict[str, dict[str, dict[str, Any]]]) -> tuple[list[str], bool]:
    files = [name for name in FLOORS if name in results]
    header = ["field", *(f"{name} value / floor" for name in files)]
    lines = [
        "## Floors (issue 13)",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    ok = True
    for key, label in METRICS:
        if not any(key in FLOORS[name] for name in files):
            continue
        row = [label]
        for name in files:
            floor = FLOORS[name].get(key)
            value = results[name]["all"].get(key)
            if floor is None:
                row.append(_fmt(value))
                continue
            passed = value is None or value >= floor
            ok = ok and passed
            row.append(f"{_fmt(value)} / ≥ {floor:.2f} {'pass' if passed else '**FAIL**'}")
        lines.append("| " + " | ".join(row) + " |")
    errors = [results[name]["all"].get("errors") for name in files]
    ok = ok and not any(errors)
    lines.append("| lines that errored | " + " | ".join(f"{e} / 0" for e in errors) + " |")
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
        "(the held-out scorer); per file one table by origin (news page, event note = ACLED-like, "
        "caption = OSINT), one by `lang` where records carry one, and one by half (A: the half the first "
        "rules were written from; B1, a quarter of the file inside B: the later rules; B2: checked only, "
        "never read while writing a rule), before and after. ▲/▼: better/worse than before.",
        "- reproduce: `make eval` (= `.venv/bin/python -m services.classifier.evaluate`)",
        "",
    ]
    floor_lines, ok = floors_section(results)
    lines += floor_lines
    for name, scores in results.items():
        lines += file_section(name, scores, baseline.get(name))
    if tp is not None:
        lines += throughput_section(tp)
    lines += [f"Overall: {'PASS' if ok else 'FAIL'} on the floors of issue 13.", ""]
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


def halves_summary(results: dict[str, dict[str, dict[str, Any]]]) -> str:
    """A compact A | B view of every metric per file (`--halves`), to see how far apart they are."""
    out = []
    for name, scores in results.items():
        parts = [(h, scores.get(f"half {h}", {})) for h in ("A", "B", "B1", "B2")]
        out.append(f"{name}: " + " | ".join(f"half {h} ({s.get('n')})" for h, s in parts))
        for key, label in METRICS:
            out.append(f"  {label:40} " + " | ".join(f"{_shown(s, key):>12}" for _, s in parts))
    return "\n".join(out)


_COMPARED = (
    "is_attack",
    "attacker",
    "attack_types",
    "killed",
    "injured",
    "launched",
    "intercepted",
    "event_date",
    "severity",
)


def errors(data: Path, classifier: Classifier, half: str = "A") -> str:
    """Development aid (`--errors FILE`): the records of one half whose prediction differs from the
    label, field by field, with the text. Printed only, never written into the repository (the texts
    are third-party material)."""
    gold = [r for r in read_gold(data) if half in (half_of(r.get("id")), quarter_of(r.get("id")))]
    pred = {p.get("id"): p for p in predict(data, classifier)}
    scorer = load_scorer()
    lines = []
    for g in gold:
        p = pred.get(g.get("id"), {})
        skip = set(g.get("unlabelled") or [])
        diffs = []
        for key in _COMPARED:
            if key in skip or (key != "is_attack" and not g.get("is_attack")):
                continue
            want = g.get(key)
            got = (
                p.get(key)
                if key in ("is_attack", "attacker", "attack_types", "event_date", "severity")
                else (scorer.num(p, key))
            )
            if key == "attack_types":
                want, got = sorted(want or []), sorted(got or [])
            if key == "attacker":
                want, got = scorer.norm_actor(want), scorer.norm_actor(got)
            if key == "event_date" and g.get("event_date_basis") == "external":
                continue
            lo, hi = g.get(f"{key}_min"), g.get(f"{key}_max")
            if key in ("killed", "injured", "launched", "intercepted") and want is None:
                if got in (None, 0):
                    continue
            elif lo is not None and hi is not None and isinstance(got, int) and lo <= got <= hi:
                continue
            if want != got:
                diffs.append(f"{key}: want {want!r} got {got!r}")
        if g.get("is_attack") and "locations" not in skip:
            want_places, got_places = scorer.places(g), scorer.places(p)
            if want_places != got_places:
                diffs.append(f"locations: want {sorted(want_places)} got {sorted(got_places)}")
        if diffs:
            lines.append(f"--- {g.get('id')} published {g.get('published')}")
            lines += [f"    {d}" for d in diffs]
            lines.append("    " + str(g.get("text"))[:1500].replace("\n", " / "))
            if g.get("label_notes"):
                lines.append(f"    notes: {g['label_notes']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR)
    parser.add_argument("--out", type=Path, default=REPO / "EVAL.md")
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument("--baseline-from", type=Path, help="write eval_baseline.json from these predictions")
    parser.add_argument(
        "--halves", action="store_true", help="print half A beside half B per file; no EVAL.md"
    )
    parser.add_argument("--errors", type=Path, help="print one half's mispredicted records of this file")
    parser.add_argument(
        "--half",
        choices=("A", "B", "B1", "B2"),
        default="A",
        help="the half (or quarter of B) --errors prints",
    )
    args = parser.parse_args(argv)
    if args.errors:
        print(errors(args.errors, Classifier(), args.half))
        return 0
    files = data_files(args.data_dir)
    if not files:
        print(f"no labelled files in {args.data_dir}", file=sys.stderr)
        return 2
    if args.baseline_from:
        write_baseline(args.baseline_from, files)
        return 0
    classifier = Classifier()
    results = evaluate(files, classifier)
    if args.halves:
        print(halves_summary(results))
        return 0
    tp = None if args.no_throughput else measure_throughput(classifier)
    report, ok = render(results, load_baseline(), tp)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
