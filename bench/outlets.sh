#!/usr/bin/env bash
# The outlet pages' latency (issue 16 item 3, issue 18): `lede serve` over the demo store
# (data/sample + the seed page), one client on loopback, no other load:
#   - cold: the first /outlets (it starts the network's computation and waits 1 s at most),
#     then /outlets polled every 0.2 s while it computes ("computing" pages), the time
#     until the network is ready, and the first ready /outlets, /outlets/{name} and
#     /api/outlets (rendered from the network in memory, not yet cached);
#   - warm: 200 more GETs of each (served from the page cache), p50 and p99;
#   - beside them, in the same run: `lede outlets --json` (the CLI computing the same
#     network), and a warm article page;
#   - issue 18's pages (the front page's time windows, a story's chart, entity pages,
#     grouped quotes, a windowed search, their API twins): the first GET of each, the
#     first GET of every front-page window, of ~100 entity pages and of their ~50
#     speakers' quote pages (cold builds), then 200 GETs of each (cached).
#
#   bench/outlets.sh
#   STORE=/path/to/store PAGES=issue18 bench/outlets.sh   # only issue 18's pages, over
#                                                        # an existing store (read-only)
#   LEDE=/path/to/lede bench/outlets.sh                   # that binary, not a fresh build
#                                                        # (two binaries, one after the other)
# Timings drift on a shared machine; the client shares the cores with the server.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
work=${LEDE_BENCH_DIR:-$root/bench/out/outlets}
mkdir -p "$work"
if [ -z "${LEDE:-}" ]; then
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p lede-cli
fi
lede=${LEDE:-${CARGO_TARGET_DIR:-$root/target}/release/lede}
store=${STORE:-$work/demo-store}
pages=${PAGES:-all}
[ -f "$store/lede.sqlite" ] || (cd "$root" && "$lede" --data "$store" demo --no-serve > "$work/demo.txt")
if [ "$pages" = all ]; then
  echo "== lede outlets --json (the CLI, same store)"
  /usr/bin/time -f "%e s, %M KB" "$lede" --data "$store" outlets --json > "$work/outlets.json"
fi
port=${PORT:-18183}
"$lede" --data "$store" serve --addr "127.0.0.1:$port" 2> "$work/serve.log" &
pid=$!
# Wait for it to go: the next run may bind the same port.
trap 'kill $pid 2> /dev/null; wait $pid 2> /dev/null || true' EXIT
sleep 1
python3 - "http://127.0.0.1:$port" "$work/outlets.json" "$pages" <<'PY'
import json, sys, time, urllib.request, urllib.parse, urllib.error
base, cli, pages_run = sys.argv[1:]
def get(path):
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path) as r:
            body, status = r.read(), r.status
    except urllib.error.HTTPError as e:
        body, status = e.read(), e.code
    return (time.perf_counter() - t) * 1000, status, body
def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]
if pages_run == "all":
    start = time.perf_counter()
    ms, status, body = get("/outlets")
    computing = b"being computed" in body
    print(f"cold: first /outlets {ms:.0f} ms, status {status}, {'computing' if computing else 'ready'}")
    polls = []
    while computing:
        time.sleep(0.2)
        ms, status, body = get("/outlets")
        computing = b"being computed" in body
        if computing:
            polls.append(ms)
    ready_s = time.perf_counter() - start
    if polls:
        print(f"cold: {len(polls)} 'computing' pages while it computed: p50 {pct(polls, .5):.1f} ms, max {max(polls):.1f} ms")
    print(f"cold: network ready {ready_s:.1f} s after the first request; first ready /outlets {ms:.1f} ms, {len(body)} bytes")
    n = json.load(open(cli))
    top = max(n["outlets"], key=lambda o: o["reused_by_others"])["name"]
    name = "/outlets/" + urllib.parse.quote(top, safe="")
    for o in [top, n["outlets"][0]["name"], n["outlets"][1]["name"]]:
        path = "/outlets/" + urllib.parse.quote(o, safe="")
        ms, status, body = get(path)
        print(f"cold: first {path} {ms:.1f} ms, status {status}, {len(body)} bytes")
    ms, status, body = get("/api/outlets")
    served = json.loads(body)
    same = {k: served[k] for k in n} == n
    print(f"cold: first /api/outlets {ms:.1f} ms, {len(body)} bytes; same network as lede outlets --json: {same}")
    article = "/articles/" + json.loads(get("/api/search?q=president&limit=1")[2])["hits"][0]["id"]
    get(article)
    for path in ["/outlets", name, "/api/outlets", article]:
        xs = [get(path)[0] for _ in range(200)]
        print(f"warm: {path}: p50 {pct(xs, .5):.2f} ms, p99 {pct(xs, .99):.2f} ms")
# Issue 18's pages: time windows, charts, entities, grouped quotes. Cold: the first GET of
# a URL (built, then cached); over many distinct URLs (every week of the store's front
# page, the entity pages of the biggest stories' names) for a p50/p99 of cold builds.
q = urllib.parse.quote
stories = sorted(json.loads(get("/api/stories?min_size=2&limit=1000")[2]), key=lambda s: -s["size"])
big = stories[0]["id"]
names = []
for s in stories[:15]:
    for e in json.loads(get(f"/api/stories/{s['id']}")[2])["entities"]:
        if e["name"] not in names:
            names.append(e["name"])
pages = ["/", f"/stories/{big}", "/entities/" + q(names[0], safe=""), "/quotes",
         "/quotes?speaker=Trump", "/search?q=shutdown&from=2019-01-01&to=2019-01-31",
         "/api/entities/" + q(names[0], safe=""), "/api/quotes/groups?speaker=Trump"]
for path in pages:
    ms, status, body = get(path)
    print(f"issue 18 cold: {path} {ms:.1f} ms, status {status}, {len(body)} bytes")
weeks = sorted({l.split('"')[1] for l in get("/")[2].decode().split("<a href=") if l.startswith('"/?from=')})
cold = [get(w.replace("&amp;", "&"))[0] for w in weeks]
if cold:
    print(f"issue 18 cold: {len(cold)} distinct front-page windows (the histogram's bars): p50 {pct(cold, .5):.1f} ms, p99 {pct(cold, .99):.1f} ms, max {max(cold):.1f} ms")
# Story pages and their API: the 100 biggest stories' pages (the 15 above were read through
# the API only), then the API of the next 100 (cold in the reader's cache, not in SQLite's).
cold = [get(f"/stories/{s['id']}")[0] for s in stories[:100]]
print(f"issue 18 cold: {len(cold)} story pages, the biggest stories: p50 {pct(cold, .5):.1f} ms, p99 {pct(cold, .99):.1f} ms, max {max(cold):.1f} ms")
cold = [get(f"/api/stories/{s['id']}")[0] for s in stories[15:115]]
if cold:
    print(f"issue 18 cold: {len(cold)} story API answers, the 16th to 115th biggest: p50 {pct(cold, .5):.1f} ms, p99 {pct(cold, .99):.1f} ms, max {max(cold):.1f} ms")
cold = [get("/entities/" + q(n, safe=""))[0] for n in names[1:]]
print(f"issue 18 cold: {len(cold)} distinct entity pages: p50 {pct(cold, .5):.1f} ms, p99 {pct(cold, .99):.1f} ms, max {max(cold):.1f} ms")
# The speakers' pages of those names, by surname, as bench/serve.sh asks for them (Trump's,
# asked for above, left out).
surnames = sorted({n.split()[-1] for n in names if " " in n} - {"Trump"})
cold = [get("/quotes?speaker=" + q(n, safe=""))[0] for n in surnames]
if cold:
    print(f"issue 18 cold: {len(cold)} speakers' quote pages: p50 {pct(cold, .5):.1f} ms, p99 {pct(cold, .99):.1f} ms, max {max(cold):.1f} ms")
for path in pages:
    xs = [get(path)[0] for _ in range(200)]
    print(f"issue 18 warm: {path}: p50 {pct(xs, .5):.2f} ms, p99 {pct(xs, .99):.2f} ms")
PY
[ "$pages" = all ] && grep "outlet network" "$work/serve.log" || true
