"""Scores cross-language story links (bench/crosslang.sh): B-cubed precision, recall and F1,
for monolingual and cross-lingual pairs separately, on a tuning half and a report half.

Input: the gold docs (JSONL with `id`, `event`, `lang`) and crosslang_bench's output (each
doc's language and per-language story, each method's candidate links with scores). A method
at a threshold t links every candidate pair scoring >= t; a doc's predicted cluster is the
connected component of its story under those links.

B-cubed restricted to a kind of pair: for doc d, S = d's own language (monolingual) or every
other language (cross-lingual), plus d itself; precision = |pred(d) & gold(d) & S| /
|pred(d) & S|, recall = |pred(d) & gold(d) & S| / |gold(d) & S|; averaged over the docs
that have at least one gold partner of that kind for recall and at least one predicted one
or gold one for precision (a doc with neither says nothing about that kind). F1 is the
harmonic mean of the averages.

The halves: events split by a hash of their id (md5, even/odd), so the two directions
(tune on A, report on B; tune on B, report on A) are fixed by the data, not chosen. For each
method the threshold with the best cross-lingual F1 on the tuning half is applied to the
report half. Methods named FAMILY/VARIANT (weights, mutual best or not) compete within their
family: the variant and threshold with the best cross-lingual F1 on the tuning half are the
ones applied to the report half, so a baseline is tuned as much as lede.
"""
import hashlib
import json
import sys

THRESHOLDS = [round(0.05 * i, 2) for i in range(0, 17)]


def half(event):
    return int(hashlib.md5(event.encode()).hexdigest(), 16) % 2


def components(stories, links):
    parent = {s: s for s in stories}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {s: find(s) for s in stories}


def bcubed(docs, pred, kind):
    """docs: list of (id, lang, event); pred: id -> cluster. kind: 'mono' or 'cross'."""
    ps, rs = [], []
    for d, lang, event in docs:
        same = (lambda l: l == lang) if kind == "mono" else (lambda l: l != lang)
        S = [(i, e) for i, l, e in docs if i != d and same(l)]
        gold = [i for i, e in S if e == event]
        claimed = [i for i, e in S if pred[i] == pred[d]]
        right = [i for i in claimed if i in gold]
        if gold:
            rs.append((1 + len(right)) / (1 + len(gold)))
        if gold or claimed:
            ps.append((1 + len(right)) / (1 + len(claimed)))
    p = sum(ps) / len(ps) if ps else 1.0
    r = sum(rs) / len(rs) if rs else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def evaluate(docs, story, links, t):
    ids = {d for d, _, _ in docs}
    stories = {story[d] for d in ids}
    kept = [(a, b) for a, b, s in links if s >= t and a in stories and b in stories]
    comp = components(stories, kept)
    pred = {d: comp[story[d]] for d in ids}
    return bcubed(docs, pred, "mono"), bcubed(docs, pred, "cross")


def main():
    gold_path, out_path = sys.argv[1], sys.argv[2]
    gold = [json.loads(l) for l in open(gold_path, encoding="utf-8") if l.strip()]
    out = json.load(open(out_path, encoding="utf-8"))
    story = {d["id"]: d["story"] for d in out["docs"]}
    detected = {d["id"]: d["lang"] for d in out["docs"]}
    wrong = [g["id"] for g in gold if detected[g["id"]] != g["lang"]]
    print(f"docs {len(gold)}, events {len({g['event'] for g in gold})}, "
          f"languages {sorted({g['lang'] for g in gold})}; language misread: {wrong or 'none'}")
    halves = [[(g["id"], g["lang"], g["event"]) for g in gold if half(g["event"]) == h]
              for h in (0, 1)]
    for h in (0, 1):
        hd = halves[h]
        print(f"half {'AB'[h]}: {len(hd)} docs, {len({e for _, _, e in hd})} events, "
              f"{sum(1 for _, l, _ in hd if l != 'en')} non-English")
    families = {}
    for name, links in out["methods"].items():
        families.setdefault(name.split("/")[0], {})[name] = links
    families["none"] = {"none": []}  # per-language stories alone: no cross-language link
    fmt = "{:<34} {:>5} | mono P {:.3} R {:.3} F1 {:.3} | cross P {:.3} R {:.3} F1 {:.3}"
    print("\nheld out: threshold chosen on one half (best cross-lingual F1), scored on the other")
    summary = {}
    for family, variants in families.items():
        for tune, report in ((0, 1), (1, 0)):
            # Best cross-lingual F1 on the tuning half; ties go to the higher threshold (the
            # more cautious) and then to the first variant listed.
            scored = [(evaluate(halves[tune], story, links, t)[1][2], t, -k, name)
                      for k, (name, links) in enumerate(variants.items()) for t in THRESHOLDS]
            _, best, _, name = max(scored)
            (mp, mr, mf), (cp, cr, cf) = evaluate(halves[report], story, variants[name], best)
            summary.setdefault(family, []).append((mf, cf))
            print(fmt.format(f"{'AB'[tune]}->{'AB'[report]} {name}", best, mp, mr, mf, cp, cr, cf))
    print("\nmean of the two held-out directions (F1):")
    for name, rows in summary.items():
        print(f"{name:<16} mono F1 {sum(r[0] for r in rows) / 2:.3f}  "
              f"cross F1 {sum(r[1] for r in rows) / 2:.3f}")


if __name__ == "__main__":
    main()
