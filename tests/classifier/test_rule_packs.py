"""Rule packs are data: a bad rule stops the loader with its file and line, the trigger gates never
hide a match, and a newcomer extends the classifier by editing data alone."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from schemas import Article, Classification
from services.classifier.engine import Classifier
from services.classifier.page import lower
from services.classifier.rulepack import RULES_DIR, PackError, Rule, RuleSet, Slots, load_language, load_pack
from services.classifier.sentences import split
from services.common.severity import RUBRIC

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture
def pack_copy(tmp_path: Path) -> Path:
    """A writable copy of the English pack (and the shared severity file beside it)."""
    shutil.copytree(RULES_DIR / "en", tmp_path / "rules" / "en")
    shutil.copy(RULES_DIR / "severity.yaml", tmp_path / "rules" / "severity.yaml")
    return tmp_path / "rules" / "en"


def _append(path: Path, record: dict[str, object]) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def test_the_english_pack_loads_with_every_slot() -> None:
    pack = load_language("en")
    assert pack.language == "en" and pack.meta.match_attr == "LOWER"
    assert len(pack.lexicon) > 400 and any(r.designator for r in pack.lexicon)
    for name in Slots.model_fields:
        if name != "fragments":
            assert isinstance(getattr(pack.slots, name), Rule | RuleSet), name


# --- a bad rule fails at start-up, naming its file and line -------------------------------------------


def test_the_packs_severity_thresholds_are_the_rubric_the_alerter_regrades_with() -> None:
    """The alerter re-grades a corrected incident with `RUBRIC`; the classifier grades with the pack's
    severity.yaml. Were they to drift, a correction would grade by another rubric than the report."""
    assert load_language("en").severity == RUBRIC
    assert RUBRIC.extreme.killed == 10 and RUBRIC.severe.projectiles == 50


def test_unknown_label_names_the_jsonl_file_and_line(pack_copy: Path) -> None:
    path = pack_copy / "weapons.jsonl"
    lines = path.read_text(encoding="utf-8").count("\n")
    _append(path, {"pattern": "zircon", "label": "WEAPONRY", "kind": "missile"})
    with pytest.raises(PackError) as err:
        load_pack(pack_copy)
    assert f"weapons.jsonl:{lines + 1}:" in str(err.value) and "label" in str(err.value)


def test_a_weapon_without_its_name_is_refused(pack_copy: Path) -> None:
    _append(pack_copy / "weapons.jsonl", {"pattern": "zircon", "label": "WEAPON", "kind": "missile"})
    with pytest.raises(PackError, match=r"weapons\.jsonl:\d+: .*takes \['kind', 'weapon'\]"):
        load_pack(pack_copy)


def test_a_line_that_is_not_json_is_named(pack_copy: Path) -> None:
    with (pack_copy / "not_attack.jsonl").open("a", encoding="utf-8") as f:
        f.write('{"pattern": "airsoft", "label": \n')
    with pytest.raises(PackError, match=r"not_attack\.jsonl:\d+: not JSON"):
        load_pack(pack_copy)


def test_a_regex_that_does_not_compile_names_the_yaml_line(pack_copy: Path) -> None:
    path = pack_copy / "slots.yaml"
    text = path.read_text(encoding="utf-8")
    anchor = "  regex: '\\bthe\\s+(?P<ord>"
    line = text[: text.index(anchor)].count("\n") + 1
    path.write_text(text.replace(anchor, "  regex: '(unclosed\\bthe\\s+(?P<ord>"), encoding="utf-8")
    with pytest.raises(PackError) as err:
        load_pack(pack_copy)
    assert f"slots.yaml:{line}:" in str(err.value) and "does not compile" in str(err.value)


def test_an_unknown_fragment_is_named(pack_copy: Path) -> None:
    path = pack_copy / "slots.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("{KILL_VERB}", "{KILL_VERBS}"), encoding="utf-8")
    with pytest.raises(PackError, match=r"slots\.yaml:\d+: .*unknown fragment \{KILL_VERBS\}"):
        load_pack(pack_copy)


def test_a_missing_slot_is_named(pack_copy: Path) -> None:
    path = pack_copy / "slots.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("victims:\n")
    path.write_text(text[:start] + text[text.index("no_casualties:\n") :], encoding="utf-8")
    with pytest.raises(PackError, match=r"slots\.yaml: victims: Field required"):
        load_pack(pack_copy)


def test_bad_yaml_names_the_line(pack_copy: Path) -> None:
    path = pack_copy / "numbers.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "units: [unclosed\n", encoding="utf-8")
    with pytest.raises(PackError, match=r"numbers\.yaml:\d+: not valid YAML"):
        load_pack(pack_copy)


# --- the trigger gates never hide a match ---------------------------------------------------------


def _sentences() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    texts.append(
        "On 1 Dec, 12/03/2022 and 2023-05-04, overnight, yesterday and on Christmas Eve: 1,200 were "
        "wounded, 30 killed, 5 fatalities, the 3rd person to die; no casualties; nobody was hurt. "
        "Air defences shot down 14 of 20 drones; 3 of them were destroyed; no one was injured. "
        "A man was later found alive. Kyiv puts the figure at 40 while Moscow said only 3 died. "
        "Dozens were killed and hundreds wounded. Power outages hit the city in response to the strike."
    )
    return [lower(t[s:e]) for t in texts for s, e in split(t)]


def test_trigger_gates_never_hide_a_match() -> None:
    slots = load_language("en").slots
    gated: list[tuple[str, Rule, RuleSet | None]] = []
    for name in Slots.model_fields:
        value = getattr(slots, name)
        if isinstance(value, Rule) and value.on == "lower" and (value.triggers or value.gate):
            gated.append((name, value, None))
        elif isinstance(value, RuleSet):
            gated.extend((name, rule, value) for rule in value.rules)
    checked = 0
    for low in _sentences():
        for name, rule, ruleset in gated:
            if rule.rx.search(low):
                checked += 1
                assert rule.opens(low), (name, low)
                assert ruleset is None or ruleset.opens(low), (name, low)
    assert checked > 30  # the sentences exercise the gates


def test_lower_keeps_offsets() -> None:
    text = "İstanbul and KYIV"
    assert len(lower(text)) == len(text) and lower(text).endswith("kyiv")


# --- a newcomer adds a weapon, a place spelling and a non-attack phrase by editing data alone -------


def _classify(engine: Classifier, text: str) -> Classification:
    result = engine.classify([Article(id="x", text=text, published="2024-03-04")])[0]
    assert isinstance(result, Classification)
    return result


def test_a_temporary_pack_with_a_new_weapon_place_spelling_and_non_attack_phrase(
    pack_copy: Path, classifier: Classifier
) -> None:
    weapon = "Russia fired a Zircon missile at Kyiv on Monday, damaging a warehouse."
    game = "An airsoft team attacked a mock army base near Lviv on Sunday, injuring two players."
    spelled = "Russian drones struck Kharkif overnight, wounding three people."
    assert "Zircon" not in _classify(classifier, weapon).weapons
    assert _classify(classifier, game).is_attack  # the shipped pack has no word for it
    assert _classify(classifier, spelled).locations == []
    _append(
        pack_copy / "weapons.jsonl",
        {"pattern": "zircon", "label": "WEAPON", "kind": "missile", "weapon": "Zircon"},
    )
    _append(pack_copy / "not_attack.jsonl", {"pattern": "airsoft", "label": "NOT_ATTACK"})
    _append(pack_copy / "places.jsonl", {"pattern": "Kharkif", "place": "Kharkiv"})
    extended = Classifier(pack=load_pack(pack_copy), gazetteer=classifier.gazetteer)
    assert _classify(extended, weapon).weapons == ["Zircon"]
    assert not _classify(extended, game).is_attack
    assert [(loc.name, loc.region) for loc in _classify(extended, spelled).locations] == [
        ("Kharkiv", "Kharkiv Oblast")
    ]


def test_a_spelling_of_an_unknown_place_is_refused(pack_copy: Path, classifier: Classifier) -> None:
    _append(pack_copy / "places.jsonl", {"pattern": "Atlantis", "place": "Atlantis"})
    with pytest.raises(ValueError, match="no place named 'Atlantis'"):
        Classifier(pack=load_pack(pack_copy), gazetteer=classifier.gazetteer)


# --- the seam for inflected languages ---------------------------------------------------------------


def test_a_pack_can_match_on_lemmas_of_candidate_tokens(pack_copy: Path, classifier: Classifier) -> None:
    """A pack naming a lemmatiser matches dictionary forms (the uk/ru packs plug pymorphy3 in here)."""
    from services.classifier.lemmas import LEMMATISERS

    LEMMATISERS["test-plural-z"] = lambda: lambda word: word[:-1] if word.endswith("z") else word
    try:
        meta = pack_copy / "pack.yaml"
        text = meta.read_text(encoding="utf-8")
        meta.write_text(
            text.replace("match_attr: LOWER", "match_attr: LEMMA").replace(
                "lemmatiser: null", "lemmatiser: test-plural-z"
            ),
            encoding="utf-8",
        )
        inflected = Classifier(pack=load_pack(pack_copy), gazetteer=classifier.gazetteer)
        sentence = "Russian dronez struck Kyiv overnight, wounding two people."
        assert "drone" not in _classify(classifier, sentence).attack_types
        assert "drone" in _classify(inflected, sentence).attack_types
    finally:
        del LEMMATISERS["test-plural-z"]


def test_an_unknown_lemmatiser_is_a_clear_error(pack_copy: Path, classifier: Classifier) -> None:
    meta = pack_copy / "pack.yaml"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace("lemmatiser: null", "lemmatiser: nowhere"), encoding="utf-8"
    )
    with pytest.raises(ValueError, match="no lemmatiser named 'nowhere'"):
        Classifier(pack=load_pack(pack_copy), gazetteer=classifier.gazetteer)
