"""Tables, plots and `xstilts summary` on a tiny synthetic results tree built in tmp_path."""

import json
import math
import random
import re

import pandas as pd
import pytest

from xstilts import metrics
from xstilts.analysis.tables import (
    Cell,
    Table,
    aggregate,
    average_name,
    cell_text,
    gap_tables,
    to_latex,
    to_markdown,
    write_submission_scores,
)

ROWS = ["none", "mnli", "squad"]
TARGETS = ["xnli", "panx", "xquad", "tatoeba"]
SEEDS = [0, 1]
LANGS = {"xnli": ["en", "qaa", "qab"], "panx": ["en", "qaa"], "xquad": ["en", "qab"], "tatoeba": ["qaa", "qab"]}
CLASSES = ["entailment", "neutral", "contradiction"]
# error rate per row: mnli clearly better than none; squad identical to none (same predictions)
ERROR = {"none": 0.5, "mnli": 0.05, "squad": 0.5}


def _gold(task, lang, rng):
    if task == "xnli":
        return [rng.choice(CLASSES) for _ in range(300)]
    if task == "panx":
        return [["B-PER", "I-PER", "O", "B-LOC"] if i % 2 else ["O", "B-ORG", "O"] for i in range(60)]
    if task == "xquad":
        return [
            {
                "id": f"{lang}-{i}",
                "context": "",
                "question": "",
                "answers": {"text": [f"answer {i % 7}"], "answer_start": [0]},
            }
            for i in range(80)
        ]
    return [str(i) for i in range(100)]  # tatoeba: index of the translation


def _predict(task, gold, error, rng):
    wrong = lambda: rng.random() < error  # noqa: E731
    if task == "xnli":
        return [rng.choice([c for c in CLASSES if c != g]) if wrong() else g for g in gold]
    if task == "panx":
        return [["O"] * len(s) if wrong() else list(s) for s in gold]
    if task == "xquad":
        return {q["id"]: "something else" if wrong() else q["answers"]["text"][0] for q in gold}
    return [str((int(g) + 1) % 100) if wrong() else g for g in gold]


@pytest.fixture
def results_tree(tmp_path):
    """eval/{row}/seed{k}/{target}/ with metrics.json and predictions; gold/{target}/; squad lacks panx."""
    root = tmp_path / "results"
    golds = {}
    for target in TARGETS:
        for lang in LANGS[target]:
            gold = _gold(target, lang, random.Random(f"{target}{lang}"))
            golds[(target, lang)] = gold
            metrics.write_gold(target, root / "gold" / target / f"test-{lang}.{metrics.file_suffix(target)}", gold)
    for row in ROWS:
        for seed in SEEDS:
            for target in TARGETS:
                if row == "squad" and target == "panx":
                    continue  # a missing cell
                cell = root / "eval" / row / f"seed{seed}" / target
                per_lang = {}
                for lang in LANGS[target]:
                    # squad reuses none's random stream, so its predictions are identical to none's
                    rng = random.Random(f"{'none' if row == 'squad' else row}{seed}{target}{lang}")
                    pred = _predict(target, golds[(target, lang)], ERROR[row], rng)
                    metrics.write_pred(target, cell / f"test-{lang}.{metrics.file_suffix(target)}", pred)
                    per_lang[lang] = metrics.score_task(target, lang, golds[(target, lang)], pred)
                scores = {lang: metrics.task_score(target, m) for lang, m in per_lang.items()}
                (cell / "metrics.json").write_text(
                    json.dumps(
                        {
                            "task": target,
                            "main_metric": metrics.MAIN_METRIC[target],
                            "score": scores,
                            "average": sum(scores.values()) / len(scores),
                            "metrics": per_lang,
                        }
                    )
                )
    return root


@pytest.fixture
def aggregated(results_tree):
    aggregate(results_tree, ROWS, TARGETS, SEEDS, n_resamples=300)
    tables = results_tree / "tables"
    write_submission_scores(results_tree, ROWS, TARGETS, SEEDS, "xtreme", tables / "submission_scores.json")
    return tables


def test_aggregate_reads_exactly_the_declared_cells(results_tree, tmp_path):
    """The rule declares its cells: the tables read those (and their gold), not whatever lies in the tree."""
    everything = aggregate(results_tree, ROWS, TARGETS, SEEDS, tables_dir=tmp_path / "all", n_resamples=50)
    declared = [
        results_tree / "eval" / row / f"seed{s}" / t for row in ("none", "mnli") for s in SEEDS for t in TARGETS
    ]
    gold = {t: results_tree / "gold" / t for t in TARGETS}
    some = aggregate(
        results_tree, ROWS, TARGETS, SEEDS, tables_dir=tmp_path / "some", n_resamples=50, cells=declared, gold_dirs=gold
    )
    assert set(pd.read_csv(tmp_path / "all" / "scores.csv")["intermediate"]) == {"none", "mnli", "squad"}
    assert set(pd.read_csv(tmp_path / "some" / "scores.csv")["intermediate"]) == {"none", "mnli"}
    assert some["main"].cells[("mnli", "xnli")].mean == everything["main"].cells[("mnli", "xnli")].mean
    with pytest.raises(ValueError, match="outside the grid"):
        aggregate(results_tree, ["none"], TARGETS, SEEDS, tables_dir=tmp_path / "x", n_resamples=0, cells=declared)
    with pytest.raises(FileNotFoundError, match="declared evaluation cell has no metrics"):
        aggregate(
            results_tree,
            ROWS,
            TARGETS,
            SEEDS,
            tables_dir=tmp_path / "y",
            n_resamples=0,
            cells=[results_tree / "eval" / "squad" / "seed0" / "panx"],
        )


def test_all_tables_are_written(aggregated):
    names = ["main", "xtreme", "transfer_gap", *[f"per_language/{t}" for t in TARGETS]]
    for name in names:
        for ext in ("csv", "md", "tex"):
            assert (aggregated / f"{name}.{ext}").stat().st_size > 0, f"{name}.{ext}"
    assert (aggregated / "scores.csv").exists() and (aggregated / "differences.csv").exists()
    assert json.loads((aggregated / "bootstrap.json").read_text())["resamples"] == 300


def test_main_table_marks_significance_missing_cells_and_best(aggregated):
    main = pd.read_csv(aggregated / "main.csv", index_col=0)
    assert "XTREME" not in main.columns and "avg (4 tasks)" in main.columns  # a subset of the tasks
    assert bool(main.loc["mnli", "xnli_significant"]) and main.loc["mnli", "xnli_ci_low"] > 0
    # identical predictions: zero difference, zero-width interval
    assert main.loc["squad", ["xnli_delta", "xnli_ci_low", "xnli_ci_high"]].tolist() == [0, 0, 0]
    assert not bool(main.loc["squad", "xnli_significant"])
    assert math.isnan(main.loc["squad", "panx"])
    assert bool(main.loc["mnli", "xnli_best"]) and not bool(main.loc["none", "xnli_best"])
    assert main.loc["mnli", "xnli_n_seeds"] == 2 and main.loc["mnli", "xnli_sd"] >= 0
    # the average leaves the missing cell out instead of counting it as 0
    squad = main.loc["squad"]
    assert squad["avg (4 tasks)"] == pytest.approx((squad["xnli"] + squad["xquad"] + squad["tatoeba"]) / 3)

    md = (aggregated / "main.md").read_text()
    squad_line = next(l for l in md.splitlines() if l.startswith("| squad"))
    assert "| — |" in squad_line and "‡" in squad_line
    assert re.search(r"`squad` has no result for panx.*left out of its average", md)
    assert "Not the XTREME score" in md and " ± " in md
    mnli_line = next(l for l in md.splitlines() if l.startswith("| mnli"))
    assert "**" in mnli_line and "†" in mnli_line


def test_latex_is_booktabs(aggregated):
    for name in ["main", "xtreme", "transfer_gap", "per_language/xnli"]:
        tex = (aggregated / f"{name}.tex").read_text()
        for command in ("\\toprule", "\\midrule", "\\bottomrule", "\\begin{tabular}", "\\end{tabular}"):
            assert command in tex, (name, command)
        assert tex.count("\\begin{tabular}") == tex.count("\\end{tabular}")
        for spec, body in re.findall(r"\\begin\{tabular\}\{(l+r*)\}(.*?)\\end\{tabular\}", tex, re.S):
            rows = [line for line in body.splitlines() if line.endswith("\\\\")]
            assert len(rows) == 1 + len(ROWS)  # header + one line per row
            for line in rows:
                assert line.count(" & ") == len(spec) - 1, line
        assert "±" not in tex and "†" not in tex  # unicode marks are converted for LaTeX


def test_category_table_and_gap(aggregated):
    xt = pd.read_csv(aggregated / "xtreme.csv", index_col=0)
    assert {"classification", "tagging", "qa", "retrieval"} <= set(xt.columns)
    assert xt.loc["none", "qa"] == pytest.approx(pd.read_csv(aggregated / "main.csv", index_col=0).loc["none", "xquad"])
    gap = pd.read_csv(aggregated / "transfer_gap.csv")
    assert set(gap["target"]) == {"xnli", "panx", "xquad"}  # tatoeba has no English test set
    scores = pd.read_csv(aggregated / "scores.csv")
    none = scores[(scores.intermediate == "none") & (scores.target == "xnli")]
    expected = none[none.language == "en"].score.mean() - none[none.language == "qab"].score.mean()
    got = gap[(gap.target == "xnli") & (gap.intermediate == "none") & (gap.group == "qab")].gap.item()
    assert got == pytest.approx(expected, abs=1e-3)


def test_transfer_gap_by_resource_class():
    scores = pd.DataFrame(
        [
            {"intermediate": "none", "seed": s, "target": "xnli", "language": lang, "score": v + s}
            for s in (0, 1)
            for lang, v in {"en": 80, "aa": 70, "bb": 50, "cc": 60}.items()
        ]
    )
    meta = {"aa": {"resource_class": 4}, "bb": {"resource_class": 1}, "cc": {"resource_class": 1}}
    tables, long = gap_tables(scores, None, ["none"], ["xnli"], [0, 1], meta)
    table = tables[0]
    assert table.columns == ["aa", "bb", "cc", "class 4", "class 1", "all"]
    assert table.cell("none", "aa").mean == pytest.approx(10)
    assert table.cell("none", "class 1").mean == pytest.approx(80 - 55)
    assert table.cell("none", "all").mean == pytest.approx(80 - 60)
    assert table.cell("none", "all").sd == pytest.approx(0)  # the same gap in both seeds
    assert table.cell("none", "aa").best  # lower gap is better
    assert set(long["group"]) == set(table.columns)


def test_cell_formatting():
    assert cell_text(Cell(72.345, 0.43, 2)) == "72.3 ± 0.4"
    assert cell_text(Cell(72.345, math.nan, 1)) == "72.3"
    sig = {"delta": 1.23, "ci_low": 0.31, "ci_high": 2.06, "significant": True}
    assert cell_text(Cell(72.345, 0.43, 2, sig)) == "72.3 ± 0.4 (+1.2 [+0.3, +2.1])†"
    assert (
        cell_text(Cell(72.345, 0.43, 2, sig, best=True), "tex")
        == "\\textbf{72.3} $\\pm$ 0.4 (+1.2 [+0.3, +2.1])$^\\dagger$"
    )
    assert cell_text(Cell()) == "—"
    assert average_name(metrics.TASKS) == "XTREME" and average_name(["xnli", "panx"]) == "avg (2 tasks)"


def test_xtreme_column_needs_every_task_on_all_its_languages():
    full = {t: set(langs) for t, langs in metrics.XTREME_LANGS.items()}
    assert average_name(metrics.TASKS, full) == "XTREME"
    toy = dict(full, xnli={"en", "qaa", "qab"})
    assert average_name(metrics.TASKS, toy) == "avg (9 tasks)"
    subset = dict(full, panx=set(sorted(full["panx"])[:5]))
    assert average_name(metrics.TASKS, subset) == "avg (9 tasks)"


def test_best_entry_marking_handles_ties_and_missing():
    table = Table("t", "t", "", ["a", "b", "c"], ["x"])
    table.cells[("a", "x")] = Cell(50.0)
    table.cells[("b", "x")] = Cell(50.0)
    table.mark_best()
    assert table.cell("a", "x").best and table.cell("b", "x").best and not table.cell("c", "x").best
    assert "| c | — |" in to_markdown(table)
    assert "\\bottomrule" in to_latex(table)


@pytest.mark.parametrize("workers", [1, 2])
def test_plots_are_written(aggregated, workers):
    from xstilts.analysis.plots import draw_all

    paths = draw_all(aggregated, aggregated.parent / f"plots{workers}", workers=workers)
    assert sorted(p.name for p in paths) == sorted(
        f"{n}.{e}"
        for n in ("heatmap", "by_resource_class", "gap_vs_typology", "recipes_forest", "recipes_by_language")
        for e in ("png", "pdf")
    )
    for path in paths:
        assert path.stat().st_size > 1000
        assert path.read_bytes()[:4] in (b"\x89PNG", b"%PDF")


# a recipe grid whose answer is known: the recipe beats its reference by exactly DELTA[target][language] on every
# bootstrap resample (paired: same resampled examples), so every interval is the point itself
DELTA = {"xnli": {"qaa": 2.0, "qab": -1.0, "qac": 3.0}, "panx": {"qaa": 4.0, "qab": 1.0, "qac": 5.0}}
CLASS_OF = {"qaa": 5, "qab": 1, "qac": 1}


def _known_recipe_grid():
    import numpy as np

    from xstilts.analysis.bootstrap import Bootstrap, LanguageResult
    from xstilts.recipes import Recipe, as_dict

    boot, records = Bootstrap(n_resamples=50, seed=0), []
    noise = np.random.default_rng(0).normal(0, 3, size=50)
    for target, deltas in DELTA.items():
        for lang, delta in deltas.items():
            base = 60.0 + len(lang) + (5 if target == "panx" else 0)
            for row, score in (("mnli", base), ("mnli-qab", base + delta), ("none", base - 10)):
                boot.results[(row, target, lang)] = LanguageResult({0: score}, score + noise)
                records.append({"intermediate": row, "seed": 0, "target": target, "language": lang, "score": score})
    recipes = {
        "mnli": as_dict(Recipe("mnli", ("mnli",))),
        "mnli-qab": as_dict(Recipe("mnli-qab", ("mnli",), ("qab",), defined="recipe")),
    }
    return pd.DataFrame(records), boot, recipes


def test_recipe_comparisons_per_target_language_and_resource_class_on_a_known_grid(tmp_path):
    from xstilts.analysis.tables import recipes_tables

    scores, boot, recipes = _known_recipe_grid()
    meta = {lang: {"resource_class": c} for lang, c in CLASS_OF.items()}
    tables, long = recipes_tables(scores, boot, recipes, ["xnli", "panx"], meta, {})
    main, by_class, by_language = tables
    label = "mnli-qab vs mnli (qab vs English)"
    assert main.rows == by_class.rows == by_language.rows == [label]
    mean = lambda values: sum(values) / len(values)  # noqa: E731
    expected = {
        ("recipes", "xnli"): mean(DELTA["xnli"].values()),
        ("recipes", "panx"): mean(DELTA["panx"].values()),
        ("recipes", "avg"): mean([mean(DELTA["xnli"].values()), mean(DELTA["panx"].values())]),
        ("recipes_by_class", "class 5"): mean([DELTA["xnli"]["qaa"], DELTA["panx"]["qaa"]]),  # 3
        ("recipes_by_class", "class 1"): mean([mean([-1.0, 3.0]), mean([1.0, 5.0])]),  # 2: languages, then targets
        ("recipes_by_language", "qaa"): 3.0,
        ("recipes_by_language", "qab"): 0.0,
        ("recipes_by_language", "qac"): 4.0,
    }
    assert by_class.columns == ["class 5", "class 1"] and by_language.columns == ["qaa", "qab", "qac"]
    named = {t.name: t for t in tables}
    for (name, column), delta in expected.items():
        diff = named[name].cell(label, column).diff
        assert diff["delta"] == pytest.approx(delta), (name, column)
        assert diff["ci_low"] == pytest.approx(delta) and diff["ci_high"] == pytest.approx(delta)  # paired: exact
        assert diff["significant"] == (delta != 0), (name, column)
    assert set(long["scope"]) == {"cell", "target", "average", "class", "language"}
    cells = long[long["scope"] == "cell"].set_index(["target", "language"])["delta"]
    assert cells.to_dict() == pytest.approx({(t, l): d for t, ds in DELTA.items() for l, d in ds.items()})
    by_scope = long.set_index(["scope", "target", "language"])["delta"]
    assert by_scope[("class", "all", "class 1")] == pytest.approx(2.0)
    assert by_scope[("language", "all", "qac")] == pytest.approx(4.0)
    assert by_scope[("average", "all", "all")] == pytest.approx(expected[("recipes", "avg")])
    assert long.loc[long["scope"] == "language"].set_index("language")["resource_class"].to_dict() == CLASS_OF

    from xstilts.analysis.plots import recipes_by_language, recipes_forest

    long.to_csv(tmp_path / "recipes.csv", index=False)
    for draw, name in ((recipes_forest, "forest"), (recipes_by_language, "by_language")):
        paths = draw(tmp_path / "recipes.csv", tmp_path / name)
        assert all(p.stat().st_size > 5000 for p in paths), name  # drawn, not the empty-grid message
    empty = tmp_path / "empty.csv"
    empty.write_text("\n")
    assert all(p.exists() for p in recipes_forest(empty, tmp_path / "none"))


def test_summary_command_prints_the_main_table(results_tree, capsys):
    from xstilts.cli import main

    assert main(["summary", str(results_tree), "--resamples", "200"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    header = next(l for l in lines if l.startswith("intermediate"))
    assert header.split()[1:5] == ["xnli", "panx", "xquad", "tatoeba"]
    assert "avg (4 tasks)" in header
    mnli = next(l for l in lines if l.startswith("mnli"))
    assert "±" in mnli and "†" in mnli
    assert "—" in next(l for l in lines if l.startswith("squad"))
    assert "no result for panx" in out
    assert main(["summary", str(results_tree / "nothing")]) == 2


def test_aggregate_scores_every_submission_with_the_benchmark_scorer(aggregated, results_tree):
    """tables/submission_scores.json: each row's eval/ROW/seedK scored as `xstilts score --benchmark xtreme`
    (the default benchmark) scores it, equal to the cells' own numbers; a missing cell is a missing task."""
    scored = json.loads((aggregated / "submission_scores.json").read_text())
    assert scored["benchmark"] == "xtreme" and scored["languages"] == "gold"
    for row in ROWS:
        for seed in SEEDS:
            result = scored["rows"][row][f"seed{seed}"]
            assert set(result) == {"benchmark", "overall", "tasks", "missing"}  # the scorer's own output
            for target in TARGETS:
                if row == "squad" and target == "panx":
                    assert target not in result["tasks"] and target in result["missing"]
                    continue
                cell = json.loads((results_tree / "eval" / row / f"seed{seed}" / target / "metrics.json").read_text())
                assert result["tasks"][target]["avg_metric"] == pytest.approx(cell["average"], abs=1e-9)
