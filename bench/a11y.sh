#!/usr/bin/env bash
# Accessibility of the reader (issue 18): axe-core 4.12.1 (the axe.min.js of the PyPI
# package axe-playwright-python, with websocket-client, pinned in bench/a11y/requirements.txt
# and installed into target/tools/a11y as .ci/run does) run by bench/a11y/axe.py in headless
# Chromium over the demo store's pages, light and dark mode; prints each page's violations,
# exits 1 when there are any.
#
#   bench/a11y.sh            # needs python3 and chromium
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${LEDE_BENCH_DIR:-$root/bench/out/a11y}
mkdir -p "$work"
venv="$root/target/tools/a11y"
python=${LEDE_AXE_PYTHON:-$venv/bin/python}
if [ -z "${LEDE_AXE_PYTHON:-}" ] && ! cmp -s "$here/a11y/requirements.txt" "$venv/requirements.txt"; then
  rm -rf "$venv" && python3 -m venv "$venv"
  "$venv/bin/pip" install -q --no-deps --require-hashes -r "$here/a11y/requirements.txt"
  cp "$here/a11y/requirements.txt" "$venv/requirements.txt"
fi
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p lede-cli
lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
store="$work/demo-store"
[ -f "$store/lede.sqlite" ] || (cd "$root" && "$lede" --data "$store" demo --no-serve > "$work/demo.txt")
port=${PORT:-18184}
"$lede" --data "$store" serve --addr "127.0.0.1:$port" 2> "$work/serve.log" &
pid=$!
trap 'kill $pid 2> /dev/null || true' EXIT
sleep 1
base="http://127.0.0.1:$port"
get() { curl -s "$base$1"; }
story=$(get "/api/stories?min_size=2&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
article=$(get "/api/search?q=president&limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hits"][0]["id"])')
"$python" "$here/a11y/axe.py" "${CHROMIUM:-chromium}" \
  "$base/" "$base/?from=2019-01-07&to=2019-01-13" "$base/stories/$story" "$base/articles/$article" \
  "$base/entities/Donald%20Trump" "$base/quotes?speaker=Trump" "$base/search?q=shutdown" \
  "$base/search?q=shutdown&from=2019-01-01&to=2019-01-31" "$base/feeds" "$base/?from=2019-02-30"
