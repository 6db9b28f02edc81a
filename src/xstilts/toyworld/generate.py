"""`generate_world`: write the whole toy world (metadata, corpora, all task files) to a directory."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

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


def generate_world(out_dir: str | Path, seed: int = 0, scale: float = 1.0) -> dict:
    """Generate the toy world into `out_dir` (replaced atomically) and return a summary:
    {"seed", "scale", "files": {relative path: number of lines}}.

    Same seed and scale -> byte-identical files. `scale` multiplies every example count."""
    if scale <= 0:
        raise ValueError(f"scale must be positive, got {scale}")
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.tmp-", dir=out_dir.parent))
    try:
        files = _generate_into(tmp, seed, scale)
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


def _generate_into(root: Path, seed: int, scale: float) -> dict[str, int]:
    world = World(seed)
    R = Renderers(seed)
    ctx = Ctx(world, R, seed, scale)
    files: dict[str, int] = {}

    # what regenerates this world's latent examples (toyworld.recipes renders them in other languages)
    (root / WORLD_MANIFEST).write_text(json.dumps({"seed": seed, "scale": scale}) + "\n", encoding="utf-8")
    files[WORLD_MANIFEST] = 1

    meta = language_metadata(lexical_overlaps(R))
    (root / "languages.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    (root / "task_languages.json").write_text(json.dumps(TOY_TASK_LANGUAGES, indent=2) + "\n", encoding="utf-8")
    files["languages.json"] = len(meta)
    files["task_languages.json"] = len(TOY_TASK_LANGUAGES)

    (root / "corpus").mkdir()
    for lang, info in TOY_LANGUAGES.items():
        n = max(1, round(ENGLISH_CORPUS_SENTENCES * scale * info["corpus_share"]))
        lines = corpus_lines(world, R, lang, n, seed)
        _write_lines(root / "corpus" / f"{lang}.txt", lines)
        files[f"corpus/{lang}.txt"] = len(lines)

    for task, build in TASK_BUILDERS.items():
        task_dir = root / "tasks" / task
        task_dir.mkdir(parents=True)
        for key, content in sorted(build(ctx).items()):
            if isinstance(key, tuple):  # (split, lang) -> rows in the real data set's columns
                name = "{}.{}.jsonl".format(*key)
                _dump_jsonl(task_dir / name, content)
            else:  # a file of the task's own layout (BUCC) -> its lines
                name = key
                _write_lines(task_dir / name, content)
            files[f"tasks/{task}/{name}"] = len(content)
    return files
