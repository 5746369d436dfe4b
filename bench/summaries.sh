#!/usr/bin/env bash
# What the reader's summaries (store formats 7 and 8: the SQLite triggers that keep
# articles per day, names' counts, days, stories and pairs) cost ingest (issue 18, #13's
# hot path): the same release binary ingests the same records (the first 8,000 of the
# 52k releases) into a store with its triggers and into one where they were dropped after
# the first record created the store, ROUNDS times each, one after the other.
#
#   bench/summaries.sh            # ROUNDS=2
#
# Work files in bench/out/summaries (git-ignored). Timings drift on a shared machine: read
# the two modes of one round against each other.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
work=${LEDE_BENCH_DIR:-$root/bench/out/summaries}
rounds=${ROUNDS:-2}
command -v sqlite3 > /dev/null || { echo "needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
mkdir -p "$work"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p lede-cli
lede="$root/target/release/lede"
# (zcat stops on head's closed pipe: not a failure.)
(zcat "$shared/corpus/congress-press-releases/bench-2015-2019.jsonl.gz" || true) | head -8000 > "$work/8k.jsonl"
head -1 "$work/8k.jsonl" > "$work/first.jsonl"
tail -n +2 "$work/8k.jsonl" > "$work/rest.jsonl"
for round in $(seq "$rounds"); do
  for mode in with without; do
    store="$work/store-$mode"
    rm -rf "$store"
    "$lede" --data "$store" ingest "$work/first.jsonl" > /dev/null 2>&1
    if [ "$mode" = without ]; then
      drops=$(sqlite3 "$store/lede.sqlite" \
        "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'summary%'")
      [ -n "$drops" ] || { echo "no summary triggers in $store: an older format?" >&2; exit 1; }
      sqlite3 "$store/lede.sqlite" "$drops"
    fi
    start=$(date +%s.%N)
    "$lede" --data "$store" ingest "$work/rest.jsonl" > /dev/null 2>&1
    end=$(date +%s.%N)
    printf 'round %s, %-7s triggers: %.2f s for 7,999 records\n' "$round" "$mode" "$(echo "$end - $start" | bc)"
  done
done
