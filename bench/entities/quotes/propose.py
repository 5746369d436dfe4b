#!/usr/bin/env python3
"""Propose candidate direct-quote spans by pairing quotation marks (annotation aid only).

    propose.py DOCS.jsonl [--ids FILE] > candidates.jsonl

For each document it pairs quote marks paragraph by paragraph (paragraphs are separated by
"\n") and writes {"id", "candidates": [{"n", "start", "end", "text", "kind"}]}, where the
span is the text inside the marks (Python code-point offsets) and `kind` is
  "pair"     a double-quote pair (" " , “ ”, « ») in one paragraph,
  "open"     a paragraph that opens with a quote mark and has no closing one (a quote that
             runs on into the next paragraph): the span runs to the end of the paragraph,
  "single"   a ‘ ’ or ' ' pair outside any double-quoted span (often a title or a name),
  "unpaired" a stray double-quote mark, reported as an empty span at the mark.
Nothing here decides what is a quote or who said it: wikinews-review.txt does, by hand,
and build_wikinews_gold.py applies it.
"""
import json
import re
import sys

OPEN = {'"': '"', "“": "”", "«": "»", "„": "“"}
DOUBLE = set('"“”«»„')


def paragraphs(text):
    for m in re.finditer(r"[^\n]+", text):
        yield m.start(), m.end()


def trim(text, s, e):
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return s, e


def pair_paragraph(text, ps, pe):
    marks = [i for i in range(ps, pe) if text[i] in DOUBLE]
    out = []
    first_nonspace = ps
    while first_nonspace < pe and text[first_nonspace].isspace():
        first_nonspace += 1
    i = 0
    if len(marks) % 2 == 1 and marks and marks[0] == first_nonspace:
        # An unclosed opening quote: the first mark opens a quote that runs past this
        # paragraph; pair the rest from the second mark on.
        nxt = marks[1] if len(marks) > 1 else pe
        s, e = trim(text, marks[0] + 1, nxt if len(marks) > 1 else pe)
        if len(marks) == 1:
            out.append((s, e, "open"))
            return out
        # "…text "inner" more… : ambiguous; treat the whole rest of the paragraph as open.
        s, e = trim(text, marks[0] + 1, pe)
        out.append((s, e, "open"))
        return out
    while i + 1 < len(marks):
        a, b = marks[i], marks[i + 1]
        s, e = trim(text, a + 1, b)
        out.append((s, e, "pair"))
        i += 2
    if i < len(marks):
        out.append((marks[i], marks[i], "unpaired"))
    return out


SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))(['‘])(?=\S)(.+?)(?<=\S)(['’])(?=$|[\s.,;:!?)\]—–-])", re.M)


def candidates(text):
    cands = []
    for ps, pe in paragraphs(text):
        dbl = pair_paragraph(text, ps, pe)
        cands.extend(dbl)
        for m in SINGLE.finditer(text, ps, pe):
            s, e = m.start(2), m.end(2)
            if m.group(1) == "'" and m.group(3) != "'":
                continue
            if m.group(1) == "‘" and m.group(3) != "’":
                continue
            if any(a <= s and e <= b for a, b, _ in dbl):
                continue  # nested inside a double-quoted span: part of that quote
            if "\n" in text[s:e]:
                continue
            cands.append((s, e, "single"))
    cands.sort()
    return [{"n": n + 1, "start": s, "end": e, "text": text[s:e], "kind": k}
            for n, (s, e, k) in enumerate(cands)]


def main():
    args = sys.argv[1:]
    ids = None
    if "--ids" in args:
        k = args.index("--ids")
        ids = set(open(args[k + 1]).read().split())
        del args[k:k + 2]
    for line in open(args[0], encoding="utf-8"):
        doc = json.loads(line)
        if ids is not None and doc["id"] not in ids:
            continue
        print(json.dumps({"id": doc["id"], "candidates": candidates(doc["text"])}, ensure_ascii=False))


if __name__ == "__main__":
    main()
