#!/usr/bin/env python3
"""Build gold-es-releases.jsonl: direct quotes and speakers in Spanish press releases of the
U.S. Congress (issue #17), a second Spanish dev set (its test half is the fundus pages').

    build_releases.py [--corpus PATH]   # default: ../shared/corpus/congress-press-releases/
                                         # bench-2015-2019.jsonl.gz, from the repository root

Source: `congress-press-releases` (../shared/corpus; the releases of members of Congress are
U.S. Government works, **public domain**, 17 U.S.C. 105; collected by R. Wang and P. D. Tucker,
github.com/wang-richard/happycongress). Selection, in the corpus's order and then by the
SHA-1 of each id: the releases written in Spanish (a quarter of their words or more among a
few Spanish function words) under 7,000 characters whose quotation marks are curly,
balanced and alternating (“…”), with no straight ones: the corpus keeps each release on
one line, so straight quotes that open a paragraph and close none cannot be paired. Every
span between “ and ” is a candidate, numbered from 1 per release, and `review-es-releases.txt`
decides each (speaker, null or DROP), as `build.py` does for the fundus pages.
"""
import argparse
import gzip
import hashlib
import json
import os
import re
import sys

SPANISH = set("el la los las de del que y en por para con una un es su al se".split())
CANDIDATE = re.compile("“([^“”]{2,4000}?)”")


def spanish_and_paired(text):
    words = re.findall(r"\w+", text.lower())
    if len(words) < 50 or sum(w in SPANISH for w in words) / len(words) <= 0.25:
        return False
    marks = [c for c in text if c in "“”"]
    alternating = all(c == ("“" if i % 2 == 0 else "”") for i, c in enumerate(marks))
    return bool(marks) and len(marks) % 2 == 0 and alternating and '"' not in text and len(text) < 7000


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(os.path.join(here, "../../../.."))
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=os.path.join(
        root, "../shared/corpus/congress-press-releases/bench-2015-2019.jsonl.gz"))
    args = ap.parse_args()
    releases = [r for r in map(json.loads, gzip.open(args.corpus, "rt", encoding="utf-8"))
                if spanish_and_paired(r["text"])]
    releases.sort(key=lambda r: hashlib.sha1(r["id"].encode()).hexdigest())
    review = os.path.join(here, "review-es-releases.txt")
    decisions = {}
    for n, line in enumerate(open(review, encoding="utf-8"), 1):
        line = line.split("   #")[0].strip()
        if not line or line.startswith("#"):
            continue
        doc, key, rest = line.split(" ", 2)
        decisions.setdefault(doc, {})[int(key)] = rest.strip()
    out = []
    for r in releases:
        if r["id"] not in decisions:
            sys.exit(f"{review}: release {r['id']} has no decisions")
        pick, quotes = decisions.pop(r["id"]), []
        for k, c in enumerate(CANDIDATE.finditer(r["text"]), 1):
            verdict = pick.pop(k, None)
            if verdict is None:
                sys.exit(f"{review}: {r['id']} candidate {k} has no decision: {c.group(0)[:60]!r}")
            if verdict == "DROP":
                continue
            names = [None if s.strip() == "null" else s.strip() for s in verdict.split("||")]
            quotes.append({"start": c.start(1), "end": c.end(1), "text": c.group(1),
                           "speaker": names[0], "accepted_speakers": names})
        if pick:
            sys.exit(f"{review}: {r['id']}: decisions without a candidate: {pick}")
        out.append({"id": r["id"], "language": "es", "split": "dev",
                    "source": f"congress-press-releases, {r['source']}", "date": r["date"],
                    "outlet": r["outlet"], "license": r["license"], "text": r["text"],
                    "quotes": quotes})
    if decisions:
        sys.exit(f"{review}: releases not selected: {sorted(decisions)}")
    path = os.path.join(here, "gold-es-releases.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"es-releases: {len(out)} releases, {sum(len(r['quotes']) for r in out)} dev quotes -> {path}")


if __name__ == "__main__":
    main()
