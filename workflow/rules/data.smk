# Data: each (task, split) is prepared once into canonical columns, then tokenized once per maximum length;
# every grid cell reuses these cached outputs. Gold files in XTREME's formats serve `xstilts score`.


rule prepare_data:
    input:
        world=lambda w: world_dir(w.task),
    output:
        directory(f"{R}/data/{{task}}/{{split}}"),
    log:
        f"{R}/logs/prepare_data/{{task}}.{{split}}.log",
    conda:
        ENV
    params:
        languages=lambda w: split_languages(w.task, w.split),
        source=lambda w: xcfg.source_for(config, w.task),
    script:
        "../scripts/prepare_data.py"


rule tokenize:
    input:
        data=f"{R}/data/{{task}}/{{split}}",
        tokenizer=tokenizer_dir(),
    output:
        directory(f"{R}/features/{{task}}/{{split}}/L{{maxlen}}"),
    log:
        f"{R}/logs/tokenize/{{task}}.{{split}}.L{{maxlen}}.log",
    conda:
        ENV
    params:
        languages=lambda w: split_languages(w.task, w.split),
    script:
        "../scripts/tokenize.py"


rule gold:
    input:
        data=lambda w: data_dir(w.task, registry.get(w.task).test),
    output:
        directory(layout.pattern(R, layout.GOLD)),
    log:
        f"{R}/logs/gold/{{task}}.log",
    conda:
        ENV
    params:
        languages=lambda w: xcfg.languages_for(config, w.task),
    script:
        "../scripts/gold.py"


rule tokenize_mlm:
    input:
        text=mlm_text,
        tokenizer=tokenizer_dir(),
    output:
        directory(f"{R}/features/mlm/{{lang}}/L{{maxlen}}"),
    log:
        f"{R}/logs/tokenize_mlm/{{lang}}.L{{maxlen}}.log",
    conda:
        ENV
    script:
        "../scripts/tokenize_mlm.py"
