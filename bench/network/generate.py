#!/usr/bin/env python3
"""A generator of outlet networks over real articles (issue 16, item 6), for
bench/network.sh: who copies whom, and which outlets are one content farm.

    generate.py --out DIR [--config tune|report] [--seed N] [--shared PATH]
                [--wordnet /usr/share/wordnet]

The outlets:

- wires publish originals: real articles of ../shared/corpus (press releases of 2019 for
  the `tune` config, Wikinews 2019-2020 for `report`), any that shares a passage with
  another left out, one staff byline pool per wire;
- honest outlets write their own text (other real articles of the corpus) and quote a
  wire in one short sentence with attribution ("..., the Northgate Wire reported."): not
  a copy, so no copy edge;
- farm outlets, in 2-4 farm networks of 3-5 sites: a site copies a wire story 0.3-2 days
  after it, spun with its network's own spin list, often trimmed to its first paragraphs;
  sibling sites republish that spun copy 1-3 days later (a new headline, the text as is
  or respun a little); some sites spin the wire story again themselves. Popular wire
  stories are taken by several networks, so networks share sources without being one
  farm. A network's sites recycle a pool of 2-3 bylines. In `report`, a farm sometimes
  republishes another network's spun copy (a copy edge across networks).

Spin lists: each network draws its own from WordNet 3.0's data files (Debian's
wordnet-base; read here, no network access): the corpus's frequent content words that
WordNet gives a one-word synonym in their first senses, a random half of them, one synonym
each at random. No hand list of pairs; not provenance2's draw (whose spinner picks
synonyms per query, inflected), nor lede's own lists.

Truth (DIR/truth.json): `edges`, each copy edge copier outlet -> the outlet whose article
it took its text from, with the number of copies; `ancestors`, edges copier -> the outlet
its source copied in turn (a republished spun copy still holds the wire's unchanged
sentences, which an aligner may fairly credit to the wire: not counted as wrong, not
required); `farms`: network -> its sites; `roles`: outlet -> wire/honest/farm.
DIR/corpus.jsonl: records {"id", "outlet", "title", "date", "authors", "paragraphs"}.
Deterministic for a config and seed.
"""
import argparse
import gzip
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

CONFIGS = {
    # Where the thresholds of lede's groups were chosen.
    "tune": dict(seed=1601, corpus="press", wires=3, wire_stories=160, honest=5,
                 honest_articles=30, farms=3, sites=(3, 4), farm_share=0.45,
                 swaps=(3, 7), lag=(0.3, 1.5), relag=(1, 3), respin=0.25, own_spin=0.2,
                 trim=0.5, cross=0.0),
    # Written to differ: another corpus, more networks, other lags and spin amounts, and
    # copies across networks.
    "report": dict(seed=2718, corpus="wikinews", wires=2, wire_stories=150, honest=4,
                   honest_articles=25, farms=4, sites=(3, 5), farm_share=0.35,
                   swaps=(2, 6), lag=(0.5, 2.0), relag=(1, 2), respin=0.4, own_spin=0.3,
                   trim=0.3, cross=0.05),
}

WIRES = ["Northgate Wire", "Continental Press Service", "Meridian News Agency",
         "Harbor Street Wire"]
HONEST = ["The Lakeside Ledger", "Valley Observer", "Granite State Courier",
          "Riverbend Gazette", "Prairie Evening Post"]
FARM_WORDS = ["Patriot", "Freedom", "Daily", "News", "Times", "Report", "Today", "Alert",
              "Insider", "Buzz", "Pulse", "Herald", "Wire", "Now", "Hub", "Digest",
              "Globe", "Voice", "Sentinel", "Express"]
FIRST = ["Cecelia", "Marcus", "Delia", "Trent", "Ramona", "Otis", "Priya", "Gideon",
         "Helena", "Rafael", "Noor", "Wendell", "Imogen", "Casper", "Lucille", "Dmitri",
         "Frances", "Emeka", "Rosalind", "Tobias", "Ingrid", "Malik", "Yvette", "Bruno"]
LAST = ["Webb", "Ashford", "Kowalski", "Brennan", "Okafor", "Lindqvist", "Marsh",
        "Delgado", "Fairbanks", "Huxley", "Nakamura", "Pryce", "Sorensen", "Tate",
        "Vance", "Whitlock", "Abernathy", "Castellano", "Drummond", "Ellery"]

CLOSED = set("""a an the and or but nor of to in on at by for from with as into onto over
under about above below after before between through during without within than then
this that these those it its he she they we i you his her their our my your him them us
me not no is are was were be been being has have had do does did will would can could
shall should may might must who whom whose which what when where why how all any each
some many much more most other such only own same so too very just also there here said
says year years state states house senate""".split())
TOKEN = re.compile(r"\w+")
WORD = re.compile(r"\b[A-Za-z]{4,}\b")
SENT_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z])")


def rng_of(*parts):
    """A generator seeded from text, the same under any PYTHONHASHSEED."""
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(h[:16], 16))


def sentences(text):
    return [s.strip() for s in SENT_END.split(text) if s.strip()]


def paragraphs_of(record):
    """Wikinews keeps its paragraphs; a press release is one run of text, grouped here
    into paragraphs of three sentences."""
    text = record["text"]
    if "\n\n" in text:
        paras = [re.sub(r"\s+", " ", p).strip() for p in text.split("\n\n")]
        paras = [p for p in paras if len(p.split()) >= 8]
        if paras and re.match(r"^\w+day, \w+ \d+, \d{4}$", paras[0]):
            paras = paras[1:]
        return paras
    sents = sentences(re.sub(r"\s+", " ", text))
    return [" ".join(sents[i:i + 3]) for i in range(0, len(sents), 3)]


def shingles(paras):
    words = TOKEN.findall(" ".join(paras).lower())
    return {" ".join(words[i:i + 5]) for i in range(max(1, len(words) - 4))}


def read_corpus(shared, kind):
    if kind == "press":
        path = Path(shared) / "corpus/congress-press-releases/demo-2019.jsonl"
        lines = path.open(encoding="utf-8")
    else:
        path = Path(shared) / "corpus/wikinews-2019-2020/wikinews-2019-2020.jsonl"
        lines = path.open(encoding="utf-8")
    out = []
    for line in lines:
        r = json.loads(line)
        paras = paragraphs_of(r)
        words = sum(len(p.split()) for p in paras)
        if len(paras) >= 3 and 120 <= words <= 1200:
            title = r.get("title") or re.sub(r"^[\d.]+\s+", "", sentences(paras[0])[0])[:90]
            out.append({"title": title, "paragraphs": paras})
    return out


def distinct(articles, rng):
    """Articles in a seeded order, leaving out any that shares a passage with one kept
    before it: a near-duplicate (5-word shingles, Jaccard >= 0.3), or three 8-word runs in
    common (joint press releases share paragraphs, Wikinews follow-ups repeat background),
    so that the only reuse in a network is the generator's."""
    from datasketch import MinHash, MinHashLSH
    order = list(articles)
    rng.shuffle(order)
    lsh = MinHashLSH(threshold=0.3, num_perm=64)
    seen = set()
    kept = []
    for i, a in enumerate(order):
        m = MinHash(num_perm=64)
        for s in shingles(a["paragraphs"]):
            m.update(s.encode())
        words = TOKEN.findall(" ".join(a["paragraphs"]).lower())
        runs = {" ".join(words[k:k + 8]) for k in range(max(1, len(words) - 7))}
        if lsh.query(m) or len(runs & seen) >= 3:
            continue
        lsh.insert(str(i), m)
        seen |= runs
        kept.append(a)
    return kept


# ---------------------------------------------------------------------------------------
# WordNet: first-sense one-word synonyms
# ---------------------------------------------------------------------------------------

def wordnet_synonyms(wordnet):
    """lemma -> one-word synonyms from its first two senses of each part of speech."""
    synonyms = defaultdict(list)
    for pos in ["noun", "verb", "adj", "adv"]:
        data = {}
        with open(Path(wordnet) / f"data.{pos}", encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                parts = line.split()
                n = int(parts[3], 16)
                words = [parts[4 + 2 * k].split("(")[0].lower() for k in range(n)]
                data[parts[0]] = [w for w in words if w.isalpha()]
        with open(Path(wordnet) / f"index.{pos}", encoding="latin-1") as f:
            for line in f:
                if line.startswith(" "):
                    continue
                parts = line.split()
                lemma = parts[0]
                if not lemma.isalpha():
                    continue
                offsets = [p for p in parts if len(p) == 8 and p.isdigit()]
                for off in offsets[:2]:
                    for w in data.get(off, []):
                        if w != lemma and len(w) >= 3 and w not in synonyms[lemma]:
                            synonyms[lemma].append(w)
    return synonyms


def spin_list(vocab, synonyms, rng):
    """A network's own list: a random half of the vocabulary that has synonyms, one
    synonym each."""
    words = sorted(w for w in vocab if synonyms.get(w))
    rng.shuffle(words)
    chosen = words[: len(words) // 2]
    return {w: rng.choice(synonyms[w]) for w in chosen}


def spin(paras, table, k, rng):
    """Swaps k distinct words of the table that the text holds (every occurrence, the
    capital kept)."""
    present = sorted({w.lower() for p in paras for w in WORD.findall(p)} & table.keys())
    rng.shuffle(present)
    chosen = set(present[:k])
    if not chosen:
        return list(paras)

    def swap(m):
        w = m.group(0)
        low = w.lower()
        if low not in chosen:
            return w
        new = table[low]
        return new.capitalize() if w[0].isupper() else new

    return [WORD.sub(swap, p) for p in paras]


# ---------------------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--config", choices=sorted(CONFIGS), default="tune")
    ap.add_argument("--seed", type=int)
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[3] / "shared"))
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    args = ap.parse_args()
    c = dict(CONFIGS[args.config])
    seed = args.seed if args.seed is not None else c["seed"]
    rng = rng_of("network", args.config, seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    articles = distinct(read_corpus(args.shared, c["corpus"]), rng)
    n_wire = c["wire_stories"]
    n_honest = c["honest"] * c["honest_articles"]
    if len(articles) < n_wire + n_honest:
        n_wire = len(articles) - n_honest
    wire_src, honest_src = articles[:n_wire], articles[n_wire:n_wire + n_honest]
    start = date(2020, 3, 2)
    span = 120

    records, edges, ancestors = [], Counter(), Counter()
    roles = {}
    used_ids = set()

    def add(outlet, title, day, authors, paras, key):
        rid = f"{re.sub(r'[^a-z0-9]+', '-', outlet.lower()).strip('-')}-{key}"
        assert rid not in used_ids, rid
        used_ids.add(rid)
        when = start + timedelta(days=day)
        hour = int((day % 1) * 24)
        records.append({"id": rid, "outlet": outlet, "title": title,
                        "date": f"{when.isoformat()}T{hour:02d}:00:00Z",
                        "authors": authors, "paragraphs": paras, "_day": day})
        return rid

    # Wires.
    wires = WIRES[: c["wires"]]
    staff = {w: [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(4)] for w in wires}
    stories = []
    for i, a in enumerate(wire_src):
        w = wires[i % len(wires)]
        day = rng.uniform(0, span)
        rid = add(w, a["title"], day, [rng.choice(staff[w])], a["paragraphs"], f"{i:04d}")
        roles[w] = "wire"
        # A story's pull: a few are taken by many farms, most by few.
        stories.append({"id": rid, "outlet": w, "title": a["title"], "day": day,
                        "paras": a["paragraphs"], "pull": rng.paretovariate(1.5)})

    # Honest outlets: their own text, one short attributed quote of an earlier wire story.
    honest = HONEST[: c["honest"]]
    h_staff = {h: [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)] for h in honest}
    for i, a in enumerate(honest_src):
        h = honest[i % len(honest)]
        roles[h] = "honest"
        s = rng.choice(stories)
        quotable = [x for p in s["paras"] for x in sentences(p) if 8 <= len(x.split()) <= 25]
        paras = list(a["paragraphs"])
        if quotable:
            q = rng.choice(quotable).rstrip(".")
            at = rng.randrange(1, len(paras)) if len(paras) > 1 else 0
            paras.insert(at, f"\u201c{q},\u201d {s['outlet']} reported on the story.")
        add(h, a["title"], s["day"] + rng.uniform(0.5, 3), [rng.choice(h_staff[h])], paras,
            f"{i:04d}")

    # Farm networks.
    vocab = Counter(w.lower() for s in stories for p in s["paras"] for w in WORD.findall(p))
    vocab = {w for w, n in vocab.items() if n >= 3 and w not in CLOSED}
    synonyms = wordnet_synonyms(args.wordnet)
    farm_names = set()
    farms = {}
    for f in range(c["farms"]):
        frng = rng_of("farm", args.config, seed, f)
        n_sites = frng.randint(*c["sites"])
        sites = []
        while len(sites) < n_sites:
            name = " ".join(frng.sample(FARM_WORDS, 2))
            if name not in farm_names:
                farm_names.add(name)
                sites.append(name)
        farms[f"farm-{f + 1}"] = {
            "sites": sites, "table": spin_list(vocab, synonyms, frng),
            "bylines": [f"{frng.choice(FIRST)} {frng.choice(LAST)}"
                        for _ in range(frng.randint(2, 3))],
            "rng": frng}
        for s in sites:
            roles[s] = "farm"
    spun_copies = []  # (farm, record) of first copies, for copies across networks

    def copy_of(farm, site, source, paras, day, key, k):
        frng = farm["rng"]
        text = spin(paras, farm["table"], k, frng)
        title = f"{source['title']} | {site}"
        rid = add(site, title, day, [frng.choice(farm["bylines"])], text, key)
        return {"id": rid, "outlet": site, "title": source["title"], "day": day,
                "paras": text}

    total_pull = sum(s["pull"] for s in stories)
    for fname, farm in farms.items():
        frng = farm["rng"]
        sites = farm["sites"]
        taken = [s for s in stories
                 if frng.random() < min(0.95, c["farm_share"] * s["pull"] * len(stories)
                                        / total_pull)]
        for j, s in enumerate(taken):
            key = f"{fname}-{j:04d}"
            order = frng.sample(sites, len(sites))
            first = order[0]
            paras = s["paras"]
            if frng.random() < c["trim"]:
                paras = paras[: max(2, frng.randint(len(paras) // 2, len(paras)))]
            day = s["day"] + frng.uniform(*c["lag"])
            copy = copy_of(farm, first, s, paras, day, f"{key}-a", frng.randint(*c["swaps"]))
            edges[(first, s["outlet"])] += 1
            spun_copies.append((fname, copy, s["outlet"]))
            for n, site in enumerate(order[1: frng.randint(1, len(sites))], start=1):
                later = copy["day"] + frng.uniform(*c["relag"])
                if frng.random() < c["own_spin"]:
                    # Spins the wire story itself, with the network's list.
                    copy_of(farm, site, s, paras, later, f"{key}-{n}", frng.randint(*c["swaps"]))
                    edges[(site, s["outlet"])] += 1
                else:
                    k = frng.randint(1, 2) if frng.random() < c["respin"] else 0
                    copy_of(farm, site, copy, copy["paras"], later, f"{key}-{n}", k)
                    edges[(site, first)] += 1
                    ancestors[(site, s["outlet"])] += 1
    # Copies across networks: a site republishes another network's spun copy.
    if c["cross"]:
        for j, (fname, copy, wire) in enumerate(spun_copies):
            if rng.random() >= c["cross"]:
                continue
            other = rng.choice([f for f in farms if f != fname])
            site = rng.choice(farms[other]["sites"])
            copy_of(farms[other], site, copy, copy["paras"], copy["day"] + rng.uniform(1, 3),
                    f"x-{j:04d}", 0)
            edges[(site, copy["outlet"])] += 1
            ancestors[(site, wire)] += 1

    records.sort(key=lambda r: (r["_day"], r["id"]))
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as f:
        for r in records:
            del r["_day"]
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    truth = {
        "config": args.config, "seed": seed,
        "edges": [[a, b, n] for (a, b), n in sorted(edges.items())],
        "ancestors": [[a, b, n] for (a, b), n in sorted(ancestors.items())
                      if (a, b) not in edges],
        "farms": {f: farm["sites"] for f, farm in farms.items()},
        "spin_lists": {f: len(farm["table"]) for f, farm in farms.items()},
        "bylines": {f: farm["bylines"] for f, farm in farms.items()},
        "roles": roles,
    }
    (out / "truth.json").write_text(json.dumps(truth, indent=1, ensure_ascii=False))
    print(f"{args.config} seed {seed}: {len(records)} articles, {len(roles)} outlets "
          f"({len(wires)} wires, {len(honest)} honest, "
          f"{sum(len(f['sites']) for f in farms.values())} farm sites in {len(farms)} networks), "
          f"{len(edges)} copy edges", file=sys.stderr)


if __name__ == "__main__":
    main()
