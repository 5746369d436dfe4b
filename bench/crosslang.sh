#!/usr/bin/env bash
# Stories across languages (issue #17 item 4): lede's cross-language story links against
# two baselines and no linking at all, in one run, on bench/crosslang (see its README: the
# 294 English Wikinews articles of ../shared/corpus/wikinews-2019-2020, CC BY 2.5, and 45
# reports in German, French, Spanish and Russian of 20 of their events, written for this
# benchmark).
#
#   bench/crosslang.sh
#
# crosslang_bench clusters each language's articles into stories by themselves, then links
# stories across languages under each method, writing every candidate link with its score;
# bench/crosslang/score.py splits the events into two halves by a hash of their id, picks each
# family's variant and threshold on one half (best cross-lingual B-cubed F1) and scores the
# other half, both ways, for monolingual and cross-lingual pairs separately. Families:
#   lede      canonical names + numbers + shared words (weights below), mutual best or not
#   entities  shared canonical names alone (the alias table's work without numbers or words)
#   words     shared surface words alone (names spelt alike, numbers, cognates)
#   none      the per-language stories, unlinked
# b. the same docs through `lede ingest` into a fresh store, then `lede story --json` and
#    `lede show --json` for each (bench/crosslang/product.py): the links as the product gives
#    them (its also_in, at the default parameters), scored the same way, and each call timed.
# c. what also_in costs on the bundled sample (data/sample: 2,396 press releases, 295 Wikinews
#    articles): the 20 largest stories by `lede story --json` against `lede show --json` of
#    their first article (bench/crosslang/latency.py).
# Needs python3 (standard library only). Work files go to $LEDE_BENCH_DIR or
# bench/out/crosslang (git-ignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
wikinews="$shared/corpus/wikinews-2019-2020/wikinews-2019-2020.jsonl"
[ -f "$wikinews" ] || { echo "no corpus at $wikinews (set LEDE_SHARED)" >&2; exit 1; }
[ $# -eq 0 ] || { echo "usage: bench/crosslang.sh" >&2; exit 2; }
work=${LEDE_BENCH_DIR:-$root/bench/out/crosslang}
mkdir -p "$work"

echo "== build ($(git -C "$root" rev-parse --short HEAD)$(git -C "$root" diff --quiet HEAD -- crates bench/crosslang || echo ', with uncommitted changes'))" >&2
cargo build --release --quiet -p lede-bench -p lede-cli --bin crosslang_bench --bin lede \
  --manifest-path "$root/Cargo.toml"
bin=${CARGO_TARGET_DIR:-$root/target}/release

docs="$work/docs.jsonl"
python3 "$here/crosslang/build.py" "$wikinews" "$here/crosslang/foreign.jsonl" "$docs"

methods=()
for n in 0 0.25 0.5 1; do
  for w in 0 0.25 0.5; do
    for m in 1 0; do
      methods+=(--method "lede/n$n-w$w-m$m:number=$n,word=$w,mutual=$m")
    done
  done
done
for m in 1 0; do
  methods+=(--method "entities/m$m:number=0,word=0,mutual=$m")
  methods+=(--method "words/m$m:entity=0,number=0,word=1,mutual=$m,pool=all")
done
echo "== a. crosslang_bench: every method, tuned per half" >&2
"$bin/crosslang_bench" --input "$docs" --output "$work/links.json" "${methods[@]}"
python3 "$here/crosslang/score.py" "$docs" "$work/links.json"

echo "== b. lede ingest + lede story: also_in as the product gives it" >&2
rm -rf "$work/store"
"$bin/lede" --data "$work/store" ingest "$docs" >&2
python3 "$here/crosslang/product.py" "$bin/lede" "$work/store" "$docs" "$work/story-links.json"
python3 "$here/crosslang/score.py" "$docs" "$work/story-links.json"

echo "== c. the cost of also_in on data/sample" >&2
rm -rf "$work/sample-store"
"$bin/lede" --data "$work/sample-store" ingest "$root/data/sample" >&2
python3 "$here/crosslang/latency.py" "$bin/lede" "$work/sample-store" 20
