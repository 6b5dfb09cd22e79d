# ruff: noqa: E501  -- regex tables read better unwrapped than split mid-alternation.
"""Regular expressions run only over sentences that already hold a trigger word (cheap per article)."""

from __future__ import annotations

import re

from .numbers import NUMBER

Q = r"(?:(?:at least|more than|over|up to|about|around|roughly|nearly|almost|some|approximately|an estimated|as many as|no fewer than|a total of)\s+)*"
NUM = rf"(?:\b{Q}(?:{NUMBER}))"
GAP = r"(?:[\s,]+(?!(?:and|but|while|after)\b)[\w'’-]+){0,6}?"
SHORT_GAP = r"(?:\s+[\w'’-]+){0,3}?"
PROJ = (
    r"(?:drones?|missiles?|rockets?|uavs?|shaheds?|unmanned aerial vehicles?|(?:guided|glide|aerial|air)\s+bombs?"
    r"|bombs|projectiles|drone strikes|missile strikes|aerial targets|air targets|targets)"
)
DOWN = r"(?:shot down|shoots down|shoot down|shooting down|destroyed|destroying|intercepted|intercepting|downed|neutrali[sz]ed)"
FIRE = r"(?:launched|launching|fired|firing|sent|dropped|used|released)"
BE = r"(?:\s+(?:were|was|have been|had been|has been|are|got|been))?(?:\s+(?:reportedly|successfully|also|all|later|presumed|confirmed|reported))*"

KILL_VERB = r"(?:killed|dead|died|lost their lives|perished|were slain)"
PERSON = r"(?:man|woman|civilian|person|child|boy|girl|resident|soldier|serviceman|driver|employee|teenager|pensioner)"
HURT_VERB = r"(?:injured|wounded|hurt)"


def _c(p: str) -> re.Pattern[str]:
    """Patterns written in lower case, matched against the article lower-cased once (see `lower`).

    Case-sensitive matching on lower-cased text is 2-5x faster in `re` than IGNORECASE matching."""
    return re.compile(p)


def _words(p: str) -> re.Pattern[str]:
    r"""`_c(p)` for a word list `\b(?:w1|w2|...)\b` (plain alternatives, each starting with a letter),
    rewritten with the same matches but faster to search.

    The words are grouped by first letter, `c(?<!\w\w)(?:rest|...)`: the pattern then starts with a set
    of literal characters, so `re` skips in C every position whose character starts no word (instead of
    testing `\b` and the whole alternation there), and the `\b` before the word is checked after its first
    letter. Words keep their order within a letter, and words of different letters never match at the
    same position, so every match is the one `p` finds."""
    assert p.startswith(r"\b(?:") and p.endswith(r")\b"), p
    words = p[len(r"\b(?:") : -len(r")\b")].split("|")
    groups: dict[str, list[str]] = {}
    for word in words:
        assert word[:1].isalpha() and "(" not in word, word
        groups.setdefault(word[0], []).append(word[1:])
    alternation = "|".join(rf"{c}(?<!\w\w)(?:{'|'.join(rests)})" for c, rests in groups.items())
    return re.compile(rf"(?:{alternation})\b")


def lower(text: str) -> str:
    """`text.lower()`, but always of the same length so offsets into it index the original text."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)


def gate(low: str, triggers: tuple[str, ...]) -> bool:
    """True when `low` holds one of the trigger substrings (a C-speed test that skips a regex scan)."""
    for trigger in triggers:  # noqa: SIM110  (a plain loop: no generator per call on the hot path)
        if trigger in low:
            return True
    return False


KILLED = [
    _c(rf"(?P<n>{NUM}){GAP}{BE}\s+{KILL_VERB}\b"),
    _c(
        rf"\b(?:killed|killing|kills|deaths of|death of|lives of|bodies of|bodies of the|claimed the lives of)\s+(?:the\s+)?(?P<n>{NUM})\b"
    ),
    _c(rf"\bputs? the (?:death )?(?:figure|toll|number) at\s+(?P<n>{NUM})\b"),
    _c(
        rf"\bdeath toll\b[^.;]{{0,120}}?\b(?:risen|rose|rises|climbed|climbs|increased|grown|reached)\s+(?:to\s+)?(?P<n>{NUM})\b"
    ),
    _c(
        rf"\bdeath toll\b(?:\s+[\w'’-]+){{0,12}}?\s+(?:to|at|of|reached|is|stands at|rose to|rises to)\s+(?P<n>{NUM})\b"
    ),
    _c(rf"(?P<n>{NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:deaths|dead|fatalities|bodies)\b"),
    _c(
        r"\b(?:a|an|one)\s+(?:[\w-]+\s+){0,2}?(?:man|woman|civilian|person|child|boy|girl|resident|soldier|serviceman|driver|employee|teenager|pensioner)\s+(?:was|has been)\s+killed\b(?P<one>)"
    ),
    # "..., killing a 45-year-old woman" (the age is masked before counting).
    _c(rf"\b(?:killing|killed)\s+(?:a|an|one)\s+(?:[\w-]+\s+){{0,3}}?{PERSON}\b(?P<one>)"),
]
INJURED = [
    _c(rf"(?P<n>{NUM}){GAP}{BE}\s+{HURT_VERB}\b"),
    _c(rf"\b(?:injuring|wounding|injured|wounded|hurting)\s+(?:the\s+)?(?P<n>{NUM})\b"),
    _c(rf"\b(?:left|leaving)\s+(?P<n>{NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:injured|wounded|hurt)\b"),
    _c(
        r"\b(?:a|an|one)\s+(?:[\w-]+\s+){0,2}?(?:man|woman|civilian|person|child|boy|girl|resident|soldier|serviceman|driver|employee|teenager|pensioner)\s+(?:was|has been)\s+(?:injured|wounded|hurt)\b(?P<one>)"
    ),
    _c(
        r"\banother(?:\s+(?:person|man|woman|one|civilian))?\s+(?:was|has been)\s+(?:injured|wounded|hurt)\b(?P<one>)"
    ),
    _c(
        rf"\b(?:injuring|wounding|injured|wounded|hurting)\s+(?:a|an|one)\s+(?:[\w-]+\s+){{0,3}}?{PERSON}\b(?P<one>)"
    ),
]
# Trigger substrings: every match of a gated pattern contains one of them, so a sentence without any
# is skipped with a few `in` tests instead of a regex scan (the count patterns backtrack; most sentences
# hold no trigger).
KILL_TRIGGERS = ("kill", "dead", "died", "death", "lives", "perish", "bodies", "slain", "to die", "fatalit")
HURT_TRIGGERS = ("injur", "wound", "hurt")
PROJ_TRIGGERS = (
    "drone", "missile", "rocket", "uav", "shahed", "unmanned", "bomb", "projectile", "target", "of them",
    "shot down", "intercept",
)  # fmt: skip
NO_CASUALTY_TRIGGERS = ("casualt", "death", "dead", "victim", "injur", "nobody", "no one")
NO_DEATH_TRIGGERS = ("death", "fatalit", "kill")
CORRECTION_TRIGGERS = ("alive", "captive", "prisoner", "retract", "corrected", "revised down")
CONFLICT_TRIGGERS = ("put", "contest", "disput", "neither", "denied", "admit", "while", "only")
CUT_TRIGGERS = ("response", "retaliation", "after", "following", "revenge")
# A figure written as digits or as a number word: the count patterns need one.
HAS_NUMBER = re.compile(rf"\d|\b(?:{NUMBER})\b")
HAS_DIGIT = re.compile(r"\d")
VICTIMS = _c(rf"(?P<n>{NUM})\s+victims\b")
ORDINAL_DEATH = _c(r"\bthe\s+(?P<ord>\d+)(?:st|nd|rd|th)\s+(?:person|victim|people)\s+to\s+die\b")
NO_CASUALTIES = _c(
    r"\b(?:no|without)\s+(?:casualties|deaths or injuries|deaths or injured|dead or injured|victims|injuries or deaths)\b"
    r"|\bnobody\s+(?:was|got)\s+(?:killed|hurt|injured)|\bno one\s+(?:was\s+)?(?:killed|hurt|injured)"
)
NO_INJURIES = _c(r"\bno\s+(?:injuries|one was (?:injured|hurt)|people were (?:injured|hurt))\b")
NO_DEATHS = _c(r"\bno\s+(?:deaths|fatalities|one was killed|people were killed)\b|\bnobody got killed\b")
CORRECTION = _c(
    r"\b(?:alive and well|found alive|turned out to be alive|were alive|are alive|taken captive|taken prisoner|"
    r"retracted|later corrected|revised down)\b"
)
CONFLICT = _c(
    r"\b(?:puts? the (?:figure|toll|number)|contested|disputed|neither claim|denied|admits|admitted|"
    r"while (?:russia|ukraine|moscow|kyiv)\b[^.]{0,40}\bsaid|said only|saying only|only \d+)"
)

X_OF_Y = [
    _c(rf"\b{DOWN}\s+(?P<i>{NUM})\s+(?:of|out of)\s+(?P<l>{NUM})\b"),
    _c(
        rf"(?P<i>{NUM})\s+(?:of|out of)\s+(?:the\s+)?(?P<l>{NUM})\s+(?:[\w'’-]+\s+){{0,3}}?{PROJ}{BE}\s+{DOWN}"
    ),
    _c(
        rf"\b(?:out of|of)\s+the\s+(?P<l>{NUM})\s+(?:[\w'’-]+\s+){{0,3}}?{PROJ},?\s+(?P<i>{NUM}){BE}\s+{DOWN}"
    ),
]
INTERCEPTED = [
    _c(rf"\b{DOWN}\s+(?P<n>{NUM})\s+of\s+(?:them|these|those|the)\b"),
    _c(rf"\b{DOWN}\s+(?P<n>{NUM})\s+(?:[\w'’-]+\s+){{0,3}}?{PROJ}\b"),
    _c(rf"(?P<n>{NUM})\s+(?:[\w'’-]+\s+){{0,3}}?{PROJ}{BE}\s+{DOWN}"),
    _c(rf"(?P<n>{NUM})\s+of them{BE}\s+{DOWN}"),
    _c(
        rf"\b(?P<n>an?|one)\s+(?:[\w'’-]+\s+){{0,2}}?(?:drone|missile|rocket|uav)\b[^.]{{0,40}}?\b(?:was|has been|had been)\s+{DOWN}"
    ),
]
LAUNCHED = [
    _c(rf"\b{FIRE}\s+(?P<n>{NUM})\s+(?:[\w'’-]+\s+){{0,3}}?{PROJ}\b"),
    _c(rf"(?P<n>{NUM})\s+(?:[\w'’-]+\s+){{0,3}}?{PROJ}{BE}\s+{FIRE}"),
    _c(rf"\b(?:with|using|attack of|wave of|barrage of)\s+(?P<n>{NUM})\s+(?:[\w'’-]+\s+){{0,3}}?{PROJ}\b"),
    _c(rf"(?P<n>{NUM})\s+(?:[\w'’-]+\s+){{0,2}}?{PROJ}\s+(?:hit|struck|attacked|targeted)\b"),
]


# A wave listed by kind: "launched 42 drones and 3 missiles", "shot down 38 of the drones and all three missiles".
_ITEM = rf"(?:all\s+)?(?:the\s+)?{NUM}\s+(?:of\s+the\s+)?(?:[\w'’-]+\s+){{0,3}}?{PROJ}"
WAVE = _c(
    rf"\b(?P<verb>{FIRE}|{DOWN}|with|attack of|wave of|barrage of)\s+(?P<items>{_ITEM}(?:(?:,\s*|,?\s+and\s+|\s*\+\s*){_ITEM}){{1,3}})"
)
WAVE_NUM = _c(rf"(?:all\s+)?(?:the\s+)?(?P<n>{NUM})\s+(?:of\s+the\s+)?(?:[\w'’-]+\s+){{0,3}}?{PROJ}")
WAVE_DOWN = _c(DOWN)


# Substrings without spaces that every match of DOWN / FIRE holds (masking only blanks characters, so a
# match in the masked sentence implies the substring in the sentence): a few `in` tests skip the scans.
DOWN_TRIGGERS = ("down", "destroy", "intercept", "neutrali")
FIRE_TRIGGERS = ("launch", "fired", "firing", "sent", "dropped", "used", "released")
WAVE_TRIGGERS = (*FIRE_TRIGGERS, *DOWN_TRIGGERS, "with", "attack", "wave", "barrage")


def _rules(
    patterns: list[re.Pattern[str]], triggers: list[tuple[str, ...]] | None = None
) -> list[tuple[re.Pattern[str], bool, tuple[str, ...]]]:
    """(pattern, needs a figure, trigger substrings of which a match holds one; () = no gate): patterns
    built on NUM can only match where a number is written."""
    gates = triggers or [()] * len(patterns)
    assert len(gates) == len(patterns)
    return [(rx, NUM in rx.pattern, gate) for rx, gate in zip(patterns, gates, strict=True)]


KILLED_RULES = _rules(KILLED)
INJURED_RULES = _rules(INJURED)
INTERCEPTED_RULES = _rules(INTERCEPTED, [DOWN_TRIGGERS] * len(INTERCEPTED))
LAUNCHED_RULES = _rules(
    LAUNCHED,
    [
        FIRE_TRIGGERS,
        FIRE_TRIGGERS,
        ("with", "using", "attack", "wave", "barrage"),
        ("hit", "struck", "attacked", "targeted"),
    ],
)

# Numbers that are not counts: ages, years, times, sizes. Masked (same length) before counting.
NOT_COUNTS = _c(
    r"\baged?\s+\d+(?:\s*(?:and|,|to|-)\s*\d+)*|\b\d+[- ](?:year|month|week|day|storey|story|floor)s?[- ]old\b"
    r"|\b\d+-(?:storey|story|floor|mm|km|kg|ton|tonne)\b|\b\d+(?:\.\d+)?\s*(?:percent|per cent|%|km|kilometres|kilometers|miles|metres|meters|mm|tons|tonnes|hours|minutes|years|months|weeks|days|nights|units)\b"
    r"|\b\d{1,2}:\d{2}\b|\b(?:19|20)\d\d\b|\$\s?\d[\d,.]*|\b\d+(?:st|nd|rd|th)\b|\bno\.\s*\d+|\bnumber\s+\d+"
)

ATTACK_VERB = (
    r"(?:shelled|shells|shelling|struck|strikes|attacked|attacks|attacking|bombed|bombing|launched|launches|launching|"
    r"fired|fires|firing|dropped|targeted|targets|targeting|pounded|stormed|hit|hits|carried out|conducted|"
    r"killed|used|seized)"
)
# An actor followed by an attack verb ("Russian forces shelled") or a weapon ("Russian drones") fired.
ACTOR_THEN_VERB = _c(
    rf"^(?:['’]s)?(?:\s+(?!(?:said|says|claimed|claims|accused|that|argued|reported)\b)[\w-]+){{0,2}}?\s+(?:has |have |had |was |is |are |were |also |reportedly )*{ATTACK_VERB}\b"
)
ACTOR_THEN_WEAPON = _c(
    r"^(?:[\s-]+[\w-]+){0,3}?[\s-]+(?:drones?|missiles?|rockets?|attacks?|strikes?|shelling|air raids?|airstrikes?|air strikes?|bombs?|bombings?|uavs?|shaheds?|aviation|offensive|assault|artillery|launched|fire)\b"
)
STRONG_EVENT = _words(
    r"\b(?:shelled|struck|attacked|bombed|launched|fired|dropped|targeted|pounded|stormed|repulsed|repelled|shot down|"
    r"shoots down|intercepted|downed|came under|carried out|escapes|escaped|hit|hits|strikes? hit|exploded|are shelling|"
    r"is shelling|were shelling|was shelling|attacking|shelling of|seized control|aimed at)\b"
)
HARM = _words(
    r"\b(?:killed|killing|injured|injuring|wounded|wounding|hurt|died|dead|damaged|damages|destroyed|destroys|death toll|casualties)\b"
)
# A follow-up sentence with no war word that still reports the attack's effects ("Port infrastructure in
# Izmail was damaged", "In Odesa, debris damaged a warehouse"): its places and damage belong to the attack.
AFTERMATH_TRIGGERS = (
    "damag",
    "destroy",
    "debris",
    "fire",
    "ablaze",
    "kill",
    "injur",
    "wound",
    "hurt",
    "died",
)
AFTERMATH = _c(
    r"\b(?:damaged|destroyed|debris|wreckage|caught fire|on fire|ablaze|killed|injured|wounded|hurt|died)\b"
)
EVENT_NOUN = _words(
    r"\b(?:attacks?|strikes?|shelling|airstrikes?|air strikes?|air raids?|explosions?|blasts?|bombing|bombardment|assault|raids?|massacre)\b"
)
MILITARY_WORDS = _c(
    r"\b(?:forces|troops|army|military|militia|paramilitary|occupiers|invaders|terrorists|enemy|air defen[cs]es?|"
    r"soldiers|aviation|warplanes?|artillery|shelling|shelled|missiles?|rockets?|airstrikes?|air strikes?)\b"
)
SPEECH_AFTER = _c(
    r"^\s*(?:'s\s+)?(?:said|says|reported|reports|claimed|claims|puts|put|admits|admitted|accused|announced|insists|"
    r"promised|responded|confirmed|denied|has said|has warned|warned|officials|authorities|government|administration|"
    r"mayor|governor|residents|backers|and brussels|and washington|targeted|struck|launched|attacked|fired|"
    r"is planning|was planning|would|will)\b"
)
LAUNCH_SITE_BEFORE = _c(r"\b(?:from|fired from|launched from)\b[^,.;]{0,45}$")
REGION_AFTER = _c(
    r"^\s*(?:regions?|oblasts?|province|governorate|krai|district|raion|river|street|avenue|regional)\b"
)
REGION_MENTION = re.compile(r"\b([A-Z][\w'’-]+(?:-[A-Z][\w'’-]+)?)\s+(?:[Rr]egion|[Oo]blast|[Pp]rovince)\b")
PLACE_COMMA_REGION = re.compile(
    r"\b(?:in|near|of|over|to|at|outside|around|on|shelled|attacked|struck|hit|targeted|bombed)\s+(?:the\s+)?(?:(?:village|town|city|settlement) of\s+)?"
    r"(?P<place>[A-Z][\w'’-]+(?:[ -][A-Z][\w'’-]+)?),\s+(?P<region>[A-Z][\w'’-]+)(?:\s+(?:region|oblast|province))?\b"
)
CLAUSE_CUT = _c(
    r"\b(?:in response to|in retaliation for|came after|comes after|following a|following an|in revenge for|after a deadly|"
    r"days after|weeks after|after (?:days|weeks|months|years) of)\b"
)
DATELINE = re.compile(
    # "Lviv/Moscow, Dec 19 (EFE) -", "KYIV, Ukraine (AP) —", and agency-less "KHARKIV, Ukraine —".
    r"(?m)^\s*[A-Z][A-Za-z/ .'-]{2,40}(?:,\s+[A-Z][A-Za-z .'-]{2,30})?,?\s+(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}\s+)?"
    r"\((?:[A-Za-z .]{2,20})\)\s*[.\-–—]*"
    r"|^\s*[A-Z][A-Z'’/-]{2,30}(?:,\s+[A-Z][A-Za-z .'-]{2,30})?\s+[—–-]+"
)
DISTRICT_OF_REGION = re.compile(
    r"\b(?:the\s+)?(?P<d>[A-Z][\w'’-]+)\s+[Dd]istrict\s+of\s+(?:the\s+)?(?P<r>[A-Z][\w'’-]+)\s+(?:[Oo]blast|[Rr]egion)\b"
)
DISTRICT_LIST = re.compile(
    r"\b(?P<list>[A-Z][a-z]+(?:sky|skyi|ska|skiy|ivka)(?:(?:,\s+|,?\s+and\s+)[A-Z][a-z]+(?:sky|skyi|ska|skiy|ivka))*)\s+districts?\b"
)
VILLAGE = re.compile(r"\b(?:village|settlement|town) of\s+(?P<v>[A-Z][\w'’-]+)")
DATE_HEADER = re.compile(r"^\s*date\s+(\d{4}-\d{2}-\d{2})\b")

CRITICAL = _c(
    r"\b(?:critical infrastructure|power (?:station|plant|line|grid|supply|facilit|system|infrastructure)\w*|"
    r"power and (?:gas|heat)\w*\s+(?:lines|grid)|energy (?:infrastructure|facilit\w+|system|network|object\w*)|substations?|"
    r"heating(?: system)?|water supply|ports?|port infrastructure|grain|railway|rail|bridges?|dams?|power outages?|"
    r"power cuts?|blackouts?|without (?:power|electricity)|gas lines?|gas pipeline|oil depot|fuel depot|refinery|electricity)\b"
)
WHOLE_AREA_DARK = _c(
    r"\b(?:million|millions)\b[^.]{0,50}\bwithout (?:power|electricity|light)\b"
    r"|\bwithout (?:power|electricity)\b[^.]{0,30}\bmillions?\b"
    r"|\b(?:outages?|blackouts?|cuts?)\s+affect\w*\s+(?:more than\s+|over\s+)?(?:one|a|1|\d+)\s+million\b"
    r"|\b(?:entire|whole)\s+(?:city|region|oblast|town)\b[^.]{0,40}\bwithout (?:power|electricity)\b"
)
CIVIL_DAMAGE = _c(
    r"\b(?:homes?|houses?|residential|apartments?|buildings?|cars?|vehicles?|ships?|vessels?|shops?|windows|barn|"
    r"garages?|schools?|kindergarten|hospital|church|cafes?|hotel|equipment|ambulatory|market|restaurant|warehouse|"
    r"aircraft|jets?|planes?|helicopters?|howitzers?|tanks?|launchers?|landing ship|submarine|radars?|ammunition depot)\b"
)
DAMAGE_VERB = _c(
    r"\b(?:damaged|destroyed|hit|struck|caught fire|on fire|fires?|burn\w*|shelled|ablaze|collapsed|blown out|"
    r"broken|damaging|destroying|destroys|damages|hitting|targeted|attacked|ruins|rubble|strikes? on|attacks? on)\b"
)
DEATH_WORDS = _c(r"\b(?:killed|killing|dead|deaths?|died|lost their lives)\b")
NEGATED_BEFORE = _c(r"\b(?:no|not|without|yet|any)\b[^.]{0,25}$")
# Actor context (run on short windows around an actor word).
BY_FROM_BEFORE = _c(r"\b(?:by|from)\s+(?:the\s+)?(?:[\w-]+\s+){0,2}$")
DOWN_BEFORE = _c(rf"\b{DOWN}\s*(?:[\w-]+\s+){{0,2}}$")
DOWNED_AFTER = _c(r"^(?:\s+[\w-]+){0,3}\s+(?:shot down|intercepted|repulsed|repelled|downed)")
INJURED_ROSE = _c(r"\b(?:injured|wounded)\b[^.]{0,30}\b(?:rose|rises|risen|increased)\b")
LOWER_BOUND = _c(r"(?:more than|over|at least)\b")
EXPLICIT_ARTILLERY = _c(r"\b(?:artillery|mortars?|heavy weapons|howitzers?)\b")
ARTILLERY_TRIGGERS = ("artiller", "mortar", "heavy weapons", "howitzer")
# A dated one-paragraph event note: "On 5 January 2023, Russian forces shelled ..." (ACLED style).
EVENT_NOTE = re.compile(
    r"^\s*(?:[A-Z][\w ]{0,30}:\s*)?On\s+(?:\d{1,2}\s+[A-Z][a-z]+|[A-Z][a-z]+\s+\d{1,2}),?\s+\d{4},(?=[^\n]{0,600}\Z)",
    re.DOTALL,
)
# "No one was killed", "not a single person": a negated one, masked before counting.
NO_ONE = _c(r"\b(?:no|not)\s+(?:one|single)\b|\bnot\s+a\s+single\b")
NO_ONE_TRIGGERS = ("no one", "not one", "no single", "not a single")
# Figures without a number ("dozens killed", "hundreds wounded"): no count (null), but a lower bound
# for the severity rubric.
VAGUE_KILLED = _c(
    r"\b(?P<q>dozens|scores|hundreds|thousands)\b(?:\s+of)?(?:\s+[\w-]+){0,3}?\s+(?:(?:were|was|have been|had been|are)\s+)?"
    r"(?:killed|dead|died|perished|lost their lives)\b|\b(?:killed|killing|killing at least)\s+(?P<q2>dozens|scores|hundreds|thousands)\b"
)
VAGUE_INJURED = _c(
    r"\b(?P<q>dozens|scores|hundreds|thousands)\b(?:\s+of)?(?:\s+[\w-]+){0,3}?\s+(?:(?:were|was|have been|had been|are)\s+)?"
    r"(?:injured|wounded|hurt)\b|\b(?:injuring|wounding)\s+(?P<q2>dozens|scores|hundreds|thousands)\b"
)
VAGUE_TRIGGERS = ("dozens", "scores", "hundreds", "thousands")
VAGUE_MINIMUM = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000}
