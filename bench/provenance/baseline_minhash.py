#!/usr/bin/env python3
"""Paragraph-level MinHash baseline for passage provenance, in the shape of `lede trace`.

    baseline_minhash.py CORPUS GOLD OUT [--ngram 3] [--threshold 0.2] [--perm 128]

CORPUS: corpus.jsonl from generate.py; GOLD: gold.jsonl (only its query ids are read);
OUT: JSON Lines, one line per query, in the `lede trace --json` shape, so that
evaluate.py scores it like lede. Prints one JSON line of timings to stdout.

What it does, the way a Python user would set it up with datasketch:
- every paragraph of every corpus record is a set of shingles: lower-cased `\\w+` word
  n-grams (n = 3 by default; a paragraph shorter than n words is one shingle of all its
  words), hashed into a MinHash of 128 permutations (datasketch, seed 1) and inserted in
  a MinHashLSH at the threshold (0.2 by default; datasketch picks bands x rows);
- each query paragraph is looked up in the LSH; candidates are paragraphs of records
  published earlier than the query (an earlier date, or the same date and an earlier line
  of the corpus, i.e. ingest order) and not the query itself; the paragraph is attributed
  to the candidate with the highest estimated Jaccard if that is >= the threshold;
- substitutions: difflib word-level opcodes between the query paragraph and its source
  paragraph (the `\\w+` words, compared lower-cased); every `replace` of at most 4 words
  on each side is one substitution, reported with the query's and the source's spelling;
- verdict, the rule lede uses: coverage of a source = fraction of the query's words in
  paragraphs attributed to it; no source with coverage >= 0.1 -> original; else >= 3
  distinct substitutions over the attributed paragraphs -> spun; else >= 2 sources with
  coverage >= 0.1 -> composite; else copy.
The n-gram size and threshold were chosen on this benchmark (README.md, seed 20261129):
3-grams beat 5-grams, whose Jaccard drops faster on spun and partly reused paragraphs,
and 0.2 beat 0.3 (more split, excerpted and spun paragraphs found, no false ones).
"""
import argparse
import difflib
import json
import sys
import time
from pathlib import Path

from datasketch import MinHash, MinHashLSH

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import WORD, read_jsonl, words, write_jsonl  # noqa: E402

COVERAGE = 0.1  # a source counts for the verdict from this share of the query's words
SPUN_PAIRS = 3  # distinct substitutions that make a reuse "spun"
MAX_RUN = 4  # longest word run on either side of a replace that is a substitution


def shingle_set(text, n):
    """Lower-cased word n-grams of a paragraph, as bytes for datasketch."""
    ws = words(text)
    if len(ws) < n:
        return {" ".join(ws).encode()} if ws else set()
    return {" ".join(ws[i:i + n]).encode() for i in range(len(ws) - n + 1)}


def minhash(text, n, perm):
    m = MinHash(num_perm=perm, seed=1)
    m.update_batch(list(shingle_set(text, n)))
    return m


def build_index(records, n, perm, threshold):
    """MinHashLSH over every paragraph; keys are (record index, paragraph index)."""
    lsh = MinHashLSH(threshold=threshold, num_perm=perm)
    hashes = {}
    with lsh.insertion_session() as session:
        for ri, r in enumerate(records):
            for pi, p in enumerate(r["paragraphs"]):
                m = minhash(p, n, perm)
                hashes[(ri, pi)] = m
                session.insert((ri, pi), m)
    return lsh, hashes


def substitutions(source, query):
    """Word substitutions from difflib `replace` opcodes (source -> query), short runs
    only; a longer replace is rewritten text, not a substitution."""
    a = [m for m in WORD.finditer(source)]
    b = [m for m in WORD.finditer(query)]
    sm = difflib.SequenceMatcher(None, [m.group(0).lower() for m in a],
                                 [m.group(0).lower() for m in b], autojunk=False)
    out = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "replace" and i2 - i1 <= MAX_RUN and j2 - j1 <= MAX_RUN:
            out.append({"from": source[a[i1].start():a[i2 - 1].end()],
                        "to": query[b[j1].start():b[j2 - 1].end()]})
    return out


def trace(qi, records, lsh, hashes, n, perm, threshold):
    """The `lede trace --json`-shaped result for record qi."""
    q = records[qi]
    qkey = (q["date"], qi)
    passages = []
    for pi, p in enumerate(q["paragraphs"]):
        m = minhash(p, n, perm)
        best = None
        for key in lsh.query(m):
            ri = key[0]
            if ri == qi or (records[ri]["date"], ri) >= qkey:
                continue
            sim = m.jaccard(hashes[key])
            if sim >= threshold and (best is None or sim > best[0]):
                best = (sim, key)
        if best is None:
            continue
        sim, (ri, sj) = best
        src = records[ri]
        passages.append({
            "paragraph": pi, "start": 0, "end": len(p),
            "source_id": src["id"], "source_record_id": src["id"], "source_paragraph": sj,
            "similarity": round(sim, 4),
            "substitutions": substitutions(src["paragraphs"][sj], p),
        })
    return {"id": q["id"], "record_id": q["id"], **verdict(q, passages), "passages": passages,
            "spin_markers": []}


def verdict(q, passages):
    """Verdict and per-source coverage by the rule in the module docstring."""
    lengths = [len(words(p)) for p in q["paragraphs"]]
    total = sum(lengths) or 1
    cov = {}
    for ps in passages:
        sid = ps["source_record_id"]
        cov[sid] = cov.get(sid, 0) + lengths[ps["paragraph"]] / total
    strong = [s for s, c in cov.items() if c >= COVERAGE]
    pairs = {(s["from"].lower(), s["to"].lower()) for ps in passages for s in ps["substitutions"]}
    if not strong:
        v = "original"
    elif len(pairs) >= SPUN_PAIRS:
        v = "spun"
    elif len(strong) >= 2:
        v = "composite"
    else:
        v = "copy"
    sources = [{"id": s, "record_id": s, "coverage": round(c, 4)}
               for s, c in sorted(cov.items(), key=lambda kv: -kv[1])]
    return {"verdict": v, "sources": sources}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("gold")
    ap.add_argument("out")
    ap.add_argument("--ngram", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.2)
    ap.add_argument("--perm", type=int, default=128)
    args = ap.parse_args()

    records = read_jsonl(args.corpus)
    query_ids = [g["id"] for g in read_jsonl(args.gold)]
    t0 = time.perf_counter()
    lsh, hashes = build_index(records, args.ngram, args.perm, args.threshold)
    t1 = time.perf_counter()
    position = {r["id"]: i for i, r in enumerate(records)}
    results = [trace(position[qid], records, lsh, hashes, args.ngram, args.perm, args.threshold)
               for qid in query_ids]
    t2 = time.perf_counter()
    write_jsonl(args.out, results)
    print(json.dumps({
        "method": f"minhash-{args.ngram}gram-t{args.threshold}",
        "records": len(records), "paragraphs": len(hashes), "queries": len(results),
        "index_s": round(t1 - t0, 3), "trace_s": round(t2 - t1, 3),
        "seconds": round(t2 - t0, 3),
        "index_paragraphs_per_s": round(len(hashes) / (t1 - t0), 1),
        "trace_docs_per_s": round(len(results) / (t2 - t1), 1),
        "note": f"index: {len(hashes)} paragraphs of {len(records)} records, "
                f"{args.ngram}-word shingles, {args.perm} permutations, LSH threshold "
                f"{args.threshold}, one process;",
    }))


if __name__ == "__main__":
    main()
