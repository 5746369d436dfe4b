#!/usr/bin/env bash
# Story-clustering benchmark (issue #6): lede against the TF-IDF average-link baseline on ECB+,
# lede's order dependence, the 2019 press releases (shutdown, State of the Union, national
# emergency, joint releases) and, with --full, ingest speed on the 52,060 releases.
#
#   bench/stories.sh            # a + b + c + e
#   bench/stories.sh --full     # and d (52,060 releases: ~1 GB of store, a minute or more)
#   bench/stories.sh --keep     # keep the temporary stores (bench/out/stories/store-*)
#
# a. ECB+ (../shared/bench/stories/ecbplus, 659 docs, 58 gold stories): the docs without their
#    `topic` (only id/url/text are ingested: lede must not see the answer) go into a fresh
#    store (`lede ingest`), `lede stories --json --min-size 1 --limit 0` gives every story,
#    turned into {"id": record id, "cluster": story id}; bench/stories/baseline.py at t = 0.20 and
#    stories_bench (the clusterer without a store, one pass) run on the same file. All scored
#    by the benchmark's evaluate.py: B-cubed P/R/F1, ARI, pair F1, clusters, seconds.
# b. order dependence: stories_bench over 5 shuffles (seeds 1..5) in one pass (the canonical
#    order makes them identical), then the same shuffles in passes of 128 records (order then
#    matters): B-cubed F1 mean/min/max and whether the partitions are identical.
# c. press releases Jan-Apr 2019 (../shared/corpus/congress-press-releases/demo-2019.jsonl,
#    2,396 releases): ingest time, `lede stories --json --min-size 2 --limit 0`, then
#    bench/stories/releases_report.py: top 20 stories by offices, the story of each of three
#    events, and the joint-release check against `lede dups --json`.
# d. --full: `lede ingest` of bench-2015-2019.jsonl.gz (gunzipped first), wall s and peak KB.
# e. held out: bench/stories/crossval.py tunes lede and the baseline on one half of ECB+ (split
#    by a hash of the id) and scores them on the other, both ways (lede's defaults were chosen
#    on all of ECB+, so part a flatters it). Runs before d.
# Needs ../shared (or $LEDE_SHARED) and bench/.venv with scikit-learn and scipy (created on
# first use). Work files go to $LEDE_BENCH_DIR or bench/out/stories (git-ignored). Timings drift
# on a shared machine: compare inside one run only. Exits non-zero if any part failed; the
# others still run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
shared=${LEDE_SHARED:-$root/../shared}
ecb="$shared/bench/stories/ecbplus"
evaluate="$shared/bench/stories/evaluate.py"
releases="$shared/corpus/congress-press-releases/demo-2019.jsonl"
big_gz="$shared/corpus/congress-press-releases/bench-2015-2019.jsonl.gz"
[ -f "$evaluate" ] || { echo "no benchmark at $shared/bench/stories (set LEDE_SHARED)" >&2; exit 1; }
[ -f "$releases" ] || { echo "no corpus at $releases (set LEDE_SHARED)" >&2; exit 1; }

full=0 keep=0
for arg in "$@"; do
  case $arg in
    --full) full=1 ;;
    --keep) keep=1 ;;
    *) echo "usage: bench/stories.sh [--full] [--keep]" >&2; exit 2 ;;
  esac
done

py=$(bench_python "sklearn, scipy, numpy" scikit-learn scipy numpy)

work=${LEDE_BENCH_DIR:-$root/bench/out/stories}
mkdir -p "$work"
stores=$(mktemp -d "$work/store-XXXXXX")
cleanup() {
  if [ "$keep" = 1 ]; then echo "(stores kept in $stores)" >&2; else rm -rf "$stores"; fi
}
trap cleanup EXIT

echo "== build" >&2
cargo build --release --quiet -p lede-cli -p lede-bench --bin lede --bin stories_bench \
  --manifest-path "$root/Cargo.toml"
lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
stories_bench="${CARGO_TARGET_DIR:-$root/target}/release/stories_bench"
baseline="$here/stories/baseline.py"
report="$here/stories/releases_report.py"
failed=0
rows="$work/ecb-rows.jsonl"
: > "$rows"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
# summary FILE: the summary line of `lede ingest` ("N records read in ..."), not its warnings.
summary() { grep -m 1 'records read' "$1" || head -n 1 "$1"; }
# row SYSTEM PRED SECONDS NOTE: one line of the ECB+ table (PRED "" = failed).
row() {
  "$py" -c 'import json, sys
print(json.dumps(dict(zip(["system", "pred", "seconds", "note"], sys.argv[1:]))))' \
    "$@" >> "$rows"
}

# --- a. ECB+ -----------------------------------------------------------------------------------
# Only id/url/text: the `topic` key is the answer and must never reach lede.
docs="$work/ecb-docs.jsonl"
"$py" - "$ecb/docs.jsonl" "$docs" <<'PY'
import json, sys
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in open(sys.argv[1], encoding="utf-8"):
        if line.strip():
            d = json.loads(line)
            out.write(json.dumps({k: d.get(k) for k in ("id", "url", "text")}, ensure_ascii=False) + "\n")
PY

echo "== a. ECB+: lede ingest + lede stories" >&2
store="$stores/ecb"
t0=$(now)
if "$lede" --data "$store" ingest "$docs" > "$work/ecb-ingest.txt" 2> "$work/ecb-ingest.log"; then
  t1=$(now)
  ingest_s=$(elapsed "$t0" "$t1")
  if "$lede" --data "$store" stories --json --min-size 1 --limit 0 \
       > "$work/ecb-stories.json" 2> "$work/ecb-stories.log"; then
    t2=$(now)
    stories_s=$(elapsed "$t1" "$t2")
    # Stories to {"id": record id, "cluster": story id}. An exact copy of an earlier record is
    # stored once (its record id an alias of the first): such records take their article's
    # story through the store's aliases; a record in no story stays a singleton.
    if "$py" - "$docs" "$work/ecb-stories.json" "$store/lede.sqlite" "$work/ecb-lede.jsonl" <<'PY'; then
import json, sqlite3, sys
docs, stories_path, db, out_path = sys.argv[1:]
ids = [json.loads(line)["id"] for line in open(docs) if line.strip()]
stories = json.load(open(stories_path))
by_record, by_article = {}, {}
for s in stories:
    for art, rids in zip(s.get("articles") or [], s.get("source_ids") or []):
        by_article[str(art)] = s["id"]
        for rid in rids if isinstance(rids, list) else [rids]:
            if rid is not None:
                by_record[str(rid)] = s["id"]
    for art in s.get("articles") or []:
        by_article.setdefault(str(art), s["id"])
try:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    article_of = dict(con.execute("SELECT key, id FROM aliases WHERE kind = 'source_id'"))
    article_of.update((r, a) for a, r in con.execute("SELECT id, source_id FROM articles") if r)
except sqlite3.Error as e:
    print(f"   no aliases read from the store ({e})", file=sys.stderr)
    article_of = {}
alone = 0
with open(out_path, "w") as out:
    for rid in ids:
        story = by_record.get(rid)
        if story is None:
            story = by_article.get(str(article_of.get(rid)))
        if story is None:
            alone += 1
            story = f"alone-{rid}"
        out.write(json.dumps({"id": rid, "cluster": story}) + "\n")
print(f"   lede: {len(stories)} stories; {alone} records in none (scored as singletons)", file=sys.stderr)
PY
      row "lede (ingest + stories)" "$work/ecb-lede.jsonl" \
        "$(awk -v a="$ingest_s" -v b="$stories_s" 'BEGIN { printf "%.3f", a + b }')" \
        "ingest $ingest_s s + stories $stories_s s"
    else
      failed=1; row "lede (ingest + stories)" "" "" "could not read lede stories --json"
    fi
  else
    failed=1
    echo "   lede stories failed: $(head -n 3 "$work/ecb-stories.log")" >&2
    row "lede (ingest + stories)" "" "" "lede stories failed (see $work/ecb-stories.log)"
  fi
else
  failed=1
  echo "   lede ingest failed (see $work/ecb-ingest.log)" >&2
  row "lede (ingest + stories)" "" "" "lede ingest failed"
fi

# run_bench OUT [flags]: stories_bench on the ECB+ copy; prints its cluster seconds.
run_bench() {
  local out=$1; shift
  if "$stories_bench" --input "$docs" --output "$out" "$@" 2> "$out.stderr"; then
    "$py" -c 'import json, sys
t = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][-1]
print("%.3f" % (t["read_s"] + t["cluster_s"]))' "$out.stderr"
  else
    echo "   stories_bench $* failed (see $out.stderr)" >&2
    return 1
  fi
}

echo "== a. ECB+: stories_bench (one pass, file order)" >&2
if secs=$(run_bench "$work/ecb-bench.jsonl"); then
  row "lede stories_bench (no store, 1 pass)" "$work/ecb-bench.jsonl" "$secs" "read + annotate + cluster"
else
  failed=1; row "lede stories_bench (no store, 1 pass)" "" "" "failed"
fi

echo "== a. ECB+: TF-IDF average-link baseline, t = 0.20" >&2
if "$py" "$baseline" "$docs" 0.20 > "$work/ecb-baseline.jsonl" 2> "$work/ecb-baseline.log"; then
  secs=$("$py" -c 'import json, sys
print(json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])["seconds"])' \
    "$work/ecb-baseline.log")
  row "TF-IDF average-link t=0.20 (baseline.py)" "$work/ecb-baseline.jsonl" "$secs" "read + vectorise + cluster"
else
  failed=1; row "TF-IDF average-link t=0.20 (baseline.py)" "" "" "failed (see $work/ecb-baseline.log)"
fi

# --- b. order dependence -----------------------------------------------------------------------
order="$work/ecb-order.jsonl"
: > "$order"
for batch in all 128; do
  for seed in 1 2 3 4 5; do
    out="$work/ecb-order-$batch-s$seed.jsonl"
    flags=(--shuffle "$seed")
    [ "$batch" = all ] || flags+=(--batch "$batch")
    echo "== b. stories_bench ${flags[*]}" >&2
    if run_bench "$out" "${flags[@]}" > /dev/null; then
      printf '{"batch":"%s","seed":%s,"pred":"%s"}\n' "$batch" "$seed" "$out" >> "$order"
    else
      failed=1
    fi
  done
done

# --- table for a and b -------------------------------------------------------------------------
"$py" - "$rows" "$order" "$evaluate" "$ecb/gold.jsonl" <<'PY' || failed=1
import importlib.util, json, statistics, sys
rows_path, order_path, evaluate, gold_path = sys.argv[1:]
spec = importlib.util.spec_from_file_location("evaluate", evaluate)
ev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ev)
gold = ev.load(gold_path)


def fmt(x, spec=".4f"):
    return "–" if x is None else format(x, spec)


print(f"\n### ECB+ shared part: {len(gold)} docs, {len(set(gold.values()))} gold stories (evaluate.py)\n")
print("| system | B³ P | B³ R | B³ F1 | ARI | pair F1 | clusters | seconds | |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for r in (json.loads(line) for line in open(rows_path)):
    if r["pred"]:
        pred = ev.load(r["pred"])
        s = ev.score(gold, pred)
        cells = [r["system"], fmt(s["b3_p"]), fmt(s["b3_r"]), fmt(s["b3_f1"]), fmt(s["ari"]),
                 fmt(s["pair_f1"]), str(s["pred_clusters"]), fmt(float(r["seconds"]), ".2f"), r["note"]]
    else:
        cells = [r["system"] + " (failed)"] + ["–"] * 7 + [r["note"]]
    print("| " + " | ".join(cells) + " |")


def partition(pred):
    groups = {}
    for doc, c in pred.items():
        groups.setdefault(c, set()).add(doc)
    return frozenset(frozenset(g) for g in groups.values())


runs = [json.loads(line) for line in open(order_path)]
print("\n### Order dependence: stories_bench over shuffled inputs (seeds 1-5)\n")
print("| setting | runs | B³ F1 mean | min | max | ARI mean | clusters | identical partitions |")
print("| --- | --- | --- | --- | --- | --- | --- | --- |")
for batch, name in (("all", "one pass"), ("128", "passes of 128")):
    got = [r for r in runs if r["batch"] == batch]
    if not got:
        print(f"| {name} (failed) | 0 | – | – | – | – | – | – |")
        continue
    preds = [ev.load(r["pred"]) for r in got]
    scores = [ev.score(gold, p) for p in preds]
    f1 = [s["b3_f1"] for s in scores]
    clusters = sorted({s["pred_clusters"] for s in scores})
    same = len({partition(p) for p in preds}) == 1
    print(f"| {name} | {len(got)} | {fmt(statistics.mean(f1))} | {fmt(min(f1))} | {fmt(max(f1))} | "
          f"{fmt(statistics.mean(s['ari'] for s in scores))} | "
          f"{'–'.join(map(str, (clusters[0], clusters[-1]))) if len(clusters) > 1 else clusters[0]} | "
          f"{'yes' if same else 'no'} |")
PY

# --- c. press releases Jan-Apr 2019 ------------------------------------------------------------
echo "== c. press releases 2019: lede ingest" >&2
store="$stores/releases"
if /usr/bin/time -f "%e %M" -o "$work/rel-ingest-time.txt" \
     "$lede" --data "$store" ingest "$releases" > "$work/rel-ingest.txt" 2> "$work/rel-ingest.log"; then
  read -r secs kib < "$work/rel-ingest-time.txt"
  echo
  echo "### Press releases Jan-Apr 2019 ($(wc -l < "$releases" | tr -d ' ') releases)"
  echo
  echo "lede ingest: ${secs} s wall, peak $((kib / 1024)) MiB: $(summary "$work/rel-ingest.txt")"
  echo "== c. lede stories / lede dups" >&2
  t0=$(now)
  if "$lede" --data "$store" stories --json --min-size 2 --limit 0 \
       > "$work/rel-stories.json" 2> "$work/rel-stories.log"; then
    echo "lede stories --json --min-size 2 --limit 0: $(elapsed "$t0" "$(now)") s"
    dups_flag=()
    if "$lede" --data "$store" dups --json > "$work/rel-dups.json" 2> "$work/rel-dups.log"; then
      dups_flag=(--dups "$work/rel-dups.json")
    else
      failed=1; echo "   lede dups failed (see $work/rel-dups.log)" >&2
    fi
    echo
    "$py" "$report" "$work/rel-stories.json" "$releases" --store "$store/lede.sqlite" \
      "${dups_flag[@]}" || failed=1
  else
    failed=1
    echo "   lede stories failed: $(head -n 3 "$work/rel-stories.log")" >&2
    echo "(lede stories failed: no report; see $work/rel-stories.log)"
  fi
else
  failed=1
  echo "   lede ingest failed (see $work/rel-ingest.log)" >&2
fi

# --- e. held out: two-fold cross-validation on ECB+ ------------------------------------------
echo "== e. ECB+ held out (each system tuned on one half, scored on the other)" >&2
echo
echo "### ECB+ held out: two-fold cross-validation (bench/stories/crossval.py)"
echo
if ! LEDE_SHARED="$shared" "$py" "$here/stories/crossval.py" 2> "$work/crossval.log"; then
  failed=1; echo "(crossval.py failed; see $work/crossval.log)"
fi

# --- d. speed on the 52,060 releases -----------------------------------------------------------
if [ "$full" = 1 ]; then
  echo "== d. 52,060 releases: lede ingest" >&2
  big="$work/bench-2015-2019.jsonl"
  gunzip -c "$big_gz" > "$big"
  echo
  echo "### 52,060 press releases: lede ingest ($(nproc) cores)"
  echo
  if /usr/bin/time -f "%e s %M KB" -o "$work/52k-ingest-time.txt" \
       "$lede" --data "$stores/52k" ingest "$big" > "$work/52k-ingest.txt" 2> "$work/52k-ingest.log"; then
    echo "lede ingest: $(cat "$work/52k-ingest-time.txt") (wall, peak RSS): $(summary "$work/52k-ingest.txt")"
    t0=$(now)
    if "$lede" --data "$stores/52k" stories --json --min-size 2 --limit 0 \
         > "$work/52k-stories.json" 2> "$work/52k-stories.log"; then
      echo "lede stories --json --min-size 2 --limit 0: $(elapsed "$t0" "$(now)") s," \
        "$("$py" -c 'import json, sys; print(len(json.load(open(sys.argv[1]))))' "$work/52k-stories.json") stories"
    else
      failed=1; echo "(lede stories failed on the 52k store; see $work/52k-stories.log)"
    fi
  else
    failed=1; echo "(lede ingest failed; see $work/52k-ingest.log)"
  fi
  rm -f "$big"
fi
echo "(work files in $work)"
exit "$failed"
