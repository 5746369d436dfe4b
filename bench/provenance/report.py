#!/usr/bin/env python3
"""Prints the provenance benchmark's table from the files bench/provenance.sh leaves.

    report.py WORK

Reads, for each method NAME in (lede, minhash): WORK/NAME-eval.json (evaluate.py --json)
and WORK/NAME-times.json ({"index_s", "trace_s", "queries", ...}); a method whose files
are missing is left out. Prints one Markdown table of the headline numbers, then passage
F1 and verdict accuracy per query kind, then the timing notes.
"""
import json
import sys
from pathlib import Path

METHODS = [("lede", "lede trace"), ("minhash", "MinHash paragraphs (datasketch)")]


def fmt(x, digits=3):
    return "–" if x is None else f"{x:.{digits}f}"


def load(work, name):
    """(eval, times) of a method, or None when it did not run."""
    e, t = work / f"{name}-eval.json", work / f"{name}-times.json"
    if not (e.exists() and t.exists()):
        return None
    return json.loads(e.read_text()), json.loads(t.read_text())


def main():
    work = Path(sys.argv[1])
    rows = [(label, load(work, name)) for name, label in METHODS]
    rows = [(label, r) for label, r in rows if r]
    print("| method | passage P | R | F1 | verdict acc | subst recall | subst precision "
          "| index s | trace s | queries/s |")
    print("|" + " --- |" * 10)
    for label, (ev, t) in rows:
        o = ev["overall"]
        print(f"| {label} | {fmt(o['passage_precision'])} | {fmt(o['passage_recall'])} | "
              f"{fmt(o['passage_f1'])} | {fmt(o['verdict_accuracy'])} | "
              f"{fmt(o['subst_recall'])} | {fmt(o['subst_precision'])} | "
              f"{fmt(t['index_s'], 1)} | {fmt(t['trace_s'], 1)} | "
              f"{t['queries'] / t['trace_s']:.0f} |")
    kinds = list(rows[0][1][0]["per_kind"]) if rows else []
    print("\npassage F1 / verdict accuracy per kind")
    print("| method | " + " | ".join(kinds) + " |")
    print("|" + " --- |" * (len(kinds) + 1))
    for label, (ev, _) in rows:
        cells = [f"{fmt(m['passage_f1'])} / {fmt(m['verdict_accuracy'])}"
                 for m in ev["per_kind"].values()]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print()
    for label, (ev, t) in rows:
        o = ev["overall"]
        print(f"{label}: {t.get('note', '')} missing queries {o['missing']}, substitutions "
              f"reported on unspun queries {o['subst_on_unspun']}.")


if __name__ == "__main__":
    main()
