# Phase 1 for the embedded default: the toy world, its tokenizer, and a tiny XLM-R pretrained on its corpus.
# With model.source = pretrained (e.g. xlm-roberta-large, or a local directory written by save_pretrained) none of
# these rules run: `base_model` copies the pinned model once into R/model/base instead, so every later job reads the
# same local snapshot.


rule toy_world:
    output:
        directory(f"{R}/world"),
    log:
        f"{R}/logs/toy_world.log",
    conda:
        ENV
    params:
        seed=config["world"]["seed"],
        scale=config["world"]["scale"],
    script:
        "../scripts/toy_world.py"


rule train_tokenizer:
    input:
        world=f"{R}/world",
    output:
        directory(f"{R}/model/tokenizer"),
    log:
        f"{R}/logs/train_tokenizer.log",
    conda:
        ENV
    params:
        vocab_size=config["model"]["toy"]["vocab_size"],
    script:
        "../scripts/train_tokenizer.py"


if TOY_MODEL:

    rule pretrain:
        input:
            world=f"{R}/world",
            tokenizer=f"{R}/model/tokenizer",
        output:
            directory(f"{R}/model/base"),
        log:
            f"{R}/logs/pretrain.log",
        benchmark:
            f"{R}/benchmarks/pretrain.tsv"
        conda:
            ENV
        params:
            arch=toy_architecture(),
            hparams=xcfg.pretrain_hparams(config),
            seed=config["world"]["seed"],
        script:
            "../scripts/pretrain.py"

else:

    rule base_model:
        input:
            # a local model directory's files: re-saving a model there reruns the grid (hub ids: model.revision)
            xcfg.local_model_files(config, workflow.basedir),
        output:
            directory(f"{R}/model/base"),
        log:
            f"{R}/logs/base_model.log",
        conda:
            ENV
        params:
            name_or_path=config["model"].get("name_or_path"),
            revision=config["model"].get("revision"),
        script:
            "../scripts/base_model.py"
