"""Proof that a speed change changes no output: every classification of the shared data files and
the seeds, written as JSONL (`dump DIR`), then compared byte for byte with an earlier dump
(`compare BEFORE AFTER`; exit 1 and the first differing line of each file on any difference).

    .venv/bin/python -m bench.outputs dump /tmp/speed-before
    .venv/bin/python -m bench.outputs dump /tmp/speed-after
    .venv/bin/python -m bench.outputs compare /tmp/speed-before /tmp/speed-after
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.common import DEV_PATH, seed_articles
from services.classifier.engine import Classifier
from services.classifier.offline import classify_jsonl
from services.common.outcome import Rejected


def dump(out_dir: Path) -> None:
    """One `<file>.jsonl` per shared data file (classified through `classify_jsonl`, as the CLI
    does) and `seeds.jsonl` for the seed articles."""
    out_dir.mkdir(parents=True, exist_ok=True)
    classifier = Classifier()
    for data in sorted(DEV_PATH.parent.glob("*.jsonl")):
        with data.open(encoding="utf-8") as f:
            lines = list(classify_jsonl(f, classifier))
        (out_dir / data.name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    seeds = classifier.classify(seed_articles())
    text = [r.reason if isinstance(r, Rejected) else r.model_dump_json() for r in seeds]
    (out_dir / "seeds.jsonl").write_text("\n".join(text) + "\n", encoding="utf-8")


def compare(before: Path, after: Path) -> int:
    """0 when every file of `before` is in `after` with the same bytes; else 1 (differences printed)."""
    status = 0
    for old in sorted(before.glob("*.jsonl")):
        new = after / old.name
        a = old.read_text(encoding="utf-8").splitlines()
        b = new.read_text(encoding="utf-8").splitlines() if new.exists() else []
        if a == b:
            print(f"{old.name}: {len(a)} lines identical")
            continue
        status = 1
        first = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
        print(f"{old.name}: DIFFERS ({len(a)} vs {len(b)} lines; first at line {first + 1})")
    return status


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "dump":
        dump(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
