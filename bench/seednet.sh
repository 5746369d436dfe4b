#!/usr/bin/env bash
# The seed page among pages built to imitate its network (issue 16, "Done when";
# bench/network/seednet.py): ingests them into a fresh store and prints `lede outlets` and
# `lede authors`.
#
#   bench/seednet.sh            # LEDE_BIN=... to use that lede; work files in $LEDE_BENCH_DIR
#
# Needs ../shared/corpus (or $LEDE_SHARED/corpus) and WordNet's data files ($LEDE_WORDNET).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
wordnet=${LEDE_WORDNET:-/usr/share/wordnet}
work=${LEDE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import datasketch' 2>/dev/null || "$venv/bin/pip" install --quiet datasketch
if [ -n "${LEDE_BIN:-}" ]; then
  lede=$LEDE_BIN
else
  cargo build --release --quiet -p lede-cli --bin lede --manifest-path "$root/Cargo.toml"
  lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
fi
"$venv/bin/python" "$here/network/seednet.py" --out "$work" --shared "$shared" --wordnet "$wordnet"
rm -rf "$work/store"
"$lede" --data "$work/store" ingest "$work/corpus.jsonl"
echo "\$ lede outlets"
"$lede" --data "$work/store" outlets
echo "\$ lede authors"
"$lede" --data "$work/store" authors
echo "(work files in $work)"
