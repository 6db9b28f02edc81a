# Zero-shot evaluation: ONE job per grid cell that loads its model once and evaluates every language.
# Outputs are laid out as an XTREME submission: {results}/eval/ROW/seedK/TASK/test-LANG.tsv|json.


rule evaluate:
    input:
        unpack(eval_inputs),
    output:
        directory(layout.pattern(R, layout.EVAL_CELL)),
    log:
        f"{R}/logs/evaluate/{{row}}.{{target}}.seed{{seed}}.log",
    benchmark:
        f"{R}/benchmarks/evaluate/{{row}}.{{target}}.seed{{seed}}.tsv"
    wildcard_constraints:
        row=_alternatives(ROWS),
        target=_alternatives(TRAINED_TARGETS),
    conda:
        ENV
    params:
        languages=lambda w: xcfg.languages_for(config, w.target),
    script:
        "../scripts/evaluate.py"


rule evaluate_retrieval:
    input:
        unpack(retrieval_inputs),
    output:
        directory(layout.pattern(R, layout.EVAL_CELL)),
    log:
        f"{R}/logs/evaluate_retrieval/{{row}}.{{target}}.seed{{seed}}.log",
    benchmark:
        f"{R}/benchmarks/evaluate_retrieval/{{row}}.{{target}}.seed{{seed}}.tsv"
    wildcard_constraints:
        target=_alternatives(RETRIEVAL_TARGETS),
    conda:
        ENV
    params:
        languages=lambda w: xcfg.languages_for(config, w.target),
        encoder=lambda w: encoder_of(w.row, w.seed),
        layer=config["retrieval"]["layer"],
        k=config["retrieval"]["k"],
    script:
        "../scripts/evaluate_retrieval.py"
