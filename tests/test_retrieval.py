"""Retrieval as XTREME defines it, on cases with known answers.

Reference: google-research/xtreme ``third_party/evaluate_retrieval.py`` and ``third_party/utils_retrieve.py``
(``similarity_search`` for Tatoeba; ``mine_bitext(retrieval='max', margin='ratio', neighborhood=4)``,
``bucc_optimize`` and ``bucc_extract`` for BUCC). Expected values are computed here from the definitions
(angles, numpy), never by calling the module under test.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import torch

from xstilts import jobs, registry
from xstilts.formats import get_format, retrieval

torch.set_num_threads(1)
K = 4  # XTREME's neighbourhood, both ways


def unit(angles_deg) -> np.ndarray:
    """2-d unit vectors at the given angles: cos(a, b) = cos(angle_a - angle_b) exactly by construction."""
    radians = np.radians(np.asarray(angles_deg, dtype=np.float64))
    return np.stack([np.cos(radians), np.sin(radians)], axis=1).astype(np.float32)


def random_unit(n: int, dim: int, seed: int) -> np.ndarray:
    vectors = np.random.default_rng(seed).standard_normal((n, dim)).astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def retrieval_rows(src_texts, tgt_texts, src_match, tgt_match, prefix=("s", "t")):
    """Prepared data in the retrieval layout (one row per sentence)."""
    from datasets import Dataset

    n_src = len(src_texts)
    return Dataset.from_dict(
        {
            "side": ["src"] * n_src + ["tgt"] * len(tgt_texts),
            "id": [f"{prefix[0]}{i}" for i in range(n_src)] + [f"{prefix[1]}{j}" for j in range(len(tgt_texts))],
            "text": list(src_texts) + list(tgt_texts),
            "match": list(src_match) + list(tgt_match),
        }
    )


# ------------------------------------------------------------------------------------------------ Tatoeba
def test_tatoeba_identical_embeddings_give_every_line_right():
    english = random_unit(40, 16, seed=0)
    pred = retrieval.nearest_neighbour(english.copy(), english)
    assert pred == list(range(40))


def test_tatoeba_recovers_a_planted_permutation_in_the_reference_direction():
    """The non-English side is indexed and each English sentence queries it: line i of the prediction is the
    index of the NON-English sentence retrieved for English sentence i (similarity_search(x=xx, y=en))."""
    n = 30
    english = random_unit(n, 16, seed=1)
    perm = np.random.default_rng(2).permutation(n)  # non-English sentence p translates English perm[p]
    non_english = english[perm] + 0.01 * random_unit(n, 16, seed=3)
    translation_of = np.argsort(perm)  # English i's translation sits at position inv[i]
    assert not np.array_equal(translation_of, perm)  # the two directions are told apart
    assert retrieval.nearest_neighbour(non_english, english) == translation_of.tolist()
    # the opposite direction (querying with the non-English side) would give perm instead
    assert retrieval.nearest_neighbour(english, non_english) == perm.tolist()

    # gold line i means the same: the index of English sentence i's translation among the non-English ones
    spec = registry.get("tatoeba")
    examples = retrieval_rows(
        [f"xx{p}" for p in range(n)],
        [f"en{i}" for i in range(n)],
        [f"t{perm[p]}" for p in range(n)],
        [f"s{translation_of[i]}" for i in range(n)],
    )
    assert retrieval.gold(examples, spec) == translation_of.tolist()


def test_tatoeba_sides_english_is_the_target_of_every_reader():
    """source_sentence is the non-English side (LASER's tatoeba.xxx-eng.xxx, hub google/xtreme tatoeba.xxx),
    target_sentence English; canonicalize makes them src and tgt, and line-aligned files give gold i = i."""
    from pathlib import Path

    from xstilts.sources.local import READERS

    spec = registry.get("tatoeba")
    rows = READERS["tatoeba"](Path(__file__).parent / "fixtures" / "sources" / "local" / "tatoeba", spec, "test", "de")
    assert rows[0]["target_lang"] == "eng" and rows[0]["target_sentence"] == "I am tired."
    canonical = retrieval.canonicalize(rows, spec, [])
    src_rows, tgt_rows = retrieval.sides(canonical)
    assert [canonical["text"][i] for i in tgt_rows] == list(rows["target_sentence"])
    assert [canonical["text"][i] for i in src_rows] == list(rows["source_sentence"])
    assert retrieval.gold(canonical, spec) == list(range(len(rows)))

    import pyarrow.parquet as pq

    hub = pq.read_table(
        Path(__file__).parent
        / "fixtures"
        / "sources"
        / "hub"
        / "google"
        / "xtreme"
        / "tatoeba.deu"
        / "validation-00000-of-00001.parquet"
    )
    assert set(hub.column("target_lang").to_pylist()) == {"eng"}


# ------------------------------------------------------------------------------------------------ BUCC mining
def test_ratio_margin_matches_a_hand_computed_5x5_matrix():
    src_angles, tgt_angles = [0, 12, 31, 58, 85], [5, 21, 43, 50, 79]  # no two neighbours tie
    cos = np.cos(np.radians(np.subtract.outer(src_angles, tgt_angles)))  # exact, from the angles
    fwd_mean = np.sort(cos, axis=1)[:, ::-1][:, :K].mean(axis=1)  # mean over each source's 4 NN
    bwd_mean = np.sort(cos, axis=0)[::-1][:K].mean(axis=0)  # mean over each target's 4 NN
    margin = cos / ((fwd_mean[:, None] + bwd_mean[None, :]) / 2)
    # one entry by hand: cos 5 deg = 0.996195; source 0's 4 NN lie 5, 21, 43, 50 degrees away, mean cos
    # (0.996195 + 0.933580 + 0.731354 + 0.642788) / 4 = 0.825979; target 0's lie 5, 7, 26, 53 degrees away,
    # mean (0.996195 + 0.992546 + 0.898794 + 0.601815) / 4 = 0.872338; 0.996195 / ((0.825979 + 0.872338) / 2)
    # = 1.17316
    assert margin[0, 0] == pytest.approx(1.17316, abs=1e-5)

    fwd_ind, fwd_scores, bwd_ind, bwd_scores = retrieval.ratio_margin_candidates(unit(src_angles), unit(tgt_angles), K)
    np.testing.assert_array_equal(fwd_ind, np.argsort(-cos, axis=1)[:, :K])
    np.testing.assert_array_equal(bwd_ind, np.argsort(-cos.T, axis=1)[:, :K])
    np.testing.assert_allclose(fwd_scores, np.take_along_axis(margin, fwd_ind, axis=1), rtol=1e-5)
    np.testing.assert_allclose(bwd_scores, np.take_along_axis(margin.T, bwd_ind, axis=1), rtol=1e-5)

    # "max" retrieval: own-neighbour proposals by descending margin, one to one
    proposals = [(margin[i, fwd_ind[i]].max(), i, int(fwd_ind[i][margin[i, fwd_ind[i]].argmax()])) for i in range(5)]
    proposals += [(margin[bwd_ind[j], j].max(), int(bwd_ind[j][margin[bwd_ind[j], j].argmax()]), j) for j in range(5)]
    used_src, used_tgt, expected = set(), set(), []
    for _score, i, j in sorted(proposals, reverse=True):
        if i not in used_src and j not in used_tgt:
            used_src.add(i), used_tgt.add(j)
            expected.append((i, j))
    mined = retrieval.mine_max(unit(src_angles), unit(tgt_angles), K)
    assert [(i, j) for _, i, j in mined] == expected
    np.testing.assert_allclose([s for s, _, _ in mined], [margin[i, j] for i, j in expected], rtol=1e-5)


def test_a_sentence_takes_its_best_match_among_its_own_neighbours_not_the_union_of_pairs():
    """Source 3 (48 degrees): its own 4 nearest targets are 0..3 and its best margin among them is target 3.
    Target 4 (78 degrees) lists source 3 among ITS 4 neighbours, and margin(3, 4) = 1.0926 > margin(3, 3)
    = 1.0888, so a best-over-the-union-of-both-directions rule (xstilts before issue 13) pairs source 3 with
    target 4. mine_bitext(retrieval='max') never proposes (3, 4): target 4 proposes its own best, source 4,
    and source 3 proposes target 3."""
    src_angles, tgt_angles = [3, 6, 15, 48, 57], [18, 24, 45, 48, 78, 84]
    cos = np.cos(np.radians(np.subtract.outer(src_angles, tgt_angles)))
    fwd_mean = np.sort(cos, axis=1)[:, ::-1][:, :K].mean(axis=1)
    bwd_mean = np.sort(cos, axis=0)[::-1][:K].mean(axis=0)
    margin = cos / ((fwd_mean[:, None] + bwd_mean[None, :]) / 2)
    own_targets_of_3 = set(np.argsort(-cos[3])[:K])
    assert own_targets_of_3 == {0, 1, 2, 3} and 3 in set(np.argsort(-cos[:, 4])[:K])
    assert margin[3, 4] > margin[3, 3] > max(margin[3, j] for j in (0, 1, 2))

    mined = retrieval.mine_max(unit(src_angles), unit(tgt_angles), K)
    assert [(i, j) for _, i, j in mined] == [(4, 5), (3, 3), (0, 0), (2, 1)]  # the reference's pairs
    assert (3, 4) not in {(i, j) for _, i, j in mined}  # the union rule's pair
    np.testing.assert_allclose(
        [s for s, _, _ in mined], [margin[4, 5], margin[3, 3], margin[0, 0], margin[2, 1]], rtol=1e-5
    )


def test_mining_identical_embeddings_finds_every_gold_pair():
    vectors = random_unit(50, 32, seed=4)
    perm = np.random.default_rng(5).permutation(50)
    src_ids, tgt_ids = [f"xx-{i}" for i in range(50)], [f"en-{j}" for j in range(50)]
    gold = {(src_ids[i], tgt_ids[j]) for j, i in enumerate(perm)}  # target j is source perm[j]
    candidates = retrieval.mine_candidates(vectors, vectors[perm], src_ids, tgt_ids, K)
    threshold = retrieval.best_threshold(candidates, gold)
    assert set(retrieval.extract(candidates, threshold)) == gold


def test_repeated_sentences_are_mined_once_and_their_pairs_dropped():
    """text_load_unify mines distinct sentences only; read_sent2id forgets a sentence that occurs twice, so
    no pair of it can be predicted."""
    src, tgt = random_unit(6, 16, seed=6), random_unit(6, 16, seed=7)
    src[5] = src[2]  # source 5 repeats source 2
    tgt = src.copy()
    keys = [0, 1, 2, 3, 4, 2]
    ids_src, ids_tgt = [f"s{i}" for i in range(6)], [f"t{j}" for j in range(6)]
    candidates = retrieval.mine_candidates(src, tgt, ids_src, ids_tgt, K, src_keys=keys, tgt_keys=list(range(6)))
    assert not any(s in ("s2", "s5") for s, _ in candidates)
    assert {("s0", "t0"), ("s1", "t1"), ("s3", "t3"), ("s4", "t4")} <= set(candidates)


def test_dev_threshold_is_chosen_as_bucc_optimize_and_applied_to_test():
    gold = {("s1", "t1"), ("s2", "t2"), ("s4", "t4"), ("s9", "t9")}  # s9 is never mined
    dev = {
        ("s1", "t1"): 0.9,
        ("s2", "t2"): 0.8,
        ("s3", "t7"): 0.7,
        ("s4", "t4"): 0.6,
        ("s5", "t8"): 0.5,
        ("s6", "t6"): 0.4,
    }
    # F1 by cut-off: 1: 2*1*.25/1.25=.4, 2: .667, 3: p=2/3 r=1/2 -> .571, 4: p=r=.75 -> .75, 5: .667, 6: .6
    assert retrieval.best_threshold(dev, gold) == pytest.approx((0.6 + 0.5) / 2)
    assert retrieval.best_threshold({("s1", "t2"): 0.9}, gold) == 0.0  # nothing right: the reference's 0
    assert retrieval.best_threshold({("s1", "t1"): 0.9}, gold) == 0.9  # best at the last candidate
    test = {("a", "x"): 0.56, ("b", "y"): 0.54, ("c", "z"): 0.9}
    assert sorted(retrieval.extract(test, 0.55)) == [("a", "x"), ("c", "z")]

    # end to end: the dev threshold (not one tuned on test) decides the test prediction. Dev: 10 translations
    # (little noise, gold) and 10 unrelated targets; test: translations with growing noise, all gold.
    n, dim = 20, 32

    def ids(p):
        return [f"{p}{i}" for i in range(n)]

    dev_src = random_unit(n, dim, seed=8)
    dev_tgt = np.concatenate([dev_src[:10] + 0.1 * random_unit(10, dim, seed=9), random_unit(10, dim, seed=10)])
    test_src = random_unit(n, dim, seed=11)
    test_tgt = test_src + np.linspace(0.05, 1.5, n, dtype=np.float32)[:, None] * random_unit(n, dim, seed=12)
    dev_side = retrieval.Embedded(dev_src, dev_tgt, ids("s"), ids("t"), ids("s"), ids("t"))
    test_side = retrieval.Embedded(test_src, test_tgt, ids("s"), ids("t"), ids("s"), ids("t"))
    dev_gold = [(f"s{i}", f"t{i}") for i in range(10)]
    test_gold = [(f"s{i}", f"t{i}") for i in range(n)]
    result = retrieval.mine(test_side, dev_side, test_gold, dev_gold, K)
    dev_candidates = retrieval.mine_candidates(dev_src, dev_tgt, ids("s"), ids("t"), K)
    test_candidates = retrieval.mine_candidates(test_src, test_tgt, ids("s"), ids("t"), K)
    threshold = retrieval.best_threshold(dev_candidates, set(dev_gold))
    assert result.details["threshold"] == threshold and result.details["dev_f1"] == 100.0
    assert sorted(result.pred) == sorted(p for p, score in test_candidates.items() if score >= threshold)
    assert 0 < len(result.pred) < len(test_candidates)  # the dev threshold cut something
    tuned_on_test = retrieval.extract(test_candidates, retrieval.best_threshold(test_candidates, set(test_gold)))
    assert len(tuned_on_test) > len(result.pred)  # the reference's #60 behaviour differs


# ------------------------------------------------------------------------------------------------ layers
def test_layer_index_against_output_hidden_states():
    from transformers import XLMRobertaConfig, XLMRobertaModel

    torch.manual_seed(0)
    config = XLMRobertaConfig(
        vocab_size=60,
        hidden_size=16,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=40,
        pad_token_id=1,
    )
    model = XLMRobertaModel(config).eval()
    input_ids = torch.tensor([[0, 5, 6, 7, 2], [0, 8, 2, 1, 1]])
    attention_mask = (input_ids != 1).long()
    with torch.no_grad():
        hidden = model(input_ids=input_ids, attention_mask=attention_mask, output_hidden_states=True).hidden_states
    assert len(hidden) == 3  # embeddings + 2 layers
    for layer, expected_state in ((0, 0), (1, 1), (2, 2), (-1, 2), (-2, 1)):
        state = hidden[expected_state]
        mean = torch.stack([state[0, :5].mean(0), state[1, :3].mean(0)])  # non-padding tokens only
        expected = torch.nn.functional.normalize(mean, dim=-1)
        with torch.no_grad():
            pooled = retrieval.MeanPooledLayer(model, retrieval.resolve_layer(layer, 2))(input_ids, attention_mask)
        torch.testing.assert_close(pooled["embedding"], expected)
    # XTREME's --specific_layer counts transformer layers from 0 (hidden_states[1:]); layer 13 of XLM-R large
    # (run_tatoeba.sh) is hidden_states[14], configs/xtreme.yaml's layer 14
    assert retrieval.resolve_layer(14, 24) == 1 + 13 and retrieval.resolve_layer(-1, 24) == 24
    with pytest.raises(ValueError, match="layer 3 does not exist"):
        retrieval.resolve_layer(3, 2)


def test_embed_keeps_sentence_order_and_ignores_padding(tiny_encoder):
    from transformers import AutoModel, AutoTokenizer

    tokenizer, encoder = AutoTokenizer.from_pretrained(tiny_encoder), AutoModel.from_pretrained(tiny_encoder).eval()
    texts = ["Anna sat in Paris", "the red ending", "good", "Anna and the bad red sat not in Paris of a"]
    features = retrieval.featurize(retrieval_rows(texts, [], [None] * 4, []), tokenizer, None, 128, False)
    vectors = retrieval.embed(encoder, tokenizer, features, 1, batch_size=4, device=torch.device("cpu"))
    for text, vector in zip(texts, vectors):
        enc = tokenizer(text, return_tensors="pt")
        with torch.no_grad():
            state = encoder(**enc, output_hidden_states=True).hidden_states[1][0]
        np.testing.assert_allclose(vector, torch.nn.functional.normalize(state.mean(0), dim=-1).numpy(), atol=1e-5)


# ------------------------------------------------------------------------------------------------ the job
def test_tatoeba_job_writes_reference_direction_files(tiny_encoder, tmp_path):
    """Identical sentences on both sides, the non-English side shuffled: 100 %, and prediction line i (as
    gold line i) is the non-English index of English sentence i's translation."""
    from xstilts.metrics import read_gold, read_pred

    words = ["Anna", "Paris", "red", "good", "bad", "ending", "sat", "the", "not", "of"]
    english = [" ".join(w) for w in itertools.islice(itertools.permutations(words, 4), 0, 1200, 100)]
    perm = np.random.default_rng(12).permutation(12)  # non-English p = English perm[p]
    translation_of = np.argsort(perm)
    rows = retrieval_rows(
        [english[perm[p]] for p in range(12)],
        english,
        [f"t{perm[p]}" for p in range(12)],
        [f"s{translation_of[i]}" for i in range(12)],
    )
    rows.save_to_disk(str(tmp_path / "data" / "qaa"))
    jobs.tokenize("tatoeba", "test", ["qaa"], str(tmp_path / "data"), tiny_encoder, 128, str(tmp_path / "features"))
    from xstilts.prepared import load_prepared

    assert len({tuple(t) for t in load_prepared(tmp_path / "features", "qaa")["input_ids"]}) == 12  # no tie
    summary = jobs.evaluate_retrieval(
        "tatoeba",
        tiny_encoder,
        ["qaa"],
        str(tmp_path / "features"),
        None,
        layer=-1,
        k=K,
        out_dir=str(tmp_path / "out"),
        batch_size=5,
        device_name="cpu",
    )
    assert summary["score"]["qaa"] == 100.0
    jobs.write_gold("tatoeba", ["qaa"], str(tmp_path / "data"), str(tmp_path / "gold"))
    expected = [str(i) for i in translation_of]
    assert [str(p) for p in read_pred("tatoeba", tmp_path / "out" / "test-qaa.tsv")] == expected
    assert [str(g) for g in read_gold("tatoeba", tmp_path / "gold" / "test-qaa.tsv")] == expected
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["retrieval"]["k"] == K


def test_retrieval_gold_has_the_role_of_the_other_formats_gold():
    spec = registry.get("bucc2018")
    examples = retrieval_rows(["a", "b", "c"], ["A", "B"], ["t1", None, "t0"], ["s2", "s0"], prefix=("de-", "en-"))
    examples = examples.map(
        lambda r: {"match": None if r["match"] is None else ("en-" if r["side"] == "src" else "de-") + r["match"][1:]}
    )
    assert get_format("retrieval").gold(examples, spec, []) == [("de-0", "en-1"), ("de-2", "en-0")]
