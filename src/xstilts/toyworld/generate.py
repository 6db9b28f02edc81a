"""`generate_world`: write the whole toy world (metadata, corpora, all task files) to a directory."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from functools import cache, partial
from pathlib import Path

from xstilts.process import map_in_processes

from .corpus import ENGLISH_CORPUS_SENTENCES, corpus_lines, lexical_overlaps
from .grammar import Renderers
from .languages import TOY_LANGUAGES, TOY_TASK_LANGUAGES, language_metadata
from .tasks import TASK_BUILDERS, Ctx
from .world import World

WORLD_MANIFEST = "world.json"  # {"seed": ..., "scale": ...}


def _dump_jsonl(path: Path, rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def _write_lines(path: Path, lines: list[str]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write("".join(line + "\n" for line in lines))


def generate_world(out_dir: str | Path, seed: int = 0, scale: float = 1.0, workers: int = 1) -> dict:
    """Generate the toy world into `out_dir` (replaced atomically) and return a summary:
    {"seed", "scale", "files": {relative path: number of lines}}.

    Same seed and scale -> byte-identical files, whatever the number of worker processes. `scale` multiplies
    every example count."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        files = _generate_into(tmp, seed, scale, workers)
        old = None
        if out_dir.exists():
            old = out_dir.with_name(f".{out_dir.name}.old-{os.getpid()}")
            os.rename(out_dir, old)
        os.rename(tmp, out_dir)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return {"seed": seed, "scale": scale, "files": files}


def _generate_into(root: Path, seed: int, scale: float, workers: int = 1) -> dict[str, int]:
    files: dict[str, int] = {}
    # what regenerates this world's latent examples (toyworld.recipes renders them in other languages)
    (root / WORLD_MANIFEST).write_text(json.dumps({"seed": seed, "scale": scale}) + "\n", encoding="utf-8")
    files[WORLD_MANIFEST] = 1

    meta = language_metadata(lexical_overlaps(Renderers(seed)))
    (root / "languages.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (root / "task_languages.json").write_text(json.dumps(TOY_TASK_LANGUAGES, indent=2) + "\n", encoding="utf-8")
    files["languages.json"] = len(meta)
    files["task_languages.json"] = len(TOY_TASK_LANGUAGES)

    (root / "corpus").mkdir()
    # Each corpus and each task draws from its own seeded stream, so they can be written in any order, by
    # several processes at once, and the files come out the same.
    parts = [("corpus", lang) for lang in TOY_LANGUAGES] + [("task", task) for task in TASK_BUILDERS]
    for counts in map_in_processes(partial(_write_part, str(root), seed, scale), parts, workers):
        files.update(counts)
    return files


@cache
def _context(seed: int, scale: float) -> Ctx:
    return Ctx(World(seed), Renderers(seed), seed, scale)


def _write_part(root: str, seed: int, scale: float, part: tuple[str, str]) -> dict[str, int]:
    """Write one language's corpus or one task's files below ``root``; return {relative path: lines}."""
    ctx, (kind, name), root = _context(seed, scale), part, Path(root)
    if kind == "corpus":
        n = max(1, round(ENGLISH_CORPUS_SENTENCES * scale * TOY_LANGUAGES[name]["corpus_share"]))
        lines = corpus_lines(ctx.world, ctx.R, name, n, seed)
        _write_lines(root / "corpus" / f"{name}.txt", lines)
        return {f"corpus/{name}.txt": len(lines)}
    files = {}
    task_dir = root / "tasks" / name
    task_dir.mkdir(parents=True)
    for key, content in sorted(TASK_BUILDERS[name](ctx).items()):
        if isinstance(key, tuple):  # (split, lang) -> rows in the real data set's columns
            file_name = "{}.{}.jsonl".format(*key)
            _dump_jsonl(task_dir / file_name, content)
        else:  # a file of the task's own layout (BUCC) -> its lines
            file_name = key
            _write_lines(task_dir / file_name, content)
        files[f"tasks/{name}/{file_name}"] = len(content)
    return files
