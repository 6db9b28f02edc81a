"""Rows of the grid as recipes: which intermediate data an encoder sees before the targets.

Every row but the baseline resolves to a ``Recipe``: a task name is a one-task recipe, ``multitask`` the
recipe of ``multitask.tasks``, and names under the config's ``recipes:`` are defined there::

    recipes:
      mnli-de:    {tasks: [mnli], languages: [de]}                     # native German intermediate data
      mnli-mt:    {tasks: [mnli], languages: [de, es, fr], translated: true}
      nli-qa:     {tasks: [mnli, squad]}                               # a combination
      mnli-mlm:   {tasks: [mnli], mlm: {languages: [en, de, sw], weight: 0.5}}
      nli-joint:  {tasks: [mnli, squad], joint: true}                  # trained together with each target
      combinations: {of: [mnli, squad, hellaswag], size: 2}            # expands to mnli+squad, ... (rows)

``joint`` recipes have no intermediate model: for each target, the recipe's tasks and the target's English
training data train together from the base encoder, selected on the target's English dev set only.
Non-English data (``languages``, ``translated``, ``mlm``) only ever enters intermediate training; target
training and model selection stay English.
"""

from __future__ import annotations

import itertools
from dataclasses import asdict, dataclass, field

from xstilts import registry
from xstilts.registry import BASELINE, MULTITASK

RECIPE_KEYS = {"tasks", "languages", "translated", "mlm", "joint", "temperature", "cap", "uniform"}
COMBINATIONS = "combinations"


class RecipeError(ValueError):
    pass


@dataclass(frozen=True)
class Recipe:
    name: str
    tasks: tuple[str, ...]
    languages: tuple[str, ...] = ("en",)
    translated: bool = False
    mlm: dict | None = None  # {"languages": [...], "weight": w}: masked-LM batches interleaved
    joint: bool = False
    sampling: dict = field(default_factory=dict)  # temperature, cap, uniform (several tasks or MLM)
    defined: str = "task"  # task | multitask | recipe: where the row comes from

    @property
    def english_only(self) -> bool:
        return self.languages == ("en",) and not self.translated

    def data_splits(self) -> dict[str, list[str]]:
        """Per task, the training data splits it reads (``train`` for English, ``train@LANG`` native,
        ``train@LANG.mt`` machine-translated)."""
        return {task: [train_split(lang, self.translated) for lang in self.languages] for task in self.tasks}

    @property
    def samples_tasks(self) -> bool:
        return len(self.tasks) > 1 or bool(self.mlm)

    def settings(self) -> dict:
        """What decides this recipe's training data and sampling (a rule's params: changing it reruns exactly
        this row). An English one-task row has only ``tasks``, as before recipes existed."""
        out = {"tasks": list(self.tasks), "sampling": dict(self.sampling) if self.samples_tasks else {}}
        if not self.english_only:
            out["data"] = {"languages": list(self.languages), "translated": self.translated}
        if self.mlm:
            out["mlm"] = dict(self.mlm)
        return out

    def definition(self) -> str:
        """One line for a table note."""
        parts = ["+".join(self.tasks)]
        if not self.english_only:
            parts.append(f"in {', '.join(self.languages)}" + (" (machine-translated)" if self.translated else ""))
        if self.mlm:
            parts.append(f"with MLM on {', '.join(self.mlm['languages'])} (weight {self.mlm['weight']})")
        if self.joint:
            parts.append("trained jointly with each target")
        return " ".join(parts)


def train_split(lang: str, translated: bool) -> str:
    if lang == "en" and not translated:
        return "train"
    return f"train@{lang}" + (".mt" if translated else "")


def parse_split(split: str) -> tuple[str, str | None, bool]:
    """``train@de.mt`` -> ("train", "de", True); ``validation`` -> ("validation", None, False)."""
    base, _, variant = split.partition("@")
    if not variant:
        return base, None, False
    lang, _, mt = variant.partition(".")
    return base, lang, mt == "mt"


def _allowed(values) -> str:
    return ", ".join(sorted(values))


def _sampling(entry: dict, where: str) -> dict:
    sampling = {k: entry[k] for k in ("temperature", "cap", "uniform") if k in entry}
    if sampling.get("uniform") and ("temperature" in sampling or "cap" in sampling):
        raise RecipeError(f"{where}: uniform sampling takes no temperature or cap")
    if not sampling.pop("uniform", False):
        return {"temperature": 1.0, "cap": None, **sampling}
    return {"uniform": True}


def expand(config: dict) -> dict[str, dict]:
    """The config's recipe definitions with ``combinations`` expanded into named recipes."""
    defined = dict(config.get("recipes") or {})
    generator = defined.pop(COMBINATIONS, None)
    if generator is not None:
        unknown = set(generator) - {"of", "size"}
        if unknown:
            raise RecipeError(f"recipes.combinations: unknown key {sorted(unknown)[0]!r}; allowed: of, size")
        size = generator.get("size", 2)
        of = list(generator.get("of") or [])
        if not 2 <= size <= len(of):
            raise RecipeError(f"recipes.combinations.size: {size} must be between 2 and the {len(of)} tasks of 'of'")
        for combo in itertools.combinations(of, size):
            defined.setdefault("+".join(combo), {"tasks": list(combo)})
    return defined


def generated_rows(config: dict) -> list[str]:
    """Rows the combinations generator adds (every generated recipe is a row)."""
    generator = (config.get("recipes") or {}).get(COMBINATIONS)
    if not generator:
        return []
    return ["+".join(c) for c in itertools.combinations(generator.get("of") or [], generator.get("size", 2))]


def resolve(config: dict, available_languages=None) -> dict[str, Recipe]:
    """Every row but the baseline as a Recipe, checked; errors name the key and the allowed values.

    ``available_languages(task, translated) -> list`` says which languages a task's source can provide.
    """
    intermediate = set(registry.intermediate_tasks())
    defined = expand(config)
    out = {}
    for name, entry in defined.items():
        where = f"recipes.{name}"
        if name in registry.tasks() or name in (MULTITASK, BASELINE):
            raise RecipeError(f"{where}: the name clashes with a task or row of the same name; rename the recipe")
        if not isinstance(entry, dict):
            raise RecipeError(f"{where}: a recipe is a mapping with keys {_allowed(RECIPE_KEYS)}")
        unknown = set(entry) - RECIPE_KEYS
        if unknown:
            raise RecipeError(f"{where}: unknown key {sorted(unknown)[0]!r}; allowed: {_allowed(RECIPE_KEYS)}")
        tasks = entry.get("tasks")
        if not tasks:
            raise RecipeError(f"{where}.tasks: required (a list of intermediate tasks)")
        for task in tasks:
            if task not in intermediate:
                raise RecipeError(
                    f"{where}.tasks: unknown intermediate task {task!r}; allowed: {_allowed(intermediate)}"
                )
        languages = tuple(entry.get("languages") or ("en",))
        translated = bool(entry.get("translated", False))
        if translated and "en" in languages:
            raise RecipeError(f"{where}.languages: 'en' cannot be machine-translated (English is the source)")
        mlm = entry.get("mlm")
        if mlm is not None:
            if set(mlm) - {"languages", "weight"} or not mlm.get("languages") or "weight" not in mlm:
                raise RecipeError(f"{where}.mlm: needs languages (a list) and weight (0 < w < 1), nothing else")
            if not 0 < float(mlm["weight"]) < 1:
                raise RecipeError(f"{where}.mlm.weight: {mlm['weight']} must be between 0 and 1")
            mlm = {"languages": list(mlm["languages"]), "weight": float(mlm["weight"])}
        joint = bool(entry.get("joint", False))
        if joint and (mlm or languages != ("en",) or translated):
            raise RecipeError(
                f"{where}: a joint recipe trains with English target data; languages, translated "
                "and mlm are for sequential recipes"
            )
        if available_languages is not None:
            for task in tasks:
                allowed = available_languages(task, translated)
                for lang in languages:
                    if lang not in allowed:
                        kind = "machine-translated" if translated else "native"
                        raise RecipeError(
                            f"{where}.languages: {task}'s data source has no {kind} {lang!r} data; "
                            f"allowed: {_allowed(allowed) or 'none'}"
                        )
        out[name] = Recipe(name, tuple(tasks), languages, translated, mlm, joint, _sampling(entry, where), "recipe")
    rows = {}
    for row in list(config["intermediate"]) + generated_rows(config):
        if row == BASELINE or row in rows:
            continue
        if row in out:
            rows[row] = out[row]
        elif row == MULTITASK:
            # default: the paper's nine (registry `paper`), not every intermediate task (siqa came later)
            tasks = tuple(config["multitask"].get("tasks") or registry.paper_intermediate_tasks())
            rows[row] = Recipe(row, tasks, sampling=_sampling(config["multitask"], "multitask"), defined="multitask")
        elif row in intermediate:
            rows[row] = Recipe(row, (row,))
        else:
            allowed = intermediate | {MULTITASK, BASELINE} | set(out)
            raise RecipeError(f"intermediate: unknown task or recipe {row!r}; allowed: {_allowed(allowed)}")
    return rows


def references(recipes: dict[str, Recipe]) -> list[tuple[str, str, str]]:
    """(row, reference row, comparison) pairs the recipes table reports, for references in the grid."""
    by_content = {}
    for r in recipes.values():
        by_content.setdefault((frozenset(r.tasks), r.languages, r.translated, bool(r.mlm), r.joint), r.name)

    def find(tasks, languages=("en",), translated=False, mlm=False, joint=False):
        return by_content.get((frozenset(tasks), tuple(languages), translated, mlm, joint))

    pairs = []
    for r in recipes.values():
        if r.joint:
            ref = find(r.tasks)
            if ref:
                pairs.append((r.name, ref, "joint vs sequential"))
            continue
        if r.mlm:
            ref = find(r.tasks, r.languages, r.translated)
            if ref:
                pairs.append((r.name, ref, "with MLM vs without"))
            continue
        if r.translated:
            ref = find(r.tasks, r.languages, False)
            if ref:
                pairs.append((r.name, ref, "translated vs native"))
        if not r.english_only:
            ref = find(r.tasks)
            if ref:
                pairs.append((r.name, ref, f"{'/'.join(r.languages)} vs English"))
            continue
        if len(r.tasks) > 1:
            for task in r.tasks:
                if find([task]):
                    pairs.append((r.name, find([task]), "combination vs member"))
    return pairs


def members(recipe: Recipe, recipes: dict[str, Recipe]) -> list[str]:
    """The single-task rows of a combination that are in the grid."""
    singles = {
        r.tasks[0]: r.name
        for r in recipes.values()
        if len(r.tasks) == 1 and r.english_only and not r.mlm and not r.joint
    }
    return [singles[t] for t in recipe.tasks if t in singles]


def as_dict(recipe: Recipe) -> dict:
    return asdict(recipe)
