"""The article parser: pure functions over bytes, no Redis."""

from __future__ import annotations

import json
from datetime import date

import pytest

from services.producer.parse import (
    ArticleError,
    article_from_text_file,
    articles_from_jsonl,
    dateline_date,
    parse_page,
)
from tests.conftest import SEEDS

TODAY = date(2026, 11, 22)


def seed(prefix: str) -> bytes:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_bytes()


def test_date_header_becomes_published_and_is_removed() -> None:
    article = article_from_text_file(seed("004"), "004.txt", max_bytes=10**6, today=TODAY)
    assert article.published == date(2022, 12, 19)
    assert not article.text.lstrip().startswith("date")
    assert article.text.startswith("Russia’s military has launched")


def test_dateline_without_year_takes_the_year_whose_weekday_matches() -> None:
    # "Dec 19" and "on Monday": 19 December was a Monday in 2022, not in 2023-2026.
    article = article_from_text_file(seed("001"), "001.txt", max_bytes=10**6, today=TODAY)
    assert article.published == date(2022, 12, 19)
    assert article.title == "Russia attacks Ukraine with drones, Putin seeks more Minsk support"


def test_dateline_with_year() -> None:
    assert dateline_date("KYIV, March 2, 2023 (Reuters) - A missile hit", TODAY) == date(2023, 3, 2)
    assert dateline_date("Thursday, 2 March 2023, 06:10 Russian missile strike", TODAY) == date(2023, 3, 2)
    assert dateline_date("Nothing here looks like a dateline.", TODAY) is None


def test_page_chrome_is_removed() -> None:
    page = parse_page(seed("002").decode(), TODAY)
    for chrome in ("No menu items!", "spot_img", "București", "-1 C", "decembrie"):
        assert chrome not in page.body
    assert page.title == "Putin heads for Belarus as Russian drones target Ukrainian capital"
    # The Romanian clock widget is the scrape time, not the publication date.
    assert page.published is None
    tail = parse_page(seed("001").decode(), TODAY).body
    assert "Related Articles" not in tail and "Back to top button" not in tail


def test_consent_banner_is_removed_but_reporting_kept() -> None:
    page = parse_page(seed("003").decode(), TODAY)
    assert "consented" not in page.body
    assert "Makiivka" in page.body


def test_ids_are_stable_content_hashes() -> None:
    first = article_from_text_file(seed("000"), "a.txt", max_bytes=10**6, today=TODAY)
    again = article_from_text_file(seed("000"), "b.txt", max_bytes=10**6, today=TODAY)
    other = article_from_text_file(seed("003"), "a.txt", max_bytes=10**6, today=TODAY)
    assert first.id == again.id != other.id
    assert len(first.id) == 16


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "empty file"),
        (b"   \n\t ", "empty file"),
        (b"\x00\x01\x02binary\x00", "binary file"),
        (b"caf\xe9 au lait", "not valid UTF-8"),
    ],
)
def test_bad_text_files_get_a_clear_error(raw: bytes, message: str) -> None:
    with pytest.raises(ArticleError, match=message):
        article_from_text_file(raw, "bad.txt", max_bytes=10**6, today=TODAY)


def test_oversized_file_is_refused() -> None:
    raw = b"word " * (4 * 1024 * 1024)  # 20 MB
    with pytest.raises(ArticleError, match="over the article size limit"):
        article_from_text_file(raw, "huge.txt", max_bytes=1_000_000, today=TODAY)


def test_jsonl_yields_articles_and_per_line_errors() -> None:
    lines = [
        json.dumps({"text": "Missiles hit Kharkiv.", "published": "2024-01-02"}),
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "no text"}),
        json.dumps({"id": "given", "text": "Drones over Odesa.", "published": "2023-05-29T04:00:00Z"}),
    ]
    out = list(articles_from_jsonl("\n".join(lines).encode(), "in.jsonl", max_bytes=10**6))
    assert [type(o).__name__ for o in out] == [
        "Article",
        "ArticleError",
        "ArticleError",
        "ArticleError",
        "Article",
    ]
    assert "in.jsonl:2: not JSON" in str(out[1])
    assert "expected a JSON object" in str(out[2])
    assert "no non-empty 'text'" in str(out[3])
    assert out[4].id == "given"  # type: ignore[union-attr]


def test_jsonl_bad_published_is_a_clear_error() -> None:
    (out,) = articles_from_jsonl(b'{"text": "x", "published": "last tuesday"}', "in.jsonl", max_bytes=10**6)
    assert isinstance(out, ArticleError)
    assert "published" in str(out)


def test_impossible_header_date_is_ignored_not_fatal() -> None:
    page = parse_page(" date 0000-00-00 Missiles struck Odesa overnight, officials said.", TODAY)
    assert page.published is None
    assert page.body.startswith("Missiles struck Odesa")
