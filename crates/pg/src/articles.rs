//! Articles and their aliases: the articles concern of the backend boundary, with the
//! embedded store's types ([`NewArticle`] in, [`Put`] out) and meaning.

use crate::{Error, PgStore, Result, sql};
use lede_core::{ArticleSeq, EntityKind};
use lede_store::{EntityCount, EntityFilter, NewArticle, Put, StoredArticle};

/// Partitions are created by one worker at a time (the value is arbitrary, the same in
/// every lede): two creating the same month at once would have one fail.
const PARTITION_LOCK: i64 = 0x6c65_6465_7061_7274; // "ledepart"

/// The partition month of an article whose publication is `$1` (Unix seconds, or null)
/// stored in a batch of time `$2`, in SQL: the one definition both the partition check and
/// the insert use. Publication dates outside 1900-2199 (-2208988800 .. 7258118400: a page's
/// typo, a hostile value) do not choose a partition: such an article goes by the month it
/// was stored, as an undated one does.
const MONTH: &str = concat!(
    "date_trunc('month', to_timestamp(",
    "CASE WHEN $1::bigint BETWEEN -2208988800 AND 7258118400 THEN $1::bigint ELSE $2::bigint END",
    ") AT TIME ZONE 'UTC')::date"
);

impl PgStore {
    /// Stores `batch` in one transaction: each article is [`Put::Added`] with its sequence
    /// number, or [`Put::Duplicate`] when its text is stored already (by this batch, an
    /// earlier one or another worker's at the same moment), its URLs and record id then
    /// kept as aliases. Either the whole batch is stored or, on an error, none of it.
    /// `now` (Unix seconds) is when it is stored: the partition month of an undated article.
    pub fn put_batch(&mut self, batch: &[NewArticle<'_>], now: i64) -> Result<Vec<Put>> {
        self.ensure_partitions(batch, now)?;
        let target = self.target.clone();
        let err = sql(&target, "storing a batch of articles");
        let mut tx = self.client.transaction().map_err(&err)?;
        let puts = put_in(&mut tx, &target, batch, now)?;
        tx.commit().map_err(&err)?;
        Ok(puts)
    }
}

/// The columns [`assemble`] reads, in its order.
pub(crate) const ARTICLE_COLUMNS: &str =
    "a.seq, a.id, a.source_id, a.article::text, a.extra::text, a.origin";

/// An article from a row of [`ARTICLE_COLUMNS`]; a value that cannot be read is damage,
/// naming the article.
pub(crate) fn assemble(target: &str, row: &postgres::Row) -> Result<StoredArticle> {
    let id: String = row.get(1);
    let damaged = |what, message: String| Error::Damaged {
        target: target.to_owned(),
        id: id.clone(),
        what,
        message,
    };
    let article = serde_json::from_str(row.get::<_, &str>(3))
        .map_err(|e| damaged("article", e.to_string()))?;
    let extra = row
        .get::<_, Option<&str>>(4)
        .map(serde_json::from_str)
        .transpose()
        .map_err(|e| damaged("extra fields", e.to_string()))?;
    Ok(StoredArticle {
        seq: ArticleSeq(row.get::<_, i64>(0) as u64),
        id: id.parse().map_err(|e: lede_core::ParseIdError| damaged("id", e.to_string()))?,
        source_id: row.get(2),
        article,
        extra,
        origin: row.get(5),
    })
}

/// Stores `batch` inside `tx` (see [`PgStore::put_batch`]; the month partitions it needs
/// exist already).
pub(crate) fn put_in(
    tx: &mut postgres::Transaction<'_>,
    target: &str,
    batch: &[NewArticle<'_>],
    now: i64,
) -> Result<Vec<Put>> {
    let err = sql(target, "storing a batch of articles");
    let claim = tx
        .prepare(
            "INSERT INTO article_ids (id) VALUES ($1) ON CONFLICT (id) DO NOTHING RETURNING seq",
        )
        .map_err(&err)?;
    let insert = tx
            .prepare(&format!(
                "INSERT INTO articles (seq, month, id, source_id, url, outlet, title, published,
                     published_ts, language, origin, article, extra)
                 VALUES ($3, {MONTH}, $4, $5, $6, $7, $8, $9, $1, $10, $11, $12::text::jsonb, $13::text::jsonb)
                 RETURNING month::text"
            ))
            .map_err(&err)?;
    let alias = tx
        .prepare("INSERT INTO aliases (kind, key, id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
        .map_err(&err)?;
    let sketch = tx.prepare("INSERT INTO sketches (seq, sketch) VALUES ($1, $2)").map_err(&err)?;
    let features =
        tx.prepare("INSERT INTO story_features (seq, features) VALUES ($1, $2)").map_err(&err)?;
    let queue = tx.prepare("INSERT INTO story_queue (seq) VALUES ($1)").map_err(&err)?;
    let annotations = tx
        .prepare("INSERT INTO annotations (seq, json) VALUES ($1, $2::text::jsonb)")
        .map_err(&err)?;
    let entity = tx
        .prepare("INSERT INTO entities (seq, name, kind, mentions) VALUES ($1, $2, $3, $4)")
        .map_err(&err)?;
    let quote = tx
        .prepare(
            "INSERT INTO quotes (seq, n, speaker, text, cue, direct, paragraph, start, \"end\")
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .map_err(&err)?;
    // Identities are claimed in id order: two batches sharing articles then wait for
    // each other in one order, never in a cycle (a deadlock would cost one of them).
    let mut order: Vec<usize> = (0..batch.len()).collect();
    let ids: Vec<String> = batch.iter().map(|n| n.id.to_string()).collect();
    order.sort_by(|&a, &b| ids[a].cmp(&ids[b]).then(a.cmp(&b)));
    let mut puts: Vec<Option<Put>> = vec![None; batch.len()];
    let mut search = crate::search::TermRows::default();
    for i in order {
        let (new, id) = (&batch[i], &ids[i]);
        let mut new_alias = false;
        let mut add_alias = |tx: &mut postgres::Transaction<'_>, kind: &str, key: &str| {
            tx.execute(&alias, &[&kind, &key, id]).map(|n| new_alias |= n > 0)
        };
        for url in new.article.url.iter().chain(new.fetched_at) {
            add_alias(tx, "url", url).map_err(&err)?;
        }
        if let Some(source_id) = new.source_id {
            add_alias(tx, "source_id", source_id).map_err(&err)?;
        }
        let Some(row) = tx.query_opt(&claim, &[id]).map_err(&err)? else {
            puts[i] = Some(Put::Duplicate { new_alias });
            continue;
        };
        let seq: i64 = row.get(0);
        let a = new.article;
        let json = serde_json::to_string(a).expect("articles always serialise");
        let extra = new.extra.map(|e| e.to_string());
        let published_ts = a.published.as_ref().map(|p| p.at.unix_seconds());
        let month: String = tx
            .query_one(
                &insert,
                &[
                    &published_ts,
                    &now,
                    &seq,
                    id,
                    &new.source_id,
                    &a.url,
                    &a.outlet,
                    &a.title,
                    &a.published.as_ref().map(|p| p.at.to_string()),
                    &a.language,
                    &new.origin,
                    &json,
                    &extra,
                ],
            )
            .map_err(&err)?
            .get(0);
        let entities: Vec<&str> = new
            .annotations
            .map(|n| n.entities.iter().map(|e| e.name.as_str()).collect())
            .unwrap_or_default();
        search.add(seq, &month, a, &entities);
        if let Some(bytes) = new.sketch {
            tx.execute(&sketch, &[&seq, &bytes]).map_err(&err)?;
        }
        if let Some(bytes) = new.features {
            tx.execute(&features, &[&seq, &bytes]).map_err(&err)?;
        }
        if let Some(a) = new.annotations {
            let json = serde_json::to_string(a).expect("annotations always serialise");
            tx.execute(&annotations, &[&seq, &json]).map_err(&err)?;
            for e in &a.entities {
                let mentions = i32::try_from(e.mentions.len()).unwrap_or(i32::MAX);
                tx.execute(&entity, &[&seq, &e.name, &e.kind.as_str(), &mentions]).map_err(&err)?;
            }
            for (n, q) in a.quotes.iter().enumerate() {
                let int = |v: usize| i32::try_from(v).unwrap_or(i32::MAX);
                tx.execute(
                    &quote,
                    &[
                        &seq,
                        &int(n),
                        &q.speaker,
                        &q.text,
                        &q.cue,
                        &q.direct,
                        &int(q.paragraph),
                        &int(q.start),
                        &int(q.end),
                    ],
                )
                .map_err(&err)?;
            }
        }
        tx.execute(&queue, &[&seq]).map_err(&err)?;
        puts[i] = Some(Put::Added { seq: ArticleSeq(seq as u64) });
    }
    search.write(tx, target)?;
    Ok(puts.into_iter().map(|p| p.expect("every article of the batch is put")).collect())
}

impl PgStore {
    /// Creates the month partitions `batch` needs that do not exist yet, each in a short
    /// transaction of its own before the batch's.
    pub(crate) fn ensure_partitions(&mut self, batch: &[NewArticle<'_>], now: i64) -> Result<()> {
        let err = sql(&self.target, "creating a month's partition");
        let published: Vec<Option<i64>> = batch
            .iter()
            .map(|n| n.article.published.as_ref().map(|p| p.at.unix_seconds()))
            .collect();
        let months: Vec<String> = self
            .client
            .query(
                &format!(
                    "SELECT DISTINCT to_char(m, 'YYYY-MM-DD') FROM (
                         SELECT {} AS m FROM unnest($1::bigint[]) AS t(ts)
                     ) months
                     WHERE to_regclass('articles_' || to_char(m, 'YYYY_MM')) IS NULL",
                    MONTH.replace("$1", "t.ts")
                ),
                &[&published, &now],
            )
            .map_err(&err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        for month in months {
            // "2019-01-01": the name and bounds are made of these digits only.
            let (y, m) = (&month[..4], &month[5..7]);
            let mut tx = self.client.transaction().map_err(&err)?;
            tx.execute("SELECT pg_advisory_xact_lock($1)", &[&PARTITION_LOCK]).map_err(&err)?;
            tx.batch_execute(&format!(
                "CREATE TABLE IF NOT EXISTS articles_{y}_{m} PARTITION OF articles
                 FOR VALUES FROM ('{month}') TO (('{month}'::date + interval '1 month')::date)"
            ))
            .map_err(&err)?;
            tx.commit().map_err(&err)?;
        }
        Ok(())
    }

    /// The annotations (sentences, entities, quotes) stored with article `seq`.
    pub fn annotations(&mut self, seq: ArticleSeq) -> Result<Option<lede_core::Annotations>> {
        let err = sql(&self.target, "reading an article's annotations");
        let seq_value = seq.0 as i64;
        let Some(row) = self
            .client
            .query_opt("SELECT json::text FROM annotations WHERE seq = $1", &[&seq_value])
            .map_err(err)?
        else {
            return Ok(None);
        };
        serde_json::from_str(row.get::<_, &str>(0)).map(Some).map_err(|e| Error::Damaged {
            target: self.target.clone(),
            id: format!("#{}", seq.0),
            what: "annotations",
            message: e.to_string(),
        })
    }

    /// The article a key names, resolved as the embedded store resolves it: its id (32 hex
    /// digits, in any case), else the record id it was read under, else one of its
    /// addresses, else a unique prefix of 8 to 31 hex digits of its id (one matching two
    /// or more articles is [`Error::Ambiguous`]). Spaces around the key are ignored.
    pub fn find(&mut self, key: &str) -> Result<Option<StoredArticle>> {
        let err = sql(&self.target, "finding an article");
        let key = key.trim();
        let is_hex =
            !key.is_empty() && key.len() <= 32 && key.bytes().all(|b| b.is_ascii_hexdigit());
        let lower = key.to_ascii_lowercase();
        let whole_id = (is_hex && key.len() == 32).then_some(lower.as_str());
        let exact: Option<i64> = self
            .client
            .query_one(
                "SELECT coalesce(
                     (SELECT seq FROM article_ids WHERE id = $1),
                     (SELECT i.seq FROM aliases s JOIN article_ids i ON i.id = s.id
                      WHERE s.kind = 'source_id' AND s.key = $2),
                     (SELECT i.seq FROM aliases s JOIN article_ids i ON i.id = s.id
                      WHERE s.kind = 'url' AND s.key = $2))",
                &[&whole_id, &key],
            )
            .map_err(&err)?
            .get(0);
        let seq = match exact {
            Some(seq) => seq,
            None if is_hex && key.len() >= 8 && key.len() < 32 => {
                // A range of the primary key rather than `LIKE 'prefix%'`, which uses the
                // index only in a database of the C collation: ids are lowercase hex
                // digits, which every collation orders as C does, so the range holds
                // exactly the ids that start with the prefix (`starts_with` checks it).
                let rows = self
                    .client
                    .query(
                        "SELECT seq FROM article_ids
                         WHERE id >= $1 AND id < $2 AND starts_with(id, $1) LIMIT 2",
                        &[&lower, &format!("{lower}g")],
                    )
                    .map_err(&err)?;
                match rows.as_slice() {
                    [] => return Ok(None),
                    [row] => row.get(0),
                    rows => {
                        return Err(Error::Ambiguous { key: key.to_owned(), count: rows.len() });
                    }
                }
            }
            None => return Ok(None),
        };
        let row = self
            .client
            .query_opt(
                &format!("SELECT {ARTICLE_COLUMNS} FROM articles a WHERE a.seq = $1"),
                &[&seq],
            )
            .map_err(&err)?;
        row.map(|row| assemble(&self.target, &row)).transpose()
    }

    /// The entities named across the store, those in the most articles first (then the
    /// most mentioned, then by name), as the embedded store lists them: names in the order
    /// of their bytes (`COLLATE "C"`, SQLite's order), whatever the database's collation.
    pub fn entities(&mut self, filter: &EntityFilter) -> Result<Vec<EntityCount>> {
        let err = sql(&self.target, "listing entities");
        let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
        let rows = self
            .client
            .query(
                "SELECT name, kind, count(DISTINCT seq), sum(mentions)::bigint FROM entities
                 WHERE $1::text IS NULL OR kind = $1
                 GROUP BY name, kind ORDER BY 3 DESC, 4 DESC, name COLLATE \"C\", kind COLLATE \"C\"
                 LIMIT $2",
                &[&filter.kind.map(EntityKind::as_str), &limit],
            )
            .map_err(err)?;
        rows.iter().map(|r| entity_count(&self.target, r)).collect()
    }

    /// How many articles are stored.
    pub fn count(&mut self) -> Result<u64> {
        let err = sql(&self.target, "counting articles");
        let row = self.client.query_one("SELECT count(*) FROM article_ids", &[]).map_err(err)?;
        Ok(row.get::<_, i64>(0) as u64)
    }
}

/// An entity count from a row of name, kind, articles and mentions (`bigint`); a kind this
/// build does not know is damage, named.
pub(crate) fn entity_count(target: &str, r: &postgres::Row) -> Result<EntityCount> {
    let (name, kind): (String, &str) = (r.get(0), r.get(1));
    let kind = EntityKind::parse(kind).ok_or_else(|| Error::Damaged {
        target: target.to_owned(),
        id: format!("entity {name:?}"),
        what: "kind",
        message: format!("unknown kind {kind:?}"),
    })?;
    Ok(EntityCount {
        name,
        kind,
        articles: r.get::<_, i64>(2) as u64,
        mentions: r.get::<_, i64>(3) as u64,
    })
}
