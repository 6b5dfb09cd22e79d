"""An article's identity (content-hash id and fingerprint): what a reader cannot see does not count."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from schemas import Article
from services.common.articles import article_id, fingerprint
from services.producer.parse import article_from_text_file
from tests.conftest import SEEDS

TEXT = "Overnight drones struck a warehouse in Odesa; two people were injured, officials said."
# The seeds' content-hash ids before invisible characters and normal form were ignored (the alert
# ids README and the tests name, `sw-eee9d2b6312f3faf` ..., derive from them).
SEED_IDS = {
    "000_6007292dfff4ca62.txt": "f387924124f3d69b",
    "001_41f31c8c25c6216b.txt": "9dc06aaa2966a637",
    "002_333450b71daea9a2.txt": "75ed9ed5be00b982",
    "003_8e6290ed66de9448.txt": "a4d42f15d28f3ed9",
    "004_8c4b1c6e72bbb753.txt": "866e127631a0803e",
}


@pytest.mark.parametrize(
    "invisible",
    ["\u00ad", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u200e", "\u202e", "\ufe0f"],
    ids=lambda c: f"U+{ord(c):04X}",
)
def test_an_invisible_character_does_not_make_another_article(invisible: str) -> None:
    """A soft hyphen, zero-width character, BOM or bidi mark inside or around the text leaves its
    id and fingerprint as they were."""
    marked = invisible + TEXT.replace("warehouse", f"ware{invisible}house") + invisible
    assert article_id(marked) == article_id(TEXT)
    assert fingerprint(Article(id="a1", text=marked)) == fingerprint(Article(id="a1", text=TEXT))


def test_the_normal_form_does_not_make_another_article() -> None:
    """A decomposed (NFD) copy of a text with accents is the same article as the composed one."""
    composed = "A missile hit Bilhorod-Dnistrovskyi; the mayor of Vinnytsia said café staff were hurt."
    uk = "Уночі дрони атакували Київ, поранено двох людей."  # й and ї decompose under NFD
    for text in (composed, uk):
        decomposed = unicodedata.normalize("NFD", text)
        assert decomposed != text
        assert article_id(decomposed) == article_id(text)


def test_visible_differences_still_make_another_article() -> None:
    """Only what is invisible is ignored: another figure or a hyphen a reader sees is another text."""
    assert article_id(TEXT) != article_id(TEXT.replace("two", "three"))
    assert article_id("a warehouse") != article_id("a ware-house")


def test_the_seeds_ids_are_unchanged() -> None:
    """The seeds' content-hash ids (README, docs and tests name them) are as before."""
    for name, expected in SEED_IDS.items():
        raw = (SEEDS / name).read_bytes()
        article = article_from_text_file(raw, name, max_bytes=10**6, today=date(2026, 12, 1))
        assert article.id == expected, name
