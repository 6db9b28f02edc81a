# xstilts: English intermediate-task training before zero-shot cross-lingual transfer (Phang et al. 2020).
# The grid: pretrained encoder -> intermediate task (or none) -> English target training -> zero-shot evaluation.
from snakemake.utils import min_version

from xstilts.config import validate_config

min_version("9.0")


configfile: "config.yaml"


# the schema check with its defaults filled in; an error names the one key and what is allowed there
validate_config(config, f"{workflow.basedir}/workflow/schemas/config.schema.yaml")


report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"
include: "workflow/rules/pretrain.smk"
include: "workflow/rules/data.smk"
include: "workflow/rules/intermediate.smk"
include: "workflow/rules/target.smk"
include: "workflow/rules/evaluate.smk"
include: "workflow/rules/aggregate.smk"


localrules:
    all,
    aggregate,
    submission_scores,
    plots,


rule all:
    default_target: True
    input:
        REPORT_OUTPUTS,
