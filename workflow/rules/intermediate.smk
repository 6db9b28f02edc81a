# Phase 2: intermediate training on English tasks, one model per (task, seed); `multitask` trains one
# encoder with a head per task. Only the encoder is kept for phase 3, where each target gets a fresh head.


rule train_intermediate:
    input:
        unpack(intermediate_inputs),
    output:
        encoder=directory(layout.pattern(R, layout.INTERMEDIATE + "/encoder")),
        metrics=layout.pattern(R, layout.INTERMEDIATE + "/dev_metrics.json"),
    params:
        tasks=lambda w: intermediate_tasks_of(w.inter),
        hp=lambda w: intermediate_hparams(w.inter),
        sampling=lambda w: intermediate_sampling(w.inter),
        encoder=base_encoder(),
    log:
        f"{R}/logs/train_intermediate/{{inter}}.seed{{seed}}.log",
    benchmark:
        f"{R}/benchmarks/train_intermediate/{{inter}}.seed{{seed}}.tsv"
    conda:
        ENV
    script:
        "../scripts/train_intermediate.py"
