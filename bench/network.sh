#!/usr/bin/env bash
# A benchmark of outlet networks (issue 16, item 6): generated networks of wires, honest
# outlets and content farms over real articles (bench/network/generate.py), each ingested
# into a fresh store and read by `lede outlets --json`, beside the baseline in the same run
# (document MinHash + connected components over outlets, bench/network/baseline.py).
# Scores copy-edge precision/recall/F1 and the outlet groups' ARI (bench/network/score.py).
#
#   bench/network.sh                 # the tuning config, then the report config
#   bench/network.sh tune            # one of them; `--seed N` after it for another seed
#
# Needs ../shared/corpus (or $LEDE_SHARED/corpus) and WordNet's data files
# ($LEDE_WORDNET, default /usr/share/wordnet: Debian's wordnet-base). Work files go to
# $LEDE_BENCH_DIR or a new temporary folder; $LEDE_BIN runs that lede binary instead of
# target/release/lede.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
wordnet=${LEDE_WORDNET:-/usr/share/wordnet}
[ -d "$shared/corpus" ] || { echo "no corpus at $shared/corpus (set LEDE_SHARED)" >&2; exit 1; }
[ -f "$wordnet/data.noun" ] || { echo "no WordNet at $wordnet: apt-get install wordnet-base (or set LEDE_WORDNET)" >&2; exit 1; }
work=${LEDE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import datasketch' 2>/dev/null || "$venv/bin/pip" install --quiet datasketch
py="$venv/bin/python"
if [ -n "${LEDE_BIN:-}" ]; then
  lede=$LEDE_BIN
else
  cargo build --release --quiet -p lede-cli --bin lede --manifest-path "$root/Cargo.toml"
  lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
fi

run() { # run CONFIG [generator options]
  local config=$1 dir="$work/$1"
  shift
  mkdir -p "$dir"
  "$py" "$here/network/generate.py" --out "$dir" --config "$config" --shared "$shared" \
    --wordnet "$wordnet" "$@"
  rm -rf "$dir/store"
  local t0 t1 t2
  t0=$(date +%s.%N)
  "$lede" --data "$dir/store" ingest "$dir/corpus.jsonl" > "$dir/ingest.log" 2>&1
  t1=$(date +%s.%N)
  "$lede" --data "$dir/store" outlets --json > "$dir/lede.json" 2> "$dir/outlets.log"
  t2=$(date +%s.%N)
  "$py" "$here/network/baseline.py" "$dir/corpus.jsonl" "$dir/minhash.json"
  echo "== $config: $(wc -l < "$dir/corpus.jsonl") articles; lede ingest $(echo "$t1 - $t0" | bc) s, outlets $(echo "$t2 - $t1" | bc) s; MinHash $("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"])' "$dir/minhash.json") s (whole corpus, shingling included)"
  "$py" "$here/network/score.py" "$dir/truth.json" "lede=$dir/lede.json" "minhash=$dir/minhash.json"
}

case "${1:-all}" in
  all) run tune; run report ;;
  tune|report) config=$1; shift; run "$config" "$@" ;;
  *) echo "usage: bench/network.sh [tune|report [--seed N]]" >&2; exit 2 ;;
esac
echo "(work files in $work)"
