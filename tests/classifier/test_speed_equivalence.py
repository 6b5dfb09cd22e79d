"""Speed rewrites give exactly what the plain forms give (issue 13, "Speed"): the pack loader's
shared word boundary, the sentence splitter's pre-scan and normalisation's narrowed scans.

Each rewrite is checked against the plain form it replaces on sentences of our own."""

from __future__ import annotations

import gc
import re
import weakref

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import Article, Classification
from services.classifier.engine import Bounds, Classifier
from services.classifier.normalise import (
    _LONG_TOKEN,
    _SYMBOL_RUN,
    MAX_SYMBOL_RUN,
    _first_chars,
    _first_symbols,
    _rewrite,
    normalise,
)
from services.classifier.page import blank, blank_at_line_starts, blank_matches
from services.classifier.rulepack import (
    NEVER,
    Rule,
    RuleSet,
    Slots,
    boundary_after_class,
    leading_words,
    line_anchored,
    load_language,
    nested_leading_words,
    required_literals,
    shared_boundary,
    started,
)
from services.classifier.sentences import _SENT_BOUNDARY, _wrapped, split

# --- the shared word boundary (rulepack.shared_boundary) ------------------------------------------

_SENTENCES = [
    "The 45-year-old driver and a 12-year-old boy were hurt at 10:30 near the 9-storey block.",
    "Around 40% of the 1990s housing stock, No. 7 school and the T-72 tank were damaged.",
    "It cost $3,000; the 2nd strike came on day 3, aged 70 and 71, number 12 on the list.",
    "Russia puts the toll at 30 while Ukraine said only 12 were killed in the raid.",
    "nothing with a number in it here, only words and a s300 or a kh-101 designator.",
]


def _assert_same_matches(pattern: str, rewritten: str, texts: list[str]) -> None:
    """`rewritten` differs from `pattern` but has its groups and finds its matches in `texts`."""
    assert rewritten != pattern
    old, new = re.compile(pattern), re.compile(rewritten)
    assert old.groupindex == new.groupindex and old.groups == new.groups
    for text in texts:
        assert [(m.span(), m.groups()) for m in new.finditer(text)] == [
            (m.span(), m.groups()) for m in old.finditer(text)
        ]


@pytest.mark.parametrize(
    "pattern",
    [
        r"\baged?\s+\d+|\b\d+-(?:storey|floor)\b|\$\s?\d[\d,.]*|\b(?:19|20)\d\d\b|\b\d+(?:st|nd|rd|th)\b",
        r"\b(?P<a>\d+)%|\b(?P<b>t)-(?P<c>\d+)|x(?P<d>y)?|\bno\.\s*\d+|\bnumber\s+(?P<e>\d+)",
        r"(?:[a-z]+\s+){0,2}\bputs?\b|\bsaid\b|\bonly\s+\d+|[(|)]\bkilled",
        r"\b[a-z]{1,7}-\d{1,4}[a-z\d]*(?:-[a-z\d]+)?\b|\b[a-z]{1,2}\d{2,4}[a-z]?\b",
    ],
)
def test_a_shared_boundary_finds_the_same_matches(pattern: str) -> None:
    _assert_same_matches(pattern, shared_boundary(pattern), [s.lower() for s in _SENTENCES])


def test_only_runs_of_boundary_alternatives_are_joined() -> None:
    assert shared_boundary(r"\ba|\bb|c|\bd") == r"\b(?:a|b)|c|\bd"
    assert shared_boundary(r"\ba(?:x|\by)|[|]\bb|\bc") == r"\ba(?:x|\by)|[|]\bb|\bc"
    assert shared_boundary(r"\ba\|\bb") == r"\ba\|\bb"  # an escaped bar is no alternative


def test_patterns_that_may_hide_a_bar_are_left_alone() -> None:
    for pattern in (r"(?x)\ba # one | two", r"\ba(?#x|y)|\bb"):
        assert shared_boundary(pattern) == pattern


# --- a list of words first (rulepack.leading_words) ----------------------------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(?:forces|troops|air defen[cs]es?|army|artillery|airstrikes?)\b",
        r"\b(?:by|from|blaming|blamed|attributed to)\s+(?:the\s+)?(?:[\w'-]+\s+){0,2}$",
        r"\b(?:in response to|after (?:days|weeks) of|following an?|burn\w*)\b",
        r"\b(?:strikes? on|struck|shelled)\s+(?P<what>\w+)|\bhit\b",
    ],
)
def test_a_leading_word_list_finds_the_same_matches(pattern: str) -> None:
    sentences = [
        *_SENTENCES,
        "Troops shelled the army base; strikes on it burned 3 air defences.",
        "struck by",
    ]
    texts = [text for s in sentences for text in (s.lower(), s.lower()[-30:])]
    _assert_same_matches(pattern, leading_words(pattern), texts)


def test_a_list_that_is_not_plain_words_is_left_alone() -> None:
    for pattern in (
        r"\b(?:s?hell|struck)\b",
        r"\b(?:\d+|one)\b",
        r"\b(?:a|b)?c",
        r"\b(?:(?:x|y)z|w)",
        r"\bword",
    ):
        assert leading_words(pattern) == pattern


# --- a list whose alternatives open on groups of words (rulepack.nested_leading_words) --------------

_MORE_SENTENCES = [
    "Troops shelled the army base; strikes hit it and sent 40 drones at the port overnight.",
    "They sent three old drones towards the city; the city was shot at, then shelling of it began.",
    "A seized control room, an aimed attack: the drone exploded after it was shot down.",
    "subsequently, misfired, unshelled, besieged: none of these words hold a listed word whole",
    "x-shelled y_struck 9hit hits",
]


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b(?:(?:shelled|struck|hits?|shot down)\b|sent\s+(?:[\w,-]+\s+){0,3}?(?:drones|uav)\s+(?:at|on)\b)",
        r"\b(?:(?:strikes?|struck) (?:hit|on)|shelling of|(?:seized|aimed) (?:control|at)|exploded)\b",
        r"\b(?:(?:a|an|the)\s+(?:drone|city)|(?:sent|shelled))(?P<x>\s+\w+)?",
        r"\b(?:(?:no|none)\s+(?:of)|(?:x|y)z|w)",
    ],
)
def test_a_nested_leading_word_list_finds_the_same_matches(pattern: str) -> None:
    texts = [text for s in [*_SENTENCES, *_MORE_SENTENCES] for text in (s.lower(), s.lower()[-25:])]
    _assert_same_matches(pattern, nested_leading_words(pattern), texts)


def test_a_list_without_a_nested_group_or_not_of_words_is_left_alone() -> None:
    for pattern in (
        r"\b(?:shelled|struck)\b",  # a plain list: `leading_words` decides
        r"\b(?:(?:\d+|one) dead|x)",
        r"\b(?:(?:a|b)?c|d)",
        r"\b(?:(?:a|b)z|c)?d",
        r"\bword",
        r"(?x)\b(?:(?:a|b) # c|d",
    ):
        assert nested_leading_words(pattern) == pattern


# --- a boundary before a class of letters (rulepack.boundary_after_class) ----------------------------


@pytest.mark.parametrize(
    "pattern",
    [
        r"\b([A-Z][\w'-]+(?:-[A-Z][\w'-]+)?)\s+(?:[Rr]egion|[Oo]blast)\b",
        r"\b(?P<d>[A-Z][a-z]+)\s+[Dd]istrict\b|\bthe\b",
        r"\b[A-Z0-9]\w*",
        r"\b(?:[a-z]\w)x?",
    ],
)
def test_a_boundary_moved_after_a_class_finds_the_same_matches(pattern: str) -> None:
    texts = [
        "Shelling in Kharkiv Region and the Sumy-Kursk oblast; KHARKIV region, Bakhmut District hit.",
        "x-Donetsk Region, _Odesa Oblast, 9Kyiv region, Lviv-Volyn Oblast. 3rd Zaporizhzhia district",
        "the theatre, a bathe, Dnipro District, Dnipro district of the Dnipropetrovsk Oblast",
    ]
    _assert_same_matches(pattern, boundary_after_class(pattern), texts)


def test_a_boundary_the_class_does_not_own_alone_stays() -> None:
    for pattern in (
        r"\b([A-Z]x|y)",  # the boundary belongs to `y` too
        r"\b[A-Z]?x",  # a quantified class
        r"\b(?:[a-z]x)?y",  # a quantified group: the boundary belongs to `y` when it is skipped
        r"\b(?:[a-z]{2})x?",
        r"\b[-A-Z]x",  # "-" is no word character
        r"\b[\w]x",
        r"[A-Z]\b",
    ):
        assert boundary_after_class(pattern) == pattern


# --- literals every match holds (rulepack.required_literals, Rule.opens) ----------------------------


def test_required_literals_are_read_from_the_pattern() -> None:
    assert required_literals(r"\b([A-Z]\w+)\s+(?:[Rr]egion|[Oo]blast|[Pp]rovince)\b") == (
        "blast",
        "egion",
        "rovince",
    )
    assert required_literals(r"(?:\d+|x)\s+(?:killed|dead)\b(?:\s+bodies)?") == ("dead", "killed")
    assert required_literals(r"\b(?:toll)+x|\btolls") == ("toll", "tolls")
    # A blank ends a literal: the gate may be tested on the text before masking blanked it.
    assert required_literals(r"of them") == ("them",)
    # Nothing short, optional, too many, or without regard to case.
    for pattern in (
        r"\bthe\b",
        r"(?:killed)?x",
        r"a|bb|ccc|dddd",
        r"(?i)region",
        r"(?i:region)",
        r"\w+",
        "(?!)",
    ):
        assert required_literals(pattern) == (), pattern
    assert required_literals(r"one|two|three|four|five") == ()


def _every_rule() -> list[tuple[str, Rule]]:
    out: list[tuple[str, Rule]] = []
    for language in ("en", "uk", "ru"):
        slots = load_language(language).slots
        for name in Slots.model_fields:
            value = getattr(slots, name)
            if isinstance(value, Rule):
                out.append((f"{language}:{name}", value))
            elif isinstance(value, RuleSet):
                out.extend((f"{language}:{name}[{i}]", rule) for i, rule in enumerate(value.rules))
    return out


def test_a_gate_on_required_literals_never_hides_a_match() -> None:
    texts = [
        *_SENTENCES,
        *_MORE_SENTENCES,
        "Four people were killed and 12 wounded in the Kharkiv region; the toll rose to 9.",
        "Air defences shot down 20 of 25 drones; 3 of them fell on homes in Odesa Oblast.",
        "Another man was injured, injuring two more; more than 30 bodies were found.",
        "Внаслідок обстрілу Харківської області загинули двоє людей, ще п'ятеро поранені.",
        "В результате обстрела Белгородской области погибли два человека, пострадали пятеро.",
    ]
    texts = [t for text in texts for t in (text, text.lower())]
    gated = [(name, rule) for name, rule in _every_rule() if rule.needs]
    assert len(gated) > 20
    hits = closed = 0
    for name, rule in gated:
        for text in texts:
            if rule.rx.search(text):
                hits += 1
                assert rule.opens(text), (name, text)
                assert rule.search(text) is not None
        closed += sum(1 for t in texts if not rule.opens(t))
    assert hits > 15
    assert closed > 100  # the gates do close (no single rule asked: a new rule's literal may be common)


# --- a pattern tried at line starts alone (page.blank_at_line_starts) -------------------------------


def test_line_anchored_patterns_are_told_apart() -> None:
    assert line_anchored(r"(?m)^\s*[A-Z]+\s+-|^\s*\([A-Z]+\)")
    assert line_anchored(r"^date")
    assert not line_anchored(r"(?m)^\s*[A-Z]+|[A-Z]+ -")
    assert not line_anchored(r"\bKYIV\b")


@pytest.mark.parametrize(
    "text",
    [
        "KYIV, Ukraine (AP) - Drones hit the city.\nODESA - A port was struck.",
        "Intro line\n\nKHARKIV, Ukraine - Shelling again\n  LVIV - quiet\n",
        "No dateline in this one - it just says Kyiv (AP) in the middle.",
    ],
)
def test_blanking_at_line_starts_is_sub(text: str) -> None:
    rx = re.compile(r"(?m)^\s*[A-Z][A-Za-z .,]{2,30}(?:\([A-Z]+\))?\s+-+|^\s*[A-Z]{3,}\s+-+")
    assert blank_at_line_starts(rx, text) == rx.sub(blank, text)
    assert len(blank_at_line_starts(rx, text)) == len(text)


# --- the sentence splitter's pre-scan (sentences.split) --------------------------------------------


def _reference_split(text: str) -> list[tuple[int, int]]:
    """The splitter as it was: every `_SENT_BOUNDARY` match in turn, but a line break inside a
    sentence (`_wrapped`)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _SENT_BOUNDARY.finditer(text):
        if _wrapped(text, m.start(), m.end()):
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if pos < len(text):
        spans.append((pos, len(text)))
    return spans


@pytest.mark.parametrize(
    "text",
    [
        'Drones hit the port. "We heard blasts," he said.) Then\nsilence  fell.',
        "A shell landed!  Two were hurt?\n\n The mayor said (later). \u2026 More follows",
        "No break here at all, just one long clause with 3.5 km and e.g. abbreviations",
        ' . . "" \n \n ]] ) ',
    ],
)
def test_split_finds_the_boundaries_the_pattern_finds(text: str) -> None:
    assert split(text) == _reference_split(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab .!?\u2026\"')]\n\t\u00a0\u201d\u2019")), max_size=40))
def test_split_matches_the_pattern_on_any_text(text: str) -> None:
    assert split(text) == _reference_split(text)


# --- normalisation's narrowed scans ------------------------------------------------------------------


def test_a_symbol_run_in_a_text_with_curly_quotes_is_still_cut() -> None:
    for text in (
        "\u201cStop\u201d, he wrote: !!!!!!!!!!!!!!!! then left.",
        "The caption read \u00ab((((((((((((((\u00bb and nothing else.",
        "A café sign \u2014 ????????????? \u2014 hung there.",
    ):
        cut = normalise(text).text
        assert not re.search(rf"[^\w\s]{{{MAX_SYMBOL_RUN + 1},}}", cut)
        assert len(cut) < len(text)


def test_a_long_word_without_a_symbol_run_is_kept() -> None:
    for text in (
        "Counter-offensive operations \u2019continued\u2019.",
        "Zaporizhzhia\u2019s",
        "a.b.c.d.e.f.g.h.i.j",
    ):
        assert normalise(text).text == text.replace("\u2019", "'")


def test_invisible_characters_and_mixed_scripts_are_still_found() -> None:
    assert normalise("Kharkiv\u00ad region \u201cquiet\u201d").text == 'Kharkiv region "quiet"'
    assert (
        normalise("Strikes on Ky\u0456v and \u041edesa \u2014 again").text
        == "Strikes on Kyiv and Odesa - again"
    )
    assert (
        normalise("Caf\u00e9 in Lviv, r\u00e9sum\u00e9 of the day").text
        == "Caf\u00e9 in Lviv, r\u00e9sum\u00e9 of the day"
    )


_WORDS = st.text(alphabet=st.sampled_from(list("ab!._-(")), min_size=1, max_size=80)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(_WORDS, st.sampled_from([" ", "\n"])), max_size=8).map(
        lambda parts: "".join(w + sep for w, sep in parts).rstrip()
    )
)
def test_the_scans_of_an_ascii_text_miss_no_run_to_cut(text: str) -> None:
    """normalise skips a rewrite only where it would change nothing: the same text and offsets as
    both rewrites applied whatever the text (single blanks between words: nothing else to do)."""
    plain, maps = text, []
    for rx, cut in ((_SYMBOL_RUN, _first_symbols), (_LONG_TOKEN, _first_chars)):
        plain, offsets = _rewrite(plain, rx, cut)
        maps.append(offsets)
    got = normalise(text)
    assert got.text == plain
    assert got.maps == tuple(m for m in maps if m.starts)


# --- each rule's own gate (rulepack.gated) ----------------------------------------------------------

_GATE_TEXTS = [
    *_SENTENCES,
    "russian drones struck kharkiv overnight, killing two people and injuring five, the governor said.",
    "air defence shot down 30 of 41 missiles launched at the region; a 12-storey block was hit.",
    "вночі російські дрони атакували харків, загинули двоє людей, ще п'ятеро поранені.",
    "ночью беспилотники атаковали белгородскую область, ранены три человека.",
    "",
]


def _pack_rules() -> list[Rule]:
    rules: list[Rule] = []
    for language in ("en", "uk", "ru"):
        slots = load_language(language).slots
        for name in type(slots).model_fields:
            value = getattr(slots, name)
            rules.extend(
                [value] if isinstance(value, Rule) else value.rules if isinstance(value, RuleSet) else []
            )
    return rules


_RULES = _pack_rules()


def _assert_gate_agrees(rule: Rule, text: str) -> None:
    """The rule's own `opens`/`search`/`finditer` (made by `gated`) answer as the class's reference
    (an empty slot's gate never opens: the reference's finds nothing there either)."""
    opens = Rule.opens(rule, text)
    if rule.rx.pattern == NEVER:
        assert not rule.opens(text) and rule.rx.search(text) is None
    else:
        assert rule.opens(text) is opens
    found, expected = rule.search(text), rule.rx.search(text) if opens else None
    assert (found and (found.span(), found.groups())) == (expected and (expected.span(), expected.groups()))
    reference = [(m.span(), m.groups()) for m in rule.rx.finditer(text)] if opens else []
    assert [(m.span(), m.groups()) for m in rule.finditer(text)] == reference
    assert rule.opens_within(text) is Rule.opens_within(rule, text)
    if not rule.opens_within(text):
        # Shut on the whole text, so on every part of it: a stage may skip all its sentences at once.
        parts = {text[i:j] for i in range(0, len(text), 7) for j in range(i, len(text) + 1, 5)}
        assert not any(rule.opens(part) for part in parts)


def test_each_rules_own_gate_answers_as_the_reference() -> None:
    """Every rule of the three packs, gated by triggers, a gate regex, required literals or nothing."""
    kinds = {(bool(r.triggers), r.gate is not None, bool(r.needs)) for r in _RULES}
    assert {(True, False, False), (False, False, True), (False, False, False)} <= kinds
    assert any(r.rx.pattern == NEVER for r in _RULES)
    for rule in _RULES:
        for text in _GATE_TEXTS:
            _assert_gate_agrees(rule, text)
            _assert_gate_agrees(rule, text.upper())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([*"ab .,1\n", "killed", "drone", "region", "missile", "injured"]), max_size=30)
)
def test_each_rules_own_gate_answers_as_the_reference_on_any_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    for rule in _RULES:
        _assert_gate_agrees(rule, text)


def test_a_rule_with_a_gate_regex_opens_on_the_gate_alone() -> None:
    rule = Rule(regex=r"\d+ (?:drones|uavs)", triggers=("drone",), gate=r"\buavs?\b")
    assert rule.opens("12 uavs") and rule.search("12 uavs") is not None
    assert rule.opens("12 drones") and not rule.opens("12 planes")
    assert rule.search("12 planes") is None and list(rule.finditer("12 planes")) == []
    for text in ("12 uavs", "12 drones", "12 planes", "drone uav 3 uavs"):
        _assert_gate_agrees(rule, text)


def test_a_page_shuts_a_literal_gate_for_all_its_parts_but_never_a_gate_pattern() -> None:
    rule = Rule(regex=r"\d+ (?:drones|uavs)", triggers=("drone",))
    assert rule.opens_within("two drones. three more") and not rule.opens_within("12 planes. 3 uavs")
    # A gate pattern may match in a part and not in the whole (here only at the part's start).
    anchored = Rule(regex=r"\d+ (?:drones|uavs)", triggers=("drone",), gate=r"^\d+ uavs")
    assert anchored.opens("3 uavs") and not anchored.opens("12 planes. 3 uavs")
    assert anchored.opens_within("12 planes. 3 uavs")
    assert not Rule(regex=NEVER).opens_within("anything")


# --- a rule tried where its matches may start (rulepack.started, Rule.starts) ----------------------

_STARTS_TEXTS = [
    "the newsdeskmonday edition: on tuesday and wednesday, 3 march 2024, the night of friday to saturday.",
    "overnight into sunday, at 04:30 on 12/03/2024 and again on 2024-03-12; last night and this morning.",
    "a 45-year-old man, 2 kh-101 and s300 launchers, no. 7 school, number 12, $3,000 and 40% of homes.",
    "since march 3, days after the strike on the city, over the past day 12 killed across the country.",
    "earlier today a drone hit; yesterday, 2 people; christmas eve; late sunday; early on monday.",
    "mondays, tuesdayish, satur day, 31st, the 2nd, 1990s, sept. 5, may 2023 and 5 may.",
]


def _started_rules() -> list[Rule]:
    return [rule for rule in _RULES if rule.starts]


def test_the_english_date_and_not_counts_rules_are_tried_where_they_may_start() -> None:
    english = load_language("en").slots
    assert english.date.starts and english.not_counts.starts
    patterns = {r.rx.pattern for r in _started_rules()}
    assert {english.date.rx.pattern, english.not_counts.rx.pattern} <= patterns


@pytest.mark.parametrize("text", _STARTS_TEXTS)
def test_a_rule_tried_where_it_may_start_finds_what_its_pattern_finds(text: str) -> None:
    for rule in _started_rules():
        _assert_gate_agrees(rule, text)
        _assert_gate_agrees(rule, text.upper())


def test_a_weekday_inside_a_word_is_still_found() -> None:
    """The weekday branch of `date` has no word boundary: its start regex may not ask for one."""
    date = load_language("en").slots.date
    text = "filed by our newsdeskmonday"
    assert [m.group("wday") for m in date.finditer(text)] == ["monday"]
    assert [m.span() for m in date.finditer(text)] == [m.span() for m in date.rx.finditer(text)]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                *"ab .,1-/:$\n",
                "3 ",
                "12",
                "2024",
                "march ",
                "may",
                "on ",
                "the ",
                "night ",
                "monday",
                "into ",
                "overnight ",
                "last ",
                "aged ",
                "kh-",
                "no.",
                "number ",
                "days ",
                "after ",
                "over ",
                "past ",
                "24 hours",
                "day",
                "sunday",
                "to ",
            ]
        ),
        max_size=30,
    )
)
def test_a_rule_tried_where_it_may_start_finds_the_same_on_any_text(pieces: list[str]) -> None:
    text = "".join(pieces)
    for rule in _started_rules():
        _assert_gate_agrees(rule, text)


def test_an_empty_match_hands_over_to_the_pattern() -> None:
    rx = re.compile(r"a*")
    search, finditer = started(rx, re.compile(r""))
    for text in ("", "baab", "aa", "xay"):
        assert [m.span() for m in finditer(text)] == [m.span() for m in rx.finditer(text)]
        found, expected = search(text), rx.search(text)
        assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize("text", ["", "no figure here", *_STARTS_TEXTS])
def test_blanking_the_matches_is_sub(text: str) -> None:
    rx = load_language("en").slots.not_counts.rx
    assert blank_matches(rx.finditer(text), text) == rx.sub(blank, text)


# --- the warmed classifier's frozen tables (engine.Classifier.warm) ---------------------------------


def test_warm_freezes_the_tables_and_a_rebuilt_pipeline_is_still_freed() -> None:
    """`warm` moves what it built out of the collector's reach; a pipeline dropped by a vocabulary
    rebuild is thawed, freed by the next `classify`, and what is left is frozen again."""
    engine = Classifier(languages=("en",))
    try:
        engine.warm()
        assert gc.get_freeze_count() > 100_000
        engine.bounds = Bounds(max_vocab_strings=len(engine.nlp.vocab.strings) + 5_000)  # type: ignore[attr-defined]
        old = weakref.ref(engine.nlp)
        junk = [
            Article(id=f"junk-{i}", text=" ".join(f"zq{i}x{j}" for j in range(2_000)) + ".") for i in range(4)
        ]
        for article in junk:
            engine.classify([article])
        assert engine.nlp is not old()  # rebuilt at least once
        (result,) = engine.classify([Article(id="after", text="Russian drones struck Kharkiv, killing two.")])
        assert isinstance(result, Classification) and result.is_attack and result.casualties.killed == 2
        assert old() is None
        assert gc.get_freeze_count() > 100_000
    finally:
        gc.unfreeze()
