#!/usr/bin/env python3
"""Build the committed quote gold sets.

    build_gold.py wikinews    # -> bench/entities/quotes/wikinews-gold.jsonl
    build_gold.py seed        # -> bench/entities/quotes/seed-gold.jsonl
    build_gold.py all

wikinews: the first 90 articles by id of ../shared/corpus/wikinews-2019-2020 (80 with at least
one double quote mark, 10 without), candidate spans from propose.py, then the hand decisions
in wikinews-review.txt (every candidate must have a decision line). Output lines:
  {"id","url","title","text","quotes":[{"start","end","text","speaker","accepted_speakers",
   "note"?}]}
with Python code-point offsets into text, the span being the text inside the quote marks.

seed: tests/fixtures/seed/gold.json (hand-written gold for the seed page): text is its
"paragraphs" joined with "\n"; each quote's text is located inside its paragraph.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
import propose  # noqa: E402

N_ARTICLES = 90


def shared_dir():
    return os.environ.get("LEDE_SHARED", os.path.join(ROOT, "..", "shared"))


def parse_review(path):
    decisions, additions = {}, {}
    for lineno, raw in enumerate(open(path, encoding="utf-8"), 1):
        line = raw.rstrip("\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        note = None
        # A note starts at " # " outside an @...@ span.
        body = line
        m = re.search(r"\s#\s(.*)$", re.sub(r"@[^@]*@", lambda x: "@" * len(x.group(0)), line))
        if m:
            body, note = line[: m.start()], line[m.start(1):].strip()
        parts = body.split(None, 2)
        if len(parts) < 3:
            raise SystemExit(f"{path}:{lineno}: cannot parse: {line}")
        doc_id, n, rest = parts
        rest = rest.strip()
        span_text, occurrence = None, 1
        sm = re.match(r"@([^@]*)@(?:#(\d+))?\s*(.*)$", rest)
        if sm:
            span_text, occurrence, rest = sm.group(1), int(sm.group(2) or 1), sm.group(3).strip()
        entry = {"span_text": span_text, "occurrence": occurrence, "note": note, "line": lineno}
        if rest == "DROP":
            entry["drop"] = True
        else:
            names = [x.strip() for x in rest.split("||")]
            names = [None if x == "null" else x for x in names]
            if not names or names[0] == "":
                raise SystemExit(f"{path}:{lineno}: no speaker")
            entry["drop"] = False
            entry["speaker"] = names[0]
            entry["accepted"] = names
        if n == "+":
            additions.setdefault(doc_id, []).append(entry)
        else:
            key = (doc_id, int(n))
            if key in decisions:
                raise SystemExit(f"{path}:{lineno}: duplicate decision for {doc_id} {n}")
            decisions[key] = entry
    return decisions, additions


def build_wikinews():
    corpus = os.path.join(shared_dir(), "corpus", "wikinews-2019-2020", "wikinews-2019-2020.jsonl")
    docs = sorted((json.loads(l) for l in open(corpus, encoding="utf-8")), key=lambda d: d["id"])
    docs = docs[:N_ARTICLES]
    decisions, additions = parse_review(os.path.join(HERE, "wikinews-review.txt"))
    used = set()
    out_path = os.path.join(HERE, "wikinews-gold.jsonl")
    counts = {"articles": 0, "with_marks": 0, "candidates": 0, "dropped": 0, "quotes": 0,
              "null_speaker": 0, "ambiguous": 0, "articles_with_quotes": 0}
    with open(out_path, "w", encoding="utf-8") as out:
        for doc in docs:
            text = doc["text"]
            counts["articles"] += 1
            if re.search(r'["“”«»]', text):
                counts["with_marks"] += 1
            quotes = []
            for c in propose.candidates(text):
                counts["candidates"] += 1
                key = (doc["id"], c["n"])
                if key not in decisions:
                    raise SystemExit(f"no review decision for {doc['id']} candidate {c['n']}: {c['text'][:60]!r}")
                used.add(key)
                d = decisions[key]
                if d["drop"]:
                    counts["dropped"] += 1
                    continue
                s, e = c["start"], c["end"]
                if d["span_text"] is not None:
                    para = [(a, b) for a, b in propose.paragraphs(text) if a <= s <= b][0]
                    k = text.find(d["span_text"], para[0], para[1])
                    if k < 0:
                        raise SystemExit(f"span fix not found in paragraph: {key}")
                    s, e = k, k + len(d["span_text"])
                quotes.append(make_quote(text, s, e, d))
            for d in additions.get(doc["id"], []):
                k = -1
                for _ in range(d["occurrence"]):
                    k = text.find(d["span_text"], k + 1)
                    if k < 0:
                        raise SystemExit(f"added span not found in {doc['id']}: {d['span_text']!r}")
                quotes.append(make_quote(text, k, k + len(d["span_text"]), d))
            quotes.sort(key=lambda q: q["start"])
            counts["quotes"] += len(quotes)
            counts["null_speaker"] += sum(q["speaker"] is None for q in quotes)
            counts["ambiguous"] += sum(len(q["accepted_speakers"]) > 1 for q in quotes)
            counts["articles_with_quotes"] += bool(quotes)
            out.write(json.dumps({"id": doc["id"], "url": doc["url"], "title": doc["title"],
                                  "text": text, "quotes": quotes}, ensure_ascii=False) + "\n")
    unused = set(decisions) - used
    if unused:
        raise SystemExit(f"review lines for candidates that do not exist: {sorted(unused)}")
    counts["speakers_distinct"] = len({(json.loads(l)["id"], q["speaker"])
                                       for l in open(out_path, encoding="utf-8")
                                       for q in json.loads(l)["quotes"] if q["speaker"]})
    print(json.dumps({"wikinews": counts}))


def make_quote(text, s, e, d):
    q = {"start": s, "end": e, "text": text[s:e], "speaker": d["speaker"],
         "accepted_speakers": d["accepted"]}
    if d.get("note"):
        q["note"] = d["note"]
    return q


def build_seed():
    gold = json.load(open(os.path.join(ROOT, "tests", "fixtures", "seed", "gold.json"), encoding="utf-8"))
    paras = gold["paragraphs"]
    text = "\n".join(paras)
    offsets, pos = [], 0
    for p in paras:
        offsets.append(pos)
        pos += len(p) + 1
    quotes = []
    for q in gold["quotes"]:
        p = paras[q["paragraph"]]
        k = p.find(q["text"])
        if k < 0:
            raise SystemExit(f"seed quote not found in paragraph {q['paragraph']}: {q['text']!r}")
        s = offsets[q["paragraph"]] + k
        e = s + len(q["text"])
        assert text[s:e] == q["text"]
        item = {"start": s, "end": e, "text": q["text"], "speaker": q["speaker"],
                "accepted_speakers": q["accepted_speakers"]}
        if q.get("note"):
            item["note"] = q["note"]
        quotes.append(item)
    quotes.sort(key=lambda q: q["start"])
    rec = {"id": "seed-" + os.path.splitext(gold["source_file"])[0], "url": None,
           "title": gold["title"], "text": text, "quotes": quotes}
    with open(os.path.join(HERE, "seed-gold.jsonl"), "w", encoding="utf-8") as out:
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(json.dumps({"seed": {"articles": 1, "quotes": len(quotes),
                               "null_speaker": sum(q["speaker"] is None for q in quotes),
                               "ambiguous": sum(len(q["accepted_speakers"]) > 1 for q in quotes)}}))


if __name__ == "__main__":
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what in ("wikinews", "all"):
        build_wikinews()
    if what in ("seed", "all"):
        build_seed()
