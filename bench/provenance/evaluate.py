#!/usr/bin/env python3
"""Scores a provenance system's output against the benchmark's gold.

    evaluate.py GOLD SYSTEM [--json]

GOLD: gold.jsonl from generate.py. SYSTEM: JSON Lines in the shape of `lede trace --json`,
one object per traced query: {"record_id", "verdict", "passages": [{"paragraph",
"source_record_id", "source_paragraph", "substitutions": [{"from", "to"}], ...}], ...}.
Queries are matched by `record_id`; a query missing from SYSTEM counts as all wrong (the
verdict "missing", no passages). Lines for ids not in GOLD are ignored.

Metrics:
- passage attribution precision, recall, F1 over the distinct tuples (query, query
  paragraph, source record id, source paragraph), micro-averaged;
- source attribution P/R/F1 over (query, source record id), for diagnosis;
- verdict accuracy and the confusion matrix (gold rows, system columns);
- substitution recall and precision over the spun queries: distinct (query, from, to)
  with both sides lower-cased and reduced to their words ("U.S.," -> "u s"); and the
  number of substitutions reported on queries that are not spun;
- the same recall and precision, lenient: a reported pair that is several gold pairs
  side by side ("small businesses" -> "little enterprises" for small -> little and
  businesses -> enterprises) counts as right and finds each of them (JSON only);
- all of it per query kind as well.
Prints a text report, or one JSON object with --json.
"""
import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import norm_phrase, read_jsonl  # noqa: E402

VERDICTS = ["original", "copy", "composite", "spun"]


def gold_sets(g):
    """Passage tuples, source ids and substitution pairs of one gold query."""
    passages = {(p["paragraph"], p["source"], p["source_paragraph"]) for p in g["passages"]}
    sources = {p["source"] for p in g["passages"]}
    subs = {(norm_phrase(s["from"]), norm_phrase(s["to"])) for s in g["substitutions"]}
    return passages, sources, subs


def system_sets(s):
    """The same three sets for one system line (None: the query is missing)."""
    if s is None:
        return set(), set(), set()
    passages, sources, subs = set(), set(), set()
    for p in s.get("passages") or []:
        passages.add((p["paragraph"], p["source_record_id"], p["source_paragraph"]))
        sources.add(p["source_record_id"])
        for sub in p.get("substitutions") or []:
            pair = (norm_phrase(sub["from"]), norm_phrase(sub["to"]))
            if pair[0] != pair[1]:
                subs.add(pair)
    return passages, sources, subs


class Tally:
    """Counts for one group of queries (all, or one kind)."""

    def __init__(self):
        self.c = Counter()

    def add(self, g, s):
        gp, gs, gsub = gold_sets(g)
        sp, ss, ssub = system_sets(s)
        c = self.c
        c["queries"] += 1
        c["passage_tp"] += len(gp & sp)
        c["passage_gold"] += len(gp)
        c["passage_system"] += len(sp)
        c["source_tp"] += len(gs & ss)
        c["source_gold"] += len(gs)
        c["source_system"] += len(ss)
        c["verdict_correct"] += s is not None and s.get("verdict") == g["verdict"]
        c["missing"] += s is None
        if g["verdict"] == "spun":
            c["spun_queries"] += 1
            c["subst_tp"] += len(gsub & ssub)
            c["subst_gold"] += len(gsub)
            c["subst_system"] += len(ssub)
            found, right = lenient(gsub, ssub)
            c["subst_found_lenient"] += found
            c["subst_right_lenient"] += right
        else:
            c["subst_on_unspun"] += len(ssub)

    def summary(self):
        c = self.c
        p, r, f = prf(c["passage_tp"], c["passage_system"], c["passage_gold"])
        sp, sr, sf = prf(c["source_tp"], c["source_system"], c["source_gold"])
        out = {
            "queries": c["queries"],
            "missing": c["missing"],
            "passage_precision": p, "passage_recall": r, "passage_f1": f,
            "passages_gold": c["passage_gold"], "passages_system": c["passage_system"],
            "passages_correct": c["passage_tp"],
            "source_precision": sp, "source_recall": sr, "source_f1": sf,
            "verdict_accuracy": ratio(c["verdict_correct"], c["queries"]),
            "subst_recall": ratio(c["subst_tp"], c["subst_gold"]),
            "subst_precision": ratio(c["subst_tp"], c["subst_system"]),
            "subst_recall_lenient": ratio(c["subst_found_lenient"], c["subst_gold"]),
            "subst_precision_lenient": ratio(c["subst_right_lenient"], c["subst_system"]),
            "subst_gold": c["subst_gold"], "subst_system": c["subst_system"],
            "subst_on_unspun": c["subst_on_unspun"],
        }
        return out


def lenient(gold, system):
    """(gold pairs found, system pairs right) when a system pair may also be a run of
    adjacent gold pairs: a word diff reports neighbouring substitutions as one."""
    found, right = set(), 0
    for pair in system:
        parts = decompose(pair[0].split(), pair[1].split(), gold)
        if parts:
            right += 1
            found.update(parts)
    return len(found), right


def decompose(src, dst, gold):
    """Gold pairs whose sides, concatenated in order, give src and dst; None if none."""
    if not src and not dst:
        return []
    for f, t in gold:
        fw, tw = f.split(), t.split()
        if src[:len(fw)] == fw and dst[:len(tw)] == tw:
            rest = decompose(src[len(fw):], dst[len(tw):], gold)
            if rest is not None:
                return [(f, t)] + rest
    return None


def ratio(a, b):
    """a / b, or None when b is 0 (the metric is undefined, e.g. recall on originals)."""
    return a / b if b else None


def prf(tp, system, gold):
    """Precision, recall, F1; None where undefined (recall and F1 with no gold passages,
    as on originals; precision with no system passages)."""
    p, r = ratio(tp, system), ratio(tp, gold)
    if r is None:
        return p, r, None
    if p is None or p + r == 0:
        return p, r, 0.0
    return p, r, 2 * p * r / (p + r)


def evaluate(gold, system):
    """The report as a dict: overall, per kind, confusion matrix, counts."""
    by_id = {}
    for s in system:
        by_id.setdefault(str(s.get("record_id")), s)  # first line wins on repeats
    overall, kinds = Tally(), defaultdict(Tally)
    confusion = defaultdict(Counter)
    for g in gold:
        s = by_id.get(g["id"])
        overall.add(g, s)
        kinds[g["kind"]].add(g, s)
        confusion[g["verdict"]]["missing" if s is None else s.get("verdict")] += 1
    kind_order = ["original", "copy", "edited", "composite", "spun_copy", "spun_composite"]
    return {
        "overall": overall.summary(),
        "per_kind": {k: kinds[k].summary() for k in kind_order if k in kinds},
        "confusion": {v: dict(confusion[v]) for v in VERDICTS if v in confusion},
        "unmatched_system_lines": sum(1 for rid in by_id if rid not in {g["id"] for g in gold}),
    }


def fmt(x):
    return "  –  " if x is None else f"{x:.3f}"


def print_report(rep):
    """The report as text tables."""
    o = rep["overall"]
    print(f"queries {o['queries']} (missing {o['missing']}); "
          f"passages gold {o['passages_gold']}, system {o['passages_system']}, "
          f"correct {o['passages_correct']}")
    header = "| kind | queries | passage P | R | F1 | source F1 | verdict acc | subst R | subst P |"
    print(header)
    print("|" + " --- |" * (header.count("|") - 1))
    rows = [("all", o)] + list(rep["per_kind"].items())
    for name, m in rows:
        print(f"| {name} | {m['queries']} | {fmt(m['passage_precision'])} | "
              f"{fmt(m['passage_recall'])} | {fmt(m['passage_f1'])} | {fmt(m['source_f1'])} | "
              f"{fmt(m['verdict_accuracy'])} | {fmt(m['subst_recall'])} | "
              f"{fmt(m['subst_precision'])} |")
    print(f"substitutions reported on queries that are not spun: {o['subst_on_unspun']}")
    print(f"substitutions, lenient (a pair may be adjacent gold pairs): recall "
          f"{fmt(o['subst_recall_lenient'])}, precision {fmt(o['subst_precision_lenient'])}")
    cols = ["original", "copy", "composite", "spun", "missing"]
    extra = sorted({c for row in rep["confusion"].values() for c in row} - set(cols), key=str)
    cols += extra
    print("\nverdict confusion (rows: gold, columns: system)")
    print("| gold \\ system | " + " | ".join(map(str, cols)) + " |")
    print("|" + " --- |" * (len(cols) + 1))
    for v, row in rep["confusion"].items():
        print(f"| {v} | " + " | ".join(str(row.get(c, 0)) for c in cols) + " |")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("gold")
    ap.add_argument("system")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args()
    rep = evaluate(read_jsonl(args.gold), read_jsonl(args.system))
    if args.json:
        print(json.dumps(rep, indent=1))
    else:
        print_report(rep)


if __name__ == "__main__":
    main()
