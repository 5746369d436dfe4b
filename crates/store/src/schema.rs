//! The on-disk format and its versions.
//!
//! Version 1 (see the crate's `README.md` for the picture):
//!
//! ```sql
//! lede_meta(key TEXT PRIMARY KEY, value TEXT)       -- 'format' = '1', 'created_by'
//! articles(seq INTEGER PRIMARY KEY,                 -- ingest order, from 1
//!          id TEXT UNIQUE,                          -- 32 hex digits, content hash
//!          source_id, url, outlet, title, published, published_ts, language,
//!          origin TEXT,                             -- input and location first seen at
//!          article TEXT,                            -- the article as JSON (CLI contract)
//!          extra TEXT)                              -- unknown fields of the input record
//! aliases(kind TEXT, key TEXT, id TEXT)             -- 'url' | 'source_id' -> article id
//! fetch_state(url TEXT, etag, last_modified)        -- validators for conditional GET
//! ```
//!
//! Version 2 adds the near-duplicate sketches:
//!
//! ```sql
//! sketches(seq INTEGER PRIMARY KEY,                 -- the article's seq
//!          sketch BLOB)                             -- MinHash sketch (lede-dedup), 516 bytes
//! aliases_id: an index of aliases by article id    -- every record id of an article
//! ```
//!
//! A store migrated from version 1 has no sketches for its articles; `lede_meta` then
//! holds 'sketches' = 'backfill' until the next ingest has computed them (so that a store
//! without that key is never scanned for missing sketches).
//!
//! Version 3 adds what the text of each article says (`lede-entities`):
//!
//! ```sql
//! annotations(seq INTEGER PRIMARY KEY,              -- the article's seq
//!             json TEXT)                            -- its Annotations, compact (codec.rs)
//! entities(seq, name, kind TEXT, mentions INTEGER)  -- one row per entity of an article,
//!                                                   -- indexed by name and by seq
//! quotes(seq, n INTEGER, speaker, text, cue TEXT,   -- one row per quote, n in text order,
//!        direct, paragraph, start, end INTEGER)     -- indexed by speaker
//! ```
//!
//! A store migrated from version 2 (or 1) has no annotations for its articles; `lede_meta`
//! then holds 'annotations' = 'backfill' until the next ingest has computed them.
//!
//! Version 4 adds stories (`lede-cluster`):
//!
//! ```sql
//! story_features(seq INTEGER PRIMARY KEY,           -- the article's seq
//!                features BLOB)                     -- its StoryFeatures (words, names, quotes)
//! stories(id INTEGER PRIMARY KEY, label_seq,        -- the member whose headline labels it
//!         first_ts, last_ts, size INTEGER,          -- span (Unix seconds), members
//!         state BLOB)                               -- centroid and quotes (lede-cluster)
//! story_members(seq INTEGER PRIMARY KEY,            -- each clustered article's story
//!               story INTEGER, score REAL)          -- indexed by story
//! story_aliases(old INTEGER PRIMARY KEY, id)        -- a merged story's id -> the story it is
//! cluster_state(key TEXT PRIMARY KEY, value BLOB)   -- 'doc_freq:<language>': word and name
//!                                                     -- frequencies ('doc_freq': all, before
//!                                                     -- stories were per language)
//! ```
//!
//! Articles up to the highest `story_members.seq` are clustered; later ones are clustered
//! by the next ingest (stories are derived data, like the search index). A store migrated
//! from version 3 holds 'story_features' = 'backfill' until an ingest has computed them.
//!
//! Version 5 adds indexes for `stats` (outlets, languages, annotated articles). Version 6
//! adds the progress of ingests through web-archive sets (`archives.rs`):
//!
//! ```sql
//! archive_files(name TEXT PRIMARY KEY,              -- a WARC file as its `.paths` list names it
//!               done, next_offset, records,         -- finished; records before the offset read
//!               updated_ts INTEGER)
//! feeds(url TEXT PRIMARY KEY, title,                -- what `lede watch` follows (`feeds.rs`)
//!       added_ts, last_poll_ts, next_poll_ts,       -- its schedule (Unix seconds)
//!       interval_s, failures, last_status,          -- and its health
//!       last_error, items_seen, items_added, last_new_ts)
//! ```
//!
//! Version 7 (issue 18) adds summaries that the reader's pages read instead of grouping
//! every article they cover (a month's stories, a name in 139,000 articles). They hold
//! nothing new: each is what a query over the tables above answers, kept up to date by
//! triggers on `articles`, `entities` and `story_members` (so every write, ingest,
//! backfill or clustering pass, keeps them exact), and backfilled by the migration:
//!
//! ```sql
//! day_articles(day INTEGER PRIMARY KEY, articles)   -- dated articles per day (UTC)
//! story_dates(published_ts, seq, story, outlet)     -- each dated clustered article, by date:
//!                                                   -- a window's stories read one range
//! entity_totals(name, kind, articles, mentions)     -- per entity, over the whole store
//! entity_days(name, day, articles, mentions)        -- per name and day (dated articles)
//! entity_stories(name, story, articles)             -- per name and story
//! ```
//!
//! Version 8 (issue 18) adds which names are beside which, for the names in at least
//! [`PAIR_NAMES`] articles (the pages of the biggest names list their companions; counting
//! them read 280,000 entity rows for a name in 139,000 articles):
//!
//! ```sql
//! entity_top(name TEXT PRIMARY KEY)                 -- the names in >= 1,000 articles
//! entity_pairs(name, other, other_kind,             -- both names there (other may be name,
//!              articles, mentions)                  -- in another kind): articles naming
//!                                                   -- name and other as other_kind
//! ```
//!
//! Version 9 (issue 13) holds the same summaries, kept per batch instead of per row:
//! the triggers on inserts into `articles`, `entities` and `story_members` and on deletes
//! from `entities` are dropped, and the write paths that insert or delete those rows count
//! each batch's rows in its transaction (`summaries.rs`); the triggers on moves and
//! deletes of `story_members` (merges, splits: few rows) stay. A format-8 store is
//! migrated by dropping the triggers (its summaries are exact already).
//!
//! Version 10 (issue 17) keeps each story's language ([`lede_core::story_language`]:
//! stories are clustered per language) beside it, read from its labelling article until
//! then, and indexes it with the last date: a story's reports in other languages are looked
//! for among the stories of other languages, and telling those apart read two rows per
//! story naming a name (the 40,000 stories naming the million-article store's most named
//! names); clustering reads a language's stories in a span of dates:
//!
//! ```sql
//! stories(..., language TEXT NOT NULL)                 -- 'en', 'es', 'und' (none told)
//! stories_language ON stories(language, last_ts)
//! ```
//!
//! A new version adds a step to [`MIGRATIONS`] (and the tables and indexes it makes to the
//! list in this module's tests, which build a store of each format); an old store is
//! migrated when a writer opens it, in one transaction.

use rusqlite::Connection;

/// The format this lede writes, and the newest it reads.
pub const FORMAT_VERSION: u32 = 10;

/// The articles a name is in from which [`MIGRATIONS`]' format 8 counts its pairs with
/// the other such names (`entity_pairs`; the number is written in the step's SQL).
pub(crate) const PAIR_NAMES: u64 = 1000;

/// The statements that create a version-1 store.
const CREATE_V1: &str = "
CREATE TABLE lede_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT,
    url TEXT,
    outlet TEXT,
    title TEXT,
    published TEXT,
    published_ts INTEGER,
    language TEXT,
    origin TEXT NOT NULL,
    article TEXT NOT NULL,
    extra TEXT
);
CREATE INDEX articles_source_id ON articles(source_id);
CREATE INDEX articles_published_ts ON articles(published_ts);
CREATE TABLE aliases (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    id TEXT NOT NULL,
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
CREATE TABLE fetch_state (
    url TEXT PRIMARY KEY,
    etag TEXT,
    last_modified TEXT
) WITHOUT ROWID;
";

/// Steps from version `n` to `n + 1`, at index `n - 1`.
pub(crate) const MIGRATIONS: &[&str] = &[
    // 1 -> 2: near-duplicate sketches.
    "CREATE TABLE sketches (seq INTEGER PRIMARY KEY, sketch BLOB NOT NULL);
     CREATE INDEX aliases_id ON aliases(id);
     INSERT INTO lede_meta (key, value) VALUES ('sketches', 'backfill');",
    // 2 -> 3: entities and quotes (issue #5).
    "CREATE TABLE annotations (seq INTEGER PRIMARY KEY, json TEXT NOT NULL);
     CREATE TABLE entities (
         seq INTEGER NOT NULL,
         name TEXT NOT NULL,
         kind TEXT NOT NULL,
         mentions INTEGER NOT NULL,
         PRIMARY KEY (seq, name)
     ) WITHOUT ROWID;
     CREATE INDEX entities_name ON entities(name);
     CREATE TABLE quotes (
         seq INTEGER NOT NULL,
         n INTEGER NOT NULL,
         speaker TEXT,
         text TEXT NOT NULL,
         cue TEXT,
         direct INTEGER NOT NULL,
         paragraph INTEGER NOT NULL,
         start INTEGER NOT NULL,
         \"end\" INTEGER NOT NULL,
         PRIMARY KEY (seq, n)
     );
     CREATE INDEX quotes_speaker ON quotes(speaker);
     INSERT INTO lede_meta (key, value) VALUES ('annotations', 'backfill');",
    // 3 -> 4: stories (issue #6).
    "CREATE TABLE story_features (seq INTEGER PRIMARY KEY, features BLOB NOT NULL);
     CREATE TABLE stories (
         id INTEGER PRIMARY KEY,
         label_seq INTEGER,
         first_ts INTEGER,
         last_ts INTEGER,
         size INTEGER NOT NULL,
         state BLOB NOT NULL
     );
     CREATE INDEX stories_last_ts ON stories(last_ts);
     CREATE TABLE story_members (
         seq INTEGER PRIMARY KEY,
         story INTEGER NOT NULL,
         score REAL NOT NULL
     );
     CREATE INDEX story_members_story ON story_members(story);
     CREATE TABLE story_aliases (old INTEGER PRIMARY KEY, id INTEGER NOT NULL);
     CREATE TABLE cluster_state (key TEXT PRIMARY KEY, value BLOB NOT NULL);
     INSERT INTO lede_meta (key, value) VALUES ('story_features', 'backfill');",
    // 4 -> 5: indexes that let `stats` count outlets, languages and annotated articles
    // without reading every article and its annotations (2-22 s on a million articles).
    // An index on the row id is a small b-tree that `count(*)` walks instead of the table.
    "CREATE INDEX articles_outlet ON articles(outlet);
     CREATE INDEX articles_language ON articles(language);
     CREATE INDEX annotations_seq ON annotations(seq);",
    // 5 -> 6 (issue #14): how far ingests have read the files of web-archive sets, so that
    // an interrupted one resumes (`done` is 0 or 1); the feeds `lede watch` follows, with
    // their schedule and health. Times are Unix seconds.
    "CREATE TABLE archive_files (
         name TEXT PRIMARY KEY,
         done INTEGER NOT NULL,
         next_offset INTEGER NOT NULL,
         records INTEGER NOT NULL,
         updated_ts INTEGER NOT NULL
     );
     CREATE TABLE feeds (
         url TEXT PRIMARY KEY,
         title TEXT,
         added_ts INTEGER NOT NULL,
         last_poll_ts INTEGER,
         next_poll_ts INTEGER NOT NULL,
         interval_s INTEGER NOT NULL,
         failures INTEGER NOT NULL,
         last_status TEXT,
         last_error TEXT,
         items_seen INTEGER NOT NULL,
         items_added INTEGER NOT NULL,
         last_new_ts INTEGER
     );",
    // 6 -> 7 (issue 18): the reader's summaries, backfilled from what is stored, then kept
    // by triggers. `day` is Unix seconds divided by 86,400 rounded down (also before 1970:
    // SQLite's `/` rounds towards zero). An article moved to another story is an UPDATE of
    // `story_members` (`put_stories` upserts): a REPLACE would delete the old row without
    // its trigger. Rows that fall to zero are deleted.
    "CREATE TABLE day_articles (day INTEGER PRIMARY KEY, articles INTEGER NOT NULL);
     CREATE TABLE story_dates (
         published_ts INTEGER NOT NULL,
         seq INTEGER NOT NULL,
         story INTEGER NOT NULL,
         outlet TEXT,
         PRIMARY KEY (published_ts, seq)
     ) WITHOUT ROWID;
     CREATE TABLE entity_totals (
         name TEXT NOT NULL,
         kind TEXT NOT NULL,
         articles INTEGER NOT NULL,
         mentions INTEGER NOT NULL,
         PRIMARY KEY (name, kind)
     ) WITHOUT ROWID;
     CREATE TABLE entity_days (
         name TEXT NOT NULL,
         day INTEGER NOT NULL,
         articles INTEGER NOT NULL,
         mentions INTEGER NOT NULL,
         PRIMARY KEY (name, day)
     ) WITHOUT ROWID;
     CREATE TABLE entity_stories (
         name TEXT NOT NULL,
         story INTEGER NOT NULL,
         articles INTEGER NOT NULL,
         PRIMARY KEY (name, story)
     ) WITHOUT ROWID;
     INSERT INTO day_articles (day, articles)
         SELECT (published_ts - ((published_ts % 86400) + 86400) % 86400) / 86400 AS d, count(*)
         FROM articles WHERE published_ts IS NOT NULL GROUP BY d;
     INSERT INTO story_dates (published_ts, seq, story, outlet)
         SELECT a.published_ts, a.seq, m.story, a.outlet
         FROM story_members m JOIN articles a ON a.seq = m.seq WHERE a.published_ts IS NOT NULL;
     INSERT INTO entity_totals (name, kind, articles, mentions)
         SELECT name, kind, count(*), sum(mentions) FROM entities GROUP BY name, kind;
     INSERT INTO entity_days (name, day, articles, mentions)
         SELECT e.name,
                (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400 AS d,
                count(*), sum(e.mentions)
         FROM entities e JOIN articles a ON a.seq = e.seq
         WHERE a.published_ts IS NOT NULL GROUP BY e.name, d;
     INSERT INTO entity_stories (name, story, articles)
         SELECT e.name, m.story, count(*)
         FROM entities e JOIN story_members m ON m.seq = e.seq GROUP BY e.name, m.story;
     CREATE TRIGGER summary_article AFTER INSERT ON articles
     WHEN NEW.published_ts IS NOT NULL BEGIN
         INSERT INTO day_articles (day, articles)
         VALUES ((NEW.published_ts - ((NEW.published_ts % 86400) + 86400) % 86400) / 86400, 1)
         ON CONFLICT (day) DO UPDATE SET articles = articles + 1;
     END;
     CREATE TRIGGER summary_entity_in AFTER INSERT ON entities BEGIN
         INSERT INTO entity_totals (name, kind, articles, mentions)
         VALUES (NEW.name, NEW.kind, 1, NEW.mentions)
         ON CONFLICT (name, kind)
         DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
         INSERT INTO entity_days (name, day, articles, mentions)
         SELECT NEW.name, (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400,
                1, NEW.mentions
         FROM articles a WHERE a.seq = NEW.seq AND a.published_ts IS NOT NULL
         ON CONFLICT (name, day)
         DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
         INSERT INTO entity_stories (name, story, articles)
         SELECT NEW.name, m.story, 1 FROM story_members m WHERE m.seq = NEW.seq
         ON CONFLICT (name, story) DO UPDATE SET articles = articles + 1;
     END;
     CREATE TRIGGER summary_entity_out AFTER DELETE ON entities BEGIN
         UPDATE entity_totals SET articles = articles - 1, mentions = mentions - OLD.mentions
         WHERE name = OLD.name AND kind = OLD.kind;
         DELETE FROM entity_totals WHERE name = OLD.name AND kind = OLD.kind AND articles <= 0;
         UPDATE entity_days SET articles = articles - 1, mentions = mentions - OLD.mentions
         WHERE name = OLD.name AND day = (
             SELECT (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400
             FROM articles a WHERE a.seq = OLD.seq);
         DELETE FROM entity_days WHERE name = OLD.name AND articles <= 0 AND day = (
             SELECT (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400
             FROM articles a WHERE a.seq = OLD.seq);
         UPDATE entity_stories SET articles = articles - 1
         WHERE name = OLD.name AND story = (SELECT story FROM story_members WHERE seq = OLD.seq);
         DELETE FROM entity_stories WHERE name = OLD.name AND articles <= 0
             AND story = (SELECT story FROM story_members WHERE seq = OLD.seq);
     END;
     CREATE TRIGGER summary_member_in AFTER INSERT ON story_members BEGIN
         INSERT OR REPLACE INTO story_dates (published_ts, seq, story, outlet)
         SELECT a.published_ts, a.seq, NEW.story, a.outlet
         FROM articles a WHERE a.seq = NEW.seq AND a.published_ts IS NOT NULL;
         INSERT INTO entity_stories (name, story, articles)
         SELECT e.name, NEW.story, 1 FROM entities e WHERE e.seq = NEW.seq
         ON CONFLICT (name, story) DO UPDATE SET articles = articles + 1;
     END;
     CREATE TRIGGER summary_member_move AFTER UPDATE OF story ON story_members
     WHEN OLD.story IS NOT NEW.story BEGIN
         UPDATE story_dates SET story = NEW.story
         WHERE published_ts = (SELECT published_ts FROM articles WHERE seq = NEW.seq)
           AND seq = NEW.seq;
         UPDATE entity_stories SET articles = articles - 1
         WHERE story = OLD.story AND name IN (SELECT name FROM entities WHERE seq = OLD.seq);
         DELETE FROM entity_stories WHERE story = OLD.story AND articles <= 0
             AND name IN (SELECT name FROM entities WHERE seq = OLD.seq);
         INSERT INTO entity_stories (name, story, articles)
         SELECT e.name, NEW.story, 1 FROM entities e WHERE e.seq = NEW.seq
         ON CONFLICT (name, story) DO UPDATE SET articles = articles + 1;
     END;
     CREATE TRIGGER summary_member_out AFTER DELETE ON story_members BEGIN
         DELETE FROM story_dates
         WHERE published_ts = (SELECT published_ts FROM articles WHERE seq = OLD.seq)
           AND seq = OLD.seq;
         UPDATE entity_stories SET articles = articles - 1
         WHERE story = OLD.story AND name IN (SELECT name FROM entities WHERE seq = OLD.seq);
         DELETE FROM entity_stories WHERE story = OLD.story AND articles <= 0
             AND name IN (SELECT name FROM entities WHERE seq = OLD.seq);
     END;",
    // 7 -> 8 (issue 18): pairs of names in at least 1,000 articles (`PAIR_NAMES`), counted
    // in the articles naming both. Format 7's triggers on `entities` are replaced by ones
    // that do what they did, and first (before the row is counted) pair a row of a name
    // in `entity_top` with each such name of its article (itself included: the same name
    // in its row's kind); last, a name that reached 1,000 articles joins `entity_top` and
    // its pairs are counted from its articles, and one that fell below leaves with its
    // pairs. So a name is in `entity_top` exactly when it is in 1,000 articles or more.
    // Each conditional statement reads its condition as a one-row table `g` that its
    // other tables are joined to: SQLite would test a condition in WHERE on each row of
    // a name's articles, and an insert of a name in 100,000 would read them all.
    "CREATE TABLE entity_top (name TEXT PRIMARY KEY) WITHOUT ROWID;
     CREATE TABLE entity_pairs (
         name TEXT NOT NULL,
         other TEXT NOT NULL,
         other_kind TEXT NOT NULL,
         articles INTEGER NOT NULL,
         mentions INTEGER NOT NULL,
         PRIMARY KEY (name, other, other_kind)
     ) WITHOUT ROWID;
     INSERT INTO entity_top (name)
         SELECT name FROM entity_totals GROUP BY name HAVING sum(articles) >= 1000;
     INSERT INTO entity_pairs (name, other, other_kind, articles, mentions)
         SELECT s.name, o.name, o.kind, count(*), sum(o.mentions)
         FROM entity_top t CROSS JOIN entities s ON s.name = t.name
              CROSS JOIN entities o ON o.seq = s.seq
         WHERE EXISTS (SELECT 1 FROM entity_top u WHERE u.name = o.name)
         GROUP BY s.name, o.name, o.kind;
     DROP TRIGGER IF EXISTS summary_entity_in;
     DROP TRIGGER IF EXISTS summary_entity_out;
     CREATE TRIGGER summary_entity_in AFTER INSERT ON entities BEGIN
         INSERT INTO entity_pairs (name, other, other_kind, articles, mentions)
         SELECT NEW.name, o.name, o.kind, 1, o.mentions
         FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM entity_top t WHERE t.name = NEW.name)
               LIMIT 1) g
              CROSS JOIN entities o
         WHERE o.seq = NEW.seq AND EXISTS (SELECT 1 FROM entity_top u WHERE u.name = o.name)
         ON CONFLICT (name, other, other_kind)
         DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
         INSERT INTO entity_pairs (name, other, other_kind, articles, mentions)
         SELECT o.name, NEW.name, NEW.kind, 1, NEW.mentions
         FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM entity_top t WHERE t.name = NEW.name)
               LIMIT 1) g
              CROSS JOIN entities o
         WHERE o.seq = NEW.seq AND o.name <> NEW.name AND EXISTS (SELECT 1 FROM entity_top u WHERE u.name = o.name)
         ON CONFLICT (name, other, other_kind)
         DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
         INSERT INTO entity_totals (name, kind, articles, mentions)
         VALUES (NEW.name, NEW.kind, 1, NEW.mentions)
         ON CONFLICT (name, kind)
         DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
         INSERT INTO entity_days (name, day, articles, mentions)
         SELECT NEW.name, (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400,
                1, NEW.mentions
         FROM articles a WHERE a.seq = NEW.seq AND a.published_ts IS NOT NULL
         ON CONFLICT (name, day)
         DO UPDATE SET articles = articles + 1, mentions = mentions + excluded.mentions;
         INSERT INTO entity_stories (name, story, articles)
         SELECT NEW.name, m.story, 1 FROM story_members m WHERE m.seq = NEW.seq
         ON CONFLICT (name, story) DO UPDATE SET articles = articles + 1;
         INSERT INTO entity_pairs (name, other, other_kind, articles, mentions)
         SELECT NEW.name, o.name, o.kind, count(*), sum(o.mentions)
         FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM entity_top t WHERE t.name = NEW.name)
                 AND (SELECT sum(articles) FROM entity_totals WHERE name = NEW.name) >= 1000
               LIMIT 1) g
              CROSS JOIN entities s CROSS JOIN entities o ON o.seq = s.seq
         WHERE s.name = NEW.name AND (o.name = NEW.name OR EXISTS (SELECT 1 FROM entity_top u WHERE u.name = o.name))
         GROUP BY o.name, o.kind;
         INSERT INTO entity_pairs (name, other, other_kind, articles, mentions)
         SELECT o.name, NEW.name, s.kind, count(*), sum(s.mentions)
         FROM (SELECT 1 WHERE NOT EXISTS (SELECT 1 FROM entity_top t WHERE t.name = NEW.name)
                 AND (SELECT sum(articles) FROM entity_totals WHERE name = NEW.name) >= 1000
               LIMIT 1) g
              CROSS JOIN entities s CROSS JOIN entities o ON o.seq = s.seq
         WHERE s.name = NEW.name AND o.name <> NEW.name AND EXISTS (SELECT 1 FROM entity_top u WHERE u.name = o.name)
         GROUP BY o.name, s.kind;
         INSERT INTO entity_top (name)
         SELECT NEW.name
         WHERE NOT EXISTS (SELECT 1 FROM entity_top t WHERE t.name = NEW.name)
               AND (SELECT sum(articles) FROM entity_totals WHERE name = NEW.name) >= 1000;
     END;
     CREATE TRIGGER summary_entity_out AFTER DELETE ON entities BEGIN
         UPDATE entity_pairs SET articles = articles - 1, mentions = mentions - OLD.mentions
         WHERE name = OLD.name AND other = OLD.name AND other_kind = OLD.kind;
         UPDATE entity_pairs
         SET articles = articles - 1,
             mentions = mentions - (SELECT o.mentions FROM entities o
                                    WHERE o.seq = OLD.seq AND o.name = entity_pairs.other)
         WHERE name = OLD.name AND (other, other_kind) IN (
             SELECT o.name, o.kind FROM entities o
             WHERE o.seq = OLD.seq AND EXISTS (SELECT 1 FROM entity_top u WHERE u.name = o.name));
         UPDATE entity_pairs SET articles = articles - 1, mentions = mentions - OLD.mentions
         WHERE other = OLD.name AND other_kind = OLD.kind
               AND EXISTS (SELECT 1 FROM entity_top t WHERE t.name = OLD.name)
               AND name IN (SELECT o.name FROM entities o
                            WHERE o.seq = OLD.seq AND EXISTS (SELECT 1 FROM entity_top u WHERE u.name = o.name));
         DELETE FROM entity_pairs WHERE name = OLD.name AND articles <= 0;
         DELETE FROM entity_pairs
         WHERE other = OLD.name AND other_kind = OLD.kind AND articles <= 0
               AND name IN (SELECT o.name FROM entities o WHERE o.seq = OLD.seq);
         UPDATE entity_totals SET articles = articles - 1, mentions = mentions - OLD.mentions
         WHERE name = OLD.name AND kind = OLD.kind;
         DELETE FROM entity_totals WHERE name = OLD.name AND kind = OLD.kind AND articles <= 0;
         UPDATE entity_days SET articles = articles - 1, mentions = mentions - OLD.mentions
         WHERE name = OLD.name AND day = (
             SELECT (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400
             FROM articles a WHERE a.seq = OLD.seq);
         DELETE FROM entity_days WHERE name = OLD.name AND articles <= 0 AND day = (
             SELECT (a.published_ts - ((a.published_ts % 86400) + 86400) % 86400) / 86400
             FROM articles a WHERE a.seq = OLD.seq);
         UPDATE entity_stories SET articles = articles - 1
         WHERE name = OLD.name AND story = (SELECT story FROM story_members WHERE seq = OLD.seq);
         DELETE FROM entity_stories WHERE name = OLD.name AND articles <= 0
             AND story = (SELECT story FROM story_members WHERE seq = OLD.seq);
         DELETE FROM entity_pairs
         WHERE (name, other, other_kind) IN (
             SELECT p.name, p.other, p.other_kind
             FROM (SELECT 1 WHERE EXISTS (SELECT 1 FROM entity_top t WHERE t.name = OLD.name)
                     AND coalesce((SELECT sum(articles) FROM entity_totals
                                   WHERE name = OLD.name), 0) < 1000
                   LIMIT 1) g
                  CROSS JOIN entity_pairs p
             WHERE p.name = OLD.name OR p.other = OLD.name);
         DELETE FROM entity_top
         WHERE name = OLD.name
               AND EXISTS (SELECT 1 FROM entity_top t WHERE t.name = OLD.name)
               AND coalesce((SELECT sum(articles) FROM entity_totals WHERE name = OLD.name), 0)
                   < 1000;
     END;",
    // 8 -> 9 (issue 13): the summaries are kept per batch by the write paths
    // (`summaries.rs`), no longer per row, but for a member of a story moved or deleted:
    // the other triggers go, the tables and what they hold stay. Every format-8 store has
    // the four triggers; the drops (and step 7 -> 8's) say `IF EXISTS` for a test that
    // makes a format-7 store out of a format-9 one by dropping the pairs' tables
    // (`explore.rs`).
    "DROP TRIGGER IF EXISTS summary_article;
     DROP TRIGGER IF EXISTS summary_entity_in;
     DROP TRIGGER IF EXISTS summary_entity_out;
     DROP TRIGGER IF EXISTS summary_member_in;",
    // 9 -> 10 (issue 17): each story's language, that of its labelling article (a story's
    // members are all of one language: clustering takes the languages apart) by
    // `lede_core::story_language`'s rule: the primary subtag, lower-cased, when it is two
    // or three ASCII letters, else 'und'. A story without a label has no member: 'und'.
    // Indexed with the last date: clustering reads a language's stories in a span of
    // dates, which an index of the language alone made a scan of all that language's
    // stories (SQLite, without statistics, prefers the equality).
    "ALTER TABLE stories ADD COLUMN language TEXT NOT NULL DEFAULT 'und';
     UPDATE stories SET language = coalesce((
         SELECT CASE WHEN p GLOB '[A-Za-z][A-Za-z]' OR p GLOB '[A-Za-z][A-Za-z][A-Za-z]'
                     THEN lower(p) ELSE 'und' END
         FROM (SELECT CASE WHEN instr(t, '-') > 0 THEN substr(t, 1, instr(t, '-') - 1)
                           ELSE t END AS p
               FROM (SELECT replace(trim(a.language, ' ' || char(9, 10, 11, 12, 13)), '_', '-')
                            AS t
                     FROM articles a WHERE a.seq = stories.label_seq))), 'und');
     CREATE INDEX stories_language ON stories(language, last_ts);",
];

/// Creates the tables of the current version in an empty database: version 1, then every
/// migration.
pub(crate) fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(CREATE_V1)?;
    for step in MIGRATIONS {
        conn.execute_batch(step)?;
    }
    conn.execute(
        "INSERT INTO lede_meta (key, value) VALUES ('format', ?1)",
        [FORMAT_VERSION.to_string()],
    )?;
    conn.execute(
        "INSERT INTO lede_meta (key, value) VALUES ('created_by', ?1)",
        [concat!("lede ", env!("CARGO_PKG_VERSION"))],
    )?;
    Ok(())
}

/// Creates the tables of an old `version` (tests of migrations).
#[cfg(test)]
pub(crate) fn create_old(conn: &Connection, version: u32) -> rusqlite::Result<()> {
    conn.execute_batch(CREATE_V1)?;
    for step in &MIGRATIONS[..version as usize - 1] {
        conn.execute_batch(step)?;
    }
    conn.execute(
        "INSERT INTO lede_meta (key, value) VALUES ('format', ?1)",
        [version.to_string()],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    // A store on disk may be of any format a lede has written. Each test builds a store of
    // one format as that format left it (its tables, and rows written as SQL rather than
    // through today's writer, whose code moves on), then opens it with today's code: read as
    // it is, migrated by a writer, read back, and opened again without change. Format 2
    // has its own test, beside the annotations it is backfilled with (`annotations.rs`).

    use super::*;
    use crate::annotations::{EntityCount, EntityFilter, QuoteFilter};
    use crate::store::{DB_FILE, Store, StoreWriter};
    use crate::stories::{StoryFilter, StoryQuoteRow};
    use lede_core::{
        Annotations, Article, ArticleId, ArticleSeq, Entity, EntityKind, Mention, Published, Quote,
        Sentence, StoryId, Timestamp,
    };
    use rusqlite::params;
    use std::path::Path;

    /// The tables and indexes of a store of format `version`, by name: a migration step,
    /// once released, is what stores on disk have, so what each step made never changes.
    fn objects(version: u32) -> Vec<&'static str> {
        let steps: [&[&str]; 10] = [
            &[
                "lede_meta",
                "articles",
                "articles_source_id",
                "articles_published_ts",
                "aliases",
                "fetch_state",
            ],
            &["sketches", "aliases_id"],
            &["annotations", "entities", "entities_name", "quotes", "quotes_speaker"],
            &[
                "story_features",
                "stories",
                "stories_last_ts",
                "story_members",
                "story_members_story",
                "story_aliases",
                "cluster_state",
            ],
            &["articles_outlet", "articles_language", "annotations_seq"],
            &["archive_files", "feeds"],
            &[
                "day_articles",
                "story_dates",
                "entity_totals",
                "entity_days",
                "entity_stories",
                "summary_article",
                "summary_entity_in",
                "summary_entity_out",
                "summary_member_in",
                "summary_member_move",
                "summary_member_out",
            ],
            &["entity_top", "entity_pairs"],
            &[],
            &["stories_language"],
        ];
        // What a step dropped, by the format it made.
        let dropped: [(u32, &[&str]); 1] = [(
            9,
            &["summary_article", "summary_entity_in", "summary_entity_out", "summary_member_in"],
        )];
        assert!(
            version as usize <= steps.len(),
            "format {version}: list the tables and indexes its migration step makes"
        );
        let mut names = steps[..version as usize].concat();
        for (_, gone) in dropped.iter().filter(|(made, _)| *made <= version) {
            names.retain(|name| !gone.contains(name));
        }
        names.sort_unstable();
        names
    }

    /// The tables and indexes in a store's database (SQLite's own left out): name and the
    /// statement that created it, by name.
    fn objects_in(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn
            .prepare(
                "SELECT name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).and_then(|rows| rows.collect()).unwrap()
    }

    fn names(objects: &[(String, String)]) -> Vec<&str> {
        objects.iter().map(|(name, _)| name.as_str()).collect()
    }

    /// `lede_meta`, by key.
    fn meta(conn: &Connection) -> Vec<(String, String)> {
        let mut stmt = conn.prepare("SELECT key, value FROM lede_meta ORDER BY key").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).and_then(|rows| rows.collect()).unwrap()
    }

    /// SQLite's schema cookie: it changes with every change to a table or index.
    fn schema_version(conn: &Connection) -> i64 {
        conn.query_row("PRAGMA schema_version", [], |r| r.get(0)).unwrap()
    }

    /// The two articles of every old store, with their JSON as the CLI contract had it
    /// (fields added since, such as `kind`, left out: they read back as their defaults).
    fn articles() -> [(Article, &'static str); 2] {
        let published = |date: &str| {
            Some(Published { raw: date.into(), at: Timestamp::parse_iso(date).unwrap() })
        };
        let one = Article {
            title: Some("Tillerson in Moscow".into()),
            published: published("2017-04-12"),
            outlet: Some("Daily Example".into()),
            url: Some("https://a.example/1".into()),
            language: Some("en".into()),
            paragraphs: vec![
                "Rex Tillerson met NATO.".into(),
                "\"Trust is low,\" Tillerson said.".into(),
            ],
            ..Article::default()
        };
        let two = Article {
            title: Some("NATO again".into()),
            published: published("2017-04-13"),
            outlet: Some("Other Example".into()),
            url: Some("https://b.example/2".into()),
            language: Some("fr".into()),
            paragraphs: vec!["NATO met again.".into()],
            ..Article::default()
        };
        [
            (
                one,
                r#"{"title":"Tillerson in Moscow","authors":[],"published":"2017-04-12","published_raw":"2017-04-12","outlet":"Daily Example","url":"https://a.example/1","language":"en","paragraphs":["Rex Tillerson met NATO.","\"Trust is low,\" Tillerson said."]}"#,
            ),
            (
                two,
                r#"{"title":"NATO again","authors":[],"published":"2017-04-13","published_raw":"2017-04-13","outlet":"Other Example","url":"https://b.example/2","language":"fr","paragraphs":["NATO met again."]}"#,
            ),
        ]
    }

    /// What the text of each article says: as it reads back, and as format 3 stores it
    /// (the compact form of `codec`, version 1: spans without their texts).
    fn annotations() -> [(Annotations, &'static str); 2] {
        let mention = |paragraph, start, end, text: &str| Mention {
            paragraph,
            start,
            end,
            text: text.into(),
        };
        let one = Annotations {
            sentences: vec![
                Sentence { paragraph: 0, start: 0, end: 23 },
                Sentence { paragraph: 1, start: 0, end: 31 },
            ],
            entities: vec![
                Entity {
                    name: "Rex Tillerson".into(),
                    kind: EntityKind::Person,
                    mentions: vec![
                        mention(0, 0, 13, "Rex Tillerson"),
                        mention(1, 16, 25, "Tillerson"),
                    ],
                },
                Entity {
                    name: "NATO".into(),
                    kind: EntityKind::Organization,
                    mentions: vec![mention(0, 18, 22, "NATO")],
                },
            ],
            quotes: vec![Quote {
                text: "Trust is low,".into(),
                speaker: Some("Rex Tillerson".into()),
                cue: Some("said".into()),
                paragraph: 1,
                start: 1,
                end: 14,
                direct: true,
            }],
        };
        let two = Annotations {
            sentences: vec![Sentence { paragraph: 0, start: 0, end: 15 }],
            entities: vec![Entity {
                name: "NATO".into(),
                kind: EntityKind::Organization,
                mentions: vec![mention(0, 0, 4, "NATO")],
            }],
            quotes: vec![],
        };
        [
            (
                one,
                r#"{"v":1,"s":[0,0,23,1,0,31],"e":[["Rex Tillerson","person",[[0,0,13],[1,16,25]]],["NATO","organization",[[0,18,22]]]],"q":[[1,1,14,"Rex Tillerson","said",1]]}"#,
            ),
            (two, r#"{"v":1,"s":[0,0,15],"e":[["NATO","organization",[[0,0,4]]]],"q":[]}"#),
        ]
    }

    /// Writes a store of format `version` into `dir`: two articles and what that format
    /// kept beside them, one of them read again under another address.
    fn old_store(dir: &Path, version: u32) {
        let conn = Connection::open(dir.join(DB_FILE)).unwrap();
        create_old(&conn, version).unwrap();
        assert_eq!(names(&objects_in(&conn)), objects(version), "format {version} as released");
        let [(one, one_json), (two, two_json)] = articles();
        let (one, two) = (ArticleId::of(&one).to_string(), ArticleId::of(&two).to_string());
        // Every article has what its format keeps beside it, so the ingest that stored them
        // removed the backfill keys that creating the store (every step up to it) left.
        conn.execute_batch(
            "DELETE FROM lede_meta WHERE value = 'backfill';
             INSERT INTO lede_meta (key, value) VALUES ('created_by', 'lede 0.1.0');",
        )
        .unwrap();
        let insert = "INSERT INTO articles (seq, id, source_id, url, outlet, title, published,
                          published_ts, language, origin, article, extra)
                      VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)";
        conn.execute(
            insert,
            params![
                1,
                one,
                "rec-1",
                "https://a.example/1",
                "Daily Example",
                "Tillerson in Moscow",
                "2017-04-12",
                1_491_955_200,
                "en",
                "old.jsonl:1",
                one_json,
                r#"{"topic":"x"}"#
            ],
        )
        .unwrap();
        conn.execute(
            insert,
            params![
                2,
                two,
                None::<&str>,
                "https://b.example/2",
                "Other Example",
                "NATO again",
                "2017-04-13",
                1_492_041_600,
                "fr",
                "old.jsonl:2",
                two_json,
                None::<&str>
            ],
        )
        .unwrap();
        let mut alias =
            conn.prepare("INSERT INTO aliases (kind, key, id) VALUES (?1, ?2, ?3)").unwrap();
        for (kind, key, id) in [
            ("url", "https://a.example/1", &one),
            ("source_id", "rec-1", &one),
            ("url", "https://mirror.example/1", &one),
            ("url", "https://b.example/2", &two),
        ] {
            alias.execute(params![kind, key, id]).unwrap();
        }
        conn.execute(
            "INSERT INTO fetch_state (url, etag, last_modified) VALUES (?1, ?2, ?3)",
            params!["https://feeds.example/rss", "\"e1\"", "Tue, 19 Nov 2019 10:00:00 GMT"],
        )
        .unwrap();
        if version >= 2 {
            conn.execute_batch(
                "INSERT INTO sketches (seq, sketch) VALUES (1, x'01020304'), (2, x'05060708')",
            )
            .unwrap();
        }
        if version >= 3 {
            let [(_, one_json), (_, two_json)] = annotations();
            conn.execute(
                "INSERT INTO annotations (seq, json) VALUES (1, ?1), (2, ?2)",
                params![one_json, two_json],
            )
            .unwrap();
            conn.execute_batch(
                "INSERT INTO entities (seq, name, kind, mentions) VALUES
                     (1, 'Rex Tillerson', 'person', 2), (1, 'NATO', 'organization', 1),
                     (2, 'NATO', 'organization', 1);
                 INSERT INTO quotes (seq, n, speaker, text, cue, direct, paragraph, start, \"end\")
                     VALUES (1, 0, 'Rex Tillerson', 'Trust is low,', 'said', 1, 1, 1, 14);",
            )
            .unwrap();
        }
        if version >= 4 {
            // One story of both articles, which absorbed a story 2 (an alias now).
            // Format 10 keeps the story's language; before, it is its label's ("en").
            let (column, value) = if version >= 10 { (", language", ", 'en'") } else { ("", "") };
            conn.execute_batch(&format!(
                "INSERT INTO story_features (seq, features) VALUES (1, x'0a0b'), (2, x'0c0d');
                 INSERT INTO stories (id, label_seq, first_ts, last_ts, size, state{column})
                     VALUES (1, 1, 1491955200, 1492041600, 2, x'5354'{value});
                 INSERT INTO story_members (seq, story, score) VALUES (1, 1, 0.75), (2, 1, 0.5);
                 INSERT INTO story_aliases (old, id) VALUES (2, 1);
                 INSERT INTO cluster_state (key, value) VALUES ('doc_freq', x'4446');",
            ))
            .unwrap();
        }
        if version >= 6 {
            conn.execute_batch(
                "INSERT INTO archive_files (name, done, next_offset, records, updated_ts)
                     VALUES ('set/a.warc.gz', 1, 4096, 2, 1733300000);
                 INSERT INTO feeds (url, title, added_ts, last_poll_ts, next_poll_ts, interval_s,
                     failures, last_status, last_error, items_seen, items_added, last_new_ts)
                     VALUES ('https://a.example/feed.xml', 'A', 1733300000, 1733300100,
                     1733301000, 900, 0, 'new', NULL, 20, 2, 1733300100);",
            )
            .unwrap();
        }
    }

    /// Checks that `store` reads back what `old_store` wrote as format `written`.
    fn reads_back(store: &Store, written: u32) {
        let [(one, _), (two, _)] = articles();
        let (one_id, two_id) = (ArticleId::of(&one), ArticleId::of(&two));
        let found = store.find("rec-1").unwrap().expect("found by its record id");
        assert_eq!((found.seq.0, found.id, found.origin.as_str()), (1, one_id, "old.jsonl:1"));
        assert_eq!(found.article, one);
        assert_eq!(found.extra, Some(serde_json::json!({"topic": "x"})));
        assert_eq!(store.find("https://mirror.example/1").unwrap().map(|a| a.seq.0), Some(1));
        let by_prefix = store.find(&two_id.to_string()[..10]).unwrap().expect("found by a prefix");
        assert_eq!((by_prefix.seq.0, by_prefix.source_id, by_prefix.extra), (2, None, None));
        assert_eq!(by_prefix.article, two);
        let seqs: Vec<u64> = store
            .by_seqs(&[ArticleSeq(2), ArticleSeq(1)])
            .unwrap()
            .iter()
            .map(|a| a.seq.0)
            .collect();
        assert_eq!(seqs, [2, 1]);
        assert_eq!(store.record_ids(&one_id).unwrap(), ["rec-1"]);
        assert_eq!(store.exact_copies().unwrap(), [ArticleSeq(1)]);
        assert_eq!(store.last_seq().unwrap(), ArticleSeq(2));
        assert_eq!(
            store.fetch_state("https://feeds.example/rss").unwrap(),
            lede_core::Validators {
                etag: Some("\"e1\"".into()),
                last_modified: Some("Tue, 19 Nov 2019 10:00:00 GMT".into())
            }
        );

        let mut sketches = Vec::new();
        store.sketches(|s| sketches.push((s.seq.0, s.published_ts, s.bytes.to_vec()))).unwrap();
        assert_eq!(
            sketches,
            [
                (1, Some(1_491_955_200), vec![1, 2, 3, 4]),
                (2, Some(1_492_041_600), vec![5, 6, 7, 8])
            ]
        );
        assert!(store.unsketched().unwrap().is_empty());

        let [(one_annotations, _), (two_annotations, _)] = annotations();
        assert_eq!(store.annotations(ArticleSeq(1)).unwrap().as_ref(), Some(&one_annotations));
        assert_eq!(store.annotations(ArticleSeq(2)).unwrap(), Some(two_annotations));
        assert!(store.unannotated().unwrap().is_empty());
        assert!(!store.annotations_pending().unwrap());
        assert_eq!(store.entity_names(ArticleSeq(1)).unwrap(), ["NATO", "Rex Tillerson"]);
        assert_eq!(store.seqs_with_entity("nato").unwrap(), [ArticleSeq(1), ArticleSeq(2)]);
        assert_eq!(
            store.entities(&EntityFilter::default()).unwrap(),
            [
                EntityCount {
                    name: "NATO".into(),
                    kind: EntityKind::Organization,
                    articles: 2,
                    mentions: 2
                },
                EntityCount {
                    name: "Rex Tillerson".into(),
                    kind: EntityKind::Person,
                    articles: 1,
                    mentions: 2
                },
            ]
        );
        let quotes = store.quotes(&QuoteFilter { speaker: Some("tillerson"), limit: 10 }).unwrap();
        assert_eq!(quotes.len(), 1);
        assert_eq!(quotes[0].quote, one_annotations.quotes[0]);
        assert_eq!((quotes[0].seq.0, quotes[0].article_id), (1, one_id));
        assert_eq!(quotes[0].published.as_deref(), Some("2017-04-12"));

        let stats = store.stats().unwrap();
        assert_eq!(
            (stats.articles, stats.outlets, stats.aliases),
            (2, 2, 4),
            "articles, outlets, aliases"
        );
        assert_eq!((stats.annotated, stats.entities, stats.quotes), (2, 2, 1));
        assert_eq!(stats.languages, [("en".to_owned(), 1), ("fr".to_owned(), 1)]);
        assert_eq!(stats.first_published.as_deref(), Some("2017-04-12"));
        assert_eq!(stats.last_published.as_deref(), Some("2017-04-13"));
        assert_eq!(stats.format, store.format().unwrap());

        if written < 4 {
            // No stories yet, and every article waits for its story features.
            assert_eq!(stats.stories, 0);
            assert!(store.stories(&StoryFilter::default()).unwrap().is_empty());
            assert_eq!(store.clustered_through().unwrap(), ArticleSeq(0));
            assert_eq!(store.unfeatured().unwrap(), [ArticleSeq(1), ArticleSeq(2)]);
            return;
        }
        assert_eq!(stats.stories, 1);
        assert!(store.unfeatured().unwrap().is_empty());
        assert_eq!(store.clustered_through().unwrap(), ArticleSeq(2));
        let stories = store.stories(&StoryFilter::default()).unwrap();
        assert_eq!(stories.len(), 1);
        assert_eq!((stories[0].id, stories[0].label_seq.map(|s| s.0)), (StoryId(1), Some(1)));
        let members: Vec<(u64, f32)> =
            stories[0].articles.iter().map(|a| (a.seq().0, a.score)).collect();
        assert_eq!(members, [(1, 0.75), (2, 0.5)]);
        assert_eq!(stories[0].span(), (Some("2017-04-12"), Some("2017-04-13")));
        let row = store.story_row(StoryId(2)).unwrap().expect("story 2 is story 1 now");
        assert_eq!(
            (row.id, row.size, row.first_ts, row.state, row.language.as_str()),
            (StoryId(1), 2, Some(1_491_955_200), b"ST".to_vec(), "en")
        );
        assert_eq!(store.story_of(ArticleSeq(2)).unwrap(), Some(StoryId(1)));
        assert_eq!(store.next_story_id().unwrap(), StoryId(3), "after story 1 and the alias 2");
        // Written before stories were per language: each language starts from the
        // store-wide frequencies, and so does a story's page.
        assert_eq!(store.doc_freq("en").unwrap(), Some(b"DF".to_vec()));
        assert_eq!(store.story_doc_freq(StoryId(1)).unwrap(), Some(b"DF".to_vec()));
        assert!(store.story_languages().unwrap().is_empty(), "no language clustered apart yet");
        let mut features: Vec<(u64, Option<Vec<u8>>)> = store
            .member_features(&[StoryId(1)])
            .unwrap()
            .into_iter()
            .map(|m| (m.seq.0, m.features))
            .collect();
        features.sort();
        assert_eq!(features, [(1, Some(vec![0x0a, 0x0b])), (2, Some(vec![0x0c, 0x0d]))]);
        let archives = store.archive_progress().unwrap();
        let feeds = store.feeds().unwrap();
        assert_eq!(feeds.len(), usize::from(written >= 6));
        if written >= 6 {
            assert_eq!(
                (feeds[0].url.as_str(), feeds[0].items_added),
                ("https://a.example/feed.xml", 2)
            );
            let a = &archives["set/a.warc.gz"];
            assert_eq!((a.done, a.next_offset, a.records), (true, 4096, 2));
        } else {
            assert!(archives.is_empty(), "a store from before archive sets has no progress");
        }
        assert_eq!(
            store.story_quotes(StoryId(1), 10).unwrap(),
            [StoryQuoteRow {
                text: "Trust is low,".into(),
                speaker: "Rex Tillerson".into(),
                article_id: one_id.to_string(),
                articles: 1,
                outlets: 1,
            }]
        );
    }

    /// Builds a store of format `version`, then opens it with today's code: read as it is,
    /// migrated by a writer, read back, and opened again without change.
    fn opens_migrates_and_reads_back(version: u32) {
        let dir = tempfile::tempdir().unwrap();
        old_store(dir.path(), version);

        let old = Store::open(dir.path()).unwrap();
        assert_eq!(old.format().unwrap(), version);
        reads_back(&old, version);
        let cookie = schema_version(&old.conn);
        drop(old);

        let w = StoreWriter::open(dir.path()).unwrap();
        let conn = &w.reader().conn;
        assert_eq!(w.reader().format().unwrap(), FORMAT_VERSION);
        let new_dir = tempfile::tempdir().unwrap();
        let new = StoreWriter::open(new_dir.path()).unwrap();
        assert_eq!(objects_in(conn), objects_in(&new.reader().conn), "as a new store");
        assert_eq!(names(&objects_in(conn)), objects(FORMAT_VERSION));
        let mut expected_meta = vec![
            ("created_by".to_owned(), "lede 0.1.0".to_owned()),
            ("format".to_owned(), FORMAT_VERSION.to_string()),
        ];
        if version < 4 {
            // Format 4's step: the stored articles wait for their story features.
            expected_meta.push(("story_features".to_owned(), "backfill".to_owned()));
        }
        assert_eq!(meta(conn), expected_meta);
        if version == FORMAT_VERSION {
            assert_eq!(schema_version(conn), cookie, "today's format is not migrated");
        } else {
            assert_ne!(schema_version(conn), cookie, "migrated");
        }
        reads_back(w.reader(), version);
        let migrated = (schema_version(conn), meta(conn));
        drop(w);

        // Opened again: nothing is left to migrate, and nothing changes.
        let w = StoreWriter::open(dir.path()).unwrap();
        assert_eq!((schema_version(&w.reader().conn), meta(&w.reader().conn)), migrated);
        reads_back(w.reader(), version);
        drop(w);
        reads_back(&Store::open(dir.path()).unwrap(), version);
    }

    #[test]
    fn a_store_of_format_3_is_migrated_and_reads_back() {
        opens_migrates_and_reads_back(3);
    }

    #[test]
    fn a_store_of_format_4_is_migrated_and_reads_back() {
        opens_migrates_and_reads_back(4);
    }

    #[test]
    fn a_store_of_format_5_is_migrated_and_reads_back() {
        opens_migrates_and_reads_back(5);
    }

    #[test]
    fn a_store_of_format_6_is_migrated_and_reads_back() {
        opens_migrates_and_reads_back(6);
    }

    #[test]
    fn a_store_of_format_7_is_migrated_and_reads_back() {
        opens_migrates_and_reads_back(7);
    }

    #[test]
    fn a_store_of_format_8_is_migrated_and_reads_back() {
        opens_migrates_and_reads_back(8);
    }

    #[test]
    fn a_store_of_format_9_is_migrated_and_reads_back() {
        opens_migrates_and_reads_back(9);
    }

    #[test]
    fn a_store_of_format_10_is_opened_and_reads_back() {
        opens_migrates_and_reads_back(10);
    }

    /// Format 10's step tells each story's language by `lede_core::story_language`'s rule,
    /// written in SQL: the two must agree on what articles declare, well formed or not.
    #[test]
    fn issue_17_the_migration_tells_a_story_s_language_as_clustering_does() {
        let declared: [Option<&str>; 12] = [
            Some("en"),
            Some("EN-us"),
            Some("pt_BR"),
            Some(" de "),
            Some("\tfr\n"),
            Some("zh-Hant-TW"),
            Some("English"),
            Some("e"),
            Some("x1"),
            Some(""),
            Some("-en"),
            None,
        ];
        let conn = Connection::open_in_memory().unwrap();
        create_old(&conn, 9).unwrap();
        for (i, language) in declared.iter().enumerate() {
            let seq = i as i64 + 1;
            conn.execute(
                "INSERT INTO articles (seq, id, language, origin, article)
                 VALUES (?1, ?2, ?3, 'test', '{}')",
                params![seq, format!("id-{seq}"), language],
            )
            .unwrap();
            conn.execute(
                "INSERT INTO stories (id, label_seq, size, state) VALUES (?1, ?1, 1, x'')",
                [seq],
            )
            .unwrap();
        }
        // A story whose label is gone.
        conn.execute(
            "INSERT INTO stories (id, label_seq, size, state) VALUES (99, NULL, 0, x'')",
            [],
        )
        .unwrap();
        conn.execute_batch(MIGRATIONS[8]).unwrap(); // 9 -> 10
        let told: Vec<String> = conn
            .prepare("SELECT language FROM stories ORDER BY id")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        let mut expected: Vec<String> =
            declared.iter().map(|l| lede_core::story_language(*l)).collect();
        expected.push("und".to_owned());
        assert_eq!(told, expected);
        assert_eq!(&told[..6], ["en", "en", "pt", "de", "fr", "zh"]);
    }
}
