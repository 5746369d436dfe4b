"""The cross-language links as `lede story` gives them, from a store that `lede ingest` filled
with the benchmark's docs (bench/crosslang.sh, part b): for each doc, `lede story --json`
gives its story and `also_in`, `lede show --json` its language; written in crosslang_bench's
format (method `lede-story`, the links at the default threshold) for score.py, and each
`lede story` call timed. Usage: product.py LEDE STORE DOCS.jsonl OUT.json"""
import json
import statistics
import subprocess
import sys
import time

lede, store, docs_path, out_path = sys.argv[1:5]


def run(*args):
    started = time.perf_counter()
    p = subprocess.run([lede, "--data", store, *args], capture_output=True, text=True)
    took = time.perf_counter() - started
    if p.returncode != 0:
        sys.exit(f"lede {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout), took


docs, links, story_s, show_s = [], {}, [], []
for line in open(docs_path, encoding="utf-8"):
    if not line.strip():
        continue
    d = json.loads(line)
    story, took = run("story", "--json", d["id"])
    story_s.append(took)
    shown, took = run("show", "--json", d["id"])
    show_s.append(took)
    lang = (shown.get("article") or shown).get("language") or "und"
    docs.append({"id": d["id"], "lang": lang, "story": story["id"]})
    for a in story["also_in"]:
        pair = (min(story["id"], a["story"]), max(story["id"], a["story"]))
        links[pair] = max(links.get(pair, 0.0), a["score"])
with open(out_path, "w", encoding="utf-8") as f:
    json.dump({"docs": docs,
               "methods": {"lede-story": [[a, b, s] for (a, b), s in sorted(links.items())]}}, f)
ms = lambda xs: 1000 * statistics.median(xs)
print(f"lede story --json (with also_in): median {ms(story_s):.0f} ms, max "
      f"{1000 * max(story_s):.0f} ms; lede show --json (its story and related stories, no "
      f"also_in): median {ms(show_s):.0f} ms, over {len(docs)} docs, one process each")
