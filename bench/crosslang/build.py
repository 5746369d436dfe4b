"""Builds the cross-language story set of bench/crosslang.sh: every English Wikinews article of
../shared/corpus/wikinews-2019-2020 (295, CC BY 2.5; each its own event) and the reports in
German, French, Spanish and Russian of foreign.jsonl, each naming the Wikinews article of its
event. Usage: build.py WIKINEWS.jsonl FOREIGN.jsonl OUT.jsonl"""
import json
import sys

wikinews, foreign, out = sys.argv[1:4]
english = {}
for line in open(wikinews, encoding="utf-8"):
    r = json.loads(line)
    # The corpus ends with a test page, not news.
    if r["title"].startswith("TEST PAGE"):
        continue
    english[r["id"]] = {"id": r["id"], "event": r["id"], "lang": "en", "date": r["date"],
                        "title": r["title"], "text": r["text"]}
rows = list(english.values())
for line in open(foreign, encoding="utf-8"):
    if not line.strip():
        continue
    r = json.loads(line)
    if r["event"] not in english:
        sys.exit(f"{r['id']}: event {r['event']} is not in {wikinews}")
    rows.append(r)
with open(out, "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
print(f"{len(rows)} docs ({len(rows) - len(english)} foreign) -> {out}", file=sys.stderr)
