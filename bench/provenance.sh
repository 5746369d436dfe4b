#!/usr/bin/env bash
# Passage-provenance benchmark: `lede trace` against a paragraph-level MinHash baseline
# (datasketch), in one run, on the same generated corpus (bench/provenance/README.md).
#
#   bench/provenance.sh                       # seed 20261129, 60 queries a kind, 5,000 distractors
#   bench/provenance.sh --seed 7 --queries-per-kind 100 --distractors 20000
#
# Arguments go to bench/provenance/generate.py. Needs ../shared/corpus (or
# $LEDE_SHARED/corpus); work files go to $LEDE_BENCH_DIR or a new temporary folder.
# $LEDE_BIN runs that lede binary instead of building target/release/lede.
# Prints one table: passage precision, recall, F1, verdict accuracy, substitution recall
# and precision, index and trace seconds, for both methods; then per-kind numbers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
bench="$here/provenance"
shared=${LEDE_SHARED:-$root/../shared}
[ -d "$shared/corpus" ] || { echo "no corpus at $shared/corpus (set LEDE_SHARED)" >&2; exit 1; }
work=${LEDE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"

py=$(bench_python datasketch datasketch)

if [ -n "${LEDE_BIN:-}" ]; then
  lede=$LEDE_BIN
else
  cargo build --release --quiet -p lede-cli --manifest-path "$root/Cargo.toml"
  lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

"$py" "$bench/generate.py" --out "$work" --shared "$shared" "$@"
"$py" -c 'import json, sys
for line in open(sys.argv[1]):
    print(json.loads(line)["id"])' "$work/gold.jsonl" > "$work/ids.txt"
queries=$(wc -l < "$work/ids.txt")

# lede: ingest (the store and its indexes), then trace every query, 200 ids a command.
rm -rf "$work/store"
t0=$(now)
"$lede" --data "$work/store" ingest "$work/corpus.jsonl" > "$work/ingest.log" 2>&1
t1=$(now)
ingest_s=$(elapsed "$t0" "$t1")
rm -f "$work/lede-eval.json" "$work/lede-times.json"
if "$lede" trace --help > /dev/null 2>&1; then
  t0=$(now)
  xargs -n 200 "$lede" --data "$work/store" trace --json < "$work/ids.txt" > "$work/lede.jsonl"
  t1=$(now)
  trace_s=$(elapsed "$t0" "$t1")
  # Per-query latency: 50 queries (seeded sample), one `lede trace` process each.
  latency=$("$py" - "$lede" "$work/store" "$work/ids.txt" <<'PY'
import json, random, subprocess, sys, time
lede, store, ids = sys.argv[1], sys.argv[2], open(sys.argv[3]).read().split()
ms = []
for rid in random.Random(7).sample(ids, min(50, len(ids))):
    t = time.perf_counter()
    subprocess.run([lede, "--data", store, "trace", "--json", rid], check=True,
                   stdout=subprocess.DEVNULL)
    ms.append((time.perf_counter() - t) * 1000)
ms.sort()
print(f"{ms[len(ms) // 2]:.1f} {ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]:.1f}")
PY
)
  read -r p50 p99 <<< "$latency"
  "$py" "$bench/evaluate.py" --json "$work/gold.jsonl" "$work/lede.jsonl" > "$work/lede-eval.json"
  cat > "$work/lede-times.json" <<JSON
{"index_s": $ingest_s, "trace_s": $trace_s, "queries": $queries,
 "note": "index = the whole \`lede ingest\`; trace = \`lede trace --json\`, 200 ids a process; one query a process: p50 $p50 ms, p99 $p99 ms (50 queries, start-up included);"}
JSON
else
  echo "note: $lede has no trace command yet; the lede row is left out (ingest took ${ingest_s} s)" >&2
fi

# Baseline: its own index over every corpus paragraph, then every query.
"$py" "$bench/baseline_minhash.py" "$work/corpus.jsonl" "$work/gold.jsonl" "$work/minhash.jsonl" \
  > "$work/minhash-times.json"
"$py" "$bench/evaluate.py" --json "$work/gold.jsonl" "$work/minhash.jsonl" > "$work/minhash-eval.json"

echo
echo "== provenance: $queries queries, $(wc -l < "$work/corpus.jsonl") records ($(nproc) cores)"
"$py" "$bench/report.py" "$work"
echo "(work files in $work; full reports: python3 $bench/evaluate.py $work/gold.jsonl $work/{lede,minhash}.jsonl)"
