#!/usr/bin/env python3
"""Scores outlet networks against the generator's truth: copy-edge precision, recall and
F1 over outlet pairs (copier, source), and the adjusted Rand index of outlet groups (each
farm network a cluster, every other outlet a singleton; a system's groups likewise, every
outlet it leaves out of a group a singleton). An edge to an ancestor (the wire behind a
republished spun copy: truth.json's `ancestors`) is not counted wrong, nor required.

    score.py TRUTH.json NAME=NETWORK.json [NAME=NETWORK.json ...]

NETWORK.json: `lede outlets --json`, or baseline.py's output (both have `edges` with
`copier`/`source` and `groups` with `outlets`). Prints one JSON object per system.
"""
import json
import sys
from collections import Counter
from math import comb


def ari(truth, pred):
    """Adjusted Rand index of two labelings of the same items."""
    n = len(truth)
    pairs = Counter(zip(truth, pred))
    a, b = Counter(truth), Counter(pred)
    index = sum(comb(v, 2) for v in pairs.values())
    sa, sb = sum(comb(v, 2) for v in a.values()), sum(comb(v, 2) for v in b.values())
    expected = sa * sb / comb(n, 2) if n > 1 else 0
    top = (sa + sb) / 2
    return 1.0 if top == expected else (index - expected) / (top - expected)


def main():
    truth = json.load(open(sys.argv[1]))
    gold = {(a, b) for a, b, _ in truth["edges"]}
    fair = gold | {(a, b) for a, b, _ in truth["ancestors"]}
    outlets = sorted(truth["roles"])
    farm_of = {s: f for f, sites in truth["farms"].items() for s in sites}
    gold_labels = [farm_of.get(o, "single:" + o) for o in outlets]
    for arg in sys.argv[2:]:
        name, path = arg.split("=", 1)
        net = json.load(open(path))
        found = {(e["copier"], e["source"]) for e in net["edges"]}
        right = found & fair
        p = len(right) / len(found) if found else 0.0
        r = len(found & gold) / len(gold) if gold else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        group_of = {}
        for i, g in enumerate(net["groups"]):
            for o in g["outlets"]:
                group_of[o] = f"group:{i}"
        labels = [group_of.get(o, "single:" + o) for o in outlets]
        # Per group, its best farm and which of its members are not farm sites.
        groups = []
        for g in net["groups"]:
            farms = Counter(farm_of.get(o, truth["roles"].get(o, "?")) for o in g["outlets"])
            groups.append({"size": len(g["outlets"]), "members": dict(farms)})
        print(json.dumps({
            "system": name,
            "edges": {"found": len(found), "true": len(gold), "right": len(right),
                      "precision": round(p, 3), "recall": round(r, 3), "f1": round(f1, 3)},
            "wrong_edges": sorted(f"{a} -> {b} ({truth['roles'].get(a)} -> "
                                  f"{truth['roles'].get(b)})" for a, b in found - fair)[:12],
            "missed_edges": sorted(f"{a} -> {b}" for a, b in gold - found)[:12],
            "groups": {"ari": round(ari(gold_labels, labels), 3), "count": len(net["groups"]),
                       "farms": len(truth["farms"]), "found": groups},
            "seconds": net.get("seconds"),
        }))


if __name__ == "__main__":
    main()
