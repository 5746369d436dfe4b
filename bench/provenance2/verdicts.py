#!/usr/bin/env python3
"""Verdict accuracy and spin precision/recall, per half of a benchmark, for several systems.

    verdicts.py GOLD NAME=SYSTEM.jsonl [NAME=SYSTEM.jsonl ...] [--json]

GOLD is either generator's gold.jsonl; each SYSTEM is JSON Lines in the shape of `lede trace
--json` ({"record_id", "verdict", "spin_score"?}). Queries are split into two halves by the
parity of the number ending their id (farm-0001, q2-0001: odd is the tuning half "A", even
the held-out half "B"), so that a threshold chosen on A is reported on B. A query a system
left out counts as wrong.

Spin precision and recall treat `spun` as the positive class. Where the system gives a
`spin_score`, the table also gives the share of (spun, unspun) query pairs it orders right
(ROC AUC), a measure of the score apart from its threshold.
"""
import json
import re
import sys


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def half(qid):
    return "A" if int(re.search(r"(\d+)$", qid).group(1)) % 2 else "B"


def scores(gold, system, which):
    rows = [g for g in gold if which == "all" or half(g["id"]) == which]
    right = tp = fp = fn = 0
    pos, neg = [], []
    for g in rows:
        s = system.get(g["id"]) or {}
        v = s.get("verdict", "missing")
        right += v == g["verdict"]
        tp += v == "spun" and g["verdict"] == "spun"
        fp += v == "spun" and g["verdict"] != "spun"
        fn += v != "spun" and g["verdict"] == "spun"
        if "spin_score" in s and g["verdict"] != "original":
            (pos if g["verdict"] == "spun" else neg).append(s["spin_score"])
    auc = None
    if pos and neg:
        auc = sum((p > n) + 0.5 * (p == n) for p in pos for n in neg) / (len(pos) * len(neg))
    ratio = lambda a, b: a / b if b else None  # noqa: E731
    return {"queries": len(rows), "verdict_accuracy": ratio(right, len(rows)),
            "spin_precision": ratio(tp, tp + fp), "spin_recall": ratio(tp, tp + fn),
            "spin_auc": auc}


def main():
    args = [a for a in sys.argv[1:] if a != "--json"]
    gold = read(args[0])
    out = {}
    for spec in args[1:]:
        name, _, path = spec.partition("=")
        system = {s["record_id"]: s for s in read(path)}
        out[name] = {w: scores(gold, system, w) for w in ("A", "B", "all")}
    if "--json" in sys.argv:
        print(json.dumps(out, indent=1))
        return
    fmt = lambda x: "–" if x is None else f"{x:.3f}"  # noqa: E731
    print("| system | half | queries | verdict acc | spin P | spin R | spin_score AUC |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, by_half in out.items():
        for w, m in by_half.items():
            print(f"| {name} | {w} | {m['queries']} | {fmt(m['verdict_accuracy'])} | "
                  f"{fmt(m['spin_precision'])} | {fmt(m['spin_recall'])} | {fmt(m['spin_auc'])} |")


if __name__ == "__main__":
    main()
