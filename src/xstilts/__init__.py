"""xstilts: English intermediate-task training before zero-shot cross-lingual transfer, as a Snakemake grid."""

__version__ = "0.1.0"
