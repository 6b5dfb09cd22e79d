"""Arbitrary text, HTML, control characters and huge numbers never make the parser or the
classifier raise, and the classifier always returns a schema-valid result."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from schemas import Article, Classification
from services.classifier.engine import Classifier
from services.producer.parse import ArticleError, article_from_text_file, articles_from_jsonl

WORDS = st.sampled_from(
    [
        "Russian",
        "drones",
        "missile",
        "struck",
        "Kyiv",
        "Kharkiv",
        "killed",
        "injured",
        "at least",
        "of",
        "were",
        "shot down",
        "launched",
        "on Monday",
        "overnight",
        "yesterday",
        "Houthis",
        "Red Sea",
        "El Fasher",
        "<script>alert(1)</script>",
        "<p>",
        "&amp;",
        "\x00",
        "\x1b[31m",
        "\u202e",
        "👍",
        "10000000000000000000000",
        "-5",
        "1e308",
        "999999999999999999999999999999999999999",
        "twenty-two",
        "hundreds",
        "Makiivka",
        ".",
        ",",
        "\n\n",
        "date 2024-13-45",
        "Dec 32",
        "(",
        "”",
        "“",
    ]
)
TEXTS = st.one_of(st.text(max_size=3000), st.lists(WORDS, max_size=400).map(" ".join))
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(raw=st.one_of(st.binary(max_size=4000), TEXTS.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_text_parser_never_raises_anything_but_article_error(raw: bytes) -> None:
    try:
        article = article_from_text_file(raw, "fuzz.txt", max_bytes=100_000, today=date(2026, 11, 22))
    except ArticleError:
        return
    assert article.text.strip()


@FUZZ
@given(raw=st.binary(max_size=4000))
def test_jsonl_parser_never_raises(raw: bytes) -> None:
    for item in articles_from_jsonl(raw, "fuzz.jsonl", max_bytes=100_000):
        assert isinstance(item, Article | ArticleError)


@FUZZ
@given(
    texts=st.lists(TEXTS.filter(lambda t: t.strip() != ""), min_size=1, max_size=4),
    published=st.one_of(st.none(), st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1))),
)
def test_classifier_always_returns_valid_classifications(
    engine: Classifier, texts: list[str], published: date | None
) -> None:
    articles = [Article(id=f"f{i}", text=t, published=published) for i, t in enumerate(texts)]
    results = engine.classify(articles)
    assert [r.id for r in results] == [a.id for a in articles]
    for result in results:
        again = Classification.model_validate_json(result.model_dump_json())
        assert again == result
        for ev in result.evidence:
            assert 0 <= ev.start <= ev.end <= len(articles[int(result.id[1:])].text)
        if not result.is_attack:
            assert result.severity is None
