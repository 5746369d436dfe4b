#!/usr/bin/env bash
# Intrinsic signals of a composite (issue 16, item 5): composites stitched from real
# Wikinews articles, stored WITHOUT their sources, and the single-source originals, all
# traced; reports how many composites are flagged `composite_suspected` and how many
# originals are wrongly flagged, on the tuning half and on the test half
# (bench/intrinsic/generate.py).
#
#   bench/intrinsic.sh [--seed N] [--rounds N]
#
# Needs ../shared/corpus (or $LEDE_SHARED/corpus); work files go to $LEDE_BENCH_DIR or a
# new temporary folder; $LEDE_BIN runs that lede binary instead of target/release/lede.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
[ -d "$shared/corpus" ] || { echo "no corpus at $shared/corpus (set LEDE_SHARED)" >&2; exit 1; }
work=${LEDE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
if [ -n "${LEDE_BIN:-}" ]; then
  lede=$LEDE_BIN
else
  cargo build --release --quiet -p lede-cli --manifest-path "$root/Cargo.toml"
  lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
fi
python3 "$here/intrinsic/generate.py" --shared "$shared" --out "$work" "$@"
: > "$work/traces.jsonl"
while read -r name; do
  store="$work/store-${name%.jsonl}"
  rm -rf "$store"
  "$lede" --data "$store" ingest "$work/$name" > "$work/ingest-${name%.jsonl}.log" 2>&1
  python3 -c 'import json, sys
for line in open(sys.argv[1]):
    print(json.loads(line)["id"])' "$work/$name" \
    | xargs -n 100 "$lede" --data "$store" trace --json >> "$work/traces.jsonl"
done < "$work/stores.txt"
python3 "$here/intrinsic/report.py" "$work/gold.jsonl" "$work/traces.jsonl"
