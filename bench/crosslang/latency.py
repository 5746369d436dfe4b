"""What also_in costs (bench/crosslang.sh, part c): the largest stories of a store, each read
with `lede story --json` (the story, its related stories and also_in) and its first article
with `lede show --json` (the article, its story and related stories, no also_in); wall time
of each call, one process each. Usage: latency.py LEDE STORE [N]"""
import json
import statistics
import subprocess
import sys
import time

lede, store = sys.argv[1:3]
n = int(sys.argv[3]) if len(sys.argv) > 3 else 20


def run(*args):
    started = time.perf_counter()
    p = subprocess.run([lede, "--data", store, *args], capture_output=True, text=True)
    took = time.perf_counter() - started
    if p.returncode != 0:
        sys.exit(f"lede {' '.join(args)}: exit {p.returncode}: {p.stderr.strip()}")
    return took, p.stdout


_, out = run("stories", "--json", "--limit", str(n), "--min-size", "2")
stories = json.loads(out)
story_s, show_s, links = [], [], 0
for s in stories:
    took, out = run("story", "--json", str(s["id"]))
    story_s.append(took)
    links += len(json.loads(out)["also_in"])
    took, _ = run("show", "--json", s["articles"][0])
    show_s.append(took)
ms = lambda xs: f"median {1000 * statistics.median(xs):.0f} ms, max {1000 * max(xs):.0f} ms"
print(f"{len(stories)} largest stories: lede story {ms(story_s)}; lede show {ms(show_s)}; "
      f"also_in links {links}")
