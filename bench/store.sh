#!/usr/bin/env bash
# Ingest and search benchmark: lede against the pipeline a user would otherwise write
# (Python: json + SQLite FTS5, bench/peers/fts5.py), in one run, on the same data.
#
#   bench/store.sh            # the 52,060 press releases
#   bench/store.sh --million  # also 1,041,200 records (20 perturbed copies, bench/corpus.py)
#
# Prints, for each size: ingest seconds, records/s and peak memory for both; search p50/p99
# over 1,000 generated queries (bench/corpus.py queries, seed 7) for both; and the ratios.
# Needs ../shared/corpus (or $LEDE_SHARED/corpus) and about 15 GB of free disk for --million.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
src="$shared/corpus/congress-press-releases/bench-2015-2019.jsonl.gz"
[ -f "$src" ] || { echo "no corpus at $src (set LEDE_SHARED)" >&2; exit 1; }
work=${LEDE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet -p lede-cli -p lede-bench --bin lede --bin search_bench --manifest-path "$root/Cargo.toml"
lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
search="${CARGO_TARGET_DIR:-$root/target}/release/search_bench"
python3 "$here/corpus.py" queries "$src" 1000 7 > "$work/queries.jsonl"

peak() { # command... -> prints "seconds peak_MiB" of the command, its output to stderr
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >&2
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$work/time.txt"
}

run() { # name input records
  local name=$1 input=$2 records=$3
  rm -rf "$work/lede-$name" "$work/fts-$name.db"*
  read -r ls lm < <(peak "$lede" --data "$work/lede-$name" ingest "$input")
  read -r fs fm < <(peak python3 "$here/peers/fts5.py" ingest "$work/fts-$name.db" "$input")
  local lq fq
  lq=$("$search" "$work/lede-$name" "$work/queries.jsonl")
  fq=$(python3 "$here/peers/fts5.py" search "$work/fts-$name.db" "$work/queries.jsonl")
  python3 - "$name" "$records" "$ls" "$lm" "$fs" "$fm" "$lq" "$fq" <<'PY'
import json, sys
name, n, ls, lm, fs, fm, lq, fq = sys.argv[1:]
n, ls, fs = int(n), float(ls), float(fs)
lq, fq = json.loads(lq), json.loads(fq)
print(f"\n== {name}: {n:,} records")
print(f"ingest   lede {n/ls:9,.0f} records/s  {ls:7.1f} s  peak {lm} MiB   |  json+FTS5 {n/fs:9,.0f} records/s  {fs:7.1f} s  peak {fm} MiB   |  lede/FTS5 speed {fs/ls:.2f}x")
print(f"search   lede p50 {lq['p50_ms']:.2f} ms  p99 {lq['p99_ms']:.2f} ms   |  FTS5 p50 {fq['p50_ms']:.2f} ms  p99 {fq['p99_ms']:.2f} ms   |  p50 {fq['p50_ms']/lq['p50_ms']:.1f}x  p99 {fq['p99_ms']/lq['p99_ms']:.1f}x faster")
PY
}

run 52k "$src" 52060
if [ "${1:-}" = "--million" ]; then
  python3 "$here/corpus.py" scale "$src" 20 > "$work/million.jsonl"
  run 1m "$work/million.jsonl" 1041200
fi
echo "(work files in $work)"
