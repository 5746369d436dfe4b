#!/usr/bin/env bash
# Extraction benchmark: lede against Python trafilatura and the rs-trafilatura crate, in one
# run, on the same unpacked pages, scored by the shared evaluator.
#
#   bench/extract.sh [scrapinghub|fundus] [--passes N]
#
# Needs the shared benchmark data (../shared/bench/extraction, or $LEDE_SHARED/bench/extraction).
# Creates bench/.venv with trafilatura on first use. Prints the evaluator's table, then the
# speed ratios. Timings drift on a shared machine: compare inside one run only.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
shared=${LEDE_SHARED:-$root/../shared}
bench="$shared/bench/extraction"
dataset=${1:-scrapinghub}
passes=1
[ "${2:-}" = "--passes" ] && passes=${3:-1}
[ -f "$bench/evaluate.py" ] || { echo "no benchmark at $bench (set LEDE_SHARED)" >&2; exit 1; }

py=$(bench_python trafilatura trafilatura lxml_html_clean)

cargo build --release --quiet -p lede-cli -p lede-bench --bin lede --bin rs_trafilatura_batch --manifest-path "$root/Cargo.toml"
lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
rst="${CARGO_TARGET_DIR:-$root/target}/release/rs_trafilatura_batch"
meta=""
[ "$dataset" = fundus ] && meta=" --meta"

out=$(mktemp)
for pass in $(seq "$passes"); do
  echo "== pass $pass" >&2
  "$py" "$bench/evaluate.py" --dataset "$dataset" run \
    lede "$lede analyze --out-dir {out} {in}/*.html" \
    "lede -j1" "$lede analyze -j 1 --out-dir {out} {in}/*.html" \
    rs-trafilatura "$rst {in} {out}" \
    "rs-trafilatura -j1" "$rst {in} {out} --jobs 1" \
    trafilatura "$py $bench/peers/trafilatura_batch.py {in} {out}$meta" | tee -a "$out"
done

"$py" - "$out" <<'PY'
import sys, collections
rows = collections.defaultdict(list)
for line in open(sys.argv[1]):
    parts = line.split()
    if len(parts) < 8 or parts[0] in ("tool", "dataset", "metadata"):
        continue
    # name may hold a space ("lede -j1"): F1 is the first float-looking field after it.
    for i in range(1, len(parts)):
        try:
            float(parts[i]); break
        except ValueError:
            continue
    name = " ".join(parts[:i])
    try:
        if int(parts[i + 5]) == 0:  # pages missing: the tool failed, no speed to compare
            rows[name].append((float(parts[i]), float(parts[i + 4])))
    except (ValueError, IndexError):
        pass

if "trafilatura" not in rows:
    sys.exit(0)
median = lambda xs: sorted(xs)[len(xs) // 2]
base = median([s for _, s in rows["trafilatura"]])
print("\nspeed (median pages/s over passes) and ratio to trafilatura:")
for name, vals in rows.items():
    s = median([v for _, v in vals])
    print(f"  {name:<20} F1 {vals[0][0]:.3f}  {s:8.1f} pages/s  {s / base:6.1f}x")
PY
rm -f "$out"
