#!/usr/bin/env bash
# Cluster mode's search (issue 15): lede-pg's PostgreSQL full-text search beside the
# embedded tantivy index, on the same 52,060 press releases and the same 1,000 queries as
# bench/store.sh, in one run.
#
#   bench/pg.sh
#   bench/pg.sh --million   # also 1,041,200 records (bench/corpus.py scale, as store.sh
#                           # --million makes them): ~25 min ingest, ~40 min load, ~25 GB disk
#
# Builds the embedded store if $LEDE_BENCH_DIR has none (`lede ingest`, as store.sh does),
# starts a private PostgreSQL 15 on a loopback port (Debian's binaries, or $LEDE_PG_BIN; as
# the postgres user when run as root; default settings but shared_buffers=256MB), copies
# the store's articles into it (`pg_search_bench --load`: put_batch, 1,000 a transaction),
# then runs every query through both and prints JSON: load time, top-10 overlap, empty
# answers and latency percentiles. The server and its folder are removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
src="$shared/corpus/congress-press-releases/bench-2015-2019.jsonl.gz"
[ -f "$src" ] || { echo "no corpus at $src (set LEDE_SHARED)" >&2; exit 1; }
work=${LEDE_BENCH_DIR:-$(mktemp -d)}
mkdir -p "$work"
cargo build --release --quiet -p lede-cli -p lede-bench --bin lede --bin pg_search_bench --manifest-path "$root/Cargo.toml"
[ -d "$work/lede-52k" ] || "${CARGO_TARGET_DIR:-$root/target}/release/lede" --data "$work/lede-52k" ingest "$src" > /dev/null
python3 "$here/corpus.py" queries "$src" 1000 7 > "$work/queries.jsonl"

pgbin=${LEDE_PG_BIN:-/usr/lib/postgresql/15/bin}
[ -x "$pgbin/initdb" ] || { echo "no PostgreSQL binaries in $pgbin (set LEDE_PG_BIN)" >&2; exit 1; }
pgdir=$(mktemp -d /tmp/lede-pg-bench.XXXXXX)
as=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$pgdir"
  as=(runuser -u postgres --)
fi
"${as[@]}" "$pgbin/initdb" -D "$pgdir/data" -U lede --auth=trust -E UTF8 --locale=C > /dev/null
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop() {
  "${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$pgdir"
}
trap stop EXIT
"${as[@]}" "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/log" -w \
  -o "-p $port -k $pgdir -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start > /dev/null
"$pgbin/createdb" -h 127.0.0.1 -p "$port" -U lede bench
"${CARGO_TARGET_DIR:-$root/target}/release/pg_search_bench" "$work/lede-52k" "postgresql://lede@127.0.0.1:$port/bench" \
  "$work/queries.jsonl" --load
if [ "${1:-}" = "--million" ]; then
  [ -f "$work/million.jsonl" ] || python3 "$here/corpus.py" scale "$src" 20 > "$work/million.jsonl"
  [ -d "$work/lede-1m" ] || "${CARGO_TARGET_DIR:-$root/target}/release/lede" --data "$work/lede-1m" ingest "$work/million.jsonl" > /dev/null
  "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U lede bench1m
  "${CARGO_TARGET_DIR:-$root/target}/release/pg_search_bench" "$work/lede-1m" "postgresql://lede@127.0.0.1:$port/bench1m" \
    "$work/queries.jsonl" --load
fi
