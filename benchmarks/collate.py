"""What collating a training batch costs: transformers' collators against xstilts.padding, on the toy world.

Reads the English training features and the tokenizer of a finished default run (``snakemake --cores 2``
first), forms batches of 32 features as the training loop does (length-grouped), and prints the median ms
per batch of each collator and their ratio, task by task. Both build the same tensors (checked here and
in tests/test_formats.py).

    python benchmarks/collate.py [--results results] [--batch 32] [--batches 40]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import torch

LIBRARY_COLLATORS = {
    "classification": "DataCollatorWithPadding",
    "span_qa": "DataCollatorWithPadding",
    "tagging": "DataCollatorForTokenClassification",
    "multiple_choice": "DataCollatorForMultipleChoice",
}


def median_ms(collate, batches) -> float:
    times = []
    for rows in batches:
        start = time.perf_counter()
        collate(rows)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    import datasets
    import transformers
    from transformers.trainer_pt_utils import get_length_grouped_indices

    from xstilts import registry
    from xstilts.formats import get_format
    from xstilts.inference import feature_lengths
    from xstilts.prepared import load_prepared
    from xstilts.training import MODEL_COLUMNS

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", default="results", help="a finished default run's results directory")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--batches", type=int, default=40)
    args = parser.parse_args()
    datasets.disable_progress_bars()
    results = Path(args.results)
    tokenizer = transformers.AutoTokenizer.from_pretrained(results / "model" / "base")
    print(f"median ms per batch of {args.batch} English training features, {args.batches} batches per task")
    for task_dir in sorted((results / "features").iterdir()):
        if not (task_dir / "train").is_dir() or task_dir.name not in registry.tasks():
            continue
        spec = registry.get(task_dir.name)
        fmt = get_format(spec.format)
        features = load_prepared(str(next((task_dir / "train").iterdir())), "en")
        features = fmt.attach_labels(features, fmt.label_inventory(features, spec))
        columns = features.select_columns([c for c in MODEL_COLUMNS if c in features.column_names]).to_dict()
        rows = [dict(zip(columns, values)) for values in zip(*columns.values())]
        order = get_length_grouped_indices(feature_lengths(features).tolist(), args.batch, generator=torch.Generator())
        batches = [[rows[i] for i in order[s : s + args.batch]] for s in range(0, len(order), args.batch)]
        batches = batches[: args.batches]
        library = getattr(transformers, LIBRARY_COLLATORS[spec.format])(tokenizer)
        ours = fmt.collator(tokenizer)
        for rows_ in batches[:3]:
            a, b = library(rows_), ours(rows_)
            assert sorted(a) == sorted(b) and all(torch.equal(a[k], b[k]) for k in a), task_dir.name
        before, after = median_ms(library, batches), median_ms(ours, batches)
        print(
            f"  {task_dir.name:14s} {spec.format:16s} transformers {before:6.2f} ms   xstilts.padding {after:5.2f} ms"
            f"   ratio {after / before:.2f}"
        )


if __name__ == "__main__":
    main()
