#!/usr/bin/env bash
# Provenance verdicts on two independent generators (issue 16): verdict accuracy and spin
# precision/recall per half (A: odd query ids, where thresholds were chosen; B: held out),
# for lede, an earlier lede binary if given, and the MinHash baseline with lede's old rule.
#
#   bench/provenance2.sh                        # both generators at their default seeds
#   LEDE_BASELINE_BIN=/tmp/lede-old bench/provenance2.sh
#
# Generator 1: bench/provenance/generate.py (press releases 2015-2018, hand list of 231
# spinner pairs). Generator 2: bench/provenance2/generate.py (Wikinews and 2019 press
# releases, WordNet synonyms, editor-like edits); needs WordNet's data files
# (Debian's wordnet-base, installed here with apt-get when missing and run as root).
# $LEDE_BIN runs that binary instead of building target/release/lede; work files go to
# $LEDE_BENCH_DIR or a new temporary folder. See bench/provenance2/README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
shared=${LEDE_SHARED:-$root/../shared}
work=${LEDE_BENCH_DIR:-$(mktemp -d)}
wordnet=${LEDE_WORDNET:-/usr/share/wordnet}
mkdir -p "$work"

if [ ! -f "$wordnet/data.noun" ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get install -y -qq wordnet-base > /dev/null || { apt-get update -qq && apt-get install -y -qq wordnet-base > /dev/null; }
  else
    echo "no WordNet at $wordnet: apt-get install wordnet-base (or set LEDE_WORDNET)" >&2
    exit 1
  fi
fi
py=$(bench_python datasketch datasketch)

if [ -n "${LEDE_BIN:-}" ]; then
  lede=$LEDE_BIN
else
  cargo build --release --quiet -p lede-cli --manifest-path "$root/Cargo.toml"
  lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
fi

run() { # run NAME GENERATOR-COMMAND...
  local dir="$work/$1"
  shift
  mkdir -p "$dir"
  "$@" > "$dir/generate.log" 2>&1
  "$py" -c 'import json, sys
for line in open(sys.argv[1]):
    print(json.loads(line)["id"])' "$dir/gold.jsonl" > "$dir/ids.txt"
  rm -rf "$dir/store"
  "$lede" --data "$dir/store" ingest "$dir/corpus.jsonl" > "$dir/ingest.log" 2>&1
  xargs -n 200 "$lede" --data "$dir/store" trace --json < "$dir/ids.txt" > "$dir/lede.jsonl"
  local systems=("lede=$dir/lede.jsonl")
  if [ -n "${LEDE_BASELINE_BIN:-}" ]; then
    xargs -n 200 "$LEDE_BASELINE_BIN" --data "$dir/store" trace --json < "$dir/ids.txt" > "$dir/lede-baseline.jsonl"
    systems+=("lede-baseline=$dir/lede-baseline.jsonl")
  fi
  "$py" "$root/bench/provenance/baseline_minhash.py" "$dir/corpus.jsonl" "$dir/gold.jsonl" \
    "$dir/minhash.jsonl" > "$dir/minhash-times.json"
  systems+=("minhash=$dir/minhash.jsonl")
  echo
  echo "== $(basename "$dir"): $(wc -l < "$dir/ids.txt") queries, $(wc -l < "$dir/corpus.jsonl") records"
  "$py" "$here/provenance2/verdicts.py" "$dir/gold.jsonl" "${systems[@]}"
  "$py" "$root/bench/provenance/evaluate.py" "$dir/gold.jsonl" "$dir/lede.jsonl" \
    | grep -E '^\| (kind|all|spun_copy|spun_composite|edited) \|'
}

run gen1 "$py" "$root/bench/provenance/generate.py" --out "$work/gen1" --shared "$shared"
run gen2 "$py" "$here/provenance2/generate.py" --out "$work/gen2" --shared "$shared" --wordnet "$wordnet"
echo "(work files in $work)"
