//! The schema and its migrations, versioned like the embedded store's: the format is a row
//! of `lede_meta`, each step brings format `n` to `n + 1` in the transaction that records
//! it, and a worker that starts meets a database at its format, never between two.

use crate::{Error, PgStore, Result, sql};

/// The format this lede writes.
pub const FORMAT: u32 = 9;

/// Any number of workers start at once: they take turns on this advisory lock (the value
/// is arbitrary, the same in every lede) to read the format and migrate.
const MIGRATION_LOCK: i64 = 0x6c65_6465_6d69_6772; // "ledemigr"

/// Steps from format `n` to `n + 1`, at index `n`.
const STEPS: &[&str] = &[
    // 0 -> 1: articles, their identities and aliases, and the blobs stored beside them.
    "
    -- An article's identity: its content hash, claimed once (INSERT ... ON CONFLICT), and
    -- its sequence number. Not partitioned, so the key is unique across every month.
    CREATE TABLE article_ids (
        id text PRIMARY KEY,
        seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE
    );
    -- The month of publication (of storage when undated): the partition key.
    CREATE TABLE articles (
        seq bigint NOT NULL,
        month date NOT NULL,
        id text NOT NULL,
        source_id text,
        url text,
        outlet text,
        title text,
        published text,
        published_ts bigint,
        language text,
        origin text NOT NULL,
        article jsonb NOT NULL,
        extra jsonb,
        PRIMARY KEY (seq, month)
    ) PARTITION BY RANGE (month);
    CREATE INDEX articles_source_id ON articles (source_id);
    CREATE INDEX articles_seq ON articles (seq);
    -- Full-text search: the headline weighted above the body, each in its language's text
    -- search configuration (stemmer and stop words; 'simple' where PostgreSQL has none).
    CREATE FUNCTION lede_ts_config(language text) RETURNS regconfig
        LANGUAGE sql IMMUTABLE PARALLEL SAFE
        RETURN CASE language
            WHEN 'en' THEN 'english' WHEN 'de' THEN 'german' WHEN 'fr' THEN 'french'
            WHEN 'es' THEN 'spanish' WHEN 'it' THEN 'italian' WHEN 'pt' THEN 'portuguese'
            WHEN 'nl' THEN 'dutch' WHEN 'ru' THEN 'russian' WHEN 'sv' THEN 'swedish'
            WHEN 'da' THEN 'danish' WHEN 'no' THEN 'norwegian' WHEN 'fi' THEN 'finnish'
            WHEN 'hu' THEN 'hungarian' WHEN 'ro' THEN 'romanian' WHEN 'tr' THEN 'turkish'
            ELSE 'simple' END::regconfig;
    ALTER TABLE articles ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(lede_ts_config(language), coalesce(title, '')), 'A')
        || setweight(to_tsvector(lede_ts_config(language), article -> 'paragraphs'), 'B')
    ) STORED;
    CREATE INDEX articles_search ON articles USING gin (search);
    CREATE TABLE aliases (
        kind text NOT NULL,
        key text NOT NULL,
        id text NOT NULL,
        PRIMARY KEY (kind, key)
    );
    CREATE INDEX aliases_id ON aliases (id);
    CREATE TABLE sketches (seq bigint PRIMARY KEY, sketch bytea NOT NULL);
    CREATE TABLE story_features (seq bigint PRIMARY KEY, features bytea NOT NULL);
    CREATE TABLE annotations (seq bigint PRIMARY KEY, json jsonb NOT NULL);
    -- Entities and quotes as rows, for the entity and speaker lists and filters.
    CREATE TABLE entities (
        seq bigint NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        mentions integer NOT NULL,
        PRIMARY KEY (seq, name)
    );
    CREATE INDEX entities_name ON entities (name);
    CREATE TABLE quotes (
        seq bigint NOT NULL,
        n integer NOT NULL,
        speaker text,
        text text NOT NULL,
        cue text,
        direct boolean NOT NULL,
        paragraph integer NOT NULL,
        start integer NOT NULL,
        \"end\" integer NOT NULL,
        PRIMARY KEY (seq, n)
    );
    CREATE INDEX quotes_speaker ON quotes (speaker);
    ",
    // 1 -> 2: cluster mode's work, leases and stories.
    "
    -- One row per unit of work a worker committed (a queue message, or one part of a large
    -- one), written in the transaction that stores the unit's articles: a redelivered
    -- message finds its row and is neither stored nor counted twice, and `ingest --wait`
    -- adds up what the messages of its run did.
    CREATE TABLE work_done (
        msg text NOT NULL,
        part integer NOT NULL,
        -- The message's last part: the message is done.
        last boolean NOT NULL,
        run text NOT NULL,
        seen bigint NOT NULL,
        added bigint NOT NULL,
        duplicates bigint NOT NULL,
        skipped bigint NOT NULL,
        filtered bigint NOT NULL,
        failed bigint NOT NULL,
        errors jsonb NOT NULL,
        done_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (msg, part)
    );
    CREATE INDEX work_done_run ON work_done (run);
    -- One writer per scope at a time (story clustering): whoever holds the row's epoch
    -- until it expires. Every write the holder makes checks its epoch in the same
    -- transaction (fencing), so a holder that was paused past its lease writes nothing.
    CREATE TABLE leases (
        scope text PRIMARY KEY,
        holder text NOT NULL,
        epoch bigint NOT NULL,
        expires timestamptz NOT NULL
    );
    -- Stories, as the embedded store keeps them. Articles wait in story_queue (added in
    -- the transaction that stores them) until a clustering pass takes them: workers
    -- commit in any order, so 'every sequence number after the last clustered' would
    -- miss an article whose transaction committed late.
    CREATE TABLE story_queue (seq bigint PRIMARY KEY);
    CREATE TABLE stories (
        id bigint PRIMARY KEY,
        label_seq bigint,
        first_ts bigint,
        last_ts bigint,
        size bigint NOT NULL,
        state bytea NOT NULL
    );
    CREATE INDEX stories_last_ts ON stories (last_ts);
    CREATE TABLE story_members (
        seq bigint PRIMARY KEY,
        story bigint NOT NULL,
        score real NOT NULL
    );
    CREATE INDEX story_members_story ON story_members (story);
    CREATE TABLE story_aliases (old bigint PRIMARY KEY, id bigint NOT NULL);
    CREATE TABLE cluster_state (key text PRIMARY KEY, value bytea NOT NULL);
    ",
    // 2 -> 3: search as the embedded index searches (see search.rs).
    "
    -- The stemmed, per-language vector is replaced by the embedded index's own terms,
    -- which lede writes with each article (PostgreSQL cannot make them: they are lede-text's
    -- words and lede-search's pairs of common words), and the lengths BM25 needs.
    ALTER TABLE articles DROP COLUMN search;
    DROP FUNCTION lede_ts_config(text);
    -- One table, not partitioned: a query plans and scans one GIN index, not one a month.
    -- `month` is the article's partition, for retiring a month's rows with it.
    CREATE TABLE search_terms (
        seq bigint PRIMARY KEY,
        month date NOT NULL,
        -- lz4: a fifth smaller than uncompressed (pglz leaves these vectors as they are),
        -- and as fast to read.
        terms tsvector COMPRESSION lz4 NOT NULL,
        title_len integer NOT NULL,
        body_len integer NOT NULL
    );
    CREATE INDEX search_terms_terms ON search_terms USING gin (terms);
    CREATE INDEX search_terms_month ON search_terms (month);
    -- BM25's collection statistics: a row per month per stored batch, added in the batch's
    -- transaction and never updated (concurrent workers never wait on each other for it).
    CREATE TABLE search_totals (
        month date NOT NULL,
        docs bigint NOT NULL,
        title_tokens bigint NOT NULL,
        body_tokens bigint NOT NULL
    );
    -- The articles stored before this format are indexed by the first search.
    INSERT INTO lede_meta (key, value)
        SELECT 'search_backfill', 'pending' WHERE EXISTS (SELECT 1 FROM articles);
    ",
    // 3 -> 4: search's filters and the embedded index's other fields (see search.rs).
    "
    -- The vectors gain the outlet's and authors' words, the outlet's whole name and the
    -- entities' canonical names (lexemes of their own, see search/terms.rs), with their
    -- fields' lengths for BM25; the publication time filters and orders. Every article is
    -- indexed again by the first search, as after format 3.
    TRUNCATE search_terms, search_totals;
    ALTER TABLE search_terms
        ADD COLUMN published bigint,
        ADD COLUMN outlet_len integer NOT NULL DEFAULT 0,
        ADD COLUMN author_len integer NOT NULL DEFAULT 0,
        ADD COLUMN entity_len integer NOT NULL DEFAULT 0,
        ADD COLUMN outlet_key_len integer NOT NULL DEFAULT 0;
    CREATE INDEX search_terms_published ON search_terms (published);
    ALTER TABLE search_totals
        ADD COLUMN outlet_tokens bigint NOT NULL DEFAULT 0,
        ADD COLUMN author_tokens bigint NOT NULL DEFAULT 0,
        ADD COLUMN entity_tokens bigint NOT NULL DEFAULT 0,
        ADD COLUMN outlet_key_tokens bigint NOT NULL DEFAULT 0;
    INSERT INTO lede_meta (key, value)
        SELECT 'search_backfill', 'pending' WHERE EXISTS (SELECT 1 FROM articles)
        ON CONFLICT (key) DO NOTHING;
    ",
    // 4 -> 5: the quote listing (`lede quotes`, newest articles first) reads the articles
    // newest first and stops at its limit, as the embedded store does through its index on
    // the date: without this index PostgreSQL joined and sorted every quote (0.8 s on a
    // million articles, against 1 ms with it).
    "
    CREATE INDEX articles_published ON articles (published_ts DESC NULLS LAST, seq DESC);
    ",
    // 5 -> 6: `lede watch` in cluster mode (see feeds.rs): the feeds followed, with their
    // schedule and health as the embedded store keeps them, and the claim of the watch
    // polling each; the validators a server last sent for a URL (conditional GETs).
    "
    CREATE TABLE feeds (
        url text PRIMARY KEY,
        title text,
        added_ts bigint NOT NULL,
        last_poll_ts bigint,
        next_poll_ts bigint NOT NULL,
        interval_s bigint NOT NULL,
        failures integer NOT NULL DEFAULT 0,
        last_status text,
        last_error text,
        items_seen bigint NOT NULL DEFAULT 0,
        items_added bigint NOT NULL DEFAULT 0,
        last_new_ts bigint,
        -- The watch polling the feed now, until when (PostgreSQL's clock, so that the
        -- watches' own clocks need not agree): another watch skips it meanwhile.
        claimed_by text,
        claimed_until timestamptz
    );
    CREATE INDEX feeds_next_poll ON feeds (next_poll_ts);
    CREATE TABLE fetch_state (
        url text PRIMARY KEY,
        etag text,
        last_modified text
    );
    ",
    // 6 -> 7: search by stems (issue 17), as the embedded index's `stems` field: an article
    // in a language with a Snowball stemmer gains its body's stems (`stem:` lexemes) and
    // their count. Only those articles are indexed again, by the first search: their rows
    // go, and a row per month takes their lengths back out of the totals (the totals are
    // only ever added to: summed, a negative row undoes a positive one).
    "
    ALTER TABLE search_terms ADD COLUMN stem_len integer NOT NULL DEFAULT 0;
    ALTER TABLE search_totals ADD COLUMN stem_tokens bigint NOT NULL DEFAULT 0;
    -- Whether any article has stems, read by every search of plain words: a look-up.
    CREATE INDEX search_totals_stemmed ON search_totals (month) WHERE stem_tokens > 0;
    WITH gone AS (
        DELETE FROM search_terms s USING articles a
        WHERE a.seq = s.seq AND a.language IN (
            'ar', 'da', 'nl', 'fi', 'fr', 'de', 'el', 'hu', 'it', 'no', 'nb', 'nn', 'pt',
            'ro', 'ru', 'es', 'sv', 'ta', 'tr')
        RETURNING s.month, s.title_len, s.body_len, s.outlet_len, s.author_len,
                  s.entity_len, s.outlet_key_len)
    INSERT INTO search_totals (month, docs, title_tokens, body_tokens, outlet_tokens,
                               author_tokens, entity_tokens, outlet_key_tokens)
        SELECT month, -count(*), -sum(title_len), -sum(body_len), -sum(outlet_len),
               -sum(author_len), -sum(entity_len), -sum(outlet_key_len)
        FROM gone GROUP BY month;
    INSERT INTO lede_meta (key, value)
        SELECT 'search_backfill', 'pending'
        WHERE EXISTS (SELECT 1 FROM articles a
                      WHERE NOT EXISTS (SELECT 1 FROM search_terms s WHERE s.seq = a.seq))
        ON CONFLICT (key) DO NOTHING;
    ",
    // 7 -> 8: the reader's entity page (issue 18) reads a name's 20,000 articles stored
    // last: this index gives a name's newest sequence numbers first, with the kind and
    // mentions beside them, so that the sample is read from it and stops there (with the
    // index on the name alone, PostgreSQL fetched and sorted every row of the name). It
    // answers what that index did, which goes.
    "
    CREATE INDEX entities_name_seq ON entities (name, seq) INCLUDE (kind, mentions);
    DROP INDEX entities_name;
    ",
    // 8 -> 9 (issue 17): each story's language beside it, as the embedded store's format
    // 10 keeps it: that of its labelling article by `lede_core::story_language`'s rule
    // (the primary subtag, lower-cased, when two or three ASCII letters, else 'und'). A
    // story's reports in other languages are looked for among other languages' stories.
    "
    ALTER TABLE stories ADD COLUMN language text NOT NULL DEFAULT 'und';
    UPDATE stories s
    SET language = CASE WHEN l.p ~ '^[A-Za-z]{2,3}$' THEN lower(l.p) ELSE 'und' END
    FROM (SELECT t.id,
                 split_part(replace(btrim(a.language,
                                          ' ' || chr(9) || chr(10) || chr(11) || chr(12) || chr(13)),
                                    '_', '-'), '-', 1) AS p
          FROM stories t JOIN articles a ON a.seq = t.label_seq) l
    WHERE l.id = s.id;
    CREATE INDEX stories_language ON stories (language, last_ts);
    ",
];

/// Creates or migrates the schema to [`FORMAT`].
pub(crate) fn migrate(store: &mut PgStore) -> Result<()> {
    let target = store.target.clone();
    let sql = |doing| sql(&target, doing);
    let mut tx = store.client.transaction().map_err(sql("migrating the schema"))?;
    tx.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])
        .map_err(sql("waiting for another worker's migration"))?;
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS lede_meta (key text PRIMARY KEY, value text NOT NULL)",
    )
    .map_err(sql("migrating the schema"))?;
    let found = read_format(&mut tx).map_err(sql("reading the format"))?;
    if found > FORMAT {
        return Err(Error::TooNew { target, found });
    }
    for step in &STEPS[found as usize..FORMAT as usize] {
        tx.batch_execute(step).map_err(sql("migrating the schema"))?;
    }
    if found < FORMAT {
        tx.execute(
            "INSERT INTO lede_meta (key, value) VALUES ('format', $1)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            &[&FORMAT.to_string()],
        )
        .map_err(sql("recording the format"))?;
    }
    tx.commit().map_err(sql("migrating the schema"))
}

/// The format the database is at.
pub(crate) fn format(store: &mut PgStore) -> Result<u32> {
    let row = store
        .client
        .query_opt("SELECT value FROM lede_meta WHERE key = 'format'", &[])
        .map_err(sql(&store.target, "reading the format"))?;
    Ok(parse_format(row))
}

fn read_format(tx: &mut postgres::Transaction<'_>) -> std::result::Result<u32, postgres::Error> {
    Ok(parse_format(tx.query_opt("SELECT value FROM lede_meta WHERE key = 'format'", &[])?))
}

/// No row is format 0 (nothing created yet). A value that is not a number is not a format
/// this lede wrote: it reads as newer, so that nothing is migrated over it.
fn parse_format(row: Option<postgres::Row>) -> u32 {
    row.map_or(0, |r| r.get::<_, String>(0).parse().unwrap_or(u32::MAX))
}

#[cfg(test)]
mod tests {
    use super::STEPS;

    #[test]
    fn the_stems_step_names_the_languages_lede_search_stems() {
        let step = STEPS[6];
        let list = &step[step.find("a.language IN (").expect("the list") + 15..];
        let list = &list[..list.find(')').expect("its end")];
        let mut named: Vec<&str> = list.split(',').map(|c| c.trim().trim_matches('\'')).collect();
        let mut stemmed = lede_search::stems::CODES.to_vec();
        named.sort_unstable();
        stemmed.sort_unstable();
        assert_eq!(named, stemmed);
    }
}
