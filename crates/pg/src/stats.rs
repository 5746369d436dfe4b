//! Counts over the store: `lede stats` and the reader's `/api/stats` in cluster mode, in
//! the embedded store's shape ([`lede_store::Stats`]).

use crate::{PgStore, Result, sql};
use lede_store::Stats;

impl PgStore {
    /// Counts over the store, as the embedded store's `Store::stats` counts (`format` is
    /// this schema's, [`crate::FORMAT`]). Counting reads every row of each table: about a
    /// second on a million articles.
    pub fn stats(&mut self) -> Result<Stats> {
        let format = self.format()?;
        let err = sql(&self.target, "counting");
        // One snapshot for every count.
        let mut tx = self
            .client
            .build_transaction()
            .isolation_level(postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .map_err(&err)?;
        let counts = tx
            .query_one(
                "SELECT (SELECT count(*) FROM articles),
                        (SELECT count(DISTINCT outlet) FROM articles),
                        (SELECT count(*) FROM aliases),
                        (SELECT count(*) FROM annotations),
                        (SELECT count(DISTINCT name) FROM entities),
                        (SELECT count(*) FROM quotes),
                        (SELECT count(*) FROM stories),
                        -- Ties broken by storage order, where the embedded store leaves
                        -- them to SQLite.
                        (SELECT published FROM articles WHERE published_ts IS NOT NULL
                          ORDER BY published_ts, seq LIMIT 1),
                        (SELECT published FROM articles WHERE published_ts IS NOT NULL
                          ORDER BY published_ts DESC, seq LIMIT 1)",
                &[],
            )
            .map_err(&err)?;
        let n = |i: usize| counts.get::<_, i64>(i) as u64;
        let languages = tx
            .query(
                "SELECT coalesce(language, '?'), count(*) AS n FROM articles
                  GROUP BY 1 ORDER BY n DESC, coalesce(language, '?') COLLATE \"C\" LIMIT 20",
                &[],
            )
            .map_err(&err)?
            .iter()
            .map(|r| (r.get::<_, String>(0), r.get::<_, i64>(1) as u64))
            .collect();
        tx.commit().map_err(&err)?;
        Ok(Stats {
            articles: n(0),
            outlets: n(1),
            aliases: n(2),
            first_published: counts.get(7),
            last_published: counts.get(8),
            languages,
            annotated: n(3),
            entities: n(4),
            quotes: n(5),
            stories: n(6),
            format,
        })
    }
}
