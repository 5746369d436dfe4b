#!/usr/bin/env python3
"""Build the multilingual quote gold sets (issue #17) from lede's reading of fundus pages and
the hand review files.

    build.py ANALYZED_DIR [--out DIR]

ANALYZED_DIR holds `<id>.json`, the output of `lede analyze --json` on the fundus page
`<id>.html.gz` (see README.md). For each `review-<lang>.txt` here, every document named in it
becomes one gold line {"id","language","split","source","text","quotes"}: `text` is the
page's paragraphs joined by blank lines; the candidates are the spans between paired
quotation marks of any style (below), numbered per document in reading order, and the review
decides each one. Fails when a candidate has no decision or a decision has no candidate.

Review lines:  ID N SPEAKER [|| ALT ...]      candidate N is a quote of SPEAKER (or null)
               ID N DROP                      candidate N is not a quote
               ID + @EXACT TEXT@[#K] SPEAKER  a quote the candidates miss (dialogue dashes),
                                              the K-th occurrence of the text (default 1)
"""
import argparse
import json
import os
import re
import sys

PAIRS = [("„", "“"), ("„", "”"), ("«", "»"), ("»", "«"), ("‹", "›"), ("“", "”"), ('"', '"'),
         ("「", "」"), ("‚", "‘")]
CANDIDATE = re.compile("|".join(
    re.escape(o) + "([^" + re.escape(o + c) + "]{2,2000}?)" + re.escape(c) for o, c in PAIRS))

# Documents whose quotes were read while the rules were written; the rest is the test half.
DEV = {
    "at-ORF_2024_11_22", "ch-TagesAnzeiger_2024_09_04", "de-FAZ_2025_04_15",
    "de-HamburgerAbendblatt_2025_11_06", "fr-EuronewsFR_2024_04_30", "fr-LeMonde_2023_09_01",
    "es-Publico_2025_05_29", "es-ABC_2025_01_13", "it-IlGiornale_2025_02_04",
    "it-LaRepubblica_2025_01_05", "ua-Pravda_2026_01_08",
}


def speakers(field):
    names = [s.strip() for s in field.split("||")]
    names = [None if s == "null" else s for s in names]
    return names[0], names


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("analyzed")
    ap.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = ap.parse_args()
    here = os.path.dirname(os.path.abspath(__file__))
    for name in sorted(os.listdir(here)):
        m = re.fullmatch(r"review-(\w+)\.txt", name)
        if not m:
            continue
        lang = m.group(1)
        decisions = {}
        order = []
        for n, line in enumerate(open(os.path.join(here, name), encoding="utf-8"), 1):
            line = line.split("   #")[0].strip()
            if not line or line.startswith("#"):
                continue
            doc, key, rest = line.split(" ", 2)
            if doc not in decisions:
                decisions[doc] = {"pick": {}, "add": []}
                order.append(doc)
            if key == "+":
                mm = re.fullmatch(r"@(.+)@(?:#(\d+))?\s+(.+)", rest)
                if not mm:
                    sys.exit(f"{name}:{n}: bad addition: {line}")
                decisions[doc]["add"].append((mm.group(1), int(mm.group(2) or 1), mm.group(3)))
            else:
                decisions[doc]["pick"][int(key)] = rest.strip()
        out = []
        for doc in order:
            a = json.load(open(os.path.join(args.analyzed, doc + ".json"), encoding="utf-8"))
            paras = a["paragraphs"]
            text = "\n\n".join(paras)
            quotes, k, at = [], 0, 0
            for p in paras:
                for c in CANDIDATE.finditer(p):
                    k += 1
                    verdict = decisions[doc]["pick"].pop(k, None)
                    if verdict is None:
                        sys.exit(f"{name}: {doc} candidate {k} has no decision: {c.group(0)!r}")
                    if verdict == "DROP":
                        continue
                    g = next(i for i in range(1, len(c.groups()) + 1) if c.group(i) is not None)
                    s, e = at + c.start(g), at + c.end(g)
                    first, accepted = speakers(verdict)
                    quotes.append({"start": s, "end": e, "text": text[s:e], "speaker": first,
                                   "accepted_speakers": accepted})
                at += len(p) + 2
            if decisions[doc]["pick"]:
                sys.exit(f"{name}: {doc}: decisions without a candidate: {decisions[doc]['pick']}")
            for span, nth, who in decisions[doc]["add"]:
                s = -1
                for _ in range(nth):
                    s = text.find(span, s + 1)
                    if s < 0:
                        sys.exit(f"{name}: {doc}: not in the text: {span!r}#{nth}")
                first, accepted = speakers(who)
                quotes.append({"start": s, "end": s + len(span), "text": span, "speaker": first,
                               "accepted_speakers": accepted})
            quotes.sort(key=lambda q: q["start"])
            out.append({"id": doc, "language": lang, "split": "dev" if doc in DEV else "test",
                        "source": f"fundus tests/resources/parser/test_data, {doc}",
                        "url": a.get("url"), "title": a.get("title"), "text": text,
                        "quotes": quotes})
        path = os.path.join(args.out, f"gold-{lang}.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            for r in out:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        n = {s: sum(len(r["quotes"]) for r in out if r["split"] == s) for s in ("dev", "test")}
        print(f"{lang}: {len(out)} documents, {n['dev']} dev + {n['test']} test quotes -> {path}")


if __name__ == "__main__":
    main()
