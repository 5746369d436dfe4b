#!/usr/bin/env python3
"""Whether links across languages are shown from both sides (issue 17), on a served store.

On a store of one main language, the stories sharing most names with one of its stories
are all of that language; a story of another language links to main-language stories, and
this counts how many of those links the main-language story's page shows back.

    bench/crosslang/both_sides.py --lede target/release/lede --store DIR [--stories 20]

Takes the `--stories` biggest stories of the store's other told languages (read from the
store's SQLite file, read-only: `stories.language` from format 10, the labelling article's
language before), serves the store with `--lede`, asks `/api/stories/{id}` for each and for
each story it links to, and prints: links found, links shown back, and the times of both
sides' answers (p50 and max, one client, answers not cached: each asked once).
Standard library only.
"""

import argparse
import json
import socket
import sqlite3
import subprocess
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def story_language(tag):
    """lede_core::story_language: the primary subtag, lower-cased, or 'und'."""
    primary = (tag or "").strip().replace("_", "-").split("-")[0]
    if 2 <= len(primary) <= 3 and primary.isascii() and primary.isalpha():
        return primary.lower()
    return "und"


def other_language_stories(store, count):
    db = sqlite3.connect(f"file:{store}/lede.sqlite?mode=ro", uri=True)
    columns = [r[1] for r in db.execute("PRAGMA table_info(stories)")]
    if "language" in columns:
        rows = db.execute("SELECT id, size, language FROM stories").fetchall()
    else:
        rows = db.execute(
            "SELECT s.id, s.size, a.language FROM stories s "
            "LEFT JOIN articles a ON a.seq = s.label_seq"
        ).fetchall()
    rows = [(i, size, story_language(lang)) for i, size, lang in rows]
    counts = {}
    for _, _, lang in rows:
        counts[lang] = counts.get(lang, 0) + 1
    main = max((l for l in counts if l != "und"), key=lambda l: counts[l])
    others = sorted((r for r in rows if r[2] not in (main, "und")), key=lambda r: (-r[1], r[0]))
    return main, counts, [r[0] for r in others[:count]]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))] if values else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lede", required=True)
    ap.add_argument("--store", required=True)
    ap.add_argument("--stories", type=int, default=20)
    args = ap.parse_args()
    main_language, counts, ids = other_language_stories(args.store, args.stories)
    port = free_port()
    server = subprocess.Popen(
        [args.lede, "--data", args.store, "serve", "--addr", f"127.0.0.1:{port}"],
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/stats").read()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(3)  # the server's warm-up

        def ask(story):
            start = time.perf_counter()
            answer = json.load(urllib.request.urlopen(f"{base}/api/stories/{story}"))
            return answer, (time.perf_counter() - start) * 1000

        links, theirs, ours = [], [], []
        for story in ids:
            answer, ms = ask(story)
            theirs.append(ms)
            links += [(story, a["story"]) for a in answer.get("also_in") or []]
        back = 0
        for story, linked in links:
            answer, ms = ask(linked)
            ours.append(ms)
            back += any(a["story"] == story for a in answer.get("also_in") or [])
    finally:
        server.terminate()
        server.wait()
    print(
        f"store: {sum(counts.values())} stories, {counts[main_language]} {main_language}; "
        f"the {len(ids)} biggest of other languages link to {len(links)}, "
        f"{back} shown back; their answers p50 {percentile(theirs, 0.5):.1f} ms, "
        f"max {max(theirs, default=float('nan')):.1f} ms; the linked stories' answers "
        f"p50 {percentile(ours, 0.5):.1f} ms, max {max(ours, default=float('nan')):.1f} ms"
    )


if __name__ == "__main__":
    main()
