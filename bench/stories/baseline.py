#!/usr/bin/env python3
"""TF-IDF average-link baseline for story clustering (issue #6), as bench/stories/README.md
gives it: sklearn TfidfVectorizer defaults + sublinear_tf and English stop words, scipy
average linkage on cosine distance, cut at distance 1 - T.

    bench/.venv/bin/python bench/stories/baseline.py DOCS.jsonl T > out.jsonl

DOCS.jsonl: one {"id", "text", ...} per line (other keys ignored). Writes {"id", "cluster"}
per document on stdout and {"seconds": wall time from reading to the last line written}
(imports excluded) on stderr.
On ../shared/bench/stories/ecbplus/docs.jsonl at T = 0.20 it reproduces the published row
(B-cubed F1 0.8637, ARI 0.8007, 84 clusters).
"""
import json
import sys
import time

from scipy.cluster.hierarchy import fcluster, linkage
from scipy.spatial.distance import pdist
from sklearn.feature_extraction.text import TfidfVectorizer


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: baseline.py DOCS.jsonl T > out.jsonl")
    path, t = sys.argv[1], float(sys.argv[2])
    started = time.perf_counter()
    docs = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
    X = TfidfVectorizer(sublinear_tf=True, stop_words="english").fit_transform(
        d["text"] for d in docs)
    lab = fcluster(linkage(pdist(X.toarray(), "cosine"), "average"), 1 - t, "distance")
    out = sys.stdout
    for d, l in zip(docs, lab):
        out.write(json.dumps({"id": d["id"], "cluster": int(l)}) + "\n")
    out.flush()
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": round(seconds, 3), "docs": len(docs)}), file=sys.stderr)


if __name__ == "__main__":
    main()
