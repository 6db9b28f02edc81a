"""Figures from the aggregated tables (matplotlib, Agg backend), each written as PNG and PDF.

* heatmap: difference from the baseline, intermediate task x target (and the average), † where the
  95% bootstrap interval excludes 0;
* by_resource_class: per-language differences, grouped by Joshi et al. (2020) resource class, one
  panel per target;
* gap_vs_typology: transfer gap (English - language) against the language's typological distance from
  English (cosine distance of URIEL syntax vectors; toy typology in the toy world): the baseline's gap,
  and how each intermediate task changes it;
* recipes_forest: each recipe minus its reference row (the recipes table's comparisons) with its 95% paired-
  bootstrap interval, one panel per target and one for the average over targets;
* recipes_by_language: the same differences per evaluation language and per resource class, each over all
  targets, one colour per comparison.

They read the CSVs that tables.aggregate writes, so they can be redrawn without re-running the bootstrap.
"""

from __future__ import annotations

import math
from functools import partial
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless: cluster nodes and CI have no display

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from xstilts.analysis.languages import distances_from  # noqa: E402
from xstilts.process import map_in_processes  # noqa: E402
from xstilts.registry import BASELINE  # noqa: E402

SUFFIXES = ("_sd", "_n_seeds", "_delta", "_ci_low", "_ci_high", "_significant", "_best")


def _save(fig, stem: Path) -> list[Path]:
    stem.parent.mkdir(parents=True, exist_ok=True)
    paths = [stem.with_suffix(".png"), stem.with_suffix(".pdf")]
    fig.savefig(paths[0], dpi=150, bbox_inches="tight")
    fig.savefig(paths[1], bbox_inches="tight")
    plt.close(fig)
    return paths


def _empty(stem: Path, message: str) -> list[Path]:
    """Outputs always exist (the workflow declares them); say why there is nothing to draw."""
    fig, ax = plt.subplots(figsize=(5, 1.5))
    ax.axis("off")
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True)
    return _save(fig, stem)


def _value_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not c.endswith(SUFFIXES) and f"{c}_delta" in frame.columns]


def heatmap(main_csv: str | Path, stem: str | Path) -> list[Path]:
    stem = Path(stem)
    frame = pd.read_csv(main_csv, index_col=0)
    columns = _value_columns(frame)
    rows = [r for r in frame.index if r != BASELINE]
    if not rows or not columns:
        return _empty(stem, "No intermediate task to compare with the baseline.")
    delta = frame.loc[rows, [f"{c}_delta" for c in columns]].to_numpy(dtype=float)
    sig = frame.loc[rows, [f"{c}_significant" for c in columns]].fillna(False).astype(bool).to_numpy()
    finite = delta[np.isfinite(delta)]
    bound = max(float(np.abs(finite).max()) if finite.size else 0.0, 0.5)
    fig, ax = plt.subplots(figsize=(max(4.5, 1.5 + 0.9 * len(columns)), 1.2 + 0.45 * len(rows)))
    image = ax.imshow(np.ma.masked_invalid(delta), cmap="RdBu", vmin=-bound, vmax=bound, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(columns)):
            text = "—" if not np.isfinite(delta[i, j]) else f"{delta[i, j]:+.1f}" + ("†" if sig[i, j] else "")
            ax.text(
                j,
                i,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if np.isfinite(delta[i, j]) and abs(delta[i, j]) > 0.6 * bound else "black",
            )
    ax.set_xticks(range(len(columns)), columns, rotation=30, ha="right")
    ax.set_yticks(range(len(rows)), rows)
    ax.set_xlabel("target task")
    ax.set_ylabel("intermediate task")
    fig.colorbar(image, ax=ax, label=f"difference from {BASELINE} (points)")
    ax.set_title(f"Change in zero-shot score vs. {BASELINE}\n(† 95% CI excludes 0)", fontsize=9)
    return _save(fig, stem)


def by_resource_class(differences_csv: str | Path, stem: str | Path) -> list[Path]:
    stem = Path(stem)
    frame = pd.read_csv(differences_csv) if Path(differences_csv).stat().st_size > 1 else pd.DataFrame()
    if frame.empty:
        return _empty(stem, "No per-language differences (only the baseline was run).")
    targets = list(dict.fromkeys(frame["target"]))
    rows = list(dict.fromkeys(frame["intermediate"]))
    colours = {r: plt.get_cmap("tab10" if len(rows) <= 10 else "tab20")(i) for i, r in enumerate(rows)}
    classes = sorted({int(c) for c in frame["resource_class"].dropna()}, reverse=True)
    positions = {c: i for i, c in enumerate(classes)}
    if frame["resource_class"].isna().any():
        positions[None] = len(classes)
    ncols = min(3, len(targets))
    nrows = math.ceil(len(targets) / ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.2 * nrows), squeeze=False, sharey=True)
    rng = np.random.default_rng(0)  # jitter only
    width = 0.8 / max(len(rows), 1)
    for k, target in enumerate(targets):
        ax = axes[k // ncols][k % ncols]
        sub = frame[frame["target"] == target]
        for i, row in enumerate(rows):
            rsub = sub[sub["intermediate"] == row]
            cls = [None if pd.isna(c) else int(c) for c in rsub["resource_class"]]
            x = np.array([positions[c] for c in cls], dtype=float) - 0.4 + width * (i + 0.5)
            x += rng.uniform(-width / 4, width / 4, size=len(x))
            y = rsub["delta"].to_numpy(dtype=float)
            ax.vlines(x, rsub["ci_low"], rsub["ci_high"], color=colours[row], alpha=0.35, linewidth=1)
            ax.scatter(
                x,
                y,
                color=colours[row],
                s=14,
                label=row if k == 0 else None,
                edgecolors=["black" if s else "none" for s in rsub["significant"]],
                linewidths=0.6,
            )
        ax.axhline(0, color="grey", linewidth=0.8)
        ax.set_xticks(list(positions.values()), [f"class {c}" if c is not None else "unknown" for c in positions])
        ax.set_title(target)
        if k % ncols == 0:
            ax.set_ylabel(f"difference from {BASELINE} (points)")
    for k in range(len(targets), nrows * ncols):
        axes[k // ncols][k % ncols].axis("off")
    fig.legend(
        loc="lower center", ncol=min(len(rows), 6), fontsize=8, bbox_to_anchor=(0.5, -0.02 - 0.03 * (len(rows) > 6))
    )
    fig.suptitle(
        "Per-language differences by resource class (Joshi et al. 2020); bars: 95% CI, black edge: excludes 0",
        fontsize=9,
    )
    fig.tight_layout(rect=(0, 0.06, 1, 0.96))
    return _save(fig, stem)


def gap_vs_typology(gap_csv: str | Path, stem: str | Path, source: str = "en", metric: str = "cosine") -> list[Path]:
    stem = Path(stem)
    frame = pd.read_csv(gap_csv) if Path(gap_csv).stat().st_size > 1 else pd.DataFrame()
    if frame.empty:
        return _empty(stem, "No transfer gap: no target has an English test set.")
    is_lang = ~frame["group"].astype(str).str.match(r"^(class \d+|all)$")
    frame = frame[is_lang].copy()
    distance = distances_from(source, sorted(frame["group"].unique()), metric)
    frame["distance"] = frame["group"].map(distance)
    frame = frame[np.isfinite(frame["distance"].astype(float))]
    if frame.empty:
        return _empty(stem, "No typological vectors for the evaluated languages.")
    base = frame[frame["intermediate"] == BASELINE]
    others = (
        frame[(frame["intermediate"] != BASELINE) & frame.get("change", pd.Series(dtype=float)).notna()]
        if "change" in frame.columns
        else frame.iloc[0:0]
    )
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    markers = "osD^v<>pP*X"
    for i, target in enumerate(dict.fromkeys(base["target"])):
        tsub = base[base["target"] == target]
        left.scatter(tsub["distance"], tsub["gap"], marker=markers[i % len(markers)], label=target)
        for _, r in tsub.iterrows():
            left.annotate(r["group"], (r["distance"], r["gap"]), fontsize=6, xytext=(2, 2), textcoords="offset points")
    if len(base) >= 2 and base["distance"].nunique() > 1:
        slope, intercept = np.polyfit(base["distance"].astype(float), base["gap"].astype(float), 1)
        xs = np.linspace(base["distance"].min(), base["distance"].max(), 20)
        left.plot(
            xs,
            slope * xs + intercept,
            color="grey",
            linestyle="--",
            linewidth=1,
            label=f"fit: {slope:+.1f} per unit distance",
        )
    left.set_xlabel(f"typological distance from {source} ({metric})")
    left.set_ylabel(f"transfer gap: {source} - language (points)")
    left.set_title(f"{BASELINE}: gap vs. typology", fontsize=9)
    left.legend(fontsize=7)
    if others.empty:
        right.axis("off")
        right.text(0.5, 0.5, "no intermediate task to compare", ha="center", va="center")
    else:
        rows = list(dict.fromkeys(others["intermediate"]))
        mean_change = others.groupby(["intermediate", "group"]).agg(
            change=("change", "mean"), distance=("distance", "first")
        )
        for i, row in enumerate(rows):
            rsub = mean_change.loc[row]
            right.scatter(
                rsub["distance"],
                rsub["change"],
                label=row,
                s=16,
                color=plt.get_cmap("tab10" if len(rows) <= 10 else "tab20")(i),
            )
        right.axhline(0, color="grey", linewidth=0.8)
        right.set_xlabel(f"typological distance from {source} ({metric})")
        right.set_ylabel(f"change of the gap vs. {BASELINE} (points; <0: narrower)")
        right.set_title("Change of the gap, mean over targets", fontsize=9)
        right.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    return _save(fig, stem)


def _recipe_frame(recipes_csv: str | Path) -> pd.DataFrame:
    path = Path(recipes_csv)
    if not path.exists() or path.stat().st_size <= 1:
        return pd.DataFrame()
    frame = pd.read_csv(path)
    if frame.empty or "scope" not in frame.columns:
        return pd.DataFrame()
    frame["label"] = frame["recipe"] + " vs " + frame["reference"] + "\n(" + frame["comparison"] + ")"
    return frame


def _interval_marks(ax, x, y, low, high, significant, colour, horizontal: bool, label=None):
    """Points with 95% interval bars; a filled marker where the interval excludes 0, hollow otherwise."""
    if horizontal:
        ax.hlines(y, low, high, color=colour, linewidth=1.2)
    else:
        ax.vlines(x, low, high, color=colour, linewidth=1.2, alpha=0.6)
    sig = np.asarray(significant, dtype=bool)
    ax.scatter(x[sig], y[sig], color=colour, s=22, zorder=3, label=label)
    ax.scatter(
        x[~sig], y[~sig], facecolors="white", edgecolors=[colour], s=22, zorder=3, label=None if sig.any() else label
    )


def recipes_forest(recipes_csv: str | Path, stem: str | Path) -> list[Path]:
    stem = Path(stem)
    frame = _recipe_frame(recipes_csv)
    frame = frame[frame["scope"].isin(["target", "average"])] if len(frame) else frame
    if frame.empty:
        return _empty(stem, "No recipe was compared with a reference row (see the recipes table's notes).")
    panels = [t for t in dict.fromkeys(frame["target"]) if t != "all"]
    panels += ["all"] if (frame["target"] == "all").any() else []
    labels = list(dict.fromkeys(frame["label"]))
    ncols = min(4, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(3.2 * ncols + 1.5, 0.5 + (0.45 * len(labels) + 0.6) * nrows),
        squeeze=False,
        sharey=True,
    )
    positions = {label: i for i, label in enumerate(reversed(labels))}
    for k, target in enumerate(panels):
        ax = axes[k // ncols][k % ncols]
        sub = frame[frame["target"] == target]
        y = np.array([positions[label] for label in sub["label"]], dtype=float)
        x = sub["delta"].to_numpy(dtype=float)
        _interval_marks(ax, x, y, sub["ci_low"], sub["ci_high"], sub["significant"], "tab:blue", horizontal=True)
        ax.axvline(0, color="grey", linewidth=0.8)
        ax.set_yticks(list(positions.values()), list(positions))
        ax.set_title("average over targets" if target == "all" else target, fontsize=9)
        ax.set_xlabel("recipe − reference (points)")
        ax.tick_params(axis="y", labelsize=7)
    for k in range(len(panels), nrows * ncols):
        axes[k // ncols][k % ncols].axis("off")
    fig.suptitle("Recipes against their references: difference with 95% CI (filled: excludes 0)", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return _save(fig, stem)


def recipes_by_language(recipes_csv: str | Path, stem: str | Path) -> list[Path]:
    stem = Path(stem)
    frame = _recipe_frame(recipes_csv)
    frame = frame[frame["scope"].isin(["language", "class"])] if len(frame) else frame
    if frame.empty:
        return _empty(stem, "No recipe was compared with a reference row (see the recipes table's notes).")
    labels = list(dict.fromkeys(frame["label"]))
    colours = {lab: plt.get_cmap("tab10" if len(labels) <= 10 else "tab20")(i) for i, lab in enumerate(labels)}
    langs = frame[frame["scope"] == "language"]
    order = (
        langs.drop_duplicates("language")
        .assign(cls=lambda f: f["resource_class"].fillna(-1))
        .sort_values(["cls", "language"], ascending=[False, True])
    )
    lang_ticks = [
        f"{r.language}\n(class {int(r.resource_class)})" if pd.notna(r.resource_class) else r.language
        for r in order.itertuples()
    ]
    classes = sorted({int(c) for c in frame.loc[frame["scope"] == "class", "resource_class"].dropna()}, reverse=True)
    fig, (left, right) = plt.subplots(
        1,
        2,
        figsize=(max(6.0, 1.0 + 0.7 * len(order)) + max(3.0, 0.8 * len(classes)), 4),
        gridspec_kw={"width_ratios": [max(len(order), 1), max(len(classes), 1) + 0.5]},
        sharey=True,
    )
    width = 0.8 / max(len(labels), 1)
    for panel, scope, keys in ((left, "language", list(order["language"])), (right, "class", classes)):
        where = {key: i for i, key in enumerate(keys)}
        for i, lab in enumerate(labels):
            sub = frame[(frame["scope"] == scope) & (frame["label"] == lab)]
            key = sub["language"] if scope == "language" else sub["resource_class"].astype(int)
            x = np.array([where[k] for k in key], dtype=float) - 0.4 + width * (i + 0.5)
            y = sub["delta"].to_numpy(dtype=float)
            _interval_marks(
                panel,
                x,
                y,
                sub["ci_low"],
                sub["ci_high"],
                sub["significant"],
                colours[lab],
                horizontal=False,
                label=lab if scope == "language" else None,
            )
        panel.axhline(0, color="grey", linewidth=0.8)
    left.set_xticks(range(len(order)), lang_ticks, fontsize=7)
    left.set_title("per language (over all targets)", fontsize=9)
    left.set_ylabel("recipe − reference (points)")
    right.set_xticks(range(len(classes)), [f"class {c}" for c in classes], fontsize=7)
    right.set_title("per resource class (Joshi et al. 2020)", fontsize=9)
    fig.legend(loc="lower center", ncol=min(len(labels), 3), fontsize=7, bbox_to_anchor=(0.5, -0.02))
    fig.suptitle("Recipes against their references per language and resource class; bars: 95% CI", fontsize=9)
    fig.tight_layout(rect=(0, 0.08 + 0.04 * (len(labels) > 3), 1, 0.95))
    return _save(fig, stem)


# (figure, the table it reads), the slowest first so that two processes finish at about the same time
FIGURES = {
    "by_resource_class": (by_resource_class, "differences.csv"),
    "recipes_forest": (recipes_forest, "recipes.csv"),
    "gap_vs_typology": (gap_vs_typology, "transfer_gap.csv"),
    "recipes_by_language": (recipes_by_language, "recipes.csv"),
    "heatmap": (heatmap, "main.csv"),
}


def _draw(tables_dir: str, plots_dir: str, name: str) -> list[Path]:
    draw, table = FIGURES[name]
    return draw(Path(tables_dir) / table, Path(plots_dir) / name)


def draw_all(tables_dir: str | Path, plots_dir: str | Path, workers: int = 1) -> list[Path]:
    """Every figure; ``workers`` > 1 draws them in that many processes at once (the same files)."""
    drawn = map_in_processes(partial(_draw, str(tables_dir), str(plots_dir)), list(FIGURES), workers)
    return [path for paths in drawn for path in paths]
