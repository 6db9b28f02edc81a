# Aggregation: every cell's metrics into one long table and the paper's main table (rows x targets).


rule aggregate:
    input:
        cells=expand(f"{R}/eval/{{row}}/seed{{seed}}/{{target}}", row=ROWS, seed=SEEDS, target=TARGETS),
        gold=expand(f"{R}/gold/{{task}}", task=TARGETS),
    output:
        main_csv=report(f"{R}/tables/main.csv", caption="../report/main.rst", category="Tables"),
        main_md=f"{R}/tables/main.md",
        scores=f"{R}/tables/scores.csv",
    params:
        rows=ROWS,
        targets=TARGETS,
        seeds=SEEDS,
        eval_dir=f"{R}/eval",
    log:
        f"{R}/logs/aggregate.log",
    conda:
        ENV
    script:
        "../scripts/aggregate.py"
