#!/usr/bin/env python3
"""Composites and single-source originals for bench/intrinsic.sh (issue 16, item 5).

Real Wikinews articles (../shared/corpus/wikinews-2019-2020), split in two halves by a
seeded shuffle: `tune` (thresholds are chosen on it) and `test` (reported). For each half:

- originals: every usable article as it is, all in one store (`<half>-orig.jsonl`);
- composites: a host article with a block of 1-2 consecutive paragraphs of a second
  article (and, for a third of them, a block of a third) inserted at a random place
  after its first paragraph; half of them open the inserted block with "Less than 24
  hours later, ", the seed's unanchored phrase. Each article is used once per round, so
  no composite's sources (nor another composite sharing them) are in its store; each
  round is a store of its own (`<half>-comp-<round>.jsonl`).

Gold (`gold.jsonl`): id, half, kind (original / composite), timed, inserted paragraphs.
"""
import argparse
import json
import random
import re
from pathlib import Path

MIN_WORDS = 8  # shorter paragraphs (datelines, sign-offs) are dropped
MIN_PARAGRAPHS = 4


def paragraphs(text):
    out = []
    for p in re.split(r"\n\s*\n", text):
        p = " ".join(p.split())
        if len(p.split()) >= MIN_WORDS:
            out.append(p)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261204)
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    src = Path(a.shared) / "corpus/wikinews-2019-2020/wikinews-2019-2020.jsonl"
    arts = []
    for line in open(src):
        r = json.loads(line)
        ps = paragraphs(r["text"])
        if len(ps) >= MIN_PARAGRAPHS:
            arts.append({"id": r["id"], "title": r["title"], "date": r["date"], "paragraphs": ps})
    rng.shuffle(arts)
    halves = {"tune": arts[: len(arts) // 2], "test": arts[len(arts) // 2 :]}
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    gold = open(out / "gold.jsonl", "w")
    stores = []
    for half, pool in halves.items():
        name = f"{half}-orig.jsonl"
        with open(out / name, "w") as f:
            for art in pool:
                rec = dict(art, id=f"orig-{art['id']}", outlet="Wikinews")
                f.write(json.dumps(rec) + "\n")
                gold.write(json.dumps({"id": rec["id"], "half": half, "kind": "original",
                                       "store": name}) + "\n")
        stores.append(name)
        for rnd in range(a.rounds):
            name = f"{half}-comp-{rnd}.jsonl"
            order = pool[:]
            rng.shuffle(order)
            with open(out / name, "w") as f:
                n = 0
                while order:
                    parts = 3 if rng.random() < 1 / 3 else 2
                    if len(order) < parts:
                        break
                    host, *donors = [order.pop() for _ in range(parts)]
                    ps = list(host["paragraphs"])
                    inserted = []
                    timed = rng.random() < 0.5
                    for k, d in enumerate(donors):
                        size = min(rng.choice([1, 2]), len(d["paragraphs"]))
                        start = rng.randrange(len(d["paragraphs"]) - size + 1)
                        block = d["paragraphs"][start : start + size]
                        if timed and k == 0:
                            first = block[0]
                            block = ["Less than 24 hours later, " + first[0].lower() + first[1:]] + block[1:]
                        at = rng.randrange(1, len(ps) + 1)
                        # Paragraphs already inserted at or after `at` move down.
                        inserted = [i + size if i >= at else i for i in inserted]
                        inserted += list(range(at, at + size))
                        ps[at:at] = block
                    rid = f"comp-{half}-{rnd}-{n}"
                    n += 1
                    rec = {"id": rid, "outlet": "Farm", "title": host["title"],
                           "date": host["date"], "paragraphs": ps}
                    f.write(json.dumps(rec) + "\n")
                    gold.write(json.dumps({"id": rid, "half": half, "kind": "composite",
                                           "timed": timed, "sources": parts,
                                           "inserted": sorted(inserted), "store": name}) + "\n")
            stores.append(name)
    (out / "stores.txt").write_text("\n".join(stores) + "\n")


if __name__ == "__main__":
    main()
