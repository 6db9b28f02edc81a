"""The toy multilingual world: a deterministic stand-in for XLM-R's pretraining data and for all
23 tasks of the experiment grid, for runs where the Hugging Face hub cannot be reached.

What it is
    A seeded generator of latent facts - people, cities and organisations with attributes
    (birth place/year, home, employer, job), events (buying, selling, visiting, meeting), generic
    object knowledge (a knife is usually in the kitchen, is grey, is used to cut) and event
    scripts (buy a ticket -> board the train -> arrive). Each fact is a language-independent
    clause that is rendered into six languages: English (`en`) and five synthetic languages with
    ISO 639 local-use codes (`qaa` Toy-Near: English grammar with cognate words; `qab` Toy-SOV;
    `qac` Toy-VSO; `qad` Toy-Script: Toy-Near in Cyrillic; `qae` Toy-Low: SOV, heavy suffixing,
    little data). Names and digits are shared anchors (transliterated in `qad`).
    From the same facts come a pretraining corpus per language and toy versions of the 9 English
    intermediate tasks and the 9 XTREME targets, written with exactly the columns and label sets
    of the real data, so the pipeline runs unchanged on either.

Honest by construction (checked by tests/test_shortcuts.py, figures from `toyworld.audit`)
    NLI hypotheses are drawn before the label, so the same constructions (negation, passive,
    dropped slots) occur with every label and the label is the premise-hypothesis relation;
    PAWS-X pairs have the same words and differ only in order, with every kind of pair under
    both labels; QA facts are drawn per context, so answers must be read; some surnames are
    city names. A quarter of the people and organisations occur only in dev/test, and
    name-less sentences are split by a hash, so no English dev/test input occurs in any
    training split and no QA test question can be looked up in training.

What it can show
    That the pipeline is correct end to end (loaders, tokenisation, label alignment, span
    offsets, metrics, retrieval scoring) and the *relative* effects the paper discusses:
    transfer to a language falls with less lexical overlap (qaa vs qab/qac), different word
    order (qab, qac), another script (qad) and less pretraining text (qae); and whether an
    intermediate task with related structure (e.g. NLI -> XNLI, SQuAD -> XQuAD) helps the target.

What it cannot show
    Absolute numbers comparable to the paper, anything about real linguistic phenomena
    (ambiguity, idioms, discourse, real morphology) or claims about real languages: the toy
    languages are regular by construction, and a toy language's "resource class" is only its
    corpus size.

Public API: `generate_world(out_dir, seed=0, scale=1.0) -> dict`, `TOY_LANGUAGES`,
`TOY_TASK_LANGUAGES`, `TYDIQA_ID_PREFIX`. The task builders are in `toyworld.tasks`
(`TASK_BUILDERS`, one module per task family); which tasks exist is the registry's business
(`xstilts.registry`), not this package's.
"""

from .generate import generate_world
from .languages import TOY_LANGUAGES, TOY_TASK_LANGUAGES, TYDIQA_ID_PREFIX

# No work at import time: `lexical_overlap_with_en` stays None in TOY_LANGUAGES; a generated
# world's languages.json holds the overlap measured for its seed (corpus.lexical_overlaps).

__all__ = ["generate_world", "TOY_LANGUAGES", "TOY_TASK_LANGUAGES", "TYDIQA_ID_PREFIX"]
