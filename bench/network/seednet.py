#!/usr/bin/env python3
"""A store that imitates the seed page's network (issue 16, "Done when"), for
bench/seednet.sh: the seed page (its paragraphs, title, date and byline as
tests/fixtures/seed/gold.json gives them, under a site name of its own) among pages built
to imitate what stored April-2017 pages show around it:

- two wire-like sources a few days before it: "Associated Wire" (the seed's first
  twelve paragraphs, "Russia" as news writes it) and "Cable Network News" (the other
  twelve, likewise); the seed spins them ("Russia" -> "Russian Federation");
- three sibling farm sites that a day later carry several of the seed's sentences
  verbatim, the same "Russian Federation" spin included, under their own headlines, with
  a recycled pool of bylines ("Cecelia Webb" among them);
- a dozen more pages of the same farm: Wikinews stories taken from a third wire and spun
  with the farm's list (the seed's swap plus WordNet synonyms drawn as generate.py draws
  them), two or three sites each, a day apart;
- a second, unrelated farm spinning some of the same wire stories with its own list, and
  an honest outlet that quotes the wires with attribution.

    seednet.py --out DIR [--shared PATH] [--wordnet DIR] [--seed N]

Writes DIR/corpus.jsonl. Deterministic for a seed.
"""
import argparse
import json
import sys
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import generate as gen  # noqa: E402

GOLD = Path(__file__).resolve().parents[2] / "tests/fixtures/seed/gold.json"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--shared", default=str(Path(__file__).resolve().parents[3] / "shared"))
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--seed", type=int, default=1704)
    args = ap.parse_args()
    rng = gen.rng_of("seednet", args.seed)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    gold = json.loads(GOLD.read_text())
    seed_paras = gold["paragraphs"]
    wire = [p.replace("Russian Federation", "Russia") for p in seed_paras]
    records = []

    def add(rid, outlet, title, day, authors, paras):
        records.append({"id": rid, "outlet": outlet, "title": title,
                        "date": day.isoformat(), "authors": authors, "paragraphs": paras})

    d = date(2017, 4, 16)
    add("aw-tillerson", "Associated Wire", "Tillerson, Lavrov trade barbs over Syria in Moscow",
        d - timedelta(days=4), ["Vladimir Isachenkov"], wire[:12])
    add("cnn-hotline", "Cable Network News", "Moscow freezes hotline, warns of consequences",
        d - timedelta(days=3), ["Laura Koran"], wire[12:])
    add("seed", "usinsiderheadlines.example", gold["title"], d, gold["authors"], seed_paras)

    # The seed's siblings: a day later, its sentences verbatim (spin included).
    farm_sites = ["usinsiderheadlines.example", "dailyworldreport.example",
                  "topnewswatch.example", "breakingpolitics.example"]
    bylines = ["Cecelia Webb", "Darnell Ruiz", "Tamara Hollis"]
    for i, site in enumerate(farm_sites[1:]):
        keep = sorted(rng.sample(range(len(seed_paras)), rng.randint(6, 10)))
        add(f"sibling-{i}", site, f"Russian Federation, US at odds after Tillerson visit ({i + 1})",
            d + timedelta(days=1), [bylines[(i + 1) % len(bylines)] if i else "Cecelia Webb"],
            [seed_paras[k] for k in keep])

    # A dozen more pages of the same template, and a second farm, over Wikinews stories.
    articles = gen.distinct(gen.read_corpus(args.shared, "wikinews"), rng)[:20]
    vocab = {w.lower() for a in articles for p in a["paragraphs"] for w in gen.WORD.findall(p)}
    synonyms = gen.wordnet_synonyms(args.wordnet)
    farm1 = gen.spin_list(vocab - gen.CLOSED, synonyms, gen.rng_of("seednet-farm1", args.seed))
    farm2 = gen.spin_list(vocab - gen.CLOSED, synonyms, gen.rng_of("seednet-farm2", args.seed))
    other_sites = ["patriotnewsbuzz.example", "freedomdigest.example", "globalpulse.example"]
    other_bylines = ["Marcus Tate", "Helena Pryce"]
    for i, a in enumerate(articles[:14]):
        day = d - timedelta(days=10) + timedelta(days=i)
        add(f"wire3-{i}", "Global Wire Service", a["title"], day, ["Staff"], a["paragraphs"])
        sites = rng.sample(farm_sites, rng.randint(2, 3))
        first = gen.spin(a["paragraphs"], farm1, rng.randint(3, 6), rng)
        for n, site in enumerate(sites):
            add(f"farm1-{i}-{n}", site, f"{a['title']} | {site.split('.')[0]}",
                day + timedelta(days=1 + n), [rng.choice(bylines)], first)
        if i % 2 == 0:
            spun = gen.spin(a["paragraphs"], farm2, rng.randint(3, 6), rng)
            for n, site in enumerate(rng.sample(other_sites, 2)):
                add(f"farm2-{i}-{n}", site, f"{a['title']} - {site.split('.')[0]}",
                    day + timedelta(days=1 + n), [rng.choice(other_bylines)], spun)
    # An honest outlet: its own text, a wire quoted by name.
    for i, a in enumerate(articles[14:20]):
        paras = list(a["paragraphs"])
        q = [s for s in gen.sentences(wire[i + 2]) if 8 <= len(s.split()) <= 30][:1]
        if q:
            paras.insert(1, f"\u201c{q[0].rstrip('.')},\u201d Associated Wire reported.")
        add(f"honest-{i}", "The Lakeside Ledger", a["title"], d + timedelta(days=i % 3),
            ["Priya Nakamura"], paras)
    records.sort(key=lambda r: (r["date"], r["id"]))
    with (out / "corpus.jsonl").open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"seednet: {len(records)} articles", file=sys.stderr)


if __name__ == "__main__":
    main()
