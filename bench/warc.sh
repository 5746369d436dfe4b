#!/usr/bin/env bash
# Web-archive ingest benchmark (issue #14): lede against the pipeline people write today to
# turn a WARC into articles (Python warcio + trafilatura + a JSON Lines write, what
# news-please does for CC-NEWS), in one run, on the same WARC.gz.
#
#   bench/warc.sh [--passes N]
#
# The WARC.gz holds both extraction benchmarks' pages (181 ScrapingHub + 258 fundus, in 41
# countries' languages) under their real URLs, one gzip member per record, written by
# warcio (bench/peers/warc_build.py). lede's ingest does everything it always does
# (extraction, annotation, sketches, story features, the index, story clustering) into a
# fresh store each pass; the peer extracts text and metadata only. Prints records/s and
# peak memory for both (median over passes), the ratio, and lede's records/s when
# `--host` keeps about 10% of the records (the rest rejected before extraction) and when
# `--lang` keeps about 10% (the rest rejected after extraction, before annotation).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
. "$here/lib.sh"
shared=${LEDE_SHARED:-$root/../shared}
bench="$shared/bench/extraction"
passes=3
[ "${1:-}" = "--passes" ] && passes=${2:-3}
[ -f "$bench/ground-truth.json" ] || { echo "no benchmark at $bench (set LEDE_SHARED)" >&2; exit 1; }

py=$(bench_python "trafilatura, warcio" trafilatura lxml_html_clean warcio)

cargo build --release --quiet -p lede-cli --bin lede --manifest-path "$root/Cargo.toml"
lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

"$py" "$here/peers/warc_build.py" "$work/pages.warc.gz" "$bench" > "$work/build.json"
records=$("$py" -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"])' "$work/build.json")
# Hosts, most records first, until about 10% of the records.
hosts=$("$py" - "$work/build.json" <<'PY'
import json, sys
b = json.load(open(sys.argv[1]))
keep, n = [], 0
for host, count in sorted(b["hosts"], key=lambda hc: (hc[1], hc[0])):
    if n + count > b["records"] * 0.10:
        continue
    keep.append(host); n += count
print(" ".join(f"--host {h}" for h in keep))
PY
)

peak() { # command... -> "seconds peak_MiB"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" > "$work/out.txt" 2> "$work/err.txt" \
    || { echo "failed: $*" >&2; cat "$work/err.txt" >&2; exit 1; }
  awk '{printf "%s %.0f\n", $1, $2/1024}' "$work/time.txt"
}

: > "$work/runs.txt"
for pass in $(seq "$passes"); do
  echo "== pass $pass" >&2
  rm -rf "$work/store"
  echo "lede $(peak "$lede" --data "$work/store" ingest --json "$work/pages.warc.gz")" >> "$work/runs.txt"
  cp "$work/out.txt" "$work/lede-summary.json"
  rm -rf "$work/store-host"
  # shellcheck disable=SC2086
  echo "host10 $(peak "$lede" --data "$work/store-host" ingest --json $hosts "$work/pages.warc.gz")" >> "$work/runs.txt"
  cp "$work/out.txt" "$work/host-summary.json"
  if [ "$pass" = 1 ]; then
    # Languages, fewest articles first, until about 10% of the records (from what the
    # full ingest stored).
    langs=$("$lede" --data "$work/store" export 2>/dev/null | "$py" -c '
import json, sys, collections
n = int(sys.argv[1])
c = collections.Counter(json.loads(l).get("language") for l in sys.stdin)
keep, k = [], 0
for lang, count in sorted(((l, c[l]) for l in c if l), key=lambda lc: (lc[1], lc[0])):
    if k + count > n * 0.10:
        continue
    keep.append(lang); k += count
print(" ".join(f"--lang {l}" for l in keep))' "$records")
  fi
  rm -rf "$work/store"
  # shellcheck disable=SC2086
  echo "lang10 $(peak "$lede" --data "$work/store" ingest --json $langs "$work/pages.warc.gz")" >> "$work/runs.txt"
  cp "$work/out.txt" "$work/lang-summary.json"
  echo "peer $(peak "$py" "$here/peers/warcio_trafilatura.py" "$work/pages.warc.gz" "$work/peer.jsonl")" >> "$work/runs.txt"
  cp "$work/out.txt" "$work/peer-summary.json"
done

"$py" - "$work" "$records" <<'PY'
import json, sys, collections
work, n = sys.argv[1], int(sys.argv[2])
runs = collections.defaultdict(list)
for line in open(f"{work}/runs.txt"):
    name, s, mib = line.split()
    runs[name].append((float(s), int(mib)))
med = lambda xs: sorted(xs)[len(xs) // 2]
def row(name):
    s = med([r[0] for r in runs[name]]); m = max(r[1] for r in runs[name])
    return s, m
lede = json.load(open(f"{work}/lede-summary.json"))
host = json.load(open(f"{work}/host-summary.json"))
lang = json.load(open(f"{work}/lang-summary.json"))
peer = json.load(open(f"{work}/peer-summary.json"))
ls, lm = row("lede"); ps, pm = row("peer"); hs, hm = row("host10"); es, em = row("lang10")
print(f"WARC.gz of {n} pages (ScrapingHub + fundus), median of {len(runs['lede'])} passes, whole process:")
print(f"  lede ingest             {n/ls:8.1f} records/s  {ls:6.2f} s  peak {lm:4d} MiB  "
      f"({lede['added']} stored, {lede['skipped']} not articles, {lede['failed']} failed)")
print(f"  warcio + trafilatura    {n/ps:8.1f} records/s  {ps:6.2f} s  peak {pm:4d} MiB  "
      f"({peer['articles']} articles written)")
print(f"  lede / peer             {ps/ls:8.1f}x")
print(f"  lede --host (10% kept)  {n/hs:8.1f} records/s  {hs:6.2f} s  peak {hm:4d} MiB  "
      f"({host['added']} stored, {host['filtered']} filtered)")
print(f"  lede --lang (10% kept)  {n/es:8.1f} records/s  {es:6.2f} s  peak {em:4d} MiB  "
      f"({lang['added']} stored, {lang['filtered']} filtered)")
PY
