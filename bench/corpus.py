#!/usr/bin/env python3
"""Reproducible benchmark inputs made from the congressional press releases.

    corpus.py scale  SRC.jsonl.gz COPIES   > big.jsonl    # COPIES x the corpus, perturbed
    corpus.py queries SRC.jsonl.gz N SEED  > queries.jsonl

scale: copy 0 is the corpus as it is; copy c > 0 gives each record the id `<id>~c<c>`, a
date moved c weeks later, and a text from which about 10 % of the words are dropped,
chosen by a hash of (c, word position), so every copy is new text (a new content hash)
with the corpus's own vocabulary, lengths and outlets. 20 copies of the 52,060 releases
make 1,041,200 records. The same arguments always give the same bytes.

queries: N queries drawn with a seeded generator from the corpus's own words: single
terms, two and three terms (AND), phrases of two or three words, OR pairs, title-only
words, and a fifth of them with a date range or an outlet filter. One JSON object a line:
{"q": lede query, "fts": SQLite FTS5 MATCH expression, "from", "to", "outlet"}.
"""
import datetime
import gzip
import hashlib
import json
import random
import re
import sys

WORD = re.compile(r"[A-Za-z][a-z]{3,}")
STOP = set("this that with from have will their they were which been said about would there these other more "
           "into than when also what some only over such most after year years state states today".split())


def records(path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def keep(c, i):
    h = hashlib.blake2b(f"{c}:{i}".encode(), digest_size=2).digest()
    return h[0] >= 26  # drops about 10 %


def scale(src, copies):
    out = sys.stdout
    for c in range(copies):
        for r in records(src):
            if c:
                r = dict(r)
                r["id"] = f"{r['id']}~c{c}"
                d = datetime.date.fromisoformat(r["date"]) + datetime.timedelta(weeks=c)
                r["date"] = d.isoformat()
                words = r["text"].split(" ")
                r["text"] = " ".join(w for i, w in enumerate(words) if keep(c, i))
            out.write(json.dumps(r, ensure_ascii=False) + "\n")


def queries(src, n, seed):
    rnd = random.Random(seed)
    docs = [r for r in records(src) if len(r["text"]) > 400]
    outlets = sorted({r["outlet"] for r in docs})
    out = []
    while len(out) < n:
        r = rnd.choice(docs)
        words = [w.lower() for w in WORD.findall(r["text"]) if w.lower() not in STOP]
        if len(words) < 10:
            continue
        kind = rnd.choice(["one", "two", "three", "phrase2", "phrase3", "or", "title"])
        i = rnd.randrange(len(words) - 3)
        if kind == "one":
            q, fts = words[i], words[i]
        elif kind in ("two", "three"):
            k = 2 if kind == "two" else 3
            picks = rnd.sample(words, k)
            q = " ".join(picks)
            fts = " AND ".join(picks)
        elif kind.startswith("phrase"):
            k = int(kind[-1])
            toks = r["text"].split()
            j = rnd.randrange(max(1, len(toks) - k))
            phrase = [re.sub(r"[^A-Za-z]", "", t).lower() for t in toks[j:j + k]]
            if not all(phrase):
                continue
            q = '"' + " ".join(phrase) + '"'
            fts = q
        elif kind == "or":
            a, b = rnd.sample(words, 2)
            q, fts = f"{a} OR {b}", f"{a} OR {b}"
        else:
            q, fts = f"title:{words[i]}", f"title : {words[i]}"
        item = {"q": q, "fts": fts, "from": None, "to": None, "outlet": None}
        roll = rnd.random()
        if roll < 0.1:
            start = datetime.date(2015, 1, 1) + datetime.timedelta(days=rnd.randrange(1500))
            item["from"], item["to"] = start.isoformat(), (start + datetime.timedelta(days=90)).isoformat()
        elif roll < 0.2:
            item["outlet"] = rnd.choice(outlets)
        out.append(item)
    for item in out:
        print(json.dumps(item))


if __name__ == "__main__":
    if len(sys.argv) >= 4 and sys.argv[1] == "scale":
        scale(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) >= 5 and sys.argv[1] == "queries":
        queries(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        sys.exit(__doc__)
