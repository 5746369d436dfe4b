"""The benchmark texts: the first PARAGRAPHS paragraphs of each gold document's fundus
articleBody, each cut at the last space before CUT characters (bench/entities/ml/README.md)."""
import json
import os

PARAGRAPHS = 3
CUT = 700


def cut(p):
    if len(p) <= CUT:
        return p
    return p[: p.rfind(" ", 0, CUT)]


def texts(ids, fundus):
    g = json.load(open(os.path.join(fundus, "ground-truth.json"), encoding="utf-8"))
    out = {}
    for i in ids:
        ps = [p.strip() for p in g[i]["articleBody"].split("\n\n") if p.strip()]
        out[i] = [cut(p) for p in ps[:PARAGRAPHS]]
    return out
