"""The sentence encoder (bot/embedding.py) against the plain implementation it replaced: the same
vectors up to float rounding, one sentence at a time and in mixed-length batches."""

from __future__ import annotations

import asyncio
import uuid
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.embedding import HEADS, LAYERS, SentenceEncoder, model_zip
from bot.lexicon import default_speller

HELDOUT = Path(__file__).parent / "data" / "nlu_heldout.yml"
# float32 rounding in a different order of operations; the vectors are unit length.
MAX_ABS_DIFF = 1e-4


def _reference_weights():
    from safetensors.numpy import load

    with zipfile.ZipFile(model_zip()) as zf:
        raw = load(zf.read("model.safetensors"))
    return {k.removeprefix("bert."): v.astype(np.float32) for k, v in raw.items()}


def _reference_encode(w, ids_batch):
    """The encoder as first written: one sentence and one head at a time, exact GELU, float32."""
    from scipy.special import erf

    def layer_norm(x, weight, bias):
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + 1e-12) * weight + bias

    out = []
    for ids in ids_batch:
        n = len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(n)]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        head = x.shape[1] // HEADS
        for i in range(LAYERS):
            p = f"encoder.layer.{i}."

            def dense(name, h, p=p):
                return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

            q, k, v = (dense(f"attention.self.{n_}", x) for n_ in ("query", "key", "value"))
            context = np.empty_like(x)
            for h in range(HEADS):
                cols = slice(h * head, (h + 1) * head)
                scores = q[:, cols] @ k[:, cols].T / np.sqrt(head)
                scores = np.exp(scores - scores.max(-1, keepdims=True))
                scores /= scores.sum(-1, keepdims=True)
                context[:, cols] = scores @ v[:, cols]
            x = layer_norm(
                dense("attention.output.dense", context) + x,
                w[p + "attention.output.LayerNorm.weight"],
                w[p + "attention.output.LayerNorm.bias"],
            )
            inner = dense("intermediate.dense", x)
            inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))
            x = layer_norm(
                dense("output.dense", inner) + x,
                w[p + "output.LayerNorm.weight"],
                w[p + "output.LayerNorm.bias"],
            )
        pooled = x.mean(0)
        out.append(pooled / max(np.linalg.norm(pooled), 1e-9))
    return np.stack(out).astype(np.float32)


@pytest.fixture(scope="module")
def sentences():
    texts = [
        line.strip()[2:]
        for block in yaml.safe_load(HELDOUT.read_text())["nlu"]
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ][:300]
    # Lengths the held-out questions lack: one word, long, cut at MAX_TOKENS, empty, odd scripts.
    texts += [
        "hi",
        "",
        "   ",
        "ok " * 200,
        "Mon dos me fait mal 😖 — что делать?",
        "<b>stretch</b>",
    ]
    return texts


@pytest.fixture(scope="module")
def encoder():
    return SentenceEncoder()


def test_same_vectors_as_the_plain_implementation(encoder, sentences):
    # the encoder reads a misspelt content word as that word first (bot/lexicon.py): the plain
    # implementation gets the text as the encoder reads it
    texts = [default_speller().fix(t) if t.strip() else "." for t in sentences]
    ids = [e.ids for e in encoder.tokenizer.encode_batch(texts)]
    expected = _reference_encode(_reference_weights(), ids)
    one_by_one = np.stack([encoder.encode([t])[0] for t in sentences])
    batched = encoder.encode(sentences)  # batches of 64 sentences of mixed lengths (padding)
    assert len(sentences) >= 300
    assert np.abs(one_by_one - expected).max() < MAX_ABS_DIFF
    assert np.abs(batched - expected).max() < MAX_ABS_DIFF
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_messages_arriving_together_are_encoded_in_one_batch(encoder, monkeypatch):
    """The Rasa server computes vectors ahead of NLU (channels/speed.py): messages that arrive
    together go to the encoder together, and the featurizer then takes each one, once."""
    from bot import embedding
    from channels import speed

    texts = [f"how do I stretch my back, question {uuid.uuid4().hex[:6]}" for _ in range(20)]
    calls = []
    real = embedding.embed_many

    def counted(batch, ahead=False):
        calls.append(len(batch))
        return real(batch, ahead)

    monkeypatch.setattr(embedding, "embed_many", counted)

    async def arrive_together():
        batcher = speed.VectorBatcher()
        await asyncio.gather(*(batcher.vector(t) for t in texts))
        return batcher.batches

    assert asyncio.run(arrive_together()) == [20]
    assert calls == [20]
    expected = encoder.encode(texts)
    for text, vector in zip(texts, expected, strict=True):
        taken = embedding.cached(text, take=True)
        assert taken is not None and np.abs(taken - vector).max() < MAX_ABS_DIFF
    assert embedding._ahead.keys().isdisjoint(texts)  # taken once


def test_a_failing_encoder_ahead_of_nlu_leaves_the_message_to_the_featurizer(monkeypatch):
    from bot import embedding
    from channels import speed

    def broken(batch, ahead=False):
        raise MemoryError("no room")

    monkeypatch.setattr(embedding, "embed_many", broken)
    text = f"my back hurts {uuid.uuid4().hex[:6]}"

    async def ask():
        await asyncio.wait_for(speed.VectorBatcher().vector(text), 30)

    asyncio.run(ask())  # returns: no exception, no hang
    assert embedding.cached(text) is None


def test_a_misspelt_content_word_has_the_vector_of_the_word(encoder):
    breth, breath = encoder.encode(["hold my breth", "hold my breath"])
    assert np.allclose(breth, breath)
    assert not np.allclose(*encoder.encode(["hold my breth", "hold my hand"]))
