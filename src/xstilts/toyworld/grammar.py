"""Language-independent clause structures and their rendering into token sequences.

A `Clause` describes *what* is said (predicate, arguments, tense, negation, voice, question);
`Renderer.render` turns it into `Tok`s for one language, each carrying its UPOS tag, IOB2 NER tag,
CCG supertag (English declaratives only), the concept it expresses and a span label so that
answer spans can be located in the rendered text.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .languages import MORPHOLOGY, Morphology
from .lexicon import ADJECTIVES, ADVERBS, NOUNS, VERBS, FreshLexicon, build_fresh_lexicon, cognate, to_cyrillic

_VOWELS = set("aeiouy")
_ADJ_SET = set(ADJECTIVES)


class Tok:
    """One rendered token. `core` is the length of the part before a glued case suffix on a name."""

    __slots__ = ("text", "upos", "ner", "ccg", "concept", "span", "core")

    def __init__(self, text, upos, ner="O", ccg=None, concept=None, span=None, core=None):
        self.text, self.upos, self.ner, self.ccg = text, upos, ner, ccg
        self.concept, self.span, self.core = concept, span, core

    def __repr__(self) -> str:
        return f"Tok({self.text!r}, {self.upos}, {self.ner}, {self.ccg})"


@dataclass(frozen=True)
class NP:
    """A noun phrase. kind: common | name | pron | num | coord | wh."""

    kind: str
    head: str = ""  # noun concept / full name / pronoun concept / digits
    det: str | None = None  # "the" | "a" | None
    adjs: tuple[str, ...] = ()
    count: int | None = None  # numeral before the noun (implies plural)
    plural: bool = False
    ner: str = "O"  # PER | LOC | ORG for names
    parts: tuple[NP, ...] = ()  # conjuncts of a coordination
    span: str | None = None  # label used to find answer spans
    very: bool = False  # intensifier before the adjectives
    wh: str | None = None  # for kind "wh": who | what | where | when | which | how_many

    @property
    def is_plural(self) -> bool:
        return (
            self.plural
            or self.kind == "coord"
            or (self.count is not None and self.count != 1)
            or self.head == "they"
            or (self.kind == "wh" and self.wh == "how_many")
        )


@dataclass(frozen=True)
class Clause:
    subj: NP | None  # None only for tense "base" (English infinitive VP)
    verb: str  # verb concept or "be" (copula)
    obj: NP | None = None
    pred_adjs: tuple[str, ...] = ()
    pred_np: NP | None = None
    pps: tuple[tuple[str, NP], ...] = ()
    tense: str = "past"  # past | pres | base
    neg: bool = False
    passive: bool = False
    agent: NP | None = None
    adv_pre: tuple[str, ...] = ()  # frequency adverbs before the verb
    adv_post: tuple[str, ...] = ()  # manner/time adverbs at the end
    front: tuple | None = None  # ("pp", prep, NP) fronted PP or ("adv", word) e.g. "then"
    sub: tuple[str, Clause] | None = None  # ("because", clause)
    very: bool = False  # intensifier before predicative adjectives
    question: bool = False


def name_np(name: str, ner: str, span: str | None = None) -> NP:
    return NP("name", head=name, ner=ner, span=span)


def common(noun: str, det: str | None = "the", adjs=(), count=None, plural=False, span=None, very=False) -> NP:
    if count is not None and det == "a":
        det = None  # "3 red cars", not "a 3 red cars"
    return NP(
        "common",
        head=noun,
        det=det,
        adjs=tuple(adjs),
        count=count,
        plural=plural or (count is not None and count != 1),
        span=span,
        very=very,
    )


def year_np(year: int, span: str | None = None) -> NP:
    return NP("num", head=str(year), span=span)


def pron(concept: str, span: str | None = None) -> NP:
    return NP("pron", head=concept, span=span)


def wh_np(word: str, head: str = "") -> NP:
    return NP("wh", head=head, wh=word)


_ACC_PRON = {"he": "him", "she": "her", "they": "them", "it": "it"}
_NOM_PRON = {v: k for k, v in _ACC_PRON.items()}


# --------------------------------------------------------------------------------------------
# English
# --------------------------------------------------------------------------------------------


def _verb_cat(frame: str, form: str, has_obj: bool, has_arg_pp: bool) -> str:
    base = f"S[{form}]\\NP"
    if frame == "pred":
        return f"({base})/(S[adj]\\NP)"
    if form == "pss":
        return f"({base})/PP" if has_arg_pp else base
    cat = base
    if has_arg_pp:
        cat = f"({cat})/PP"
    if has_obj:
        cat = f"({cat})/NP"
    return cat


def _arg_prep(frame: str) -> str | None:
    if frame.startswith("pp:"):
        return frame[3:]
    return "to" if frame == "dat" else None


class EnglishRenderer:
    lang = "en"

    # ---- noun phrases ----
    def np(self, np: NP, case: str = "nom", after_prep: bool = False) -> list[Tok]:
        k = np.kind
        if k == "name":
            words = np.head.split()
            return [
                Tok(
                    w,
                    "PROPN",
                    ("B-" if i == 0 else "I-") + np.ner,
                    "N" if i == len(words) - 1 else "N/N",
                    None,
                    np.span,
                )
                for i, w in enumerate(words)
            ]
        if k == "pron":
            form = _ACC_PRON[np.head] if case == "acc" else np.head
            return [Tok(form, "PRON", "O", "NP", np.head, np.span)]
        if k == "num":
            return [Tok(np.head, "NUM", "O", "N", None, np.span)]
        if k == "coord":
            out = self.np(np.parts[0], case)
            for part in np.parts[1:]:
                out.append(Tok("and", "CCONJ", "O", "conj", "and", np.span))
                out.extend(self.np(part, case))
            if np.span:
                for t in out:
                    t.span = np.span
            return out
        if k == "wh":
            return self.wh(np, after_prep)
        out: list[Tok] = []
        sp = np.span
        if np.count is not None:
            out.append(Tok(str(np.count), "NUM", "O", "N/N", None, sp))
        if np.very:
            out.append(Tok("very", "ADV", "O", "(N/N)/(N/N)", "very", sp))
        for a in np.adjs:
            out.append(Tok(a, "ADJ", "O", "N/N", a, sp))
        sg, pl = NOUNS[np.head]
        out.append(Tok(pl if np.is_plural else sg, "NOUN", "O", "N", np.head, sp))
        if np.det:
            det = np.det
            if det == "a" and out[0].text[0] in "aeiou":
                det = "an"
            out.insert(0, Tok(det, "DET", "O", "NP[nb]/N", np.det, sp))
        return out

    def wh(self, np: NP, after_prep: bool) -> list[Tok]:
        w = np.wh
        if w == "who":
            return [Tok("whom" if after_prep else "who", "PRON", "O", None, "who")]
        if w in ("what", "where", "when"):
            return [Tok(w, "PRON" if w == "what" else "ADV", "O", None, w)]
        sg, pl = NOUNS[np.head]
        if w == "which":
            return [Tok("which", "DET", "O", None, "which"), Tok(sg, "NOUN", "O", None, np.head)]
        if w == "how_many":
            return [
                Tok("how", "ADV", "O", None, "how_many"),
                Tok("many", "ADJ", "O", None, "how_many"),
                Tok(pl, "NOUN", "O", None, np.head),
            ]
        raise ValueError(f"unknown wh word {w!r} in {np}")

    # ---- clauses ----
    def verb_group(self, cl: Clause, force_do: bool) -> list[Tok]:
        """Auxiliaries, negation, pre-verbal adverbs and the main verb (the first token is the
        finite auxiliary whenever there is one)."""
        plural = cl.subj is not None and cl.subj.is_plural
        t = cl.tense
        out: list[Tok] = []

        def be_form() -> str:
            if t == "base":
                return "be"
            if t == "past":
                return "were" if plural else "was"
            return "are" if plural else "is"

        def pre_advs(cat: str) -> None:
            for a in cl.adv_pre:
                out.append(Tok(a, "ADV", "O", cat, a))

        if cl.verb == "be":
            pred_cat = (
                "(S[dcl]\\NP)/(S[adj]\\NP)" if cl.pred_adjs else "(S[dcl]\\NP)/NP" if cl.pred_np else "(S[dcl]\\NP)/PP"
            )
            out.append(Tok(be_form(), "AUX", "O", pred_cat.replace("dcl", "b") if t == "base" else pred_cat, "be"))
            if cl.neg:
                out.append(Tok("not", "PART", "O", "(S\\NP)\\(S\\NP)", "not"))
            pre_advs("(S\\NP)\\(S\\NP)")
            return out
        base, s3, past, part, frame = VERBS[cl.verb]
        arg_prep = _arg_prep(frame)
        has_arg_pp = arg_prep is not None and any(p == arg_prep for p, _ in cl.pps)
        if cl.passive:
            out.append(Tok(be_form(), "AUX", "O", "(S[dcl]\\NP)/(S[pss]\\NP)", "be"))
            if cl.neg:
                out.append(Tok("not", "PART", "O", "(S\\NP)\\(S\\NP)", "not"))
            pre_advs("(S\\NP)/(S\\NP)")
            out.append(Tok(part, "VERB", "O", _verb_cat(frame, "pss", False, has_arg_pp), cl.verb))
            return out
        has_obj = cl.obj is not None
        if cl.neg or force_do:
            if t != "base":
                do = "did" if t == "past" else ("do" if plural else "does")
                out.append(Tok(do, "AUX", "O", "(S[dcl]\\NP)/(S[b]\\NP)", "do"))
            if cl.neg:
                out.append(Tok("not", "PART", "O", "(S\\NP)\\(S\\NP)", "not"))
            pre_advs("(S\\NP)/(S\\NP)")
            out.append(Tok(base, "VERB", "O", _verb_cat(frame, "b", has_obj, has_arg_pp), cl.verb))
            return out
        pre_advs("(S\\NP)/(S\\NP)")
        form = {"past": past, "base": base}.get(t, base if plural else s3)
        out.append(
            Tok(form, "VERB", "O", _verb_cat(frame, "b" if t == "base" else "dcl", has_obj, has_arg_pp), cl.verb)
        )
        return out

    def tail(self, cl: Clause, skip) -> list[Tok]:
        """Everything after the verb: object, predicate, PPs, agent, adverbs, subordinate clause."""
        out: list[Tok] = []
        if cl.obj is not None and cl.obj is not skip:
            out += self.np(cl.obj, "acc")
        if cl.pred_np is not None and cl.pred_np is not skip:
            out += self.np(cl.pred_np)
        if cl.pred_adjs:
            if cl.very:
                out.append(Tok("very", "ADV", "O", "(S[adj]\\NP)/(S[adj]\\NP)", "very"))
            for i, a in enumerate(cl.pred_adjs):
                if i:
                    out.append(Tok("and", "CCONJ", "O", "conj", "and"))
                out.append(Tok(a, "ADJ", "O", "S[adj]\\NP", a))
        frame = VERBS[cl.verb][4] if cl.verb in VERBS else ("pp:x" if not (cl.pred_adjs or cl.pred_np) else "")
        arg_prep = _arg_prep(frame) if cl.verb in VERBS else None
        used_arg = False
        for prep, np in cl.pps:
            if np is skip:
                continue
            pp_predicate = cl.verb == "be" and not (cl.pred_adjs or cl.pred_np)
            is_arg = not used_arg and (pp_predicate or prep == arg_prep)
            used_arg = used_arg or is_arg
            out.append(Tok(prep, "ADP", "O", "PP/NP" if is_arg else "((S\\NP)\\(S\\NP))/NP", prep))
            out += self.np(np, "acc", after_prep=True)
        if cl.agent is not None and cl.agent is not skip:
            out.append(Tok("by", "ADP", "O", "((S\\NP)\\(S\\NP))/NP", "by"))
            out += self.np(cl.agent, "acc", after_prep=True)
        for a in cl.adv_post:
            out.append(Tok(a, "ADV", "O", "(S\\NP)\\(S\\NP)", a))
        if cl.sub is not None:
            conj, sub = cl.sub
            out.append(Tok(conj, "SCONJ", "O", "((S\\NP)\\(S\\NP))/S[dcl]", conj))
            out += self.clause(sub, final_punct=False)
        return out

    def front(self, cl: Clause) -> list[Tok]:
        if cl.front is None:
            return []
        if cl.front[0] == "adv":
            return [Tok(cl.front[1], "ADV", "O", "S/S", cl.front[1]), Tok(",", "PUNCT", "O", ",")]
        _, prep, np = cl.front
        return [Tok(prep, "ADP", "O", "(S/S)/NP", prep), *self.np(np, "acc", True), Tok(",", "PUNCT", "O", ",")]

    def clause(self, cl: Clause, final_punct: bool = True) -> list[Tok]:
        if cl.question:
            return self.question(cl)
        out = self.front(cl)
        if cl.subj is not None:
            out += self.np(cl.subj)
        out += self.verb_group(cl, False)
        out += self.tail(cl, None)
        if final_punct:
            out.append(Tok(".", "PUNCT", "O", "."))
        return out

    def question(self, cl: Clause) -> list[Tok]:
        slot, where = _wh_slot(cl)
        if slot == "subj":
            out = self.np(cl.subj) + self.verb_group(cl, False) + self.tail(cl, None)
        else:
            if slot == "pp":
                prep, np = where
                lead = (
                    self.wh(np, True)
                    if np.wh in ("where", "when")
                    else ([Tok(prep, "ADP", "O", None, prep)] + self.wh(np, True))
                )
                target = np
            elif slot == "agent":
                lead, target = [Tok("by", "ADP", "O", None, "by")] + self.wh(cl.agent, True), cl.agent
            else:
                target = cl.obj if slot == "obj" else cl.pred_np
                lead = self.wh(target, False)
            vg = self.verb_group(cl, True)
            aux, rest = vg[:1], vg[1:]
            out = lead + aux + self.np(cl.subj) + rest + self.tail(cl, target)
        for t in out:
            t.ccg = None  # CCG supertags are only derived for declaratives
        out.append(Tok("?", "PUNCT", "O", None))
        return out


def _wh_slot(cl: Clause):
    """Locate the questioned constituent of a question clause."""
    if cl.subj is not None and cl.subj.kind == "wh":
        return "subj", cl.subj
    if cl.obj is not None and cl.obj.kind == "wh":
        return "obj", cl.obj
    if cl.pred_np is not None and cl.pred_np.kind == "wh":
        return "pred", cl.pred_np
    if cl.agent is not None and cl.agent.kind == "wh":
        return "agent", cl.agent
    for prep, np in cl.pps:
        if np.kind == "wh":
            return "pp", (prep, np)
    raise ValueError(f"question clause without a wh constituent: {cl}")


# --------------------------------------------------------------------------------------------
# Toy-Near (cognates) and Toy-Script (Cyrillic): same grammar as English, mapped word by word
# --------------------------------------------------------------------------------------------


class CognateRenderer:
    def __init__(self, lang: str):
        self.lang = lang
        self.english = EnglishRenderer()
        self.cyrillic = lang == "qad"
        self._cache: dict[str, str] = {}

    def word(self, text: str) -> str:
        out = self._cache.get(text)
        if out is None:
            out = cognate(text) if text[0].isalpha() else text
            if self.cyrillic:
                out = to_cyrillic(out)
            self._cache[text] = out
        return out

    def clause(self, cl: Clause, final_punct: bool = True) -> list[Tok]:
        toks = self.english.clause(cl, final_punct)
        for t in toks:
            t.ccg = None
            if t.ner != "O":  # names are shared anchors (transliterated in another script)
                if self.cyrillic:
                    t.text = to_cyrillic(t.text)
            else:
                t.text = self.word(t.text)
        return toks


# --------------------------------------------------------------------------------------------
# Languages with their own vocabulary and word order (qab SOV, qac VSO, qae SOV)
# --------------------------------------------------------------------------------------------


def _attach(stem: str, suffix: str, link: str) -> str:
    if not suffix:
        return stem
    if stem[-1] not in _VOWELS and suffix[0] not in _VOWELS:
        return stem + link + suffix
    return stem + suffix


class FreshRenderer:
    def __init__(self, lang: str, lexicon: FreshLexicon):
        self.lang = lang
        self.lex = lexicon.stems
        self.m: Morphology = MORPHOLOGY[lang]

    # ---- noun phrases ----
    def _suffix_last(self, toks: list[Tok], suffix: str) -> None:
        """Glue a case suffix onto the phrase-final word (names take an apostrophe)."""
        if not suffix or not toks:
            return
        last = toks[-1]
        if last.upos in ("PROPN", "NUM"):
            last.core = len(last.text)
            last.text = last.text + self.m.name_sep + suffix
        else:
            last.text = _attach(last.text, suffix, self.m.link_vowel)

    def np(self, np: NP, case: str | None = None) -> list[Tok]:
        m, lex, k = self.m, self.lex, np.kind
        suffix = m.case.get(case, "") if case else ""
        if k == "coord":
            out: list[Tok] = []
            for i, part in enumerate(np.parts):
                if i:
                    out.append(Tok(lex["and"], "CCONJ", "O", None, "and", np.span))
                out += self.np(part, case)
            for t in out:
                t.span = np.span or t.span
            return out
        if k == "name":
            words = np.head.split()
            out = [
                Tok(w, "PROPN", ("B-" if i == 0 else "I-") + np.ner, None, None, np.span) for i, w in enumerate(words)
            ]
        elif k == "pron":
            c = _NOM_PRON.get(np.head, np.head)
            out = [Tok(lex[c], "PRON", "O", None, c, np.span)]
        elif k == "num":
            out = [Tok(np.head, "NUM", "O", None, None, np.span)]
        elif k == "wh":
            out = self.wh(np)
        else:
            sp = np.span
            noun = lex[np.head]
            if np.is_plural:
                noun = _attach(noun, m.plural, m.link_vowel)
            adjs = []
            for a in np.adjs:
                if np.very:
                    adjs.append(Tok(lex["very"], "ADV", "O", None, "very", sp))
                adjs.append(Tok(lex[a], "ADJ", "O", None, a, sp))
            head = [Tok(noun, "NOUN", "O", None, np.head, sp)]
            out = adjs + head if m.adj_before_noun else head + adjs
            if np.count is not None:
                out.insert(0, Tok(str(np.count), "NUM", "O", None, None, sp))
            if np.det == "the" and m.articles:
                out.insert(0, Tok(lex["the"], "DET", "O", None, "the", sp))
        self._suffix_last(out, suffix)
        return out

    def wh(self, np: NP) -> list[Tok]:
        lex, w = self.lex, np.wh
        if w in ("who", "what"):
            return [Tok(lex[w], "PRON", "O", None, w)]
        if w in ("where", "when"):
            return [Tok(lex[w], "ADV", "O", None, w)]
        noun = lex[np.head]
        if w == "how_many":
            noun = _attach(noun, self.m.plural, self.m.link_vowel)
        return [Tok(lex[w], "DET", "O", None, w), Tok(noun, "NOUN", "O", None, np.head)]

    def pp(self, prep: str, np: NP) -> list[Tok]:
        m = self.m
        if np.kind == "wh" and np.wh in ("where", "when"):
            return self.wh(np)
        case = m.case_preps.get(prep)
        if case:
            return self.np(np, case)
        body = self.np(np)
        adp = Tok(self.lex[prep], "ADP", "O", None, prep)
        return [adp] + body if m.prepositions else body + [adp]

    # ---- verbs ----
    def verb(self, cl: Clause) -> list[Tok]:
        m, lex = self.m, self.lex
        concept = cl.verb
        word = lex[concept]
        if cl.passive:
            word = _attach(word, m.passive, m.link_vowel)
        if cl.neg and m.neg_suffix:
            word = _attach(word, m.neg_suffix, m.link_vowel)
        if cl.tense != "base":
            word = _attach(word, m.past if cl.tense == "past" else m.pres, m.link_vowel)
        out = [Tok(word, "AUX" if concept == "be" else "VERB", "O", None, concept)]
        if cl.neg and not m.neg_suffix:
            out.insert(0, Tok(lex["negpart"], "PART", "O", None, "not"))
        return out

    def clause(self, cl: Clause, final_punct: bool = True) -> list[Tok]:
        m, lex = self.m, self.lex
        wh_target = None
        if cl.question:
            _, where = _wh_slot(cl)
            wh_target = where[1] if isinstance(where, tuple) else where
        subj = self.np(cl.subj) if cl.subj is not None else []
        obj = self.np(cl.obj, "acc") if cl.obj is not None else []
        pred: list[Tok] = []
        if cl.pred_np is not None:
            pred = self.np(cl.pred_np)
        for i, a in enumerate(cl.pred_adjs):
            if i:
                pred.append(Tok(lex["and"], "CCONJ", "O", None, "and"))
            if cl.very:
                pred.append(Tok(lex["very"], "ADV", "O", None, "very"))
            pred.append(Tok(lex[a], "ADJ", "O", None, a))
        pps: list[Tok] = []
        wh_part: list[Tok] = []
        for prep, np in cl.pps:
            part = self.pp(prep, np)
            if np is wh_target and m.order == "VSO":
                wh_part = part
            else:
                pps += part
        if cl.agent is not None:
            part = self.pp("by", cl.agent)
            if cl.agent is wh_target and m.order == "VSO":
                wh_part = part
            else:
                pps += part
        if m.order == "VSO" and wh_target is not None and not wh_part:
            # fronted subject / object / predicate wh phrase
            if cl.subj is wh_target:
                wh_part, subj = subj, []
            elif cl.obj is wh_target:
                wh_part, obj = obj, []
            else:
                wh_part, pred = pred, []
        advs = [Tok(lex[a], "ADV", "O", None, a) for a in cl.adv_pre + cl.adv_post]
        verb = self.verb(cl)
        front: list[Tok] = []
        if cl.front is not None:
            front = (
                [Tok(lex[cl.front[1]], "ADV", "O", None, cl.front[1])]
                if cl.front[0] == "adv"
                else self.pp(cl.front[1], cl.front[2])
            ) + [Tok(",", "PUNCT", "O")]
        if m.order == "SOV":
            body = front + subj + pps + obj + pred + advs + verb
        else:
            body = wh_part + front + verb + subj + obj + pred + pps + advs
        if cl.sub is not None:
            conj, sub = cl.sub
            sub_toks = self.clause(sub, final_punct=False)
            conj_tok = Tok(lex[conj], "SCONJ", "O", None, conj)
            body = (sub_toks + [conj_tok] + body) if m.order == "SOV" else (body + [conj_tok] + sub_toks)
        if cl.question:
            if m.q_particle:
                body.append(Tok(lex["qpart"], "PART", "O", None, "qpart"))
            body.append(Tok("?", "PUNCT", "O"))
        elif final_punct:
            body.append(Tok(".", "PUNCT", "O"))
        return body


# --------------------------------------------------------------------------------------------
# Text assembly
# --------------------------------------------------------------------------------------------

_NO_SPACE_BEFORE = {".", ",", "?", "!"}


def capitalize(toks: list[Tok]) -> list[Tok]:
    if toks and toks[0].text[:1].isalpha():
        toks[0].text = toks[0].text[0].upper() + toks[0].text[1:]
    return toks


def detokenize(toks: list[Tok], offset: int = 0) -> tuple[str, list[tuple[int, int]]]:
    """Join tokens into text (no space before punctuation); returns text and per-token char spans
    relative to the start of the text plus `offset`."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    pos = 0
    for i, t in enumerate(toks):
        if i and t.text not in _NO_SPACE_BEFORE:
            parts.append(" ")
            pos += 1
        spans.append((offset + pos, offset + pos + len(t.text)))
        parts.append(t.text)
        pos += len(t.text)
    return "".join(parts), spans


class Renderers:
    """Renderers for all toy languages of one world seed."""

    def __init__(self, seed: int):
        self.lexicons = {lang: build_fresh_lexicon(lang, seed) for lang in MORPHOLOGY}
        self.by_lang = {"en": EnglishRenderer(), "qaa": CognateRenderer("qaa"), "qad": CognateRenderer("qad")}
        for lang, lex in self.lexicons.items():
            self.by_lang[lang] = FreshRenderer(lang, lex)

    def render(self, lang: str, cl: Clause) -> list[Tok]:
        """Render a full sentence (capitalised, with final punctuation)."""
        return capitalize(self.by_lang[lang].clause(cl))

    def text(self, lang: str, cl: Clause) -> str:
        return detokenize(self.render(lang, cl))[0]

    def lemma(self, lang: str, concept: str) -> str | None:
        """Citation form of a content concept in a language (used for code-switching)."""
        if concept in NOUNS:
            en = NOUNS[concept][0]
        elif concept in VERBS:
            en = VERBS[concept][0]
        elif concept in _ADJ_SET or concept in ADVERBS:
            en = concept
        else:
            return None
        if lang == "en":
            return en
        if lang in self.lexicons:
            return self.lexicons[lang].stems.get(concept)
        return self.by_lang[lang].word(en)


def with_span(np: NP, span: str) -> NP:
    return replace(np, span=span)
