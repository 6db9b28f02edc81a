# Phase 2: intermediate training on English tasks, one model per (task, seed); `multitask` trains one
# encoder with a head per task. Only the encoder is kept for phase 3, where each target gets a fresh head.


rule train_intermediate:
    input:
        unpack(intermediate_inputs),
    output:
        encoder=directory(layout.pattern(R, layout.INTERMEDIATE_ENCODER)),
        metrics=layout.pattern(R, layout.INTERMEDIATE_METRICS),
    log:
        f"{R}/logs/train_intermediate/{{inter}}.seed{{seed}}.log",
    benchmark:
        f"{R}/benchmarks/train_intermediate/{{inter}}.seed{{seed}}.tsv"
    # before target jobs: each intermediate model unlocks a row of them, so none is left to run alone at the end
    priority: 1
    conda:
        ENV
    params:
        tasks=lambda w: intermediate_tasks_of(w.inter),
        recipe=lambda w: RECIPES[w.inter].settings(),
        hparams=lambda w: intermediate_hparams(w.inter),
        encoder=base_encoder(),
    script:
        "../scripts/train_intermediate.py"
