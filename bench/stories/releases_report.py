#!/usr/bin/env python3
"""What lede's stories make of the 2019 press releases (issue #6, bench/stories.sh part c).

    python3 bench/stories/releases_report.py STORIES.json DOCS.jsonl \
        [--dups DUPS.json] [--store DIR/lede.sqlite] [--top 20]

STORIES.json: `lede stories --json` (a JSON array of {"id", "label", "size", "articles",
"source_ids", ...}; `source_ids` parallel to `articles`, each a record id or a list of them).
DOCS.jsonl: the ingested records ({"id", "outlet", "date", "text", ...}); a record's office
and date come from here, joined through the record ids. --store (read only) adds the record
ids of exact copies, which the store keeps as aliases of the first record's article.
Prints (Markdown):
- the top N stories by number of distinct offices: id, size, offices, first/last date, label;
- for three events, matched case-insensitively in a release's first 300 characters
  (shutdown `\\bshut\\s?-?downs?\\b`, `state of the union`, `national emergency`), the story
  holding the most matching releases: its size, offices, and how many of all matching
  releases it holds;
- with --dups (`lede dups --json`): every pair inside a group from different offices dated
  at most 1 day apart (a joint release) and whether both are in the same story:
  "joint releases: N pairs, M in the same story".
Standard library only.
"""
import argparse
import datetime
import itertools
import json
import re
import sqlite3
import sys
from collections import Counter, defaultdict

EVENTS = [
    ("government shutdown", r"\bshut\s?-?downs?\b"),
    ("State of the Union", r"state of the union"),
    ("national emergency", r"national emergency"),
]


def day(value):
    """A date from "2019-01-04", "2019-01-04T12:00:00Z" or a unix timestamp; None if not."""
    if value is None:
        return None
    if isinstance(value, (int, float)):
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc).date()
    try:
        return datetime.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def as_list(x):
    if x is None:
        return []
    return x if isinstance(x, list) else [x]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("stories")
    ap.add_argument("docs")
    ap.add_argument("--dups", help="lede dups --json output")
    ap.add_argument("--store", help="the store's lede.sqlite, for exact copies kept as aliases")
    ap.add_argument("--top", type=int, default=20)
    args = ap.parse_args()

    docs = {}
    for line in open(args.docs, encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            docs[str(d["id"])] = d
    stories = json.load(open(args.stories, encoding="utf-8"))
    by_id = {s["id"]: s for s in stories}

    # Article -> story, record -> story.
    story_of_article, story_of_record = {}, {}
    for s in stories:
        arts = [str(a) for a in s.get("articles") or []]
        for a in arts:
            story_of_article[a] = s["id"]
        for a, rids in zip(arts, s.get("source_ids") or []):
            for rid in as_list(rids):
                story_of_record[str(rid)] = s["id"]
    article_of = {}
    if args.store:
        try:
            con = sqlite3.connect(f"file:{args.store}?mode=ro", uri=True)
            article_of = {k: v for k, v in con.execute(
                "SELECT key, id FROM aliases WHERE kind = 'source_id'")}
            article_of.update((r, a) for a, r in con.execute(
                "SELECT id, source_id FROM articles") if r)
        except sqlite3.Error as e:
            print(f"(no aliases read from {args.store}: {e})", file=sys.stderr)
    for rid in docs:
        if rid not in story_of_record and article_of.get(rid) in story_of_article:
            story_of_record[rid] = story_of_article[article_of[rid]]

    members = defaultdict(list)  # story id -> its records (in DOCS)
    for rid, sid in story_of_record.items():
        if rid in docs:
            members[sid].append(docs[rid])

    def offices(sid):
        return {d.get("outlet") for d in members[sid] if d.get("outlet")}

    def span(sid):
        days = sorted(x for x in (day(d.get("date")) for d in members[sid]) if x)
        if not days:
            s = by_id[sid]
            days = [x for x in (day(s.get("first_seen")), day(s.get("last_seen"))) if x]
        return (days[0].isoformat(), days[-1].isoformat()) if days else ("–", "–")

    def label(sid, n=80):
        text = " ".join(str(by_id[sid].get("label") or "").split())
        mark = ""
        if not text and members[sid]:
            # No label (a release without a headline): its earliest member's first words.
            first = min(members[sid], key=lambda d: (str(d.get("date") or ""), str(d["id"])))
            mark, text = "(no label) ", " ".join((first.get("text") or "").split())
            n -= len(mark)
        text = text[: n - 1] + "…" if len(text) > n else text
        return (mark + text).replace("|", "\\|")

    def size(sid):
        return by_id[sid].get("size") or len(by_id[sid].get("articles") or [])

    in_stories = sum(1 for rid in docs if rid in story_of_record)
    one_office = sum(1 for s in stories if len(offices(s["id"])) <= 1)
    print(f"{len(stories)} stories; {in_stories:,} of {len(docs):,} releases in one; "
          f"{one_office} stories with a single office; "
          f"largest {max((size(s['id']) for s in stories), default=0)} articles")

    print(f"\n#### Top {args.top} stories by offices\n")
    print("| story | size | offices | first | last | label |")
    print("| --- | --- | --- | --- | --- | --- |")
    ranked = sorted(stories, key=lambda s: (-len(offices(s["id"])), -size(s["id"]), str(s["id"])))
    for s in ranked[: args.top]:
        sid = s["id"]
        first, last = span(sid)
        print(f"| {sid} | {size(sid)} | {len(offices(sid))} | {first} | {last} | {label(sid)} |")

    print("\n#### Events (regex in a release's first 300 characters)\n")
    print("| event | matching releases (offices) | stories holding them | best story | size | "
          "offices | matching in it | label |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, pattern in EVENTS:
        rx = re.compile(pattern, re.I)
        hits = [rid for rid, d in docs.items() if rx.search((d.get("text") or "")[:300])]
        hit_offices = {docs[r].get("outlet") for r in hits}
        per_story = Counter(story_of_record[r] for r in hits if r in story_of_record)
        if not per_story:
            print(f"| {name} | {len(hits)} ({len(hit_offices)}) | 0 | – | – | – | 0 / {len(hits)} | |")
            continue
        sid, n = min(per_story.items(), key=lambda kv: (-kv[1], -size(kv[0]), str(kv[0])))
        print(f"| {name} | {len(hits)} ({len(hit_offices)}) | {len(per_story)} | {sid} | {size(sid)} | "
              f"{len(offices(sid))} | {n} / {len(hits)} ({n / len(hits):.0%}) | {label(sid, 60)} |")

    if args.dups:
        groups = json.load(open(args.dups, encoding="utf-8"))
        pairs = together = 0
        apart = []
        for g in groups:
            info = []
            for m in g.get("members") or [{"id": i} for i in g.get("ids") or []]:
                rids = [str(r) for r in as_list(m.get("record_ids")) + as_list(m.get("record_id"))]
                doc = next((docs[r] for r in rids if r in docs), None)
                outlet = (doc or {}).get("outlet") or m.get("outlet")
                when = day((doc or {}).get("date")) or day(m.get("published"))
                info.append((str(m["id"]), outlet, when, rids[0] if rids else m["id"]))
            for a, b in itertools.combinations(info, 2):
                if not (a[1] and b[1] and a[1] != b[1] and a[2] and b[2]):
                    continue
                if abs((a[2] - b[2]).days) > 1:
                    continue
                pairs += 1
                sa, sb = story_of_article.get(a[0]), story_of_article.get(b[0])
                if sa is not None and sa == sb:
                    together += 1
                else:
                    apart.append((a, b, sa, sb))
        print(f"\njoint releases: {pairs} pairs, {together} in the same story")
        for a, b, sa, sb in apart[:10]:
            print(f"  apart: {a[3]} ({a[1]}, {a[2]}) story {sa} / {b[3]} ({b[1]}, {b[2]}) story {sb}")
        if len(apart) > 10:
            print(f"  ... and {len(apart) - 10} more")


if __name__ == "__main__":
    main()
