"""Zero-shot means zero-shot: the one rule on which languages may reach training and model selection.

Every source (toy, hub, local) hands out data through ``xstilts.sources.load_split``, which applies it;
``prepare`` applies it to all of a job's languages before it loads anything.
"""

from __future__ import annotations


class ZeroShotViolation(ValueError):
    """A non-English example would reach target training or model selection."""


def check_zero_shot(spec, split: str, languages: list[str]) -> None:
    """Training and selection data of trainable tasks is English, always.

    BUCC's dev split is the protocol's own per-language threshold tuning (no training), so it is exempt.
    A recipe's ``train@LANG`` split is intermediate training data in another language, which the recipe
    names (and the results tables say so); it is never a target's and never model selection.
    """
    if "@" in split:
        if spec.role != "intermediate" or not split.startswith("train@"):
            raise ZeroShotViolation(f"{spec.name} {split}: only intermediate tasks' training data may be non-English")
        return
    if spec.trainable and split != spec.test and any(lang != "en" for lang in languages):
        raise ZeroShotViolation(
            f"{spec.name} {split}: languages {languages} - only English may be used for training or model selection"
        )
