"""`strikewatch classify` answers every input line with exactly one output line, in order: blank and
bad lines give an error line naming their line number, and never stop the run (docs/contract.md
section 1)."""

from __future__ import annotations

import json
from pathlib import Path

from schemas import Article, Classification
from services.classifier.engine import Classifier
from services.classifier.offline import classify_jsonl
from services.common.outcome import Rejected
from tests.cli.conftest import run_cli

# Sentences written for these tests.
STRIKE = "Russian drones struck a power substation in Kharkiv overnight, injuring three workers."
CALM = "The regional library extended its opening hours for the winter holidays."
FILLER = "Officials also discussed road repairs, school meals and the tram timetable for the spring."


def record(aid: str, text: str) -> str:
    return json.dumps({"id": aid, "text": text, "published": "2026-02-10"})


def lines_with_every_kind_of_bad_line() -> list[str]:
    long_text = "\n".join([STRIKE, *[f"{FILLER} ({n})" for n in range(200)]])
    return [
        record("a", STRIKE),
        "",  # blank
        "   \t",  # blank but for whitespace
        "{not json",
        "[" * 100_000,  # nested past the decoder's bound (json.loads would raise RecursionError)
        json.dumps([1, 2]),  # JSON, not an article
        json.dumps({"id": "no-text", "title": "headline only"}),
        record("b", CALM),
        record("long", long_text),
        '{"id": "nan", "text": "x", "published": NaN}',
    ]


def test_every_input_line_gets_one_output_line_in_order(engine: Classifier) -> None:
    lines = lines_with_every_kind_of_bad_line()
    out = [json.loads(x) for x in classify_jsonl(lines, engine, batch_size=3)]
    assert len(out) == len(lines)
    errors = {n: o["error"] for n, o in enumerate(out, start=1) if "error" in o}
    assert sorted(errors) == [2, 3, 4, 5, 6, 7, 10]
    for number, message in errors.items():
        assert message.startswith(f"line {number}: "), message
    assert "blank line" in errors[2] and "blank line" in errors[3]
    assert "not JSON" in errors[4]
    assert "nested deeper than" in errors[5]
    # NaN is not JSON (the services' strict decoder), so the line gives no id.
    assert out[6]["id"] == "no-text" and out[9]["id"] is None and "not JSON" in errors[10]
    assert [out[0]["id"], out[7]["id"], out[8]["id"]] == ["a", "b", "long"]
    assert out[0]["is_attack"] and not out[7]["is_attack"]
    assert out[8]["truncated"] is True and out[0]["truncated"] is False


def test_the_cli_keeps_line_alignment_with_a_file_and_with_stdin(tmp_path: Path) -> None:
    lines = lines_with_every_kind_of_bad_line()
    source = tmp_path / "in.jsonl"
    # A trailing blank line too: a line of its own, answered like any other.
    source.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    from_file = run_cli("classify", str(source))
    assert from_file.code == 0, from_file.stderr
    out = [json.loads(x) for x in from_file.stdout.splitlines()]
    assert len(out) == len(lines) + 1
    assert out[-1] == {"id": None, "error": f"line {len(lines) + 1}: blank line (no article)"}
    assert [o.get("id") for o in out[:1]] == ["a"] and out[8]["read_chars"] is not None
    from_stdin = run_cli("classify", "-", stdin="\n".join(lines[:3]) + "\n")
    assert from_stdin.code == 0, from_stdin.stderr
    assert [json.loads(x).get("error", "ok")[:7] for x in from_stdin.stdout.splitlines()] == [
        "ok",
        "line 2:",
        "line 3:",
    ]


def test_the_help_says_output_lines_answer_input_lines() -> None:
    shown = run_cli("classify", "--help")
    assert shown.code == 0
    assert "one JSON line per input line" in " ".join(shown.stdout.split())


def test_a_published_date_no_calendar_arithmetic_can_hold_is_one_error_line(engine: Classifier) -> None:
    """A CMS placeholder date (0001-01-01 with "yesterday", 9999-12-31 read in the war's zone) once
    overflowed the date arithmetic and ended the run with no output at all."""
    lines = [
        record("before", STRIKE),
        json.dumps({"id": "far", "text": STRIKE, "published": "9999-12-31T23:59:59Z"}),
        json.dumps({"id": "zero", "text": f"Yesterday: {STRIKE}", "published": "0001-01-01"}),
        record("after", STRIKE),
    ]
    out = [json.loads(x) for x in classify_jsonl(lines, engine)]
    assert [o["id"] for o in out] == ["before", "far", "zero", "after"]
    assert out[0]["is_attack"] and out[3]["is_attack"]
    assert "published 9999-12-31T23:59:59+00:00 is outside the years 1900–2999" in out[1]["error"]
    assert out[2]["error"].startswith("line 3: ") and "outside the years" in out[2]["error"]


class _RaisesOn:
    """A classifier that raises whenever its batch holds article `bad` (a bug in one article)."""

    def __init__(self, engine: Classifier, bad: str) -> None:
        self.engine, self.bad = engine, bad

    def classify(self, articles: list[Article]) -> list[Classification | Rejected]:
        if any(a.id == self.bad for a in articles):
            raise OverflowError("date value out of range")
        return self.engine.classify(articles)


def test_a_classifier_exception_costs_its_own_line_only(engine: Classifier) -> None:
    lines = [record("a", STRIKE), record("bad", STRIKE), record("b", CALM)]
    out = [json.loads(x) for x in classify_jsonl(lines, _RaisesOn(engine, "bad"))]  # type: ignore[arg-type]
    assert [o["id"] for o in out] == ["a", "bad", "b"]
    assert out[0]["is_attack"] and not out[2]["is_attack"]
    assert out[1]["error"] == "line 2: classifier exception: OverflowError: date value out of range"


def test_an_id_that_is_not_a_string_is_an_error_line_without_an_id(engine: Classifier) -> None:
    # Red team 7 R9: the int 42 was classified as the id "42"; now its line is an error saying why,
    # and the error line echoes no id made up from it (the line number ties it to the input).
    lines = [
        json.dumps({"id": 42, "text": STRIKE}),
        json.dumps({"id": ["a"], "text": STRIKE}),
        record("42", STRIKE),
    ]
    first, second, third = (json.loads(x) for x in classify_jsonl(lines, engine))
    assert first == {"id": None, "error": "line 1: 'id' must be a string, not int (42)"}
    assert second == {"id": None, "error": "line 2: 'id' must be a string, not list ([\"a\"])"}
    assert third["id"] == "42" and "error" not in third
