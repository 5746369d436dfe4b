#!/usr/bin/env bash
# Date accuracy per language on the fundus set (issue 17): lede at a base commit, lede as
# checked out, htmldate and trafilatura's date, in one run, on the same unpacked pages.
#
#   bench/dates.sh [--base COMMIT] [--visible]
#
# --base: the lede to compare with (default db0d062, before the multilingual dates).
# --visible: every tool reads the pages without what declares their date (scripts, JSON-LD,
# <meta>, <link>, datetime attributes: bench/dates_strip.py) and without their addresses,
# so that only the dates written in the visible text count. Without it, the pages as they
# are (most fundus pages declare their date in ISO 8601; this is the column users see).
#
# Needs the shared benchmark data (../shared/bench/extraction, or $LEDE_SHARED). The base is
# built from a git worktree into target/ and kept as bench/out/dates/lede-COMMIT. Prints
# evaluate.py's table (body F1, pages/s, date accuracy over all pages), then dates.py's
# accuracy per language group, then the speed ratios to trafilatura. Saved predictions:
# bench/out/dates/run/ (run-visible/ with --visible).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
shared=${LEDE_SHARED:-$root/../shared}
bench="$shared/bench/extraction"
base=db0d062
visible=""
while [ $# -gt 0 ]; do
  case "$1" in
    --base) base=${2:?--base needs a commit}; shift 2 ;;
    --visible) visible=1; shift ;;
    *) echo "unknown argument: $1 (bench/dates.sh [--base COMMIT] [--visible])" >&2; exit 2 ;;
  esac
done
[ -f "$bench/evaluate.py" ] || { echo "no benchmark at $bench (set LEDE_SHARED)" >&2; exit 1; }

py=$(bench_python "trafilatura, htmldate" trafilatura htmldate lxml_html_clean)

out="$here/out/dates"
mkdir -p "$out"
base=$(git -C "$root" rev-parse --short "$base")
old="$out/lede-$base"
if [ ! -x "$old" ]; then
  tree=$(mktemp -d)/lede-$base
  git -C "$root" worktree add --detach --quiet "$tree" "$base"
  (cd "$tree" && CARGO_TARGET_DIR="$root/target" cargo build --release --quiet -p lede-cli --bin lede)
  cp "$root/target/release/lede" "$old"
  git -C "$root" worktree remove --force "$tree"
fi
cargo build --release --quiet -p lede-cli --bin lede --manifest-path "$root/Cargo.toml"
new="$out/lede-head"
cp "${CARGO_TARGET_DIR:-$root/target}/release/lede" "$new"

# Each command reads {in} as given, or (--visible) a stripped copy, without addresses.
cmd() {
  if [ -n "$visible" ]; then
    echo "d=\$(mktemp -d) && $py $here/dates_strip.py {in} \$d && env -u BENCH_URLS ${1//\{in\}/\$d}; rc=\$?; rm -rf \$d; exit \$rc"
  else
    echo "$1"
  fi
}
run="$out/run${visible:+-visible}"
rm -rf "$run"
"$py" "$bench/evaluate.py" --dataset fundus --save "$run" run \
  "lede-$base" "$(cmd "$old analyze --out-dir {out} {in}/*.html")" \
  lede "$(cmd "$new analyze --out-dir {out} {in}/*.html")" \
  htmldate "$(cmd "$py $here/peers/htmldate_batch.py {in} {out} --meta")" \
  trafilatura "$(cmd "$py $bench/peers/trafilatura_batch.py {in} {out} --meta")" | tee "$out/table.txt"
echo
"$py" "$here/dates.py" "$bench/fundus/ground-truth.json" "$run" --seen "$here/dates-seen.json" "lede-$base" lede htmldate trafilatura
"$py" - "$out/table.txt" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    if line.startswith("metadata"):
        break
    p = line.split()
    if len(p) >= 8 and p[0] not in ("tool", "dataset", "metadata"):
        try:
            rows[p[0]] = (float(p[1]), float(p[5]))
        except ValueError:
            pass
if "trafilatura" in rows:
    base = rows["trafilatura"][1]
    print("\nbody F1 and speed, ratio to trafilatura (same run):")
    for name, (f1, speed) in rows.items():
        print(f"  {name:<16} F1 {f1:.3f}  {speed:8.1f} pages/s  {speed / base:6.1f}x")
PY
