#!/usr/bin/env python3
"""The network benchmark's baseline: pairwise document MinHash over the whole corpus
(5-word shingles, 128 permutations, LSH at Jaccard 0.5), an edge between two outlets when
documents of theirs are near-duplicates (direction: the later document's outlet copies the
earlier's; same date, none), and groups as the connected components of those outlets.

    baseline.py CORPUS.jsonl OUT.json
"""
import json
import re
import sys
import time
from collections import Counter

from datasketch import MinHash, MinHashLSH

TOKEN = re.compile(r"\w+")


def main():
    corpus, out = sys.argv[1], sys.argv[2]
    started = time.perf_counter()
    docs = [json.loads(line) for line in open(corpus, encoding="utf-8")]
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    hashes = []
    for i, d in enumerate(docs):
        words = TOKEN.findall(" ".join(d["paragraphs"]).lower())
        m = MinHash(num_perm=128)
        for k in range(max(1, len(words) - 4)):
            m.update(" ".join(words[k:k + 5]).encode())
        hashes.append(m)
        lsh.insert(str(i), m)
    edges = Counter()
    for i, m in enumerate(hashes):
        for j in map(int, lsh.query(m)):
            if j <= i:
                continue
            a, b = docs[i], docs[j]
            if a["outlet"] == b["outlet"] or a["date"] == b["date"]:
                continue
            copier, source = (a, b) if a["date"] > b["date"] else (b, a)
            edges[(copier["outlet"], source["outlet"])] += 1
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups = {}
    for o in list(parent):
        groups.setdefault(root(o), []).append(o)
    result = {
        "edges": [{"copier": a, "source": b, "articles": n} for (a, b), n in sorted(edges.items())],
        "groups": [{"outlets": sorted(g)} for g in groups.values() if len(g) >= 2],
        "seconds": round(time.perf_counter() - started, 2),
    }
    json.dump(result, open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
