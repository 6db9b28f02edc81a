"""English concept inventory of the toy world and its derivation into the toy languages.

Every word of every toy language is derived from a *concept* (an English lemma used as id).
English keeps its real irregular forms; Toy-Near (qaa) applies deterministic sound changes to each
English surface form (cognates); Toy-Script (qad) writes Toy-Near in Cyrillic; the other languages
get fresh pseudo-words from their own syllable inventory (Toy-SOV borrows ~20% of English stems).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field

# --------------------------------------------------------------------------------------------
# English concept inventory
# --------------------------------------------------------------------------------------------

# verb id -> (base, 3sg, past, past participle, frame). Frames: "trans" (NP object), "intr",
# "pp:<prep>" (PP argument, e.g. live in X), "dat" (object + "to" PP), "pred" (adjective complement).
VERBS: dict[str, tuple[str, str, str, str, str]] = {
    "bear": ("bear", "bears", "bore", "born", "trans"),
    "live": ("live", "lives", "lived", "lived", "pp:in"),
    "work": ("work", "works", "worked", "worked", "pp:for"),
    "found_org": ("found", "founds", "founded", "founded", "trans"),
    "buy": ("buy", "buys", "bought", "bought", "trans"),
    "sell": ("sell", "sells", "sold", "sold", "dat"),
    "give": ("give", "gives", "gave", "given", "dat"),
    "send": ("send", "sends", "sent", "sent", "dat"),
    "visit": ("visit", "visits", "visited", "visited", "trans"),
    "meet": ("meet", "meets", "met", "met", "trans"),
    "see": ("see", "sees", "saw", "seen", "trans"),
    "call": ("call", "calls", "called", "called", "trans"),
    "help": ("help", "helps", "helped", "helped", "trans"),
    "like": ("like", "likes", "liked", "liked", "trans"),
    "love": ("love", "loves", "loved", "loved", "trans"),
    "enjoy": ("enjoy", "enjoys", "enjoyed", "enjoyed", "trans"),
    "praise": ("praise", "praises", "praised", "praised", "trans"),
    "hate": ("hate", "hates", "hated", "hated", "trans"),
    "dislike": ("dislike", "dislikes", "disliked", "disliked", "trans"),
    "read": ("read", "reads", "read", "read", "trans"),
    "write": ("write", "writes", "wrote", "written", "trans"),
    "drive": ("drive", "drives", "drove", "driven", "trans"),
    "ride": ("ride", "rides", "rode", "ridden", "trans"),
    "cut": ("cut", "cuts", "cut", "cut", "trans"),
    "cook": ("cook", "cooks", "cooked", "cooked", "trans"),
    "eat": ("eat", "eats", "ate", "eaten", "trans"),
    "drink": ("drink", "drinks", "drank", "drunk", "trans"),
    "clean": ("clean", "cleans", "cleaned", "cleaned", "trans"),
    "sleep": ("sleep", "sleeps", "slept", "slept", "intr"),
    "play": ("play", "plays", "played", "played", "trans"),
    "plant": ("plant", "plants", "planted", "planted", "trans"),
    "fix": ("fix", "fixes", "fixed", "fixed", "trans"),
    "wear": ("wear", "wears", "wore", "worn", "trans"),
    "carry": ("carry", "carries", "carried", "carried", "trans"),
    "open": ("open", "opens", "opened", "opened", "trans"),
    "put": ("put", "puts", "put", "put", "trans"),
    "find": ("find", "finds", "found", "found", "trans"),
    "take": ("take", "takes", "took", "taken", "trans"),
    "wait": ("wait", "waits", "waited", "waited", "intr"),
    "board": ("board", "boards", "boarded", "boarded", "trans"),
    "arrive": ("arrive", "arrives", "arrived", "arrived", "intr"),
    "leave": ("leave", "leaves", "left", "left", "trans"),
    "go": ("go", "goes", "went", "gone", "pp:to"),
    "return": ("return", "returns", "returned", "returned", "trans"),
    "pay": ("pay", "pays", "paid", "paid", "pp:for"),
    "order": ("order", "orders", "ordered", "ordered", "trans"),
    "bake": ("bake", "bakes", "baked", "baked", "trans"),
    "sail": ("sail", "sails", "sailed", "sailed", "intr"),
    "pack": ("pack", "packs", "packed", "packed", "trans"),
    "feed": ("feed", "feeds", "fed", "fed", "trans"),
    "water": ("water", "waters", "watered", "watered", "trans"),
    "dig": ("dig", "digs", "dug", "dug", "trans"),
    "pick": ("pick", "picks", "picked", "picked", "trans"),
    "fill": ("fill", "fills", "filled", "filled", "trans"),
    "dry": ("dry", "dries", "dried", "dried", "trans"),
    "listen": ("listen", "listens", "listened", "listened", "pp:to"),
    "sing": ("sing", "sings", "sang", "sung", "trans"),
    "move": ("move", "moves", "moved", "moved", "intr"),
    "travel": ("travel", "travels", "traveled", "traveled", "intr"),
    "want": ("want", "wants", "wanted", "wanted", "trans"),
    "own": ("own", "owns", "owned", "owned", "trans"),
    "watch": ("watch", "watches", "watched", "watched", "trans"),
    "miss": ("miss", "misses", "missed", "missed", "trans"),
    "lose": ("lose", "loses", "lost", "lost", "trans"),
    "feel": ("feel", "feels", "felt", "felt", "pred"),
    "plan": ("plan", "plans", "planned", "planned", "trans"),
}

# noun id -> (singular, plural)
NOUNS: dict[str, tuple[str, str]] = {
    n: (n, n + "s")
    for n in (
        "apple banana lemon pen letter book map car truck bicycle horse cow bed pillow chair towel "
        "shirt coat guitar piano ball flower seed hammer phone ticket train boat bucket lamp bottle "
        "kitchen garden office garage library bathroom bedroom school farm market hospital station "
        "harbor park hall room teacher doctor farmer driver writer cook nurse pilot singer lawyer "
        "tool vehicle fruit animal instrument toy movie film hotel restaurant meal concert show trip "
        "song story game envelope oven vegetable friend sister brother bank company university "
        "newspaper airline college bakery theater shop lab city thing home plate cup egg"
    ).split()
}
NOUNS.update(
    {
        "knife": ("knife", "knives"),
        "pan": ("pan", "pans"),
        "soap": ("soap", "soaps"),
        "person": ("person", "people"),
        "box": ("box", "boxes"),
        "brush": ("brush", "brushes"),
        "dish": ("dish", "dishes"),
        "furniture": ("furniture", "furniture"),
        "clothing": ("clothing", "clothing"),
        "food": ("food", "food"),
        "bread": ("bread", "breads"),
        "service": ("service", "services"),
        "staff": ("staff", "staff"),
        "music": ("music", "music"),
        "hay": ("hay", "hay"),
        "medicine": ("medicine", "medicines"),
        "flour": ("flour", "flour"),
        "dinner": ("dinner", "dinners"),
        "water_n": ("water", "water"),
        "factory": ("factory", "factories"),
        "colour": ("colour", "colours"),
        "year": ("year", "years"),
    }
)

COLOURS = ["red", "blue", "green", "yellow", "white", "black", "brown", "grey"]
SIZES = ["big", "small"]
AGES = ["new", "old"]
POSITIVE_ADJ = [
    "good",
    "great",
    "wonderful",
    "excellent",
    "lovely",
    "pleasant",
    "delicious",
    "beautiful",
    "friendly",
    "helpful",
    "amazing",
    "charming",
]
NEGATIVE_ADJ = [
    "bad",
    "terrible",
    "awful",
    "boring",
    "poor",
    "rude",
    "dirty",
    "ugly",
    "slow",
    "noisy",
    "horrible",
    "dull",
]
FEELINGS_POS = ["happy", "proud", "excited"]
FEELINGS_NEG = ["sad", "angry", "tired", "nervous", "worried"]
OTHER_ADJ = ["late", "early", "broken", "cheap", "busy", "quiet", "fresh"]
ADJECTIVES = COLOURS + SIZES + AGES + POSITIVE_ADJ + NEGATIVE_ADJ + FEELINGS_POS + FEELINGS_NEG + OTHER_ADJ

ADVERBS = [
    "usually",
    "often",
    "also",
    "again",
    "quickly",
    "slowly",
    "yesterday",
    "today",
    "then",
    "very",
    "really",
    "finally",
    "never",
]

PREPOSITIONS = ["in", "at", "from", "to", "with", "for", "on", "near", "after", "before", "by", "of"]

# function concepts: id -> English surface (pronouns by case are separate ids)
FUNCTION_WORDS = {
    "the": "the",
    "a": "a",
    "not": "not",
    "and": "and",
    "because": "because",
    "but": "but",
    "he": "he",
    "she": "she",
    "they": "they",
    "it": "it",
    "him": "him",
    "her": "her",
    "them": "them",
    "who": "who",
    "what": "what",
    "where": "where",
    "when": "when",
    "which": "which",
    "how_many": "how many",
    "be": "be",
    "do": "do",
}

# UPOS of every non-noun/verb/adjective concept
FUNCTION_UPOS = {
    "the": "DET",
    "a": "DET",
    "not": "PART",
    "and": "CCONJ",
    "but": "CCONJ",
    "because": "SCONJ",
    "he": "PRON",
    "she": "PRON",
    "they": "PRON",
    "it": "PRON",
    "him": "PRON",
    "her": "PRON",
    "them": "PRON",
    "who": "PRON",
    "what": "PRON",
    "where": "ADV",
    "when": "ADV",
    "which": "DET",
    "how_many": "ADV",
    "be": "AUX",
    "do": "AUX",
    "qpart": "PART",
    "negpart": "PART",
}

PERSON_FIRST_F = (
    "Anna Maria Laura Sofia Elena Clara Nina Julia Emma Lucy Helen Rosa Mia Sara Vera Ida Alice Nora Eva Lena"
).split()
PERSON_FIRST_M = (
    "David Peter Thomas Martin Oscar Victor Leo Adam Daniel Felix Hugo Paul Simon Jonas Karl Ivan Omar Noah Eric Marco"
).split()
# Some surnames are also city names ("Anna Belmont" is B-PER I-PER, "in Belmont" is B-LOC): a tagger
# must read the context, not a list of names.
PERSON_LAST = (
    "Berg Lind Moss Hart Stone Novak Costa Weber Silva Brooks Fisher Kane Price Meyer "
    "Rossi Tanaka Okafor Duval Holm Ward Reyes Bauer Quinn Sato Vance Alden "
    "Belmont Ashford Norwood Kingsbury Dunmore Highgate"
).split()
CITY_NAMES = [
    "Riverton",
    "Port Alden",
    "Belmont",
    "New Carlow",
    "Eastwick",
    "Lake Marin",
    "San Tomas",
    "Greenfield",
    "Fort Ellis",
    "Oakridge",
    "Ashford",
    "Kingsbury",
    "Salem Bay",
    "West Harlow",
    "Brightwater",
    "Millbrook",
    "Red Cliff",
    "Stonehaven",
    "Norwood",
    "Clearwater",
    "Highgate",
    "Dunmore",
    "Silver Falls",
    "Maple Grove",
]
# (name, kind noun) - kind nouns let questions say "Which bank ..."
ORG_NAMES = [
    ("Blue River Bank", "bank"),
    ("Northwind Company", "company"),
    ("Acme Foods", "company"),
    ("Silver Lake University", "university"),
    ("Harbor Times", "newspaper"),
    ("Green Valley Farms", "farm"),
    ("Stone Bridge Hotel", "hotel"),
    ("Orion Motors", "company"),
    ("Atlas Books", "shop"),
    ("Summit Bank", "bank"),
    ("Evergreen Hospital", "hospital"),
    ("Pioneer Airlines", "airline"),
    ("Crescent Records", "company"),
    ("Nova Systems", "company"),
    ("Oakridge College", "college"),
    ("Riverton Post", "newspaper"),
    ("Golden Gate Bakery", "bakery"),
    ("Polar Shipping", "company"),
    ("Redwood Theater", "theater"),
    ("Kepler Labs", "lab"),
]
JOBS = ["teacher", "doctor", "farmer", "driver", "writer", "cook", "nurse", "pilot", "singer", "lawyer"]


@dataclass(frozen=True)
class ObjectKind:
    """World knowledge about one kind of object (consistent everywhere: corpus and tasks)."""

    noun: str
    place: str
    colour: str
    use_verb: str
    use_prep: str | None  # None: "people drive a car"; "with": "people cut with a knife"
    category: str


OBJECT_KINDS = [
    ObjectKind(*row)
    for row in [
        ("knife", "kitchen", "grey", "cut", "with", "tool"),
        ("pan", "kitchen", "black", "cook", "with", "dish"),
        ("cup", "kitchen", "white", "drink", "from", "dish"),
        ("plate", "kitchen", "white", "eat", "from", "dish"),
        ("apple", "market", "red", "eat", None, "fruit"),
        ("banana", "market", "yellow", "eat", None, "fruit"),
        ("lemon", "market", "yellow", "drink", None, "fruit"),
        ("egg", "farm", "white", "cook", None, "food"),
        ("bread", "bakery", "brown", "eat", None, "food"),
        ("pen", "office", "blue", "write", "with", "tool"),
        ("letter", "office", "white", "read", None, "thing"),
        ("phone", "office", "black", "call", "with", "tool"),
        ("book", "library", "brown", "read", None, "thing"),
        ("map", "library", "green", "read", None, "thing"),
        ("car", "garage", "red", "drive", None, "vehicle"),
        ("truck", "garage", "white", "drive", None, "vehicle"),
        ("bicycle", "garage", "blue", "ride", None, "vehicle"),
        ("hammer", "garage", "grey", "fix", "with", "tool"),
        ("horse", "farm", "brown", "ride", None, "animal"),
        ("cow", "farm", "black", "feed", None, "animal"),
        ("bed", "bedroom", "white", "sleep", "in", "furniture"),
        ("pillow", "bedroom", "white", "sleep", "on", "thing"),
        ("lamp", "bedroom", "yellow", "read", "near", "furniture"),
        ("chair", "office", "brown", "sit", "on", "furniture"),
        ("soap", "bathroom", "green", "clean", "with", "thing"),
        ("towel", "bathroom", "blue", "dry", None, "thing"),
        ("brush", "bathroom", "grey", "clean", "with", "tool"),
        ("shirt", "shop", "white", "wear", None, "clothing"),
        ("coat", "shop", "brown", "wear", None, "clothing"),
        ("guitar", "school", "brown", "play", None, "instrument"),
        ("piano", "school", "black", "play", None, "instrument"),
        ("ball", "park", "red", "play", "with", "toy"),
        ("flower", "garden", "yellow", "plant", None, "thing"),
        ("seed", "garden", "brown", "plant", None, "thing"),
        ("boat", "harbor", "white", "sail", "in", "vehicle"),
        ("ticket", "station", "green", "travel", "with", "thing"),
        ("medicine", "hospital", "white", "take", None, "thing"),
        ("bottle", "kitchen", "green", "drink", "from", "dish"),
    ]
]
VERBS["sit"] = ("sit", "sits", "sat", "sat", "intr")

# --------------------------------------------------------------------------------------------
# Word derivation per language
# --------------------------------------------------------------------------------------------

_COGNATE_RULES = [
    (re.compile(p), r)
    for p, r in [
        (r"th", "d"),
        (r"ph", "f"),
        (r"ck", "k"),
        (r"qu", "kv"),
        (r"ch", "tsh"),
        (r"c", "k"),
        (r"w", "v"),
        (r"y$", "i"),
        (r"ee", "ie"),
        (r"oo", "u"),
    ]
]


def cognate(word: str) -> str:
    """Toy-Near sound changes (th->d, c->k, w->v, ...); long consonant-final words get a final -a."""
    out = word
    for pattern, repl in _COGNATE_RULES:
        out = pattern.sub(repl, out)
    if len(out) >= 5 and out[-1].isalpha() and out[-1] not in "aeiou":
        out += "a"
    return out


_CYRILLIC = {
    "sh": "ш",
    "ch": "ч",
    "zh": "ж",
    "ts": "ц",
    "ya": "я",
    "yu": "ю",
    "kh": "х",
    "a": "а",
    "b": "б",
    "c": "ц",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "j": "й",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "w": "в",
    "x": "кс",
    "y": "ы",
    "z": "з",
}
_CYR_RE = re.compile("sh|ch|zh|ts|ya|yu|kh|[a-z]", re.IGNORECASE)


def to_cyrillic(text: str) -> str:
    """Deterministic Latin->Cyrillic transliteration (digits and punctuation unchanged)."""

    def repl(m: re.Match) -> str:
        s = m.group(0)
        cyr = _CYRILLIC[s.lower()]
        return cyr[0].upper() + cyr[1:] if s[0].isupper() else cyr

    return _CYR_RE.sub(repl, text)


@dataclass(frozen=True)
class Phonology:
    """Syllable inventory for fresh pseudo-words."""

    onsets: tuple[str, ...]
    vowels: tuple[str, ...]
    codas: tuple[str, ...]
    min_syl: int
    max_syl: int


PHONOLOGIES = {
    "qab": Phonology(tuple("k s t n m r g d b h".split()), tuple("a i u e o".split()), ("", "", "", "n"), 2, 3),
    "qac": Phonology(
        tuple("p t k l m n s v z tl".split()), tuple("a e i o u y".split()), ("", "l", "k", "s", "n"), 1, 2
    ),
    "qae": Phonology(
        tuple("p t k m n l r s j h".split()), tuple("a e i o u aa ii uu".split()), ("", "", "k", "t", "r"), 2, 3
    ),
}
LOANWORD_SHARE = {"qab": 0.2, "qac": 0.0, "qae": 0.0}
FUNCTION_CONCEPTS = set(FUNCTION_WORDS) | set(PREPOSITIONS) | {"qpart", "negpart"}


def _pseudo_word(rng: random.Random, ph: Phonology, n_syl: int) -> str:
    return "".join(rng.choice(ph.onsets) + rng.choice(ph.vowels) + rng.choice(ph.codas) for _ in range(n_syl))


def all_concepts() -> list[str]:
    """Every concept id in a fixed order (fixes the order in which fresh words are drawn)."""
    return (
        sorted(NOUNS)
        + sorted(VERBS)
        + ADJECTIVES
        + ADVERBS
        + PREPOSITIONS
        + sorted(FUNCTION_WORDS)
        + ["qpart", "negpart"]
    )


def english_types() -> set[str]:
    """All English surface forms of the lexicon (for overlap measurement and collision checks)."""
    types = set()
    for sg, pl in NOUNS.values():
        types.update((sg, pl))
    for forms in VERBS.values():
        types.update(forms[:4])
    types.update(ADJECTIVES, ADVERBS, PREPOSITIONS)
    types.update(w for w in FUNCTION_WORDS.values())
    types.update(("is", "are", "was", "were", "does", "did", "an"))
    return types


@dataclass
class FreshLexicon:
    """Stems of a language with its own vocabulary (qab, qac, qae): concept -> stem."""

    lang: str
    stems: dict[str, str] = field(default_factory=dict)
    loans: set[str] = field(default_factory=set)


def build_fresh_lexicon(lang: str, seed: int) -> FreshLexicon:
    """Draw a unique pseudo-word per concept; a share of content concepts become English loans."""
    ph = PHONOLOGIES[lang]
    rng = random.Random(f"{seed}:lexicon:{lang}")
    from .languages import MORPHOLOGY  # suffixes must not double as free function words

    m = MORPHOLOGY[lang]
    taken = english_types() | {m.plural, m.past, m.pres, m.passive, m.neg_suffix or "", *m.case.values()}
    lex = FreshLexicon(lang)
    for concept in all_concepts():
        is_function = concept in FUNCTION_CONCEPTS or concept in ADVERBS
        if not is_function and rng.random() < LOANWORD_SHARE[lang]:
            stem = NOUNS[concept][0] if concept in NOUNS else (VERBS[concept][0] if concept in VERBS else concept)
            lex.stems[concept] = stem
            lex.loans.add(concept)
            continue
        lo, hi = (1, 2) if is_function else (ph.min_syl, ph.max_syl)
        for _ in range(1000):
            word = _pseudo_word(rng, ph, rng.randint(lo, hi))
            if word not in taken and len(word) >= 2:
                break
        else:  # pragma: no cover - inventories are large enough
            raise RuntimeError(f"could not draw a fresh word for {concept!r} in {lang}")
        taken.add(word)
        lex.stems[concept] = word
    return lex
