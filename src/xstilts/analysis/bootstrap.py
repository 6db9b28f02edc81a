"""Paired bootstrap confidence intervals for differences from the no-intermediate baseline.

For one target and language, the evaluation examples (sentences, questions, BUCC source sentences) are
resampled with replacement B times. Every system - each row and each of its seeds - is re-scored on the
*same* resamples, so a row's difference from the baseline is paired; a row's score on a resample is the mean
over its seeds (pooled over seeds). Aggregates (a target's language mean, the XTREME average, a resource
class) are taken per resample, and the 95% interval is the 2.5/97.5 percentile of the resampled differences.

Fast because each metric is a function of per-example sums:

* accuracy (xnli, pawsx, tatoeba, xcopa): one 0/1 correctness value per example; the ranking tasks (mewslix,
  lareqa) likewise, with the query's reciprocal rank / average precision at 20 in place of 0/1;
* QA (xquad, mlqa, tydiqa): per-question exact match and F1; task score (EM + F1) / 2;
* span F1 (panx, udpos) and BUCC: per-sentence (true positives, predicted, gold) chunk/pair counts,
  F1 = 2 tp / (pred + gold) - the same number seqeval / XTREME's bucc_f1 give on the whole set.

A resample is a count vector over examples (multinomial), so all resampled sums of all systems are one
matrix product.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from xstilts import layout
from xstilts.metrics import file_suffix, read_gold, read_pred
from xstilts.metrics.tasks import LABEL_TASKS, QA_TASKS, RANKING_TASKS, TAGGING_TASKS, check_task
from xstilts.registry import BASELINE  # the registry imports only yaml

DEFAULT_RESAMPLES = 1000
CHUNK = 250  # resamples per matrix product: bounds memory at CHUNK x n_examples counts


# ---------------------------------------------------------------- per-example statistics


def statistic_kind(task: str) -> str:
    """'accuracy', 'qa' or 'f1' (tp/pred/gold counts)."""
    check_task(task)
    if task in LABEL_TASKS or task == "xcopa" or task in RANKING_TASKS:
        return "accuracy"  # a mean of per-example values
    if task in QA_TASKS:
        return "qa"
    return "f1"


def score_from_sums(kind: str, sums: np.ndarray, n: int) -> np.ndarray:
    """Task score in percent from statistics summed over (resampled) examples; last axis = statistic."""
    if kind == "accuracy":
        return 100.0 * sums[..., 0] / n
    if kind == "qa":
        return 100.0 * (sums[..., 0] + sums[..., 1]) / (2 * n)
    tp, n_pred, n_gold = sums[..., 0], sums[..., 1], sums[..., 2]
    denominator = n_pred + n_gold
    with np.errstate(invalid="ignore", divide="ignore"):
        f1 = np.where(denominator > 0, 2.0 * tp / np.where(denominator > 0, denominator, 1), 0.0)
    return 100.0 * f1  # seqeval and bucc_f1 both give 0 when nothing is correct


def _accuracy_stats(gold: Sequence, pred: Sequence, as_strings: bool = True) -> np.ndarray:
    """XCOPA compares JSON values with ``==`` (as metrics.score_task does): the string "1" is not the label 1."""
    same = (lambda g, p: str(p) == str(g)) if as_strings else (lambda g, p: p == g)
    return np.array([[same(g, p)] for g, p in zip(gold, pred)], dtype=float).reshape(len(gold), 1)


def _qa_stats(task: str, lang: str, gold, pred: Mapping[str, str]) -> np.ndarray:
    from xstilts.metrics import mlqa, squad

    if task == "mlqa":
        em_fn = lambda p, g: mlqa.exact_match_score(p, g, lang)  # noqa: E731
        f1_fn = lambda p, g: mlqa.f1_score(p, g, lang)  # noqa: E731
    else:
        em_fn, f1_fn = squad.exact_match_score, squad.f1_score
    rows = []
    for qid, answers in squad.iter_questions(gold):
        if qid not in pred:  # unanswered counts 0, as in the official scripts
            rows.append((0.0, 0.0))
            continue
        rows.append(
            (float(max(em_fn(pred[qid], a) for a in answers)), float(max(f1_fn(pred[qid], a) for a in answers)))
        )
    return np.array(rows, dtype=float).reshape(len(rows), 2)


def _chunk_sets(sentences: Sequence[Sequence[str]]) -> list[set]:
    """Per-sentence chunks read exactly as the task score reads them (metrics.tagging's default scorer)."""
    from xstilts.metrics.tagging import sentence_chunks

    return [sentence_chunks(tags) for tags in sentences]


def _tagging_stats(gold_chunks: list[set], pred: Sequence[Sequence[str]]) -> np.ndarray:
    pred_chunks = _chunk_sets(pred)
    return np.array([(len(g & p), len(p), len(g)) for g, p in zip(gold_chunks, pred_chunks)], dtype=float).reshape(
        len(gold_chunks), 3
    )


def _bucc_units(gold: Iterable, preds: Sequence[Iterable]) -> list[str]:
    """Source sentences: those in gold or in any system's predictions, so all systems share the units."""
    units = {str(s) for s, _ in gold}
    for pred in preds:
        units.update(str(s) for s, _ in pred)
    return sorted(units)


def _bucc_stats(units: list[str], gold_pairs: set, pred: Iterable) -> np.ndarray:
    index = {u: i for i, u in enumerate(units)}
    stats = np.zeros((len(units), 3))
    for s, _ in gold_pairs:
        stats[index[s], 2] += 1
    for pair in {(str(s), str(t)) for s, t in pred}:  # a set, as bucc_f1 compares sets
        stats[index[pair[0]], 1] += 1
        stats[index[pair[0]], 0] += pair in gold_pairs
    return stats


def example_statistics(task: str, lang: str, gold, preds: Sequence) -> np.ndarray:
    """Per-example statistics of several systems on one gold set: array (systems, examples, statistics)."""
    kind = statistic_kind(task)
    if task == "bucc2018":
        units = _bucc_units(gold, preds)
        gold_pairs = {(str(s), str(t)) for s, t in gold}
        per_system = [_bucc_stats(units, gold_pairs, pred) for pred in preds]
    elif kind == "qa":
        per_system = [_qa_stats(task, lang, gold, pred) for pred in preds]
    elif task in RANKING_TASKS:  # per query: Mewsli-X's reciprocal rank, LAReQA's AP@20 (gold's order)
        from xstilts.metrics import ranking

        values = ranking.mewslix_reciprocal_ranks if task == "mewslix" else ranking.lareqa_average_precisions
        per_system = [np.asarray(values(gold, pred), dtype=float)[:, None] for pred in preds]
    else:
        for pred in preds:
            if len(pred) != len(gold):
                raise ValueError(f"{task} {lang}: {len(pred)} predictions for {len(gold)} gold examples")
        if task in TAGGING_TASKS:
            gold_chunks = _chunk_sets(gold)
            per_system = [_tagging_stats(gold_chunks, pred) for pred in preds]
        else:
            per_system = [_accuracy_stats(gold, pred, as_strings=task != "xcopa") for pred in preds]
    if not per_system:
        raise ValueError(f"{task} {lang}: no predictions to score")
    stats = np.stack(per_system)
    if stats.shape[1] == 0:
        raise ValueError(f"{task} {lang}: the gold set has no examples")
    return stats


# ---------------------------------------------------------------- resampling


def language_seed(seed: int, target: str, lang: str) -> np.random.Generator:
    """One generator per (target, language): results do not depend on the order cells are processed."""
    return np.random.default_rng([seed, zlib.crc32(f"{target}/{lang}".encode())])


def resampled_scores(
    kind: str, stats: np.ndarray, n_resamples: int, rng: np.random.Generator, chunk: int = CHUNK
) -> np.ndarray:
    """Scores of every system on the same resamples: (n_resamples, systems)."""
    n_systems, n, k = stats.shape
    flat = stats.transpose(1, 0, 2).reshape(n, n_systems * k)
    out = np.empty((n_resamples, n_systems))
    uniform = np.full(n, 1.0 / n)
    for start in range(0, n_resamples, chunk):
        size = min(chunk, n_resamples - start)
        counts = rng.multinomial(n, uniform, size=size).astype(float)  # resample = counts per example
        sums = (counts @ flat).reshape(size, n_systems, k)
        out[start : start + size] = score_from_sums(kind, sums, n)
    return out


@dataclass
class LanguageResult:
    """One row on one (target, language): per-seed scores and the seed-mean score on each resample."""

    per_seed: dict[int, float]
    replicates: np.ndarray

    @property
    def point(self) -> float:
        return float(np.mean(list(self.per_seed.values())))


def language_replicates(
    task: str, lang: str, gold, preds: Mapping[str, Mapping[int, object]], n_resamples: int, rng: np.random.Generator
) -> dict[str, LanguageResult]:
    """Paired resampling of all rows and seeds on one gold set. ``preds``: row -> seed -> predictions."""
    systems = [(row, seed) for row, by_seed in preds.items() for seed in by_seed]
    stats = example_statistics(task, lang, gold, [preds[row][seed] for row, seed in systems])
    kind = statistic_kind(task)
    n = stats.shape[1]
    points = score_from_sums(kind, stats.sum(axis=1), n)
    scores = resampled_scores(kind, stats, n_resamples, rng)
    results = {}
    for row in preds:
        columns = [i for i, (r, _) in enumerate(systems) if r == row]
        results[row] = LanguageResult(
            per_seed={systems[i][1]: float(points[i]) for i in columns}, replicates=scores[:, columns].mean(axis=1)
        )
    return results


# ---------------------------------------------------------------- a whole results tree


def test_file(directory: Path, task: str, lang: str) -> Path:
    """``test-LANG.tsv|json`` in ``directory``; also accepts ``test-LANGtsv`` (written without the dot by
    early versions of the evaluate job) so older result trees still aggregate."""
    suffix = file_suffix(task)
    path = directory / f"test-{lang}.{suffix}"
    legacy = directory / f"test-{lang}{suffix}"
    if not path.exists() and legacy.exists():
        return legacy
    return path


def cell_languages(cell_dir: Path) -> list[str]:
    path = cell_dir / "metrics.json"
    try:
        return list(json.loads(path.read_text())["score"])
    except (OSError, ValueError, KeyError) as err:
        raise ValueError(f"{path}: cannot read the evaluated languages ({err})") from None


@dataclass
class Bootstrap:
    """Resampled scores for every (row, target, language) of a grid, and the intervals built from them."""

    n_resamples: int
    seed: int
    results: dict[tuple[str, str, str], LanguageResult] = field(default_factory=dict)
    baseline: str = BASELINE
    level: float = 0.95

    def languages(self, row: str, target: str) -> list[str]:
        return [lang for (r, t, lang) in self.results if r == row and t == target]

    def has(self, row: str, target: str, lang: str) -> bool:
        return (row, target, lang) in self.results

    def _aggregate(self, row: str, spec: Mapping[str, Sequence[str]]) -> tuple[float, np.ndarray]:
        """Mean over targets of the mean over languages: (point, replicates)."""
        points, replicates = [], []
        for target, langs in spec.items():
            cells = [self.results[(row, target, lang)] for lang in langs]
            points.append(np.mean([c.point for c in cells]))
            replicates.append(np.mean([c.replicates for c in cells], axis=0))
        return float(np.mean(points)), np.mean(replicates, axis=0)

    def paired_spec(
        self, row: str, targets: Iterable[str], langs: Iterable[str] | None = None, against: str | None = None
    ) -> dict:
        """Target -> languages that both ``row`` and ``against`` (the baseline) have, optionally only ``langs``."""
        against = against or self.baseline
        wanted = None if langs is None else set(langs)
        spec = {}
        for target in targets:
            common = [
                lang
                for lang in self.languages(row, target)
                if self.has(against, target, lang) and (wanted is None or lang in wanted)
            ]
            if common:
                spec[target] = common
        return spec

    def difference(
        self, row: str, targets: Iterable[str], langs: Iterable[str] | None = None, against: str | None = None
    ) -> dict | None:
        """Row minus baseline over the given targets (and languages): delta, CI bounds, significance.

        ``None`` when no (target, language) has predictions for both."""
        against = against or self.baseline
        spec = self.paired_spec(row, targets, langs, against)
        if not spec:
            return None
        point_row, rep_row = self._aggregate(row, spec)
        point_base, rep_base = self._aggregate(against, spec)
        return interval(point_row - point_base, rep_row - rep_base, self.level)

    def gap_difference(self, row: str, target: str, langs: Sequence[str], source: str = "en") -> dict | None:
        """Change of the transfer gap (score[source] - mean score[langs]) from the baseline to ``row``."""
        needed = [source, *langs]
        if not all(self.has(r, target, lang) for r in (row, self.baseline) for lang in needed):
            return None

        def gap(r):
            src = self.results[(r, target, source)]
            others = [self.results[(r, target, lang)] for lang in langs]
            return (
                src.point - np.mean([o.point for o in others]),
                src.replicates - np.mean([o.replicates for o in others], axis=0),
            )

        (g_row, rep_row), (g_base, rep_base) = gap(row), gap(self.baseline)
        return interval(g_row - g_base, rep_row - rep_base, self.level)

    def long_table(self):
        """Every per-language difference from the baseline, as a DataFrame."""
        import pandas as pd

        records = []
        for row, target, lang in self.results:
            if row == self.baseline:
                continue
            diff = self.difference(row, [target], [lang])
            if diff is not None:
                records.append({"intermediate": row, "target": target, "language": lang, **diff})
        return pd.DataFrame.from_records(records)


def interval(delta: float, replicates: np.ndarray, level: float = 0.95) -> dict:
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(replicates, [tail, 100 - tail])
    return {
        "delta": float(delta),
        "ci_low": float(low),
        "ci_high": float(high),
        "significant": bool(low > 0 or high < 0),
    }


def run_bootstrap(
    results_dir: str | Path,
    rows: Sequence[str],
    targets: Sequence[str],
    seeds: Sequence[int],
    n_resamples: int = DEFAULT_RESAMPLES,
    seed: int = 0,
    level: float = 0.95,
    baseline: str = BASELINE,
    cells=None,
    gold_dirs: dict | None = None,
) -> Bootstrap:
    """Bootstrap every (target, language) of a results tree from its prediction and gold files.

    ``cells`` and ``gold_dirs`` (target -> directory): what a rule declared as its input; by default every
    cell of the grid with a ``metrics.json`` (the tables report the others as missing) and ``R/gold/TARGET``."""
    if n_resamples < 1:
        raise ValueError(f"bootstrap resamples must be >= 1, got {n_resamples}")
    root = Path(results_dir)
    boot = Bootstrap(n_resamples=n_resamples, seed=seed, baseline=baseline, level=level)
    read = layout.grid_cells(root, rows, seeds, targets, cells)
    for target in targets:
        by_lang: dict[str, dict[str, dict[int, object]]] = {}
        for row, s, _, cell in (c for c in read if c[2] == target):
            for lang in cell_languages(cell):
                path = test_file(cell, target, lang)
                if not path.exists():
                    raise FileNotFoundError(
                        f"{path}: prediction file missing for a language listed in {cell / 'metrics.json'}"
                    )
                by_lang.setdefault(lang, {}).setdefault(row, {})[s] = read_pred(target, path)
        gold_root = Path(gold_dirs[target]) if gold_dirs else layout.gold_dir(root, target)
        for lang, preds in sorted(by_lang.items()):
            gold_path = test_file(gold_root, target, lang)
            if not gold_path.exists():
                raise FileNotFoundError(f"{gold_path}: gold file missing (needed for the bootstrap of {target} {lang})")
            gold = read_gold(target, gold_path)
            for row, result in language_replicates(
                target, lang, gold, preds, n_resamples, language_seed(seed, target, lang)
            ).items():
                boot.results[(row, target, lang)] = result
    return boot
