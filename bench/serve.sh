#!/usr/bin/env bash
# Load test of `lede serve` (issue #7): the demo store (data/sample + the seed page), the
# server on loopback, wrk at 100 connections for 60 s over article pages and searches,
# twice: a popular set (40 articles, 10 searches: the answers come from the server's
# cache after the first) and a wide set (every article of a story of the store plus 20
# searches, ~2,000 paths: most are built cold once). Prints the client's summary (requests,
# errors, latency percentiles, the mean beside the one Little's law gives) and the server's
# RSS at start, after 30 s and at the end (with its anonymous and file-backed parts). oha is
# the client to use: wrk's latencies, while answers were built cold, broke Little's law by
# 10x on the million-article store (bench/README.md), so its percentiles are not reported.
#
# A third set, investigation (issue 18), mixes the reader's new pages: every front-page
# window the histogram links to, the entity pages and entity API of the biggest stories'
# names, the quotes of their speakers, windowed searches.
#
#   bench/serve.sh            # needs oha (cargo install oha --version 1.16.0), else wrk
#   LEDE_BIN=/path/to/lede bench/serve.sh # that binary, not a release build of the tree
#   STORE=/path/to/store bench/serve.sh   # an existing store instead of the demo's, served
#                                         # read-only and left as it is (e.g. the 1M store)
# Timings drift on a shared machine, and wrk shares the cores with the server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
command -v oha > /dev/null || command -v wrk > /dev/null ||
  { echo "needs oha (cargo install oha) or wrk (apt-get install wrk)" >&2; exit 1; }
work=${LEDE_BENCH_DIR:-$root/bench/out/serve}
mkdir -p "$work"
if [ -n "${LEDE_BIN:-}" ]; then
  lede=$LEDE_BIN # a binary built elsewhere (another commit, to compare)
else
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p lede-cli
  lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
fi
if [ -n "${STORE:-}" ]; then
  store=$STORE
  [ -f "$store/lede.sqlite" ] || { echo "no store at $store" >&2; exit 1; }
else
  store="$work/demo-store"
  rm -rf "$store"
  (cd "$root" && "$lede" --data "$store" demo --no-serve > "$work/demo.txt")
fi
port=${PORT:-18181}
"$lede" --data "$store" serve --addr "127.0.0.1:$port" 2> "$work/serve.log" &
pid=$!
# Wait for it to go: the next run may bind the same port.
trap 'kill $pid 2> /dev/null; wait $pid 2> /dev/null || true' EXIT
base="http://127.0.0.1:$port"
# A big store takes a moment to open: wait for the server's first answer (60 s at most).
for _ in $(seq 120); do
  curl -sf -o /dev/null "$base/api/stats" && break
  kill -0 $pid 2> /dev/null || { echo "the server did not start:" >&2; cat "$work/serve.log" >&2; exit 1; }
  sleep 0.5
done
python3 - "$base" "$work" <<'PY'
import json, sys, urllib.error, urllib.parse, urllib.request, random
base, work = sys.argv[1:]
def get(p):
    # A cold answer may pass the server's 10 s limit on a big store; its build goes on and
    # is kept, so asking again gets it.
    for attempt in range(5):
        try:
            return json.load(urllib.request.urlopen(base + p))
        except urllib.error.HTTPError as e:
            if e.code != 408 or attempt == 4:
                raise
            print(f"(408 for {p}, asked again)")
hits = [h["id"] for h in get("/api/search?q=president&limit=40")["hits"]]
words = ["shutdown", "border+wall", "state+of+the+union", "emergency", "Pelosi", "health+care",
         "veterans", "tariffs", "climate", "impeachment"]
open(f"{work}/popular.txt", "w").write("\n".join(["/articles/" + i for i in hits] + ["/search?q=" + w for w in words]) + "\n")
ids = [a for s in get("/api/stories?limit=1000&min_size=1") for a in s["articles"]]
more = ["budget", "wall", "border", "veterans", "farm", "opioid", "china", "russia", "iran", "trade",
        "jobs", "tax", "student", "water", "fire", "flood", "vote", "senate", "house", "court"]
paths = ["/articles/" + i for i in ids] + ["/search?q=" + w for w in more]
random.Random(7).shuffle(paths)
open(f"{work}/wide.txt", "w").write("\n".join(paths) + "\n")
# Issue 18's pages, as bench/outlets.sh picks them: the histogram's windows, the names of
# the 15 biggest stories, their quotes, searches inside windows.
q = lambda s: urllib.parse.quote(s, safe="")
front = urllib.request.urlopen(base + "/").read().decode()
windows = sorted({l.split('"')[1].replace("&amp;", "&") for l in front.split("<a href=") if l.startswith('"/?from=')})
stories = sorted(get("/api/stories?min_size=2&limit=1000"), key=lambda s: -s["size"])
names = []
for s in stories[:15]:
    for e in get(f"/api/stories/{s['id']}")["entities"]:
        if e["name"] not in names:
            names.append(e["name"])
surnames = sorted({n.split()[-1] for n in names if " " in n})
spans = [w.split("?", 1)[1] for w in windows[-20:]]
pages = windows + ["/entities/" + q(n) for n in names] + ["/api/entities/" + q(n) for n in names[:20]]
pages += ["/quotes?speaker=" + q(n) for n in surnames] + ["/quotes"]
pages += [f"/search?q={w}&{span}" for w in more[:10] for span in spans[:5]]
random.Random(7).shuffle(pages)
open(f"{work}/investigation.txt", "w").write("\n".join(pages) + "\n")
print(f"investigation: {len(pages)} paths ({len(windows)} windows, {len(names)} entities, {len(surnames)} speakers)")
PY
# The server's resident memory, and how much of it is its own (anonymous: heap, caches)
# rather than pages of the store's files it has mapped (the search index), which the OS can
# drop and read again.
rss() {
  awk '/^VmRSS/ {t=$2} /^RssAnon/ {a=$2} /^RssFile/ {f=$2} /^RssShmem/ {m=$2}
       END {printf "%s KB (anonymous %s KB, file-backed %s KB, shared %s KB)", t, a, f, m}' "/proc/$pid/status"
}
oha=$(command -v oha || true)
for set in popular wide investigation; do
  if [ -n "$oha" ]; then
    # oha (cargo install oha): URLs drawn from the file, a latency histogram to trust.
    echo "== $set: oha -c 100 -z 60s"
    echo "server RSS at start: $(rss)"
    sed "s|^|$base|" "$work/$set.txt" > "$work/$set-urls.txt"
    "$oha" --urls-from-file "$work/$set-urls.txt" -c 100 -z 60s --no-tui --output-format json \
      > "$work/oha-$set.json" 2> /dev/null &
    oha_pid=$!
    sleep 30
    echo "server RSS after 30 s: $(rss)"
    wait $oha_pid
    echo "server RSS at the end: $(rss)"
    python3 -c 'import json, sys
d = json.load(open(sys.argv[1])); s = d["summary"]; p = d["latencyPercentiles"]
errors = dict(d.get("errorDistribution") or {})
# Requests still in flight when the 60 s ran out are cut, not failed.
cut = errors.pop("aborted due to deadline", 0)
print("requests/s %.0f, statuses %s, errors %s, cut at the deadline %d" % (s["requestsPerSec"], d["statusCodeDistribution"], errors or 0, cut))
print(" ".join("%s %.2f ms" % (k, v * 1000) for k, v in p.items() if v is not None))
# Little'"'"'s law: 100 connections, one request each in flight, so the mean latency is
# 100 / throughput; a client whose mean is far from it is not timing every request.
print("mean %.2f ms (by Little'"'"'s law, 100 connections: %.2f ms)" % (s["average"] * 1000, 100000 / s["requestsPerSec"]))' "$work/oha-$set.json"
    continue
  fi
  echo "== $set: wrk -t2 -c100 -d60s --timeout 10s (the server's own request limit)"
  echo "server RSS at start: $(rss)"
  PATHS_FILE="$work/$set.txt" wrk -t2 -c100 -d60s --timeout 10s --latency -s "$here/serve/mixed.lua" "$base" > "$work/wrk-$set.txt" 2>&1 &
  wrk_pid=$!
  sleep 30
  echo "server RSS after 30 s: $(rss)"
  wait $wrk_pid
  echo "server RSS at the end: $(rss)"
  grep -E "Requests/sec|requests|p50|p90|p99" "$work/wrk-$set.txt"
  # wrk's latencies can break Little's law (mean = 100 connections / throughput) by 10x
  # while answers are built cold (bench/README.md): oha's are the ones to report.
  awk '/Latency  / {print "wrk mean " $2} /Requests\/sec/ {printf "(by Little'"'"'s law, 100 connections: %.2f ms)\n", 100000 / $2}' "$work/wrk-$set.txt"
done
