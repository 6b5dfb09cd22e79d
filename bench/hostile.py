"""Hostile input (issue 10 item 2): CPU seconds of the classifier per adversarial article.

`python -m bench.hostile` (also run by `make bench`) classifies each article of `adversarial_corpus()`
alone, three times, and writes the median and the worst CPU time per article to the section
"Hostile input: classifier CPU per article" of RELIABILITY.md. CPU time (`time.process_time`), not
wall-clock, so a loaded machine does not change the figures much. The test
`tests/reliability/test_hostile_input.py` runs the same corpus and asserts on the work the expensive
stages were given, never on time.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from bench.common import ROOT, replace_section
from schemas import Article
from services.classifier.engine import Bounds, Classifier
from services.common.outcome import Rejected

SECTION = "## Hostile input: classifier CPU per article"
SENTENCE = "Russian drones struck Kharkiv overnight, injuring 4 people, the governor said."
# Alphabets and word endings for made-up words (no dictionary holds them, so the lemmatiser has to
# guess each from its ending, its most expensive path).
UK_LETTERS = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя"
RU_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
UK_ENDINGS = ("ові", "ського", "цями", "івка", "ичі", "енко", "ові,", "ою.")
RU_ENDINGS = ("ого", "ами", "ский", "овка", "ичи", "енко", "ой,", "ах.")
# Just under the classifier's refusal bound (MAX_ARTICLE_CHARS, 200,000).
UNDER_BOUND = 199_000
# The article's own `language` field, for the inputs that declare one.
DECLARED = {
    "English text of 199,000 characters declared language: uk": "uk",
    "Cyrillic head, capitalised English body, declared language: uk": "uk",
}


def unique_words(letters: str, endings: Sequence[str], size: int, *, encoding: str | None = None) -> str:
    """Capitalised made-up words, every one different (its stem spells its number in `letters`),
    joined by spaces up to `size` characters (or bytes in `encoding`)."""
    words: list[str] = []
    used = 0
    for n in itertools.count():
        stem, k = "", n * 7919 + 3_000  # a prime stride: neighbours do not share their first letters
        while k:
            k, digit = divmod(k, len(letters))
            stem += letters[digit]
        word = (stem + endings[n % len(endings)]).capitalize()
        cost = len((word + " ").encode(encoding)) if encoding else len(word) + 1
        if used + cost > size:
            return " ".join(words)
        words.append(word)
        used += cost
    raise AssertionError("unreachable")


def mixed_script(size: int) -> str:
    """Made-up words whose letters alternate between Cyrillic and Latin look-alikes (а/a, о/o, і/i,
    е/e, р/p, с/c), as a spammer's or a filter-dodger's text is written."""
    swap = str.maketrans("аоіерс", "aoiepc")
    words = unique_words(UK_LETTERS, UK_ENDINGS, size).split()
    return " ".join(w.translate(swap) if n % 2 else w for n, w in enumerate(words))


def adversarial_corpus() -> list[tuple[str, str]]:
    """(name, text) pairs, each built to make some stage's cost grow faster than the text."""
    s = SENTENCE
    return [
        ('20,000 "(" + a sentence + 20,000 ")"', "(" * 20_000 + s + ")" * 20_000),
        ("60,000 newlines then a word", "\n" * 60_000 + "Kyiv"),
        ("60,000 CRLF + blanks between sentences", (s + "\r\n \t") * 2_000),
        ("punctuation run (100,000 of !?.,;:)", "!?.,;:" * 16_667 + " " + s),
        ("nested brackets ([{< x 10,000 around a sentence", "([{<" * 10_000 + s + ">}])" * 10_000),
        ("a 1 MB single token", "a" * 1_000_000),
        ("60,000 digits", "7" * 60_000),
        ("60,000 digits as a casualty figure", "Russian drones killed " + "9" * 60_000 + " people in Kyiv."),
        ("100,000 blanks then a sentence", " " * 100_000 + s),
        ("NBSP + zero-width x 50,000", "\u00a0\u200b" * 50_000 + s),
        ("30,000 &amp; entities", "&amp;" * 30_000 + " " + s),
        ("100,000 dots", "." * 100_000),
        ("the same sentence 2,400 times (190 KB)", (s + " ") * 2_400),
        ("'word, ' x 30,000 (one sentence of 180 KB)", "word, " * 30_000),
        ("'1 ' x 60,000 after 'killed'", "Russian shelling killed " + "1 " * 60_000),
        (
            "'at least ' x 20,000 then a figure",
            "Russian missiles killed " + "at least " * 20_000 + "5 people.",
        ),
        ("'drones ' x 25,000", "Russia launched " + "drones " * 25_000),
        ("number words x 20,000", "Russian strikes killed " + "twenty-one thousand " * 8_000),
        ("'a-' x 50,000 (one hyphenated token)", "a-" * 50_000),
        ("'1,000,' x 20,000 (one numeric token)", "1,000," * 20_000),
        # Digit groups read as one grouped number ("1 200 000"): a run of them made every start
        # position re-read the whole run (quadratic; 12,000 characters took 20 s) until the grammar
        # allowed at most four groups after the first.
        (
            "12,000 characters of 3-digit numbers after 'killing'",
            "Russian missiles struck Kharkiv, killing " + " ".join(str(100 + i % 900) for i in range(3_000)),
        ),
        (
            "12,000 characters of comma-grouped numbers after 'killed'",
            "Russian drones killed " + ", ".join(str(100 + i % 900) for i in range(2_400)) + " people",
        ),
        ("Cyrillic letter x 100,000", "Ы" * 100_000),
        ("right-to-left overrides x 50,000", "\u202e\u202d" * 50_000 + s),
        ("capitalised names x 10,000", "Kyiv Kharkiv Odesa " * 10_000),
        ("'date ' header + 50,000 digits", "date 2024-01-01 " + "1" * 50_000),
        ("over the size bound (250,000 characters)", "Kyiv " * 50_000),
        # Issue 14's languages: every word new to the lemmatiser (pymorphy3) and to the vocabulary.
        (
            "1 MB of unique capitalised Ukrainian words",
            unique_words(UK_LETTERS, UK_ENDINGS, 1_000_000, encoding="utf-8"),
        ),
        (
            "199,000 characters of unique capitalised Ukrainian words",
            unique_words(UK_LETTERS, UK_ENDINGS, UNDER_BOUND),
        ),
        (
            "199,000 characters of unique capitalised Russian words",
            unique_words(RU_LETTERS, RU_ENDINGS, UNDER_BOUND),
        ),
        ("Cyrillic and Latin look-alikes mixed in every word (199,000)", mixed_script(UNDER_BOUND)),
        (
            "English text of 199,000 characters declared language: uk",
            ((s + " ") * 2_600)[:UNDER_BOUND],
        ),
        (
            "Cyrillic head, capitalised English body, declared language: uk",
            "Уночі дрони атакували Харків. " + "Drones Struck Kharkiv Overnight Injuring People " * 3_900,
        ),
    ]


def measure(
    engine: Classifier, text: str, repeats: int = 3, *, language: str | None = None
) -> tuple[list[float], str]:
    """CPU seconds of each repeat (the first meets every word new: the worst), and the outcome
    ("classified, is_attack=…" or the refusal)."""
    times: list[float] = []
    outcome = ""
    for i in range(repeats):
        article = Article(id=f"hostile-{i}", text=text, language=language)
        t0 = time.process_time()
        result = engine.classify([article])[0]
        times.append(time.process_time() - t0)
        if isinstance(result, Rejected):
            outcome = "refused: " + result.reason.replace(f"{article.id!r}", "…")
        else:
            outcome = f"classified (is_attack={str(result.is_attack).lower()})"
    return times, outcome


def section(rows: list[tuple[str, int, list[float], str]], bounds: Bounds) -> list[str]:
    worst = max(max(t) for _, _, t, _ in rows)
    lines = [
        SECTION,
        "",
        "Generated by `python -m bench.hostile` (part of `make bench`) on "
        f"{time.strftime('%Y-%m-%d %H:%M')}.",
        "Each article is classified alone, 3 times, by one `Classifier` (pipeline warm); CPU time of the",
        "process (`time.process_time`). Bounds: normalisation collapses symbol runs to 8 characters and",
        "cuts runs of non-blank characters at 64 (offsets kept), the expensive stages read at most "
        f"{bounds.stage_chars:,} normalised characters, and an article over {bounds.max_chars:,} "
        "characters is refused (dead-lettered with the reason). Before this change the first row cost "
        "~150 s and the second ~40 s.",
        "",
        "| input | characters | CPU ms median | CPU ms worst | outcome |",
        "|---|---|---|---|---|",
    ]
    for name, size, times, outcome in rows:
        med, top = statistics.median(times) * 1000, max(times) * 1000
        lines.append(f"| {name} | {size:,} | {med:.1f} | {top:.1f} | {outcome} |")
    lines += ["", f"Worst CPU time per article: **{worst * 1000:.0f} ms**.", ""]
    return lines


def write_section(path: Path, lines: list[str]) -> None:
    """Replace (or append) our section of RELIABILITY.md, leaving every other section as it is."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Reliability\n"
    path.write_text(replace_section(text, SECTION, "\n".join(lines)), encoding="utf-8")


def run(out: Path | None = ROOT / "RELIABILITY.md", log: Callable[[str], None] = print) -> float:
    """Measure the corpus; write the section to `out`; return the worst CPU seconds per article."""
    engine = Classifier()
    # Warm every reader: a language's first article builds its pipeline (~2-6 s, once per process),
    # which is start-up cost, not the cost of the hostile article that happens to come first.
    # The language detector loads its models on its first call, likewise once per process.
    for language in sorted(engine.languages):
        engine.reader(language)
    engine.language_reader.read("Вночі дрони атакували місто.")
    engine.classify([Article(id="warm", text=SENTENCE)])
    rows = []
    for name, text in adversarial_corpus():
        times, outcome = measure(engine, text, language=DECLARED.get(name))
        rows.append((name, len(text), times, outcome))
        log(f"{name}: {max(times) * 1000:.1f} ms, {outcome}")
    lines = section(rows, engine.bounds)
    if out is not None:
        write_section(out, lines)
    return max(max(t) for _, _, t, _ in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.hostile", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "RELIABILITY.md")
    args = parser.parse_args(argv)
    run(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
