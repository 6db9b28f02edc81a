# Phase 1 for the embedded default: the toy world, its tokenizer, and a tiny XLM-R pretrained on its corpus.
# With model.source = pretrained (e.g. xlm-roberta-large) none of these rules run.


rule toy_world:
    output:
        directory(f"{R}/world"),
    params:
        seed=config["world"]["seed"],
        scale=config["world"]["scale"],
    log:
        f"{R}/logs/toy_world.log",
    conda:
        ENV
    script:
        "../scripts/toy_world.py"


rule train_tokenizer:
    input:
        world=f"{R}/world",
    output:
        directory(f"{R}/model/tokenizer"),
    params:
        vocab_size=config["model"]["toy"]["vocab_size"],
    log:
        f"{R}/logs/train_tokenizer.log",
    conda:
        ENV
    script:
        "../scripts/train_tokenizer.py"


rule pretrain:
    input:
        world=f"{R}/world",
        tokenizer=f"{R}/model/tokenizer",
    output:
        directory(f"{R}/model/base"),
    params:
        arch={k: v for k, v in config["model"]["toy"].items() if k not in ("pretrain", "vocab_size")},
        hp=config["model"]["toy"]["pretrain"],
        seed=config["world"]["seed"],
    log:
        f"{R}/logs/pretrain.log",
    benchmark:
        f"{R}/benchmarks/pretrain.tsv"
    conda:
        ENV
    script:
        "../scripts/pretrain.py"
