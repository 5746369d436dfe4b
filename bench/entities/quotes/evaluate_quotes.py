#!/usr/bin/env python3
"""Score direct-quote predictions against a quote gold set.

    evaluate_quotes.py GOLD.jsonl PRED.jsonl [PRED.jsonl ...] [--names a,b] [--json OUT]
                       [--errors N]

GOLD: {"id","text","quotes":[{"start","end","text","speaker","accepted_speakers"}]}
PRED: {"id","quotes":[{"start","end","text","speaker","direct"}]} (other keys ignored; quotes
with "direct": false are ignored). Offsets are Python code points into the gold text. Only
gold document ids are scored; a gold document without a prediction line has no predictions.

Span matching (one-to-one within a document):
* exact: both spans are first trimmed of whitespace and punctuation (quote marks included) at
  both ends, then must be identical;
* lenient: the overlap is at least 50% of the longer (trimmed) span; pairs are taken greedily,
  largest overlap first.
Speaker rule: case-insensitive, whitespace-normalised. A predicted name is acceptable if it
equals one of the gold accepted_speakers, or its last word equals that accepted name's last
word (surname match; a trailing possessive 's and punctuation are ignored). null matches only
null. An accepted_speakers of ["*"] (PolNeAR pronoun sources) accepts anything and is left
out of speaker accuracy.
Reported per system: exact and lenient span P/R/F1; speaker accuracy over the lenient
matches; end-to-end quote+speaker F1 (a prediction counts only if its span matches AND its
speaker is acceptable), exact and lenient.
"""
import argparse
import json
import os
import re
import sys
import unicodedata


def is_trim(ch):
    return ch.isspace() or unicodedata.category(ch)[0] in "PS"


def trim(text, s, e):
    s, e = max(0, s), min(len(text), e)
    while s < e and is_trim(text[s]):
        s += 1
    while e > s and is_trim(text[e - 1]):
        e -= 1
    return s, e


def norm_name(name):
    return " ".join(str(name).lower().split())


def last_word(name):
    words = re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", norm_name(name))
    while words and words[-1] in ("s",):
        words.pop()
    if not words:
        return ""
    return re.sub(r"['’]s$", "", words[-1])


def speaker_ok(pred, accepted):
    if accepted == ["*"]:
        return True
    for acc in accepted:
        if acc is None or pred is None:
            if acc is None and pred is None:
                return True
            continue
        if norm_name(pred) == norm_name(acc):
            return True
        lw = last_word(pred)
        if lw and lw == last_word(acc):
            return True
    return False


def load(path):
    out = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            rec = json.loads(line)
            out[rec["id"]] = rec
    return out


def prf(tp_p, n_pred, tp_g, n_gold):
    p = tp_p / n_pred if n_pred else 0.0
    r = tp_g / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def match(golds, preds, lenient):
    """golds/preds: lists of (s, e, obj); returns list of (gi, pi)."""
    pairs = []
    if not lenient:
        index = {}
        for gi, (s, e, _) in enumerate(golds):
            index.setdefault((s, e), []).append(gi)
        used = set()
        for pi, (s, e, _) in enumerate(preds):
            for gi in index.get((s, e), []):
                if gi not in used:
                    used.add(gi)
                    pairs.append((gi, pi))
                    break
        return pairs
    cands = []
    for gi, (gs, ge, _) in enumerate(golds):
        for pi, (ps, pe, _) in enumerate(preds):
            ov = min(ge, pe) - max(gs, ps)
            longer = max(ge - gs, pe - ps)
            if ov > 0 and longer and ov >= 0.5 * longer:
                cands.append((ov / longer, ov, gi, pi))
    cands.sort(reverse=True)
    ug, up = set(), set()
    for _, _, gi, pi in cands:
        if gi not in ug and pi not in up:
            ug.add(gi)
            up.add(pi)
            pairs.append((gi, pi))
    return pairs


def evaluate(gold, pred, errors=0, name=""):
    n_gold = n_pred = 0
    ex = le = ex_e2e = le_e2e = 0
    spk_n = spk_ok = 0
    bad_offsets = 0
    errs = {"missed": [], "spurious": [], "speaker": []}
    for doc_id, g in gold.items():
        text = g["text"]
        golds = []
        for q in g["quotes"]:
            s, e = trim(text, q["start"], q["end"])
            golds.append((s, e, q))
        preds = []
        for q in (pred.get(doc_id) or {}).get("quotes", []):
            if q.get("direct", True) is False:
                continue
            if "text" in q and text[q["start"]:q["end"]] != q["text"]:
                bad_offsets += 1
            s, e = trim(text, q["start"], q["end"])
            if e <= s:
                continue
            preds.append((s, e, q))
        n_gold += len(golds)
        n_pred += len(preds)
        exact = match(golds, preds, False)
        ex += len(exact)
        ex_e2e += sum(speaker_ok(preds[pi][2].get("speaker"), golds[gi][2]["accepted_speakers"]) for gi, pi in exact)
        lenient = match(golds, preds, True)
        le += len(lenient)
        for gi, pi in lenient:
            acc = golds[gi][2]["accepted_speakers"]
            ok = speaker_ok(preds[pi][2].get("speaker"), acc)
            le_e2e += ok
            if acc != ["*"]:
                spk_n += 1
                spk_ok += ok
                if not ok:
                    errs["speaker"].append((doc_id, golds[gi][2]["text"][:70], acc, preds[pi][2].get("speaker")))
        mg = {gi for gi, _ in lenient}
        mp = {pi for _, pi in lenient}
        errs["missed"] += [(doc_id, q["text"][:70], q["speaker"]) for gi, (_, _, q) in enumerate(golds) if gi not in mg]
        errs["spurious"] += [(doc_id, text[s:e][:70], q.get("speaker")) for pi, (s, e, q) in enumerate(preds) if pi not in mp]
    res = {"gold_docs": len(gold), "gold_quotes": n_gold, "pred_quotes": n_pred,
           "pred_text_mismatches": bad_offsets}
    for key, tp in (("exact", ex), ("lenient", le), ("e2e_exact", ex_e2e), ("e2e_lenient", le_e2e)):
        p, r, f = prf(tp, n_pred, tp, n_gold)
        res[key] = {"tp": tp, "p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}
    res["speaker_accuracy"] = {"correct": spk_ok, "checked": spk_n,
                               "acc": round(spk_ok / spk_n, 4) if spk_n else None}
    if errors:
        for kind in ("missed", "spurious", "speaker"):
            items = errs[kind]
            print(f"-- {name}: {kind} ({len(items)})", file=sys.stderr)
            for it in items[:errors]:
                print("   ", " | ".join(str(x) for x in it), file=sys.stderr)
    return res


def table(gold_path, results):
    first = next(iter(results.values()))
    lines = [f"gold: {os.path.basename(gold_path)} ({first['gold_docs']} docs, {first['gold_quotes']} quotes)", "",
             "| system | pred | span P | span R | span F1 | lenient P | lenient R | lenient F1 | speaker acc | e2e F1 | e2e F1 (lenient) |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, r in results.items():
        sa = r["speaker_accuracy"]
        acc = f"{sa['acc']:.3f} ({sa['correct']}/{sa['checked']})" if sa["acc"] is not None else "n/a"
        lines.append(f"| {name} | {r['pred_quotes']} | {r['exact']['p']:.3f} | {r['exact']['r']:.3f} | "
                     f"{r['exact']['f1']:.3f} | {r['lenient']['p']:.3f} | {r['lenient']['r']:.3f} | "
                     f"{r['lenient']['f1']:.3f} | {acc} | {r['e2e_exact']['f1']:.3f} | {r['e2e_lenient']['f1']:.3f} |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("gold")
    ap.add_argument("preds", nargs="+")
    ap.add_argument("--names", help="comma-separated system names (default: file names)")
    ap.add_argument("--json", help="write all numbers to this file")
    ap.add_argument("--errors", type=int, default=0, help="print up to N errors of each kind to stderr")
    args = ap.parse_args()
    names = args.names.split(",") if args.names else [os.path.splitext(os.path.basename(p))[0] for p in args.preds]
    if len(names) != len(args.preds):
        sys.exit("--names must name every prediction file")
    gold = load(args.gold)
    results = {}
    for name, path in zip(names, args.preds):
        results[name] = evaluate(gold, load(path), args.errors, name)
    print(table(args.gold, results))
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"gold": args.gold, "speaker_rule": "case-insensitive exact or last-word (surname) match; null only matches null; '*' accepts any",
                       "systems": results}, f, indent=1)


if __name__ == "__main__":
    main()
