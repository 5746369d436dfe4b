#!/usr/bin/env python3
"""Reported speech ("X said (that) ...", lede's `direct: false` quotes) against PolNeAR's
indirect attributions, for LOCAL evaluation only (PolNeAR has no licence; see polnear.py).

    reported.py PRED.jsonl [PRED2.jsonl ...] [--git-dir DIR] [--commit c3eee83] [--split test]

PRED: entities_bench output over polnear-<split>-docs.jsonl ({"id","quotes":[{"start","end",
"speaker","direct"}]}; offsets in code points), as bench/quotes.sh writes to
bench/out/quotes/lede-polnear.jsonl. Several PRED files are scored side by side (before and
after a change, in one run).

Gold: every `Attribution` event whose Content is not a direct quote (polnear.py's strict
test) and holds some words outside quote marks: its region (first fragment start to last
fragment end) and its Source (accepted speakers as polnear.py gives them; a pronoun Source
is not checked). PolNeAR marks more than speech verbs (beliefs, reports, documents: "the
report found ..."), so recall against it is low for any system that reads only "said"-type
cues; precision is the figure that matters here.

Matching: a prediction matches a gold Content when their overlap covers at least half of
the shorter of the two (each gold matched once, best overlap first). Speaker accuracy is
over matched pairs with a checkable Source, by evaluate_quotes.py's rule (same normalised
name or the same last word).
"""
import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import evaluate_quotes  # noqa: E402
import polnear  # noqa: E402


def gold_contents(git_dir, commit, split):
    names = polnear.git(git_dir, "ls-tree", "-r", "--name-only", commit, f"data/{split}/").split()
    texts = sorted(n for n in names if n.startswith(f"data/{split}/text/") and n.endswith(".txt"))
    anns = sorted(n for n in names if n.startswith(f"data/{split}/attributions/") and n.endswith(".ann"))
    gold = {}
    for tpath in texts:
        stem = os.path.basename(tpath)[:-4]
        cands = [a for a in anns if os.path.basename(a).rsplit("_", 1)[0] == stem]
        if not cands:
            continue
        text = polnear.git(git_dir, "show", f"{commit}:{tpath}")
        spans, events = polnear.parse_ann(polnear.git(git_dir, "show", f"{commit}:{cands[0]}"))
        items = []
        for roles in events:
            content = spans.get(roles.get("Content", ""))
            if not content:
                continue
            frags = content["frags"]
            s, e = min(f[0] for f in frags), max(f[1] for f in frags)
            stretches = polnear.quoted_stretches(text, s, e)
            if polnear.is_direct(text, frags, stretches):
                continue
            _, accepted, _ = polnear.speaker_of(spans, roles)
            items.append({"start": s, "end": e, "accepted": accepted})
        gold["polnear-" + stem] = items
    return gold


def score(gold, path):
    preds = {}
    for line in open(path, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            preds[r["id"]] = [q for q in r["quotes"] if q.get("direct", True) is False]
    n_pred = n_gold = matched = spk_n = spk_ok = 0
    for doc, golds in gold.items():
        ps = preds.get(doc, [])
        n_pred += len(ps)
        n_gold += len(golds)
        pairs = []
        for i, p in enumerate(ps):
            for k, g in enumerate(golds):
                ov = min(p["end"], g["end"]) - max(p["start"], g["start"])
                shorter = min(p["end"] - p["start"], g["end"] - g["start"])
                if ov > 0 and shorter > 0 and ov >= 0.5 * shorter:
                    pairs.append((ov, i, k))
        used_p, used_g = set(), set()
        for ov, i, k in sorted(pairs, reverse=True):
            if i in used_p or k in used_g:
                continue
            used_p.add(i)
            used_g.add(k)
            matched += 1
            acc = golds[k]["accepted"]
            if acc != ["*"] and acc != [None]:
                spk_n += 1
                spk_ok += evaluate_quotes.speaker_ok(ps[i].get("speaker"), acc)
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"pred": n_pred, "gold": n_gold, "matched": matched, "p": p, "r": r, "f1": f,
            "speaker_acc": spk_ok / spk_n if spk_n else 0.0, "speaker_n": spk_n, "speaker_ok": spk_ok}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pred", nargs="+")
    ap.add_argument("--git-dir", default=os.environ.get("POLNEAR_GIT", "/work/.mirror/networkdynamics+PolNeAR/repo"))
    ap.add_argument("--commit", default="c3eee83")
    ap.add_argument("--split", default="test")
    args = ap.parse_args()
    if not os.path.isdir(args.git_dir):
        sys.exit(f"no PolNeAR snapshot at {args.git_dir} (set --git-dir or POLNEAR_GIT)")
    gold = gold_contents(args.git_dir, args.commit, args.split)
    print(f"gold: PolNeAR {args.split}, {len(gold)} articles, "
          f"{sum(len(v) for v in gold.values())} indirect Contents")
    print()
    print("| predictions | pred | matched | P | R | F1 | speaker acc |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for path in args.pred:
        s = score(gold, path)
        print(f"| {os.path.basename(path)} | {s['pred']} | {s['matched']} | {s['p']:.3f} | {s['r']:.3f} "
              f"| {s['f1']:.3f} | {s['speaker_acc']:.3f} ({s['speaker_ok']}/{s['speaker_n']}) |")


if __name__ == "__main__":
    main()
