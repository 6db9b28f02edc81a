# Phase 3: English training on each XTREME target that has training data, starting from the row's encoder.
# Model selection uses the English dev set only (or the last checkpoint where the task has none).


rule train_target:
    input:
        unpack(target_inputs),
    output:
        model=directory(layout.pattern(R, layout.TARGET + "/model")),
        metrics=layout.pattern(R, layout.TARGET + "/dev_metrics.json"),
    params:
        hp=lambda w: xcfg.hparams_for(config, "target", w.target, cell_name(w.row, w.target)),
        encoder=lambda w: encoder_of(w.row, w.seed),
    wildcard_constraints:
        target=_alternatives(TRAINED_TARGETS),
    log:
        f"{R}/logs/train_target/{{row}}.{{target}}.seed{{seed}}.log",
    benchmark:
        f"{R}/benchmarks/train_target/{{row}}.{{target}}.seed{{seed}}.tsv"
    conda:
        ENV
    script:
        "../scripts/train_target.py"
