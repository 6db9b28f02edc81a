"""Recipes as rows: checked before any job, exact params, and a small recipe grid end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from xstilts import config as xcfg

REPO = Path(__file__).resolve().parents[1]


def _config(extra: dict) -> dict:
    from snakemake.utils import update_config, validate

    config = yaml.safe_load((REPO / "config.yaml").read_text())
    update_config(config, yaml.safe_load((REPO / "configs" / "recipes-toy.yaml").read_text()))
    for key, value in extra.items():
        config[key] = value
    validate(config, str(REPO / "workflow" / "schemas" / "config.schema.yaml"))
    return config


@pytest.mark.parametrize(
    "recipes, intermediate, message",
    [
        ({"x": {"tasks": ["mnli"], "langs": ["de"]}}, ["x"], r"recipes\.x: unknown key 'langs'; allowed: cap, joint"),
        ({"x": {"tasks": ["xnli"]}}, ["x"], r"recipes\.x\.tasks: unknown intermediate task 'xnli'; allowed: anli"),
        ({"mnli": {"tasks": ["mnli", "squad"]}}, ["mnli"], r"recipes\.mnli: the name clashes with a task"),
        (
            {"x": {"tasks": ["ccg"], "languages": ["qab"]}},
            ["x"],
            r"recipes\.x\.languages: ccg's data source has no native",
        ),
        (
            {"x": {"tasks": ["hellaswag"], "languages": ["de"], "translated": True}},
            ["x"],
            r"recipes\.x\.languages: hellaswag's data source has no machine-translated 'de' data; "
            r"allowed: qaa, qab, qac, qad, qae",
        ),
        ({"x": {"tasks": ["mnli"], "mlm": {"languages": ["en"], "weight": 1.5}}}, ["x"], r"recipes\.x\.mlm\.weight"),
        ({"x": {"tasks": ["mnli"]}}, ["y"], r"intermediate: unknown task or recipe 'y'; allowed:"),
        (
            {"x": {"tasks": ["mnli"], "joint": True, "mlm": {"languages": ["en"], "weight": 0.5}}},
            ["x"],
            r"joint recipe",
        ),
    ],
)
def test_bad_recipes_are_config_errors_naming_the_key(recipes, intermediate, message):
    with pytest.raises(xcfg.ConfigError, match=message):
        xcfg.check(_config({"recipes": recipes, "intermediate": intermediate}), REPO)


def test_multiple_choice_recipes_on_the_toy_world_pass_the_config_checks():
    recipes = {
        "hs-qab": {"tasks": ["hellaswag"], "languages": ["qab"]},
        "hs-qab-mt": {"tasks": ["hellaswag"], "languages": ["qab"], "translated": True},
        "mc-qae": {"tasks": ["commonsenseqa", "cosmosqa", "siqa"], "languages": ["qae", "qaa"]},
    }
    config = _config({"recipes": recipes, "intermediate": list(recipes)})
    xcfg.check(config, REPO)
    assert xcfg.recipes_of(config)["hs-qab-mt"].data_splits() == {"hellaswag": ["train@qab.mt"]}


def test_combinations_expand_to_named_rows():
    config = _config(
        {"recipes": {"combinations": {"of": ["mnli", "squad", "hellaswag"], "size": 2}}, "intermediate": ["mnli"]}
    )
    assert xcfg.rows(config) == ["none", "mnli", "mnli+squad", "mnli+hellaswag", "squad+hellaswag"]


def _settings(extra: dict, tmp_path) -> dict:
    from xstilts.plan import plan

    path = tmp_path / f"cfg{len(list(tmp_path.iterdir()))}.yaml"
    path.write_text(yaml.safe_dump({"results_dir": str(tmp_path / "results"), **extra}))
    jobs = plan([str(REPO / "configs" / "recipes-toy.yaml"), str(path)], REPO, forceall=True)
    return {(j["rule"], tuple(sorted(j["wildcards"].items()))): j["settings"] for j in jobs}


def test_changing_one_recipe_changes_only_its_jobs_params(tmp_path):
    preset = yaml.safe_load((REPO / "configs" / "recipes-toy.yaml").read_text())
    base_recipes = preset["recipes"]
    before = _settings({}, tmp_path)
    changed = dict(
        base_recipes, **{"mnli-mlm": {"tasks": ["mnli"], "mlm": {"languages": ["en", "qaa"], "weight": 0.5}}}
    )
    after = _settings({"recipes": changed}, tmp_path)
    assert before.keys() == after.keys()
    differ = {k for k in before if before[k] != after[k]}
    # the recipe's intermediate model (everything downstream reruns from its new output) and the aggregation
    assert differ == {("train_intermediate", (("inter", "mnli-mlm"), ("seed", "0"))), ("aggregate", ())}
    added = _settings(
        {
            "recipes": dict(base_recipes, extra={"tasks": ["squad", "mnli"], "temperature": 2.0}),
            "intermediate": [*preset["intermediate"], "extra"],
        },
        tmp_path,
    )
    new = set(added) - set(before)
    assert new and all(dict(k[1]).get("inter", dict(k[1]).get("row")) == "extra" for k in new)
    assert {k for k in before if before[k] != added[k]} == {("aggregate", ()), ("submission_scores", ())}


def test_target_training_never_reads_recipe_data(tmp_path):
    """Zero-shot: non-English recipe data variants (train@LANG) can only reach intermediate training."""
    from xstilts import registry
    from xstilts.zeroshot import ZeroShotViolation, check_zero_shot

    check_zero_shot(registry.get("mnli"), "train@de.mt", ["de"])
    for task, split in (("xnli", "train@de"), ("mnli", "validation@de")):
        with pytest.raises(ZeroShotViolation):
            check_zero_shot(registry.get(task), split, ["de"])


@pytest.mark.slow
def test_recipe_grid_runs_end_to_end_with_comparisons(tmp_path):
    from workflow_helpers import copy_repo, snakemake

    work = copy_repo(tmp_path / "repo")
    result = snakemake(work, "--cores", "2", "--configfile", "configs/recipes-toy.yaml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    tables = work / "results" / "recipes-toy" / "tables"
    main = (tables / "main.md").read_text()
    for row in ("nli-qa", "mnli-mlm", "nli-joint", "mnli-qab", "mnli-qab-mt"):
        assert f"| {row} |" in main
    recipes = (tables / "recipes.md").read_text()
    for comparison in (
        "nli-qa vs mnli (combination vs member)",
        "mnli-mlm vs mnli (with MLM vs without)",
        "nli-joint vs nli-qa (joint vs sequential)",
        "(combination vs best member)",
        "mnli-qab vs mnli (qab vs English)",
        "mnli-qab-mt vs mnli-qab (translated vs native)",
    ):
        assert comparison in recipes
    joint = json.loads((work / "results/recipes-toy/target/nli-joint/xnli/seed0/model/../provenance.json").read_text())
    assert joint["settings"]["tasks"] == ["xnli", "mnli", "squad"]
    again = snakemake(work, "-n", "--configfile", "configs/recipes-toy.yaml")
    assert "Nothing to be done" in again.stdout + again.stderr
