"""Normalisation keeps what a reader sees and an offset map back to the article's own characters.

Each case of issue 12 has at least three sentences of our own; the end-to-end ones check that the
place or the figure no longer vanishes and that evidence spans index the original text."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas.models import Classification
from services.classifier.normalise import MAX_SYMBOL_RUN, MAX_TOKEN_CHARS, normalise

Classify = Callable[..., Classification]


def _round_trip(original: str, word: str) -> str:
    """The original characters behind the first `word` of the normalised text."""
    norm = normalise(original)
    start = norm.text.index(word)
    return norm.original_text(start, start + len(word))


# --- HTML entities ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Drones hit Kyiv&nbsp;region overnight.", "Drones hit Kyiv region overnight."),
        ("Shelling of Sumy &amp; Okhtyrka.", "Shelling of Sumy & Okhtyrka."),
        ("The governor&#39;s office said 3 were hurt.", "The governor's office said 3 were hurt."),
        ("A strike on Dnipro&#x2019;s port.", "A strike on Dnipro's port."),
        ("Keep &unknownentity; and a bare & as written.", "Keep &unknownentity; and a bare & as written."),
    ],
)
def test_html_entities_are_decoded(raw: str, plain: str) -> None:
    assert normalise(raw).text == plain


def test_entity_offsets_point_at_the_entity() -> None:
    assert _round_trip("In Kyiv&nbsp;region today", "Kyiv region") == "Kyiv&nbsp;region"
    assert _round_trip("Odesa &amp; Izmail", "& Izmail") == "&amp; Izmail"
    assert _round_trip("x &#8220;quoted&#8221; y", '"quoted"') == "&#8220;quoted&#8221;"


# --- Unicode spaces --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "Kryvyi\u00a0Rih was hit",  # no-break space
        "Kryvyi\u2009Rih was hit",  # thin space
        "Kryvyi\u202fRih was hit",  # narrow no-break space
        "Kryvyi\u3000Rih was hit",  # ideographic space
        "Kryvyi\tRih was hit",
    ],
)
def test_unicode_spaces_become_one_space(raw: str) -> None:
    assert normalise(raw).text == "Kryvyi Rih was hit"
    assert _round_trip(raw, "Kryvyi Rih") == raw[: len("Kryvyi Rih")]


# --- soft hyphens and zero-width characters -----------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "word"),
    [
        ("Zapo\u00adrizhzhia came under fire", "Zaporizhzhia"),
        ("Kra\u00adma\u00adtorsk station", "Kramatorsk"),
        ("Myko\u00adlaiv port", "Mykolaiv"),
    ],
)
def test_soft_hyphens_vanish(raw: str, word: str) -> None:
    assert normalise(raw).text.startswith(word)
    assert _round_trip(raw, word) == raw[: raw.index(word[-3:]) + 3]


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Kher\u200bson was shelled", "Kherson was shelled"),
        ("\ufeffOdesa port was hit", "Odesa port was hit"),
        ("Sumy\u200d region", "Sumy region"),
        ("Dni\u2060pro", "Dnipro"),
        ("drones \u200bhit Lviv", "drones hit Lviv"),
    ],
)
def test_zero_width_characters_vanish(raw: str, plain: str) -> None:
    assert normalise(raw).text == plain


# --- runs of blanks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Russian  drones   hit Kyiv", "Russian drones hit Kyiv"),
        ("first line \n   second line", "first line\nsecond line"),
        ("para one\n\n\n\n para two", "para one\n\npara two"),
        ("windows\r\nline\r\n\r\nbreaks", "windows\nline\n\nbreaks"),
        ("tab\t \t and space", "tab and space"),
    ],
)
def test_runs_of_blanks_collapse(raw: str, plain: str) -> None:
    assert normalise(raw).text == plain


def test_collapsed_blanks_keep_offsets() -> None:
    raw = "Odesa   was   hit, killing  two."
    norm = normalise(raw)
    start = norm.text.index("two")
    s, e = norm.span(start, start + 3)
    assert raw[s:e] == "two"


# --- curly quotes and dashes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "plain"),
    [
        ("Kyiv\u2019s mayor said \u201cno one\u201d was hurt", 'Kyiv\'s mayor said "no one" was hurt'),
        ("30\u201340 drones \u2014 most shot down", "30-40 drones - most shot down"),
        ("\u2018Iskander\u2019 missiles \u2212 two", "'Iskander' missiles - two"),
        ("\u00abShahed\u00bb drones", '"Shahed" drones'),
    ],
)
def test_curly_quotes_and_dashes_become_ascii(raw: str, plain: str) -> None:
    norm = normalise(raw)
    assert norm.text == plain and len(norm.text) == len(raw)


# --- hostile shapes ----------------------------------------------------------------------------


def test_symbol_runs_and_giant_tokens_are_cut_with_offsets_kept() -> None:
    raw = "!" * 50 + " Kyiv " + "9" * 500 + " Lviv"
    norm = normalise(raw)
    assert norm.text == "!" * MAX_SYMBOL_RUN + " Kyiv " + "9" * MAX_TOKEN_CHARS + " Lviv"
    assert _round_trip(raw, "Lviv") == "Lviv" and _round_trip(raw, "Kyiv") == "Kyiv"


def test_plain_text_is_not_copied() -> None:
    raw = "Russian drones hit Kyiv.\nTwo people were hurt."
    norm = normalise(raw)
    assert norm.text is raw and norm.maps == ()


# --- end to end: the place and the figure no longer vanish; evidence indexes the original ----------


@pytest.mark.parametrize(
    "text",
    [
        "Russian missiles hit Kryvyi\u00a0Rih on Monday, killing\u00a0three people.",
        "Russian missiles hit Kryvyi&nbsp;Rih on Monday, killing&nbsp;three people.",
        "Russian  missiles  hit  Kryvyi Rih on Monday,  killing three people.",
        "Russian missiles hit Kryvyi\u200b Rih on Monday, killing three\u200b people.",
    ],
)
def test_invisible_differences_keep_place_and_figure(classify: Classify, text: str) -> None:
    c = classify(text)
    assert c.is_attack and {loc.name for loc in c.locations} == {"Kryvyi Rih"}
    assert c.casualties.killed == 3
    for ev in c.evidence:
        assert text[ev.start : ev.end] == ev.text


def test_soft_hyphen_inside_a_place_name(classify: Classify) -> None:
    text = "Russian drones struck Zapo\u00adrizhzhia overnight, wounding five people."
    c = classify(text)
    assert {loc.name for loc in c.locations} == {"Zaporizhzhia"} and c.casualties.injured == 5
    spans = [ev for ev in c.evidence if ev.field == "locations"]
    assert spans and all(text[ev.start : ev.end] == ev.text for ev in spans)
    assert spans[0].text == "Zapo\u00adrizhzhia"


def test_two_blanks_do_not_split_a_sentence(classify: Classify) -> None:
    c = classify("Russian shelling of Nikopol  killed two people and  wounded seven on Monday.")
    assert (c.casualties.killed, c.casualties.injured) == (2, 7)


# --- the offset map, for any input -----------------------------------------------------------------

_ALPHABET = "ab Kyiv\n\r\t\u00a0\u2009\u00ad\u200b\ufeff&;#x2019amp nbsp\u2019\u201c\u2014((((!!!!!!!!!!9999"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=300))
def test_every_span_maps_back_inside_the_original_in_order(original: str) -> None:
    norm = normalise(original)
    previous_end = 0
    for m in re.finditer(r"\S+", norm.text):
        start, end = norm.span(m.start(), m.end())
        assert 0 <= start <= end <= len(original)
        assert start >= previous_end  # words keep their order
        previous_end = end
        # A word made only of letters and digits is the same word in the original (invisibles aside).
        word = m.group()
        if word.isalnum() and len(word) <= MAX_TOKEN_CHARS:
            stripped = "".join(ch for ch in original[start:end] if ch not in "\u00ad\u200b\ufeff")
            assert stripped == word


def test_latin_lookalikes_inside_cyrillic_words_read_as_cyrillic_and_keep_offsets() -> None:
    """ "Харкiв" typed with the Latin i (a Ukrainian keyboard habit) reads as Харків; words in one
    script are left alone, and the text keeps its length (evidence offsets unchanged)."""
    original = "Уночi ворог атакував Харкiв; Kyiv, iPhone i Київ."
    norm = normalise(original)
    assert norm.text == "Уночі ворог атакував Харків; Kyiv, iPhone i Київ."
    assert len(norm.text) == len(original)
    assert norm.original_text(*norm.span(21, 27)) == "Харкiв"


def test_cyrillic_lookalikes_inside_latin_words_read_as_latin_and_keep_offsets() -> None:
    """ "Kyіv" with the Cyrillic і, "Оdesa" with the Cyrillic О, "drоne" with the Cyrillic о read as
    the Latin words; the text keeps its length, so evidence spans point into the original."""
    original = "Overnight a drоne struck Kyіv, and Оdesa reported blasts."
    norm = normalise(original)
    assert norm.text == "Overnight a drone struck Kyiv, and Odesa reported blasts."
    assert len(norm.text) == len(original)
    start = norm.text.index("Kyiv")
    assert norm.original_text(start, start + 4) == "Kyіv"
    start = norm.text.index("Odesa")
    assert norm.original_text(start, start + 5) == "Оdesa"


def test_a_mixed_word_goes_to_the_script_of_the_rest_of_it() -> None:
    """Each direction in one text; a word whose Cyrillic letter has no Latin twin stays Cyrillic."""
    original = "Shelling near Хaрків and Kharkіv; the Pоkrovsk road; Kyїv stays."
    norm = normalise(original).text
    assert "Харків" in norm and "Kharkiv" in norm and "Pokrovsk" in norm
    # ї has no Latin lookalike, so the word is read as Cyrillic as far as it can be.
    assert "Kyїv" not in norm


def test_words_in_one_script_are_left_alone() -> None:
    text = "Сirсus? No: the Circus and Цирк are different words; iPhone and ОК too."
    norm = normalise(text).text
    assert "Circus" in norm and "Цирк" in norm and "iPhone" in norm and "ОК" in norm
    assert norm.startswith("Circus?")  # Cyrillic С twice, Latin irus: read as Latin


def test_an_english_report_with_cyrillic_lookalikes_reads_its_places_and_points_into_the_original(
    classify: Callable[..., Classification],
) -> None:
    text = "Russian drоnes struck Kyіv overnight, and two people were injured in Оdesa."
    result = classify(text)
    assert result.language == "en" and result.is_attack and "drone" in result.attack_types
    assert {loc.name for loc in result.locations} >= {"Kyiv", "Odesa"}
    places = [e for e in result.evidence if e.text in ("Kyіv", "Оdesa")]
    assert len(places) == 2
    assert all(text[e.start : e.end] == e.text for e in result.evidence)
