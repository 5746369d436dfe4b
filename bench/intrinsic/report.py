#!/usr/bin/env python3
"""Scores `lede trace --json` output against bench/intrinsic's gold: per half, the share
of composites flagged (`composite_suspected`), with and without the time phrase, whether
the inserted paragraphs were named, and the share of originals wrongly flagged; with the
signals' kinds behind each."""
import json
import sys
from collections import Counter, defaultdict

gold = {g["id"]: g for g in map(json.loads, open(sys.argv[1]))}
traces = {}
for line in open(sys.argv[2]):
    t = json.loads(line)
    traces[t["record_id"]] = t
rows = defaultdict(lambda: [0, 0])
kinds = defaultdict(Counter)
named = defaultdict(lambda: [0, 0])
missing = 0
for rid, g in gold.items():
    t = traces.get(rid)
    if t is None:
        missing += 1
        continue
    flagged = bool(t["composite_suspected"]) or (g["kind"] == "composite" and t["verdict"] != "original")
    key = (g["half"], g["kind"])
    rows[key][0] += flagged
    rows[key][1] += 1
    if g["kind"] == "composite":
        sub = (g["half"], "composite, timed" if g["timed"] else "composite, untimed")
        rows[sub][0] += flagged
        rows[sub][1] += 1
        jumped = {p for s in t["intrinsic"] if s["kind"] == "jumping_paragraphs" for p in s["paragraphs"]}
        named[g["half"]][0] += bool(jumped & set(g["inserted"]))
        named[g["half"]][1] += 1
    for k in {s["kind"] for s in t["intrinsic"]}:
        kinds[key][k] += 1
print("| half | articles | flagged | share | signals (articles with each kind) |")
print("| --- | --- | --- | --- | --- |")
for key in sorted(rows):
    f, n = rows[key]
    ks = ", ".join(f"{k} {c}" for k, c in sorted(kinds.get(key, {}).items())) if key in kinds else ""
    print(f"| {key[0]} {key[1]} | {n} | {f} | {f / n:.3f} | {ks} |")
for half, (k, n) in sorted(named.items()):
    print(f"\n{half}: an inserted paragraph named among the jumping ones in {k} of {n} composites")
if missing:
    print(f"\n{missing} gold ids had no trace")
