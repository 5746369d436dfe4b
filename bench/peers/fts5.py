#!/usr/bin/env python3
"""The pipeline a user would otherwise write: JSON Lines into SQLite with an FTS5 index.

    fts5.py ingest DB INPUT.jsonl[.gz]     # prints {"records": n, "seconds": s}
    fts5.py search DB QUERIES.jsonl        # prints latency percentiles in ms

ingest: one table of articles (id, outlet, title, date, text) and an FTS5 table over title
and text, filled in one transaction per 10,000 records, the way the SQLite documentation
recommends for bulk loads. search: each query is `MATCH` with bm25 ranking (title weighted
double, as lede weights it), the date and outlet filters as `WHERE` clauses, 10 results,
each with an FTS5 `snippet()`: what `lede search` returns.
"""
import gzip
import json
import sqlite3
import sys
import time


def open_lines(path):
    return gzip.open(path, "rt", encoding="utf-8") if path.endswith(".gz") else open(path, encoding="utf-8")


def ingest(db, path):
    con = sqlite3.connect(db)
    con.executescript("""
        PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
        CREATE TABLE IF NOT EXISTS articles(rowid INTEGER PRIMARY KEY, id TEXT UNIQUE, outlet TEXT, title TEXT, date TEXT, text TEXT);
        CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(title, text, content='articles', content_rowid='rowid');
        CREATE INDEX IF NOT EXISTS articles_date ON articles(date);
        CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet);
    """)
    t0 = time.perf_counter()
    n = 0
    cur = con.cursor()
    batch = []

    def flush():
        cur.executemany("INSERT OR IGNORE INTO articles(id, outlet, title, date, text) VALUES (?,?,?,?,?)", batch)
        batch.clear()

    with open_lines(path) as f:
        for line in f:
            try:
                r = json.loads(line)
            except ValueError:
                continue
            if not r.get("text"):
                continue
            batch.append((r.get("id"), r.get("outlet"), r.get("title"), r.get("date"), r["text"]))
            n += 1
            if len(batch) >= 10000:
                flush()
                con.commit()
    flush()
    cur.execute("INSERT INTO fts(fts) VALUES ('rebuild')")
    con.commit()
    print(json.dumps({"records": n, "seconds": time.perf_counter() - t0}))


def search(db, queries_path):
    con = sqlite3.connect(db)
    qs = [json.loads(l) for l in open(queries_path, encoding="utf-8")]
    lat = []
    errors = 0
    for q in qs:
        sql = ("SELECT a.id, a.title, a.outlet, a.date, snippet(fts, 1, '[', ']', '…', 24) FROM fts "
               "JOIN articles a ON a.rowid = fts.rowid WHERE fts MATCH ?")
        args = [q["fts"]]
        if q.get("from"):
            sql += " AND a.date >= ? AND a.date <= ?"
            args += [q["from"], q["to"]]
        if q.get("outlet"):
            sql += " AND a.outlet = ?"
            args.append(q["outlet"])
        sql += " ORDER BY bm25(fts, 2.0, 1.0) LIMIT 10"
        t0 = time.perf_counter()
        try:
            con.execute(sql, args).fetchall()
        except sqlite3.Error:
            errors += 1
        lat.append((time.perf_counter() - t0) * 1000)
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(len(lat) * p))]
    print(json.dumps({"queries": len(lat), "errors": errors, "p50_ms": pct(0.5), "p99_ms": pct(0.99),
                      "mean_ms": sum(lat) / len(lat), "max_ms": lat[-1]}))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "ingest":
        ingest(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == "search":
        search(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
