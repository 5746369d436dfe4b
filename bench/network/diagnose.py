#!/usr/bin/env python3
"""Lists the copy edges a system found that the generator's truth does not hold, with the
copy pairs behind each (from `lede outlets --json`'s `pairs`) and why the pair is there.

    diagnose.py DIR [NETWORK.json]      # DIR: a bench/network.sh work folder (truth, corpus)

Why, from the generator's records: `same story` (both articles copy one wire story, each
with its own network's spin: the swaps coincide), `quotation` (an honest outlet's
attributed quote of the story the source copied), or `shared text` (articles of the
corpus that share a run of words: the longest run is printed).
"""
import json
import re
import sys
from pathlib import Path

TOKEN = re.compile(r"\w+")


def story(record):
    """The wire story a generated article stands for: a farm copy's headline is the
    story's with " | site" after it."""
    return record["title"].split(" | ")[0]


def longest_run(a, b):
    """The longest run of words two texts share."""
    x = TOKEN.findall(" ".join(a["paragraphs"]).lower())
    y = TOKEN.findall(" ".join(b["paragraphs"]).lower())
    best, end = 0, 0
    prev = [0] * (len(y) + 1)
    for i in range(1, len(x) + 1):
        cur = [0] * (len(y) + 1)
        for j in range(1, len(y) + 1):
            if x[i - 1] == y[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best:
                    best, end = cur[j], i
        prev = cur
    return " ".join(x[end - best:end])


def main():
    d = Path(sys.argv[1])
    truth = json.load(open(d / "truth.json"))
    net = json.load(open(sys.argv[2] if len(sys.argv) > 2 else d / "lede.json"))
    records = {}
    for line in open(d / "corpus.jsonl", encoding="utf-8"):
        r = json.loads(line)
        records[r["id"]] = r
    fair = {(a, b) for a, b, _ in truth["edges"]} | {(a, b) for a, b, _ in truth["ancestors"]}
    roles = truth["roles"]
    kinds = {}
    for e in net["edges"]:
        if (e["copier"], e["source"]) in fair:
            continue
        print(f"{e['copier']} ({roles.get(e['copier'])}) -> {e['source']} "
              f"({roles.get(e['source'])}): {e['articles']} articles, {e['words']} words")
        for p in e.get("pairs", []):
            c, s = records.get(p["copy"]["record_id"]), records.get(p["source"]["record_id"])
            if c is None or s is None:
                print(f"    {p['copy']['record_id']} <- {p['source']['record_id']}: not generated")
                continue
            if story(c) == story(s) and roles.get(c["outlet"]) == "farm":
                why = "same story"
            elif roles.get(c["outlet"]) == "honest" and "reported on the story" in " ".join(
                    c["paragraphs"]) and longest_run(c, s).count(" ") >= 7 and story(s) != story(c):
                why = "quotation"
            else:
                why = "shared text"
            kinds[why] = kinds.get(why, 0) + 1
            detail = f" \"{longest_run(c, s)[:160]}\"" if why != "same story" else ""
            print(f"    {c['id']} <- {s['id']} ({p['words']} words{', spun' if p['spun'] else ''}):"
                  f" {why}{detail}")
    print("pairs listed by why:", json.dumps(kinds, sort_keys=True))


if __name__ == "__main__":
    main()
