#!/usr/bin/env bash
# Cluster mode's throughput and equivalence (issue 15), beside embedded ingest in one run:
# the 52,060 press releases ingested by `lede ingest --wait` with 1, 2 and 4 `lede worker`
# processes (one thread each) into a fresh database each time, and by embedded
# `lede ingest` into a fresh data directory.
#
#   bench/cluster.sh [WORKERS...]      # default: 1 2 4
#
# Starts a private PostgreSQL 15 (as bench/pg.sh does: Debian's binaries or $LEDE_PG_BIN,
# the postgres user when run as root, shared_buffers=256MB, fsync on) and a NATS server
# with JetStream ($LEDE_NATS_BIN, else target/tools/nats as .ci/run installs it), both on
# loopback ports, removed at the end. The corpus is unpacked first (a gzipped file is one
# job; uncompressed JSON Lines are cut into jobs of 256 lines). Prints one JSON line per
# run: records/s, wall seconds (until stored and clustered), CPU per record of the workers
# and of PostgreSQL, whether the article ids equal the embedded store's, the B-cubed F1
# of the stories against the embedded store's, and whether the read commands answer as
# embedded (`export` records, `entities`, `quotes` and `dups --window 3` groups, as sets
# where storage order may differ; `stats` counts but the format).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
shared=${LEDE_SHARED:-$root/../shared}
src="$shared/corpus/congress-press-releases/bench-2015-2019.jsonl.gz"
[ -f "$src" ] || { echo "no corpus at $src (set LEDE_SHARED)" >&2; exit 1; }
workers=("$@")
[ ${#workers[@]} -gt 0 ] || workers=(1 2 4)
work=$(mktemp -d /tmp/lede-cluster-bench.XXXXXX)
cargo build --release --quiet -p lede-cli --bin lede --manifest-path "$root/Cargo.toml"
lede="${CARGO_TARGET_DIR:-$root/target}/release/lede"
gzip -dc "$src" > "$work/releases.jsonl"
records=$(wc -l < "$work/releases.jsonl")

pgbin=${LEDE_PG_BIN:-/usr/lib/postgresql/15/bin}
natsbin=${LEDE_NATS_BIN:-$root/target/tools/nats/bin/nats-server}
[ -x "$pgbin/initdb" ] || { echo "no PostgreSQL binaries in $pgbin (set LEDE_PG_BIN)" >&2; exit 1; }
[ -x "$natsbin" ] || { echo "no NATS server at $natsbin (run .ci/run once, or set LEDE_NATS_BIN)" >&2; exit 1; }
as=()
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$work"
  as=(runuser -u postgres --)
fi
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
"${as[@]}" "$pgbin/initdb" -D "$work/pg" -U lede --auth=trust -E UTF8 --locale=C > /dev/null
pgport=$(free_port)
natsport=$(free_port)
nats_pid=
stop() {
  [ -n "$nats_pid" ] && kill "$nats_pid" 2> /dev/null || true
  "${as[@]}" "$pgbin/pg_ctl" -D "$work/pg" -m fast -w stop > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap stop EXIT
"${as[@]}" "$pgbin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w \
  -o "-p $pgport -k $work -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" start > /dev/null
pg_cpu() { # CPU seconds of every PostgreSQL process so far (user + system, from /proc)
  python3 - "$work/pg/postmaster.pid" <<'PY'
import os, sys
tick = os.sysconf("SC_CLK_TCK")
root = int(open(sys.argv[1]).readline())
total = 0
for pid in os.listdir("/proc"):
    if not pid.isdigit():
        continue
    try:
        stat = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    if int(pid) == root or int(stat[1]) == root:
        total += int(stat[11]) + int(stat[12]) + int(stat[13]) + int(stat[14])
print(total / tick)
PY
}

# Embedded, for the ids and the peer figure.
start=$(date +%s.%N)
"$lede" --data "$work/embedded" ingest --json "$work/releases.jsonl" > "$work/embedded.json"
end=$(date +%s.%N)
"$lede" --data "$work/embedded" export | python3 -c 'import json, sys; [print(json.loads(l)["article_id"]) for l in sys.stdin]' | sort > "$work/embedded.ids"
python3 -c "
import sqlite3
db = sqlite3.connect('$work/embedded/lede.sqlite')
for id, story in db.execute('SELECT a.id, m.story FROM story_members m JOIN articles a ON a.seq = m.seq'):
    print(f'{id}|{story}')" > "$work/embedded.stories"
bcubed() { # B-cubed F1 of the stories in file $2 against those in file $1 (id|story lines)
  python3 - "$1" "$2" <<'PY'
import sys
from collections import defaultdict
def read(path):
    return dict(line.strip().split("|") for line in open(path) if line.strip())
a, b = read(sys.argv[1]), read(sys.argv[2])
def members(m):
    by = defaultdict(set)
    for k, c in m.items():
        by[c].add(k)
    return by
ma, mb = members(a), members(b)
p = r = 0.0
common = [k for k in a if k in b]
for k in common:
    sa, sb = ma[a[k]], mb[b[k]]
    both = len(sa & sb)
    p += both / len(sb)
    r += both / len(sa)
p, r = p / len(common), r / len(common)
print(round(2 * p * r / (p + r), 4), len(a), len(b))
PY
}
# The read commands' answers, normalised: sets where storage order may differ.
reads() { # reads DIR LEDE-GLOBAL-OPTIONS...: writes DIR/{export,entities,quotes,dups,stats}
  local out=$1; shift
  mkdir -p "$out"
  "$lede" "$@" export | sort > "$out/export"
  "$lede" "$@" entities --json --limit 1000000 > "$out/entities"
  "$lede" "$@" quotes --json --limit 100000000 | python3 -c 'import json, sys; [print(json.dumps(q, sort_keys=True)) for q in json.load(sys.stdin)]' | sort > "$out/quotes"
  "$lede" "$@" dups --window 3 --json | python3 -c 'import json, sys; [print(" ".join(sorted(g["ids"]))) for g in json.load(sys.stdin)]' | sort > "$out/dups"
  "$lede" "$@" stats --json | python3 -c 'import json, sys; s = json.load(sys.stdin); s.pop("format"); print(json.dumps(s, sort_keys=True))' > "$out/stats"
}
reads "$work/embedded.reads" --data "$work/embedded"
same_reads() { # same_reads DIR: a JSON object, each read command: equal to embedded's?
  python3 - "$work/embedded.reads" "$1" <<'PY'
import json, sys
a, b = sys.argv[1], sys.argv[2]
out = {}
for name in ["export", "entities", "quotes", "dups", "stats"]:
    x, y = open(f"{a}/{name}").read(), open(f"{b}/{name}").read()
    out[name] = x == y
    if name in ("export", "quotes", "dups"):
        out[name + "_lines"] = [x.count("\n"), y.count("\n")]
print(json.dumps(out))
PY
}
python3 -c "import json; s = json.load(open('$work/embedded.json')); print(json.dumps({'mode': 'embedded', 'records': $records, 'seconds': round($end - $start, 1), 'records_per_s': round($records / ($end - $start)), 'added': s['added'], 'duplicates': s['duplicates']}))"

for n in "${workers[@]}"; do
  db="w$n"
  "$pgbin/createdb" -h 127.0.0.1 -p "$pgport" -U lede "$db"
  url="postgresql://lede@127.0.0.1:$pgport/$db"
  rm -rf "$work/nats"
  "$natsbin" -js -a 127.0.0.1 -p "$natsport" -sd "$work/nats" > "$work/nats.log" 2>&1 &
  nats_pid=$!
  for _ in $(seq 100); do (exec 3<> "/dev/tcp/127.0.0.1/$natsport") 2> /dev/null && break; sleep 0.1; done
  nats="nats://127.0.0.1:$natsport"
  "$lede" --postgres "$url" stats > /dev/null # creates the schema before the clock starts
  pg_before=$(pg_cpu)
  start=$(date +%s.%N)
  pids=()
  for i in $(seq "$n"); do
    /usr/bin/time -f "%U %S" -o "$work/worker$i.time" \
      "$lede" --postgres "$url" --nats "$nats" worker -j 1 --exit-when-idle 3s > /dev/null 2> "$work/worker$i.log" &
    pids+=($!)
  done
  "$lede" --postgres "$url" --nats "$nats" ingest --wait --json "$work/releases.jsonl" > "$work/cluster$n.json"
  end=$(date +%s.%N)
  pg_after=$(pg_cpu)
  wait "${pids[@]}"
  kill "$nats_pid"; wait "$nats_pid" 2> /dev/null || true; nats_pid=
  "${as[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U lede -d "$db" -Atc "SELECT id FROM article_ids" | sort > "$work/cluster$n.ids"
  ids_same=$(cmp -s "$work/embedded.ids" "$work/cluster$n.ids" && echo true || echo false)
  "${as[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$pgport" -U lede -d "$db" -Atc \
    "SELECT i.id, m.story FROM story_members m JOIN article_ids i ON i.seq = m.seq" > "$work/cluster$n.stories"
  read -r f1 n_embedded n_cluster < <(bcubed "$work/embedded.stories" "$work/cluster$n.stories")
  reads "$work/cluster$n.reads" --postgres "$url"
  same=$(same_reads "$work/cluster$n.reads")
  worker_cpu=$(cat "$work"/worker*.time | awk '{u += $1; s += $2} END {print u + s}')
  rm -f "$work"/worker*.time
  python3 -c "import json; s = json.load(open('$work/cluster$n.json')); w = $end - $start; print(json.dumps({'mode': 'cluster', 'workers': $n, 'records': $records, 'seconds': round(w, 1), 'records_per_s': round($records / w), 'added': s['added'], 'duplicates': s['duplicates'], 'failed': s['failed'], 'worker_cpu_ms_per_record': round(1000 * $worker_cpu / $records, 3), 'postgres_cpu_ms_per_record': round(1000 * ($pg_after - $pg_before) / $records, 3), 'ids_equal_embedded': '$ids_same' == 'true', 'stories_bcubed_f1_vs_embedded': $f1, 'clustered': [$n_embedded, $n_cluster], 'reads_equal_embedded': json.loads('$same')}))"
done
