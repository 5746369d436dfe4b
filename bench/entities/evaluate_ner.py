#!/usr/bin/env python3
"""NER evaluator for lede issue #5: the same gold sentences, any number of systems.

  evaluate_ner.py texts GOLD.jsonl[.gz] OUT.jsonl
      Writes one {"id": doc, "text": ...} record per gold document: each sentence's
      tokens joined by single spaces, sentences joined by "\\n". Systems tag these texts.

  evaluate_ner.py score GOLD.jsonl[.gz] [NAME=]PRED.jsonl ... [--json OUT] [--by-source]
      PRED lines are {"id", "entities": [{"start", "end", "label"}, ...]} with code-point
      offsets into the text above. Prints a markdown table (one row per system): exact
      span + type micro P/R/F1, F1 per type, and untyped-span P/R/F1.

GOLD is the sentence format of bench/entities/data/ner/*.jsonl:
{"doc", "source", "genre", "tokens": [...], "tags": [BIO over PERSON/ORG/PLACE]}.

Label mapping for predictions: PERSON (and PER) -> PERSON; ORG -> ORG; spaCy GPE, LOC,
FAC and lede PLACE -> PLACE. Everything else (NORP, NATIONALITY, DATE, MISC, ...) is
ignored: neither right nor wrong.
"""
import argparse
import gzip
import json
import os
import sys
from collections import Counter, OrderedDict

LABELS = ("PERSON", "ORG", "PLACE")
LABEL_MAP = {"PERSON": "PERSON", "PER": "PERSON", "ORG": "ORG", "PLACE": "PLACE",
             "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE"}


def open_text(path):
    return gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else \
        open(path, encoding="utf-8")


def load_gold(path):
    """-> OrderedDict doc -> {"text", "source", "sentences", "spans": {(s, e, label)}}."""
    docs = OrderedDict()
    with open_text(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            d = docs.setdefault(r["doc"], {"parts": [], "source": r.get("source", "?"),
                                           "spans": set(), "sentences": 0, "len": 0})
            if d["parts"]:
                d["len"] += 1  # the "\n" between sentences
            d["sentences"] += 1
            offs, pos = [], d["len"]
            for k, tok in enumerate(r["tokens"]):
                if k:
                    pos += 1
                offs.append((pos, pos + len(tok)))
                pos += len(tok)
            text = " ".join(r["tokens"])
            assert d["len"] + len(text) == pos
            d["parts"].append(text)
            d["len"] = pos
            start, lab = None, None
            tags = r["tags"] + ["O"]
            for k, t in enumerate(tags):
                if start is not None and not t.startswith("I-"):
                    d["spans"].add((offs[start][0], offs[k - 1][1], lab))
                    start = None
                if t.startswith("B-") or (t.startswith("I-") and start is None):
                    start, lab = k, t[2:]
    for d in docs.values():
        d["text"] = "\n".join(d.pop("parts"))
        assert len(d["text"]) == d.pop("len")
    return docs


def cmd_texts(args):
    docs = load_gold(args.gold)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", encoding="utf-8") as f:
        for doc, d in docs.items():
            f.write(json.dumps({"id": doc, "text": d["text"]}, ensure_ascii=False) + "\n")
    n_sent = sum(d["sentences"] for d in docs.values())
    print(f"{args.out}: {len(docs)} documents, {n_sent} sentences, "
          f"{sum(len(d['spans']) for d in docs.values())} gold entities", file=sys.stderr)


def load_pred(path, docs):
    pred, texts_checked, bad = {}, 0, 0
    with open_text(path) as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            doc = r["id"]
            if doc not in docs:
                continue
            text = docs[doc]["text"]
            spans = set()
            for e in r.get("entities", []):
                lab = LABEL_MAP.get(e.get("label"))
                if lab is None:
                    continue
                s, t = int(e["start"]), int(e["end"])
                if "text" in e:
                    texts_checked += 1
                    if text[s:t] != e["text"]:
                        bad += 1
                spans.add((s, t, lab))
            pred[doc] = spans
    if bad:
        print(f"warning: {path}: {bad} of {texts_checked} entity texts do not match the "
              "gold text at their offsets (byte vs code-point offsets?)", file=sys.stderr)
    return pred


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4), "tp": tp, "fp": fp, "fn": fn}


def score(docs, pred, only_source=None):
    c = Counter()
    missing = 0
    for doc, d in docs.items():
        if only_source and d["source"] != only_source:
            continue
        gold = d["spans"]
        if doc not in pred:
            missing += 1
        sys_ = pred.get(doc, set())
        c["tp"] += len(gold & sys_)
        c["fp"] += len(sys_ - gold)
        c["fn"] += len(gold - sys_)
        for lab in LABELS:
            g = {x for x in gold if x[2] == lab}
            s = {x for x in sys_ if x[2] == lab}
            c["tp_" + lab] += len(g & s)
            c["fp_" + lab] += len(s - g)
            c["fn_" + lab] += len(g - s)
        gu = {(a, b) for a, b, _ in gold}
        su = {(a, b) for a, b, _ in sys_}
        c["tp_span"] += len(gu & su)
        c["fp_span"] += len(su - gu)
        c["fn_span"] += len(gu - su)
    out = {"typed": prf(c["tp"], c["fp"], c["fn"]),
           "per_type": {lab: prf(c["tp_" + lab], c["fp_" + lab], c["fn_" + lab])
                        for lab in LABELS},
           "untyped": prf(c["tp_span"], c["fp_span"], c["fn_span"]),
           "missing_docs": missing}
    return out


def row(name, res):
    t, u = res["typed"], res["untyped"]
    per = " | ".join(f"{res['per_type'][lab]['f1'] * 100:.1f}" for lab in LABELS)
    miss = f" ({res['missing_docs']} docs missing)" if res["missing_docs"] else ""
    return (f"| {name}{miss} | {t['p'] * 100:.1f} | {t['r'] * 100:.1f} | **{t['f1'] * 100:.1f}** | "
            f"{per} | {u['p'] * 100:.1f} | {u['r'] * 100:.1f} | {u['f1'] * 100:.1f} |")


HEADER = ("| system | P | R | **F1** | PERSON F1 | ORG F1 | PLACE F1 | span P | span R | span F1 |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")


def cmd_score(args):
    docs = load_gold(args.gold)
    n_gold = Counter(lab for d in docs.values() for _, _, lab in d["spans"])
    sources = sorted({d["source"] for d in docs.values()})
    results = {"gold": os.path.basename(args.gold), "docs": len(docs),
               "sentences": sum(d["sentences"] for d in docs.values()),
               "gold_entities": dict(n_gold), "systems": {}}
    title = args.title or os.path.basename(args.gold)
    print(f"\n{title}: {len(docs)} docs, {results['sentences']} sentences, gold "
          + ", ".join(f"{lab} {n_gold[lab]}" for lab in LABELS)
          + " (exact span + type, micro; span = untyped)")
    print(HEADER)
    rows_by_source = []
    for spec in args.pred:
        name, _, path = spec.rpartition("=")
        name = name or os.path.splitext(os.path.basename(path))[0]
        pred = load_pred(path, docs)
        res = score(docs, pred)
        if len(sources) > 1:
            res["by_source"] = {s: score(docs, pred, s) for s in sources}
            rows_by_source += [row(f"{name} ({s})", res["by_source"][s]) for s in sources]
        results["systems"][name] = res
        print(row(name, res))
    if rows_by_source and args.by_source:
        print("\nby source:")
        print(HEADER)
        print("\n".join(rows_by_source))
    if args.json:
        os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("texts", help="gold sentences -> {id,text} documents")
    t.add_argument("gold")
    t.add_argument("out")
    t.set_defaults(func=cmd_texts)
    s = sub.add_parser("score", help="score predictions against gold")
    s.add_argument("gold")
    s.add_argument("pred", nargs="+", help="[NAME=]PRED.jsonl")
    s.add_argument("--json", help="write the results here")
    s.add_argument("--title", help="table title (default: the gold file name)")
    s.add_argument("--by-source", action="store_true",
                   help="also print rows per gold source (gum, wikigold, ...)")
    s.set_defaults(func=cmd_score)
    args = ap.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
