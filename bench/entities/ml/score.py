"""Scores entity mentions against gold.tsv: exact span and kind, per language and kind;
and, for lede, whether a matched mention has the gold canonical name.
Usage: python score.py FUNDUS_DIR SYSTEM=out.jsonl[:timing.json] ...  (prints a markdown table)"""
import collections
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(__file__))
from texts import texts  # noqa: E402

KIND = {"PERSON": "Person", "ORG": "Organization", "PLACE": "Place"}


def gold(fundus):
    rows = []
    with open(os.path.join(os.path.dirname(__file__), "gold.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            i, p, mention, kind, name = line.rstrip("\n").split("\t")
            rows.append((i, int(p), mention, KIND[kind], name))
    ids = list(dict.fromkeys(r[0] for r in rows))
    docs = texts(ids, fundus)
    seen = collections.Counter()
    out = {}
    for i, p, mention, kind, name in rows:
        text = docs[i][p]
        n = seen[(i, p, mention)]
        seen[(i, p, mention)] += 1
        hits = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(mention) + r"(?!\w)", text)]
        if n >= len(hits):
            sys.exit(f"gold: {i} paragraph {p}: {mention!r} occurs {len(hits)} times, row {n + 1}")
        s = len(text[: hits[n]].encode())
        out[(i, p, s, s + len(mention.encode()))] = (kind, name)
    return ids, docs, out


def lang_of(i, docs_lang):
    return docs_lang[i]


def main():
    fundus = sys.argv[1]
    ids, docs, g = gold(fundus)
    langs = json.load(open(os.path.join(os.path.dirname(__file__), "languages.json")))
    print("| system | lang | docs | PER P/R/F1 | ORG P/R/F1 | LOC P/R/F1 | all P/R/F1 | canonical | sentences/s |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for arg in sys.argv[2:]:
        label, files = arg.split("=", 1)
        out, _, timing = files.partition(":")
        pred = {}
        for line in open(out, encoding="utf-8"):
            d = json.loads(line)
            for m in d["mentions"]:
                pred[(d["id"], m["paragraph"], m["start"], m["end"])] = (m["kind"], m["name"])
        read = {k[0] for k in pred} | {json.loads(l)["id"] for l in open(out, encoding="utf-8")}
        speed = ""
        if timing and os.path.exists(timing):
            t = json.load(open(timing))
            speed = f"{t['sentences'] / t['seconds']:.0f}"
        for lang in sorted({langs[i] for i in ids if i in read}) + ["all"]:
            keep = lambda k: k[0] in read and (lang == "all" or langs[k[0]] == lang)  # noqa: E731
            cells = []
            canon = [0, 0]
            for kind in ["Person", "Organization", "Place", None]:
                gs = {k for k, v in g.items() if keep(k) and (kind is None or v[0] == kind)}
                ps = {k for k, v in pred.items() if keep(k) and (kind is None or v[0] == kind)}
                tp = sum(1 for k in ps & gs if pred[k][0] == g[k][0])
                if kind is None:
                    for k in ps & gs:
                        if pred[k][0] == g[k][0]:
                            canon[0] += pred[k][1] == g[k][1]
                            canon[1] += 1
                p = tp / len(ps) if ps else 0.0
                r = tp / len(gs) if gs else 0.0
                f = 2 * p * r / (p + r) if p + r else 0.0
                cells.append(f"{100 * p:.0f}/{100 * r:.0f}/**{100 * f:.1f}**")
            ndocs = sum(1 for i in ids if i in read and (lang == "all" or langs[i] == lang))
            cn = f"{canon[0]}/{canon[1]}" if label.startswith("lede") else "-"
            print(f"| {label} | {lang} | {ndocs} | " + " | ".join(cells) + f" | {cn} | {speed if lang == 'all' else ''} |")


if __name__ == "__main__":
    main()
