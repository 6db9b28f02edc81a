"""The recipes table: each recipe against its reference, with paired-bootstrap intervals.

A language recipe is compared with the same tasks in English, a translated recipe with its native twin, an
MLM recipe with the same recipe without MLM, a combination with each member and with its best member (the
member with the highest average), a joint recipe with the sequential recipe of the same tasks. References
come from the grid only: a comparison whose reference row was not run is named in a note. Entries read
``score (difference from the reference [CI])``; the same comparisons per resource class and per language
go to ``recipes_by_class`` and ``recipes_by_language`` (each over all targets), and every difference, per
cell and per scope, to the long CSV (``recipes.csv``; the recipe plots draw it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from xstilts.analysis.tables.model import Cell, Table


def comparisons(recipes: dict, scores: pd.DataFrame) -> tuple[list[tuple[str, str, str]], list[str]]:
    """(row, reference, kind) for every recipe whose reference is in the grid; notes for the others."""
    from xstilts.recipes import Recipe, members, references

    def as_recipe(r):
        if not isinstance(r, dict):
            return r
        return Recipe(**{k: tuple(v) if k in ("tasks", "languages") else v for k, v in r.items()})

    objects = {name: as_recipe(r) for name, r in recipes.items()}
    pairs = references(objects)
    notes = []
    averages = scores.groupby("intermediate")["score"].mean() if len(scores) else pd.Series(dtype=float)
    for recipe in objects.values():
        if len(recipe.tasks) > 1 and recipe.english_only and not recipe.mlm and not recipe.joint:
            present = [m for m in members(recipe, objects) if m in averages.index]
            if present:
                best = max(present, key=lambda m: averages[m])
                pairs.append((recipe.name, best, "combination vs best member"))
            else:
                notes.append(f"`{recipe.name}`: none of its tasks ran alone, so it has no member to compare with.")
        if recipe.defined == "recipe" and not any(p[0] == recipe.name for p in pairs):
            notes.append(f"`{recipe.name}`: its reference row is not in the grid.")
    return pairs, notes


def _label(row: str, ref: str, kind: str) -> str:
    return f"{row} vs {ref} ({kind})"


def recipes_tables(
    scores: pd.DataFrame, boot, recipes: dict, targets: Sequence[str], meta: dict, definitions: dict[str, str]
) -> tuple[list[Table], pd.DataFrame]:
    """The comparisons per target (``recipes``), per resource class (``recipes_by_class``) and per language
    (``recipes_by_language``, each over all targets), and the long table of every difference with its interval:
    one record per comparison and scope - ``cell`` (target x language), ``target`` (all its languages),
    ``average`` (all targets), ``class`` and ``language`` (all targets, that class's languages or that one) -
    with ``all`` in ``target``/``language`` where the scope spans them (the plots read it)."""
    pairs, notes = comparisons(recipes, scores)
    labels = [_label(*p) for p in pairs]
    caption = (
        "Each recipe against its reference row (see the notes for the definitions): the recipe's score "
        "averaged over languages, then, in parentheses, its difference from the reference with a 95 % "
        "paired-bootstrap interval over evaluation examples (pooled over seeds); † marks an interval "
        "that excludes 0."
    )

    def table(name: str, title: str, columns: list[str], extra: str = "") -> Table:
        return Table(
            name,
            title,
            caption + extra,
            labels,
            columns,
            row_label="comparison",
            delta_label="difference from the reference",
        )

    main = table("recipes", "Recipes against their references", [*targets, "avg"])
    langs = sorted(scores["language"].unique()) if len(scores) else []
    classes = sorted({meta.get(lang, {}).get("resource_class") for lang in langs} - {None}, reverse=True)
    by_class = table(
        "recipes_by_class",
        "Recipes against their references, per resource class",
        [f"class {c}" for c in classes],
        " Columns: the languages of each resource class (Joshi et al. 2020), over all targets.",
    )
    by_language = table(
        "recipes_by_language",
        "Recipes against their references, per language",
        list(langs),
        " Columns: each evaluation language, over all targets that test it.",
    )
    # (column, its targets, its languages or None for all, table, scope, target and language in the long table)
    columns = (
        [(t, [t], None, main, "target", t, "all") for t in targets]
        + [("avg", list(targets), None, main, "average", "all", "all")]
        + [
            (
                f"class {c}",
                list(targets),
                [l for l in langs if meta.get(l, {}).get("resource_class") == c],
                by_class,
                "class",
                "all",
                f"class {c}",
            )
            for c in classes
        ]
        + [(lang, list(targets), [lang], by_language, "language", "all", lang) for lang in langs]
    )
    records = []

    def record(row, ref, kind, scope, target, language, diff):
        cls = language[len("class ") :] if scope == "class" else meta.get(language, {}).get("resource_class")
        records.append(
            {
                "recipe": row,
                "reference": ref,
                "comparison": kind,
                "scope": scope,
                "target": target,
                "language": language,
                "resource_class": None if cls is None else int(cls),
                **diff,
            }
        )

    for (row, ref, kind), label in zip(pairs, labels):
        for column, cols_targets, cols_langs, tab, scope, target, language in columns:
            sub = scores[(scores["intermediate"] == row) & scores["target"].isin(cols_targets)]
            if cols_langs is not None:
                sub = sub[sub["language"].isin(cols_langs)]
            if sub.empty:
                continue
            diff = boot.difference(row, cols_targets, cols_langs, against=ref) if boot is not None else None
            mean = float(sub.groupby("target")["score"].mean().mean())
            tab.cells[(label, column)] = Cell(mean, np.nan, int(sub["seed"].nunique()), diff)
            if diff is not None:
                record(row, ref, kind, scope, target, language, diff)
        if boot is not None:
            for target in targets:
                for lang in langs:
                    diff = boot.difference(row, [target], [lang], against=ref)
                    if diff is not None:
                        record(row, ref, kind, "cell", target, lang, diff)
    for tab in (main, by_class, by_language):
        tab.notes += notes + [f"`{name}`: {text}." for name, text in definitions.items()]
        tab.mark_best()
    return [main, by_class, by_language], pd.DataFrame.from_records(records)
