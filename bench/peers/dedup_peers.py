#!/usr/bin/env python3
"""Near-duplicate clustering the way a Python user would do it: MinHash-LSH with datasketch
or gaoya, set up as in ../shared/bench/dedup/RESULTS.md.

    dedup_peers.py {datasketch|gaoya|gaoya-par} INPUT.jsonl[.gz] OUT_CLUSTERS.jsonl
                   [--threshold 0.3] [--window DAYS] [--perm 128] [--ngram 5] [--as-results]

Input: JSON Lines with "id", "date" (ISO, only read with --window) and "text" (the text
hashed; a title field, if any, is not used: the congress press releases have none).
Output: one {"id", "cluster"} line for every input record, the cluster named by the id of
its first record. Prints one JSON line to stdout: method, docs, seconds (the whole
pipeline: read, tokenise, shingle, index, cluster; writing the output is not timed),
docs_per_s, the LSH bands and rows, and the counts of linked pairs and clusters.

The setup (RESULTS.md and its addendum):
- shingles: lower-cased `\\w+` word n-grams (n = 5), as a set;
- datasketch: MinHash (128 permutations, seed 1, the default affine32 scheme), MinHashLSH
  at threshold t (its own optimiser picks bands x rows), every LSH candidate kept only if
  the estimated Jaccard is >= t;
- gaoya: MinHashStringIndex with 32-bit hashes, its Rust word analyzer (lower-cased, word
  n-grams) and the same bands x rows datasketch picks for t; the Jaccard check happens
  inside its `query`. gaoya-par is the same index filled and queried with its
  multi-threaded bulk calls;
- --window D: only records whose dates differ by at most D days are linked;
- clusters: connected components of the links.
Records with fewer than n words have no shingle; they stay singletons, because an empty
sketch matches every other empty sketch in both libraries (sketches of nothing are equal).
--as-results treats them as RESULTS.md's runs did (reproducing its tables to the pair):
datasketch hashes their words as one shingle and gives empty texts an empty sketch, gaoya
indexes every text as it is; empty texts a few days apart then count as duplicates.
"""
import argparse
import datetime
import gzip
import json
import re
import sys
import time

TOKEN = re.compile(r"\w+")


def open_lines(path):
    return gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")


def read_docs(path):
    """(ids, day numbers or None, texts) of every record, in file order."""
    ids, days, texts = [], [], []
    with open_lines(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            ids.append(str(r["id"]))
            days.append(day_number(r.get("date")))
            texts.append(r.get("text") or "")
    return ids, days, texts


def day_number(date):
    try:
        return datetime.date.fromisoformat(str(date)[:10]).toordinal()
    except ValueError:
        return None


def shingles(text, n, as_results=False):
    words = TOKEN.findall(text.lower())
    if as_results and len(words) < n:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def indexed(text, args):
    """Whether a record goes into the index at all (see the module notes)."""
    return args.as_results or len(TOKEN.findall(text)) >= args.ngram


def in_window(days, window, i, j):
    # A record without a date cannot be placed in time, so the window does not apply to it.
    if window is None or days[i] is None or days[j] is None:
        return True
    return abs(days[i] - days[j]) <= window


class Components:
    """Union-find over record indices."""

    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, i):
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i, j):
        a, b = self.find(i), self.find(j)
        if a != b:
            self.parent[max(a, b)] = min(a, b)  # the root stays the earliest record
            return True
        return False


def lsh_params(threshold, perm):
    """The bands x rows datasketch's optimiser picks; gaoya gets the same."""
    from datasketch import MinHashLSH
    lsh = MinHashLSH(threshold=threshold, num_perm=perm)
    return lsh.b, lsh.r


def run_datasketch(texts, days, args, comps):
    from datasketch import MinHash, MinHashLSH
    lsh = MinHashLSH(threshold=args.threshold, num_perm=args.perm)
    # One set of permutations for all records (the documented way to skip re-drawing them
    # per MinHash): the peer at its fastest, same hash values as MinHash(seed=1).
    perms = MinHash(num_perm=args.perm, seed=1).permutations
    sketches = {}
    pairs = 0
    for i, text in enumerate(texts):
        if not indexed(text, args):
            continue
        grams = shingles(text, args.ngram, args.as_results)
        m = MinHash(num_perm=args.perm, seed=1, permutations=perms, scheme="affine32")
        m.update_batch([g.encode("utf-8") for g in grams])
        # Query before inserting: each pair is seen once, from its later record.
        for j in lsh.query(m):
            if in_window(days, args.window, i, j) and m.jaccard(sketches[j]) >= args.threshold:
                pairs += 1
                comps.union(i, j)
        lsh.insert(i, m)
        sketches[i] = m
    return pairs


def gaoya_index(args, bands, rows):
    import gaoya
    return gaoya.minhash.MinHashStringIndex(
        hash_size=32, jaccard_threshold=args.threshold, num_bands=bands, band_size=rows,
        analyzer="word", lowercase=True, ngram_range=(args.ngram, args.ngram))


def run_gaoya(texts, days, args, comps, bands, rows):
    index = gaoya_index(args, bands, rows)
    pairs = 0
    for i, text in enumerate(texts):
        if not indexed(text, args):
            continue
        for j in index.query(text):
            if in_window(days, args.window, i, j):
                pairs += 1
                comps.union(i, j)
        index.insert_document(i, text)
    return pairs


def run_gaoya_par(texts, days, args, comps, bands, rows):
    index = gaoya_index(args, bands, rows)
    keep = [i for i, t in enumerate(texts) if indexed(t, args)]
    docs = [texts[i] for i in keep]
    index.par_bulk_insert_docs(keep, docs)
    pairs = 0
    for i, hits in zip(keep, index.par_bulk_query(docs)):
        for j in hits:
            # Every pair comes back from both sides (and each record finds itself).
            if j < i and in_window(days, args.window, i, j):
                pairs += 1
                comps.union(i, j)
    return pairs


def write_clusters(path, ids, comps):
    with open(path, "w", encoding="utf-8") as out:
        for i, rid in enumerate(ids):
            out.write(json.dumps({"id": rid, "cluster": ids[comps.find(i)]}) + "\n")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("method", choices=["datasketch", "gaoya", "gaoya-par"])
    p.add_argument("input")
    p.add_argument("output")
    p.add_argument("--threshold", type=float, default=0.3)
    p.add_argument("--window", type=int, default=None, help="link only records at most DAYS apart")
    p.add_argument("--perm", type=int, default=128)
    p.add_argument("--ngram", type=int, default=5)
    p.add_argument("--as-results", action="store_true",
                   help="treat records shorter than NGRAM words as RESULTS.md's runs did")
    return p.parse_args(argv)


def main(argv):
    args = parse_args(argv)
    t0 = time.perf_counter()
    ids, days, texts = read_docs(args.input)
    comps = Components(len(ids))
    bands, rows = lsh_params(args.threshold, args.perm)
    if args.method == "datasketch":
        pairs = run_datasketch(texts, days, args, comps)
    elif args.method == "gaoya":
        pairs = run_gaoya(texts, days, args, comps, bands, rows)
    else:
        pairs = run_gaoya_par(texts, days, args, comps, bands, rows)
    clusters = len({comps.find(i) for i in range(len(ids))})
    seconds = time.perf_counter() - t0
    write_clusters(args.output, ids, comps)
    print(json.dumps({
        "method": args.method, "threshold": args.threshold, "window": args.window,
        "as_results": args.as_results,
        "bands": bands, "rows": rows, "docs": len(ids), "pairs": pairs, "clusters": clusters,
        "seconds": round(seconds, 3), "docs_per_s": round(len(ids) / seconds, 1),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
