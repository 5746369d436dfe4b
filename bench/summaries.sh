#!/usr/bin/env bash
# What the reader's summaries (articles per day, names' counts, days, stories and pairs;
# store formats 7 to 9) cost ingest (issues 18 and 13, #13's hot path). The same records
# (the first 8,000 of the 52k releases) are ingested three ways, ROUNDS times each, one
# after the other:
#
#   format 8   the binary of commit OLD (the last format 8: summaries kept by SQLite
#              triggers, per inserted row), into a store with its triggers;
#   none       the same binary, into a store whose triggers were dropped after the first
#              record created it: no summaries at all, the floor;
#   format 9   the binary of commit NEW (summaries kept per batch by the write paths,
#              issue 13), into a store of its own.
#
# OLD and NEW are built in release from `git archive` copies of the commits (the working
# tree's uncommitted changes left out; each binary kept in bench/out/summaries/bin by
# commit, and not built again), so that "format 8" and "format 9" differ by the commits
# between OLD and NEW only, and "none" by the triggers only.
#
#   bench/summaries.sh                       # ROUNDS=2 OLD=2d8837d NEW=HEAD
#
# Work files in bench/out/summaries (git-ignored). Timings drift on a shared machine: read
# the modes of one round against each other.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
work=${LEDE_BENCH_DIR:-$root/bench/out/summaries}
rounds=${ROUNDS:-2}
old=$(git -C "$root" rev-parse --short "${OLD:-2d8837d}")
new=$(git -C "$root" rev-parse --short "${NEW:-HEAD}")
command -v sqlite3 > /dev/null || { echo "needs sqlite3 (apt-get install sqlite3)" >&2; exit 1; }
mkdir -p "$work/bin"

# The release binary of a commit, built once (in the workspace's target directory, whose
# dependencies it reuses).
binary() {
  local commit=$1 bin="$work/bin/lede-$1"
  if [ ! -x "$bin" ]; then
    local tree="$work/tree-$commit"
    rm -rf "$tree" && mkdir -p "$tree"
    git -C "$root" archive "$commit" | tar -x -C "$tree"
    CARGO_TARGET_DIR="$root/target" cargo build --release --quiet --manifest-path "$tree/Cargo.toml" -p lede-cli
    cp "$root/target/release/lede" "$bin"
    rm -rf "$tree"
  fi
  echo "$bin"
}
old_bin=$(binary "$old")
new_bin=$(binary "$new")

# (zcat stops on head's closed pipe: not a failure.)
(zcat "$shared/corpus/congress-press-releases/bench-2015-2019.jsonl.gz" || true) | head -8000 > "$work/8k.jsonl"
head -1 "$work/8k.jsonl" > "$work/first.jsonl"
tail -n +2 "$work/8k.jsonl" > "$work/rest.jsonl"
for round in $(seq "$rounds"); do
  for mode in "format 8" none "format 9"; do
    store="$work/store-${mode// /}"
    lede=$old_bin commit=$old
    if [ "$mode" = "format 9" ]; then lede=$new_bin commit=$new; fi
    rm -rf "$store"
    "$lede" --data "$store" ingest "$work/first.jsonl" > /dev/null 2>&1
    format=$(sqlite3 "$store/lede.sqlite" "SELECT value FROM lede_meta WHERE key = 'format'")
    if [ "$mode" = none ]; then
      drops=$(sqlite3 "$store/lede.sqlite" \
        "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'summary%'")
      [ -n "$drops" ] || { echo "no summary triggers in $store: not format 7 or 8?" >&2; exit 1; }
      sqlite3 "$store/lede.sqlite" "$drops"
    fi
    start=$(date +%s.%N)
    "$lede" --data "$store" ingest "$work/rest.jsonl" > /dev/null 2>&1
    end=$(date +%s.%N)
    printf 'round %s, %-8s (lede at %s, store format %s): %.2f s for 7,999 records\n' \
      "$round" "$mode" "$commit" "$format" "$(echo "$end - $start" | bc)"
  done
done
