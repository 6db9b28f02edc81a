# Phase 3: English training on each XTREME target that has training data, starting from the row's encoder.
# Model selection uses the English dev set only (or the last checkpoint where the task has none).


rule train_target:
    input:
        unpack(target_inputs),
    output:
        model=directory(layout.pattern(R, layout.TARGET_MODEL)),
        metrics=layout.pattern(R, layout.TARGET_METRICS),
    log:
        f"{R}/logs/train_target/{{row}}.{{target}}.seed{{seed}}.log",
    benchmark:
        f"{R}/benchmarks/train_target/{{row}}.{{target}}.seed{{seed}}.tsv"
    wildcard_constraints:
        row=_alternatives([BASELINE] + SEQUENTIAL_ROWS),
        target=_alternatives(TRAINED_TARGETS),
    conda:
        ENV
    params:
        hparams=lambda w: xcfg.hparams_for(config, "target", w.target, cell_name(w.row, w.target)),
        encoder=lambda w: encoder_of(w.row, w.seed),
    script:
        "../scripts/train_target.py"


# A joint recipe has no intermediate model: its tasks and the target's English training data train together
# as one multitask run from the base encoder, selected on the target's English dev set only. The model lands
# where train_target's would, so evaluation and tables treat the cell like any other.
rule train_joint:
    input:
        unpack(joint_inputs),
    output:
        model=directory(layout.pattern(R, layout.TARGET_MODEL)),
        metrics=layout.pattern(R, layout.TARGET_METRICS),
    log:
        f"{R}/logs/train_joint/{{row}}.{{target}}.seed{{seed}}.log",
    benchmark:
        f"{R}/benchmarks/train_joint/{{row}}.{{target}}.seed{{seed}}.tsv"
    wildcard_constraints:
        row=_alternatives(JOINT_ROWS),
        target=_alternatives(TRAINED_TARGETS),
    conda:
        ENV
    params:
        hparams=lambda w: xcfg.hparams_for(config, "target", w.target, cell_name(w.row, w.target)),
        recipe=lambda w: RECIPES[w.row].settings(),
        encoder=base_encoder(),
    script:
        "../scripts/train_joint.py"
