# Aggregation: tables with seed spread and paired-bootstrap intervals (rule aggregate), then figures
# (rule plots). Both are light (pandas, numpy, matplotlib; no torch) and run on the submitting node.
ANALYSIS = config["analysis"]
BOOTSTRAP_RESAMPLES = ANALYSIS["bootstrap_resamples"]
BOOTSTRAP_SEED = ANALYSIS["bootstrap_seed"]
CONFIDENCE = ANALYSIS["confidence"]
BENCHMARK = xcfg.benchmark_of(config)  # the category table is named after it: tables/xtreme, tables/xtreme-r
TABLE_FORMATS = ["csv", "md", "tex"]
PLOTS = ["heatmap", "by_resource_class", "gap_vs_typology", "recipes_forest", "recipes_by_language"]


# Every evaluated cell: joint rows have no encoder of their own, so no retrieval cells.
EVAL_CELLS = [
    layout.pattern(R, layout.EVAL_CELL).format(row=row, seed=seed, target=target)
    for row in ROWS
    for seed in SEEDS
    for target in TARGETS
    if row not in JOINT_ROWS or registry.get(target).trainable
]

PER_LANGUAGE = [
    path
    for target in TARGETS
    for path in _tables(
        f"{R}/tables/per_language/{target}",
        "../report/per_language.rst",
        "Tables",
        "Per language",
        {"target": target, "table": "per language"},
    )
]

# Everything the aggregation produces; `rule all` requests REPORT_OUTPUTS (tables and plots).
AGGREGATE_OUTPUTS = {
    "main": _tables(f"{R}/tables/main", "../report/main.rst", "Tables", "Main", {"table": "main"}),
    "categories": _tables(
        f"{R}/tables/{BENCHMARK}",
        "../report/xtreme.rst",
        "Tables",
        "Main",
        {"table": f"{BENCHMARK} categories"},
    ),
    "gap": _tables(
        f"{R}/tables/transfer_gap", "../report/transfer_gap.rst", "Tables", "Transfer gap", {"table": "transfer gap"}
    ),
    "recipes": _tables(f"{R}/tables/recipes", "../report/recipes.rst", "Tables", "Recipes", {"table": "recipes"}),
}
PLOT_FILES = [f"{R}/plots/{name}.{ext}" for name in PLOTS for ext in ("png", "pdf")]
REPORT_OUTPUTS = [
    str(path)
    for path in (  # str(): plain paths, without the report() flag, for `rule all`
        [path for paths in AGGREGATE_OUTPUTS.values() for path in paths]
        + PER_LANGUAGE
        + [
            f"{R}/tables/scores.csv",
            f"{R}/tables/differences.csv",
            f"{R}/tables/bootstrap.json",
            f"{R}/tables/submission_scores.json",
        ]
        + PLOT_FILES
    )
]


rule aggregate:
    input:
        cells=EVAL_CELLS,
        gold=expand(layout.pattern(R, layout.GOLD), task=TARGETS),
    output:
        main=AGGREGATE_OUTPUTS["main"],
        categories=AGGREGATE_OUTPUTS["categories"],
        gap=AGGREGATE_OUTPUTS["gap"],
        recipes=AGGREGATE_OUTPUTS["recipes"],
        per_language=PER_LANGUAGE,
        scores=f"{R}/tables/scores.csv",
        differences=report(
            f"{R}/tables/differences.csv",
            caption="../report/differences.rst",
            category="Tables",
            subcategory="Bootstrap",
            labels={"table": "all differences"},
        ),
        bootstrap=f"{R}/tables/bootstrap.json",
    log:
        f"{R}/logs/aggregate.log",
    conda:
        ENV
    params:
        results_dir=lambda w, output: str(Path(output.scores).parent.parent),
        rows=ROWS,
        targets=TARGETS,
        seeds=SEEDS,
        resamples=BOOTSTRAP_RESAMPLES,
        bootstrap_seed=BOOTSTRAP_SEED,
        confidence=CONFIDENCE,
        recipes={name: recipe_as_dict(name) for name in RECIPES},
        definitions={name: RECIPES[name].definition() for name in RECIPES if RECIPES[name].defined != "task"},
        benchmark=BENCHMARK,
    script:
        "../scripts/aggregate.py"


# Every row's submission (eval/ROW/seedK) scored as `xstilts score --benchmark` scores it: the official
# scorer's check on the files a leaderboard would get. Its own job, so that it runs beside the tables.
rule submission_scores:
    input:
        cells=EVAL_CELLS,
        gold=expand(layout.pattern(R, layout.GOLD), task=TARGETS),
    output:
        f"{R}/tables/submission_scores.json",
    log:
        f"{R}/logs/submission_scores.log",
    conda:
        ENV
    params:
        results_dir=lambda w, output: str(Path(output[0]).parent.parent),
        rows=ROWS,
        targets=TARGETS,
        seeds=SEEDS,
        benchmark=BENCHMARK,
    script:
        "../scripts/submission_scores.py"


rule plots:
    input:
        main=f"{R}/tables/main.csv",
        differences=f"{R}/tables/differences.csv",
        gap=f"{R}/tables/transfer_gap.csv",
        recipes=f"{R}/tables/recipes.csv",
    output:
        heatmap=[
            report(
                f"{R}/plots/heatmap.png",
                caption="../report/heatmap.rst",
                category="Figures",
                labels={"figure": "differences heat map"},
            ),
            f"{R}/plots/heatmap.pdf",
        ],
        by_class=[
            report(
                f"{R}/plots/by_resource_class.png",
                caption="../report/by_resource_class.rst",
                category="Figures",
                labels={"figure": "by resource class"},
            ),
            f"{R}/plots/by_resource_class.pdf",
        ],
        typology=[
            report(
                f"{R}/plots/gap_vs_typology.png",
                caption="../report/gap_vs_typology.rst",
                category="Figures",
                labels={"figure": "gap vs typology"},
            ),
            f"{R}/plots/gap_vs_typology.pdf",
        ],
        recipes_forest=[
            report(
                f"{R}/plots/recipes_forest.png",
                caption="../report/recipes_forest.rst",
                category="Figures",
                labels={"figure": "recipes vs references"},
            ),
            f"{R}/plots/recipes_forest.pdf",
        ],
        recipes_by_language=[
            report(
                f"{R}/plots/recipes_by_language.png",
                caption="../report/recipes_by_language.rst",
                category="Figures",
                labels={"figure": "recipes per language"},
            ),
            f"{R}/plots/recipes_by_language.pdf",
        ],
    log:
        f"{R}/logs/plots.log",
    conda:
        ENV
    params:
        tables_dir=lambda w, input: str(Path(input.main).parent),
        plots_dir=lambda w, output: str(Path(output.heatmap[0]).parent),
    script:
        "../scripts/plots.py"
