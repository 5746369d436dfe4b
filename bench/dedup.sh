#!/usr/bin/env bash
# Near-duplicate benchmark: lede against MinHash-LSH in Python (datasketch, and gaoya, a Rust
# index behind a Python API), in one run, on the same data.
#
#   bench/dedup.sh                          # quality on congress-nd, speed on 52,060 releases
#   bench/dedup.sh --million                # and lede and gaoya on 1,041,200 records
#   bench/dedup.sh --million --with-datasketch   # datasketch on the million too (see below)
#
# a. quality on ../shared/bench/dedup/congress-nd (9,108 releases, gold clusters), scored by
#    the benchmark's own evaluate.py: the peers as RESULTS.md sets them up
#    (bench/peers/dedup_peers.py), lede's pure pipeline (dedup_bench) and the real CLI path
#    (lede ingest, then lede dups --json, turned into clusters);
# b. speed on the 52,060 press releases: docs/s, wall seconds, peak memory, ratio to datasketch;
# c. --million: 20 perturbed copies (bench/corpus.py scale, as bench/store.sh makes them):
#    ~2.5 GB of disk, ~15 minutes on 2 cores; gaoya peaks near 13 GiB there, datasketch would
#    need about 20 GiB (its 52k peak times 20), so it runs only when asked.
# Needs ../shared (or $LEDE_SHARED). Creates bench/.venv with datasketch and gaoya on first
# use. Timings drift on a shared machine: compare inside one run only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
shared=${LEDE_SHARED:-$root/../shared}
nd="$shared/bench/dedup/congress-nd"
evaluate="$shared/bench/dedup/evaluate.py"
src="$shared/corpus/congress-press-releases/bench-2015-2019.jsonl.gz"
[ -f "$evaluate" ] || { echo "no benchmark at $shared/bench/dedup (set LEDE_SHARED)" >&2; exit 1; }
[ -f "$src" ] || { echo "no corpus at $src (set LEDE_SHARED)" >&2; exit 1; }

million=0 with_datasketch=0
for arg in "$@"; do
  case $arg in
    --million) million=1 ;;
    --with-datasketch) million=1 with_datasketch=1 ;;
    *) echo "usage: bench/dedup.sh [--million [--with-datasketch]]" >&2; exit 2 ;;
  esac
done

# Pinned to the versions RESULTS.md measured, so its tables stay the reference.
py=$(bench_python "datasketch, gaoya" datasketch==2.0.0 gaoya==0.2.2)

cargo build --release --quiet -p lede-cli -p lede-bench --bin lede --bin dedup_bench --manifest-path "$root/Cargo.toml"
lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
dedup_bench="${CARGO_TARGET_DIR:-$root/target}/release/dedup_bench"
peers="$here/peers/dedup_peers.py"

work=${LEDE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
rows="$work/dedup-rows.jsonl"
: > "$rows"
failed=0

# measure PART NAME THRESHOLD WINDOW CLUSTERS command...: runs the command under
# /usr/bin/time, keeps its last stdout line (the tool's JSON) and appends one row to $rows.
# A failing tool becomes a row marked failed, so one broken tool does not hide the others.
measure() {
  local part=$1 name=$2 threshold=$3 window=$4 clusters=$5; shift 5
  echo "== $part: $name" >&2
  local tool=null wall=null peak=null
  if /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/stdout.txt"; then
    tool=$(tail -n 1 "$work/stdout.txt")
    [ -n "$tool" ] || tool=null
    read -r wall peak < "$work/time.txt"
  else
    failed=1
    echo "   failed: $*" >&2
  fi
  printf '{"part":"%s","name":"%s","threshold":"%s","window":"%s","clusters":"%s","wall":%s,"peak_kib":%s,"tool":%s}\n' \
    "$part" "$name" "$threshold" "$window" "$clusters" "$wall" "$peak" "$tool" >> "$rows"
}

# peer PART NAME METHOD INPUT THRESHOLD WINDOW [flags]: one dedup_peers.py run.
peer() {
  local part=$1 name=$2 method=$3 input=$4 t=$5 w=$6; shift 6
  local out="$work/$part-$method-t$t-w$w$*.jsonl" win=()
  out=${out// /}
  [ "$w" = - ] || win=(--window "$w")
  measure "$part" "$name" "$t" "$w" "$out" "$py" "$peers" "$method" "$input" "$out" --threshold "$t" "${win[@]}" "$@"
}

# lede_pipeline PART NAME INPUT WINDOW: dedup_bench at its default threshold.
lede_pipeline() {
  local part=$1 name=$2 input=$3 w=$4 out="$work/$1-lede-w$4.jsonl" win=()
  [ "$w" = - ] || win=(--window "$w")
  measure "$part" "$name" default "$w" "$out" "$dedup_bench" "$input" "${win[@]}" --out "$out"
}

# --- a. quality on congress-nd -------------------------------------------------------------
docs="$nd/docs.jsonl"
peer nd datasketch datasketch "$docs" 0.3 3
# RESULTS.md's own handling of texts under five words (see dedup_peers.py): reproduces its 0.968.
peer nd "datasketch, as RESULTS.md" datasketch "$docs" 0.3 3 --as-results
peer nd datasketch datasketch "$docs" 0.5 -
peer nd gaoya gaoya "$docs" 0.3 3
peer nd gaoya gaoya "$docs" 0.5 -
lede_pipeline nd "lede (dedup_bench)" "$docs" 3
lede_pipeline nd "lede (dedup_bench)" "$docs" -

# The real CLI path: ingest into a fresh store, then `lede dups --json`.
store="$work/lede-nd"
rm -rf "$store"
echo "== nd: lede ingest" >&2
/usr/bin/time -f "%e %M" -o "$work/ingest-time.txt" "$lede" --data "$store" ingest "$docs" > /dev/null 2> "$work/ingest.log" ||
  { failed=1; echo "   lede ingest failed (see $work/ingest.log)" >&2; }
# dups prints a JSON array, not a JSON line: the row's docs/s is docs over its wall time.
measure nd "lede CLI (dups)" default 3 "$work/nd-cli.jsonl" \
  sh -c "'$lede' --data '$store' dups --window 3 --json > '$work/nd-dups.json'"
# Groups to clusters: a member's record ids take its group's cluster, every other record is a
# singleton. Exact copies are merged at ingest (the store keeps one article, the copies' record
# ids as aliases); a copy whose article is in no group is then still a singleton, so a second
# file, read with the store's aliases, gives every record its article's cluster.
"$py" - "$docs" "$work/nd-dups.json" "$store/lede.sqlite" "$work/nd-cli.jsonl" "$work/nd-cli-aliases.jsonl" <<'PY' || failed=1
import json, sqlite3, sys
docs, dups, db, plain_out, alias_out = sys.argv[1:]
ids = [json.loads(line)["id"] for line in open(docs) if line.strip()]
try:
    groups = json.load(open(dups))
except (OSError, ValueError):
    sys.exit("no lede dups output to score")
by_record, by_article = {}, {}
for g, group in enumerate(groups):
    for m in group["members"]:
        # record_ids, when lede gives them, also lists the exact copies merged at ingest.
        for rid in m.get("record_ids") or [m.get("record_id")]:
            if rid is not None:
                by_record[str(rid)] = f"group-{g}"
        by_article[m["id"]] = f"group-{g}"
try:  # the store's format 1 tables; if they change, the second file equals the first
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    first_record = dict(con.execute("SELECT id, source_id FROM articles"))
    article_of = dict(con.execute("SELECT key, id FROM aliases WHERE kind = 'source_id'"))
    article_of.update((r, a) for a, r in first_record.items() if r is not None)
except sqlite3.Error as e:
    print(f"   lede CLI: no aliases read from the store ({e})", file=sys.stderr)
    first_record, article_of = {}, {}
with open(plain_out, "w") as plain, open(alias_out, "w") as alias:
    for rid in ids:
        plain.write(json.dumps({"id": rid, "cluster": by_record.get(rid, rid)}) + "\n")
        art = article_of.get(rid)
        cluster = by_article.get(art) or by_record.get(rid) or (f"article-{art}" if art else rid)
        alias.write(json.dumps({"id": rid, "cluster": cluster}) + "\n")
copies = sum(1 for rid in ids if rid in article_of and first_record.get(article_of[rid]) != rid)
print(f"   lede CLI: {len(groups)} groups; {copies} records are exact copies stored as aliases", file=sys.stderr)
PY
# Same run, scored with the alias expansion: copy the CLI row under a second name.
tail -n 1 "$rows" | sed "s|\"name\":\"lede CLI (dups)\"|\"name\":\"lede CLI (dups + ingest aliases)\"|; s|nd-cli.jsonl|nd-cli-aliases.jsonl|" >> "$rows"

# --- b. speed on the 52,060 press releases ---------------------------------------------------
peer 52k datasketch datasketch "$src" 0.3 3
peer 52k gaoya gaoya "$src" 0.3 3
peer 52k "gaoya (threads)" gaoya-par "$src" 0.3 3
lede_pipeline 52k "lede (dedup_bench)" "$src" 3

# --- c. a million records ---------------------------------------------------------------------
if [ "$million" = 1 ]; then
  big="$work/million.jsonl"
  # Generating takes minutes; a complete file left by an earlier run (LEDE_BENCH_DIR) is reused.
  if [ ! -f "$big" ] || [ "$(wc -l < "$big")" -ne 1041200 ]; then
    echo "== 1m: bench/corpus.py scale (20 copies)" >&2
    python3 "$here/corpus.py" scale "$src" 20 > "$big"
  fi
  lede_pipeline 1m "lede (dedup_bench)" "$big" 3
  peer 1m "gaoya (threads)" gaoya-par "$big" 0.3 3
  if [ "$with_datasketch" = 1 ]; then
    peer 1m datasketch datasketch "$big" 0.3 3
  else
    # Its 52k run peaks near 1 GiB and grows with the records kept: ~20 GiB and ~9 minutes here.
    echo "(datasketch skipped on the million: about 20 GiB of memory; --with-datasketch runs it)" >&2
  fi
fi

# --- tables -----------------------------------------------------------------------------------
"$py" - "$rows" "$evaluate" "$nd/gold.jsonl" "$work/ingest-time.txt" <<'PY'
import importlib.util, json, os, sys
rows_path, evaluate, gold_path, ingest_time = sys.argv[1:]
spec = importlib.util.spec_from_file_location("evaluate", evaluate)
ev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ev)
gold = ev.load(gold_path)
rows = [json.loads(line) for line in open(rows_path)]
titles = {"nd": "congress-nd, 9,108 releases: quality (evaluate.py)",
          "52k": "52,060 press releases: speed", "1m": "1,041,200 records: speed"}


def docs_per_s(r):
    tool = r["tool"] or {}
    if "docs_per_s" in tool:
        return tool["docs_per_s"]
    return len(gold) / r["wall"] if r["wall"] and r["part"] == "nd" else None


def cluster_count(path):
    if not os.path.exists(path):
        return None
    return len({json.loads(line)["cluster"] for line in open(path) if line.strip()})


def fmt(x, spec):
    return "–" if x is None else format(x, spec)


for part in [p for p in titles if any(r["part"] == p for r in rows)]:
    part_rows = [r for r in rows if r["part"] == part]
    base = next((docs_per_s(r) for r in part_rows
                 if r["name"] == "datasketch" and r["threshold"] == "0.3" and r["tool"]), None)
    print(f"\n### {titles[part]}\n")
    print("| method | threshold | window | ARI | pair P | pair R | pair F1 | B³ F1 | clusters | seconds | docs/s | peak MiB | vs datasketch |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for r in part_rows:
        ok = r["wall"] is not None and os.path.exists(r["clusters"])
        s = ev.score(gold, ev.load(r["clusters"])) if ok and part == "nd" else {}
        rate = docs_per_s(r) if ok else None
        seconds = (r["tool"] or {}).get("seconds", r["wall"]) if ok else None
        window = "–" if r["window"] == "-" else f"±{r['window']}d"
        cells = [r["name"] if ok else r["name"] + " (failed)", r["threshold"], window,
                 fmt(s.get("ari"), ".3f"), fmt(s.get("pair_p"), ".3f"), fmt(s.get("pair_r"), ".3f"),
                 fmt(s.get("pair_f1"), ".3f"), fmt(s.get("b3_f1"), ".3f"),
                 fmt(cluster_count(r["clusters"]) if ok else None, ","), fmt(seconds, ".2f"),
                 fmt(rate, ",.0f"), fmt(r["peak_kib"] / 1024 if ok else None, ",.0f"),
                 fmt(rate / base if rate and base else None, ".1f") + ("x" if rate and base else "")]
        print("| " + " | ".join(cells) + " |")
if os.path.exists(ingest_time) and os.path.getsize(ingest_time):
    secs, kib = open(ingest_time).read().split()[:2]
    print(f"\n(lede CLI rows: `lede dups` alone; `lede ingest` of the 9,108 releases before it took "
          f"{float(secs):.2f} s, peak {int(kib) / 1024:,.0f} MiB. Peers' and dedup_bench's seconds are "
          f"their whole pipeline, reading included; peak MiB is the process's maximum resident size.)")
PY
echo "(work files in $work)"
exit "$failed"
