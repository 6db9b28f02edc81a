"""Maintainer tool: write URIEL syntax vectors (lang2vec) into ``xstilts/data/languages.yaml``.

Run once when the language list changes:  python -m xstilts.analysis.extract_typology
It needs lang2vec (``pip install lang2vec``); the analysis at run time reads only the YAML. Everything
below the marker line of the YAML is replaced; the hand-written part above it is kept byte for byte.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import types
from pathlib import Path

import yaml

from xstilts.analysis.languages import LANGUAGES_YAML, TYPOLOGY_MARKER

FEATURE_SET = "syntax_knn"  # full coverage: values missing from WALS/SSWL/Ethnologue are kNN-imputed
ATTESTED_SET = "syntax_wals"  # to report how much of each vector is attested rather than imputed


def _import_lang2vec():
    # lang2vec 1.1.2 locates its data with pkg_resources, which recent setuptools no longer ships;
    # an equivalent resource_filename is all it uses.
    if "pkg_resources" not in sys.modules:
        try:
            importlib.import_module("pkg_resources")
        except ImportError:
            shim = types.ModuleType("pkg_resources")
            shim.resource_filename = lambda package, path: os.path.join(
                os.path.dirname(importlib.import_module(package).__file__), path
            )
            sys.modules["pkg_resources"] = shim
    return importlib.import_module("lang2vec.lang2vec")


def extract(path: Path = LANGUAGES_YAML) -> str:
    text = path.read_text(encoding="utf-8")
    if TYPOLOGY_MARKER not in text:
        raise ValueError(f"{path}: marker line {TYPOLOGY_MARKER!r} not found")
    head = text[: text.index(TYPOLOGY_MARKER)]
    languages = yaml.safe_load(head)["languages"]
    l2v = _import_lang2vec()
    codes = {lang: meta["iso639_3"] for lang, meta in languages.items()}
    known = set(l2v.available_uriel_languages())
    missing = sorted(f"{lang} ({code})" for lang, code in codes.items() if code not in known)
    if missing:
        raise ValueError(f"{path}: not in URIEL: {', '.join(missing)}")
    vectors = l2v.get_features(sorted(set(codes.values())), FEATURE_SET, header=True)
    features = list(vectors.pop("CODE"))
    attested = l2v.get_features(sorted(set(codes.values())), ATTESTED_SET)
    lines = [
        TYPOLOGY_MARKER,
        "typology:",
        f"  feature_set: {FEATURE_SET}",
        f"  features: [{', '.join(features)}]",
        "  attested:",
    ]
    lines += [f"    {lang}: {sum(v != '--' for v in attested[code])}" for lang, code in codes.items()]
    lines.append("  vectors:  # one digit per feature, in the order of `features`")
    for lang, code in codes.items():
        values = vectors[code]
        if any(v not in (0.0, 1.0) for v in values):
            raise ValueError(f"{FEATURE_SET} vector of {code} is not binary")
        lines.append(f'    {lang}: "{"".join(str(int(v)) for v in values)}"')
    out = head + "\n".join(lines) + "\n"
    path.write_text(out, encoding="utf-8")
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--yaml", type=Path, default=LANGUAGES_YAML)
    args = parser.parse_args(argv)
    extract(args.yaml)
    print(f"wrote {FEATURE_SET} vectors into {args.yaml}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
