"""Which language an article is read in, and what happens to one without a rule pack (issue 14)."""

from __future__ import annotations

from schemas.models import Article, Classification
from services.classifier.engine import Classifier
from services.classifier.language import LanguageReader

GERMAN = (
    "In der Nacht haben russische Drohnen Kiew angegriffen, teilte der Bürgermeister mit; "
    "zwei Menschen wurden verletzt."
)


def test_text_without_non_ascii_letters_is_english_without_the_detector() -> None:
    reader = LanguageReader()
    reading = reader.read("Russian drones struck Kharkiv overnight, injuring two people.")
    assert (reading.language, reading.how) == ("en", "script")
    assert reader._detector is None  # never built: English costs one regex scan


def test_the_detector_names_ukrainian_russian_and_unsupported_languages() -> None:
    reader = LanguageReader()
    assert reader.read("Уночі ворог атакував Харків ударними дронами.").language == "uk"
    assert reader.read("Ночью беспилотники атаковали Белгород.").language == "ru"
    assert reader.read(GERMAN).language == "de"
    assert reader.read("Нощес руски дронове атакуваха Харков, съобщиха властите.").language == "bg"


def test_the_articles_own_language_wins_and_nothing_readable_is_und() -> None:
    reader = LanguageReader()
    assert reader.read("Уночі ворог атакував Харків.", "ru").language == "ru"
    assert reader.read("12:30 — 2024").language == "und"


def test_a_given_language_the_script_contradicts_is_only_a_hint() -> None:
    reader = LanguageReader()
    # A Ukrainian item from a feed configured as English, and the reverse: detection decides.
    assert reader.read("Уночі ворог атакував Одесу ударними дронами, є загиблі.", "en").language == "uk"
    assert reader.read("Ночью дроны атаковали Курск, пострадали двое.", "de").language == "ru"
    assert (
        reader.read("Russian drones struck Kharkiv overnight, two people were hurt.", "uk").language == "en"
    )
    # An English report quoting one Cyrillic word keeps its given language.
    quoted = reader.read("Residents call the district 'Салтівка'; drones struck it overnight.", "en")
    assert (quoted.language, quoted.how) == ("en", "given")


def test_a_mislabelled_ukrainian_report_is_still_read(classifier: Classifier) -> None:
    text = "Сьогодні вночі російські війська атакували Одесу ударними дронами. Загинули двоє людей."
    result = classifier.classify([Article(id="mislabelled", text=text, language="en")])[0]
    assert isinstance(result, Classification)
    assert result.language == "uk" and result.skipped_reason is None
    assert result.is_attack and result.casualties.killed == 2


def test_an_unsupported_language_is_skipped_with_a_reason(classifier: Classifier) -> None:
    result = classifier.classify([Article(id="de-1", text=GERMAN)])[0]
    assert isinstance(result, Classification)
    assert result.is_attack is False
    assert result.language == "de"
    assert result.skipped_reason == "language de not supported"


def test_a_given_unsupported_language_is_skipped_even_for_english_text(classifier: Classifier) -> None:
    text = "Russian drones struck Kharkiv overnight, injuring two people."
    result = classifier.classify([Article(id="x", text=text, language="fr")])[0]
    assert isinstance(result, Classification)
    assert result.skipped_reason == "language fr not supported"
    read = classifier.classify([Article(id="y", text=text)])[0]
    assert isinstance(read, Classification)
    assert read.is_attack and read.language == "en" and read.skipped_reason is None


def test_no_letters_at_all_is_undetermined(classifier: Classifier) -> None:
    result = classifier.classify([Article(id="n", text="12:30 — 2024 / 55")])[0]
    assert isinstance(result, Classification)
    assert result.language == "und"
    assert result.skipped_reason == "language could not be determined (und)"


def test_a_mixed_batch_keeps_its_order(classifier: Classifier) -> None:
    articles = [
        Article(id="en", text="Russian missiles hit Odesa overnight, killing three people."),
        Article(id="uk", text="Уночі російські ракети влучили в Одесу, загинули троє людей."),
        Article(id="de", text=GERMAN),
        Article(id="ru", text="Ночью российские ракеты попали в Одессу, погибли три человека."),
    ]
    results = classifier.classify(articles)
    assert [r.id for r in results if isinstance(r, Classification)] == ["en", "uk", "de", "ru"]
    by_id = {r.id: r for r in results if isinstance(r, Classification)}
    for rid in ("en", "uk", "ru"):
        assert by_id[rid].is_attack, rid
        assert {loc.name for loc in by_id[rid].locations} == {"Odesa"}, rid
        assert by_id[rid].casualties.killed == 3, rid
    assert by_id["de"].skipped_reason == "language de not supported"
