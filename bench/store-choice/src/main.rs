//! Writes the 52,060 press releases (`$LEDE_SHARED/corpus/...`, default `../shared`) into
//! redb and into SQLite (WAL) in batches of 1,000, the way `lede ingest` writes, and prints
//! documents/s, file size, and whether a second process could open the store while the
//! first holds it (what `lede search` needs while `lede ingest` runs).

use std::io::BufRead;
use std::time::Instant;

fn main() {
    let shared = std::env::var("LEDE_SHARED").unwrap_or_else(|_| "../shared".into());
    let path = format!("{shared}/corpus/congress-press-releases/bench-2015-2019.jsonl.gz");
    let input = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let records: Vec<(String, String)> = std::io::BufReader::new(flate2::read::GzDecoder::new(input))
        .lines()
        .map(|l| {
            let l = l.expect("a readable line");
            let v: serde_json::Value = serde_json::from_str(&l).expect("a JSON line");
            (v["id"].as_str().unwrap_or_default().to_owned(), l)
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("store-choice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");

    let redb_path = dir.join("t.redb");
    let t = Instant::now();
    let db = redb::Database::create(&redb_path).expect("a redb database");
    const TABLE: redb::TableDefinition<&str, &str> = redb::TableDefinition::new("articles");
    for chunk in records.chunks(1000) {
        let w = db.begin_write().expect("a write transaction");
        {
            let mut table = w.open_table(TABLE).expect("a table");
            for (k, v) in chunk {
                table.insert(k.as_str(), v.as_str()).expect("an insert");
            }
        }
        w.commit().expect("a commit");
    }
    let redb_rate = records.len() as f64 / t.elapsed().as_secs_f64();
    let second = match redb::Database::create(&redb_path) {
        Ok(_) => "yes".to_owned(),
        Err(e) => format!("no ({e})"),
    };
    println!(
        "redb    {redb_rate:8.0} docs/s  {:6.0} MB  second opener while held: {second}",
        std::fs::metadata(&redb_path).map_or(0.0, |m| m.len() as f64 / 1e6)
    );
    drop(db);

    let sqlite_path = dir.join("t.sqlite");
    let t = Instant::now();
    let mut c = rusqlite::Connection::open(&sqlite_path).expect("an SQLite database");
    c.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; CREATE TABLE a(k TEXT PRIMARY KEY, v TEXT)").expect("a table");
    for chunk in records.chunks(1000) {
        let tx = c.transaction().expect("a transaction");
        {
            let mut st = tx.prepare_cached("INSERT OR IGNORE INTO a VALUES (?1, ?2)").expect("a statement");
            for (k, v) in chunk {
                st.execute((k, v)).expect("an insert");
            }
        }
        tx.commit().expect("a commit");
    }
    let sqlite_rate = records.len() as f64 / t.elapsed().as_secs_f64();
    let reader = rusqlite::Connection::open_with_flags(&sqlite_path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|r| r.query_row("SELECT count(*) FROM a", [], |row| row.get::<_, i64>(0)));
    let second = match reader {
        Ok(n) => format!("yes ({n} rows visible)"),
        Err(e) => format!("no ({e})"),
    };
    println!(
        "sqlite  {sqlite_rate:8.0} docs/s  {:6.0} MB  second opener while held: {second}",
        std::fs::metadata(&sqlite_path).map_or(0.0, |m| m.len() as f64 / 1e6)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
