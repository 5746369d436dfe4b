#!/usr/bin/env bash
# The JSON API against its own OpenAPI document (issue #7): schemathesis (PyPI, into
# bench/.venv) runs every check on every operation of /api/openapi.json, served by
# `lede serve` over the demo store (data/sample + the seed page). Exit 0 when all pass.
#
#   bench/api-check.sh [MAX_EXAMPLES]     # default 50 examples per operation
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${LEDE_BENCH_DIR:-$root/bench/out/api-check}
mkdir -p "$work"
venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
[ -x "$venv/bin/schemathesis" ] || "$venv/bin/pip" install --quiet schemathesis
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p lede-cli
lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
store="$work/demo-store"
[ -f "$store/lede.sqlite" ] || (cd "$root" && "$lede" --data "$store" demo --no-serve > "$work/demo.txt")
port=${PORT:-18182}
"$lede" --data "$store" serve --addr "127.0.0.1:$port" 2> "$work/serve.log" &
pid=$!
trap 'kill $pid 2> /dev/null || true' EXIT
sleep 1
# The outlet network is computed in the background: until it is ready /api/outlets answers
# 503 `computing` (documented), which schemathesis counts as a server error. Wait for it.
for _ in $(seq 600); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/outlets")" = 200 ] && break
  sleep 1
done
# schemathesis.toml (beside this script's serve/ folder) counts 414 as a rejection.
cd "$here/serve"
"$venv/bin/schemathesis" run "http://127.0.0.1:$port/api/openapi.json" --checks all \
  --max-examples "${1:-50}"
