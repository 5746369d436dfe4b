//! A query read as the embedded index reads it, matched by a `tsquery` and ranked by BM25
//! as tantivy ranks.
//!
//! Reading: tantivy's own query grammar (`tantivy-query-grammar`, the crate tantivy's
//! `QueryParser` uses, leniently), then what lede-search's parser makes of its tree: words
//! are ANDed, a word or phrase without a field looks in the title (boost 2) or the body,
//! `title:`, `body:`, `outlet:`, `author:`, `entity:` name one, each field reads the text
//! with its own tokenizer (the body's pairs of common words, see `terms`; an entity's
//! whole name as one term), a query of exclusions only gets every article to exclude
//! from; [`Query::search`] adds a `SearchQuery`'s filters as MUST clauses, as lede-search
//! does. What tantivy would report and leave out (an unknown field, a syntax error) is a
//! warning here too; so is what only the embedded index can do yet (ranges in the text,
//! sets, the `seq:`/`id:`/`language:` fields: left out; sloppy and prefix phrases: read
//! as exact).
//!
//! Matching: the tree becomes one `tsquery` over the `terms` column, with the boolean
//! meaning of tantivy's `BooleanQuery` (a clause with a MUST ignores its SHOULDs for
//! matching; one with neither matches nothing), and no phrase operator: a phrase asks for
//! its terms (and an exclusion holding a phrase is left out), so that the GIN index alone
//! answers, never rechecking a match against its vector; the ranking, which reads the
//! positions of a phrase's terms anyway, keeps the articles where the phrase is. (With
//! `<->` in the `tsquery`, `"of the"` read the 41,000 vectors it matches twice: 1.1 s.)
//!
//! Ranking: tantivy's BM25 (k1 1.2, b 0.75, idf `ln(1 + (N - n + 0.5) / (n + 0.5))`, a
//! phrase's idf the sum of its terms', field lengths rounded as tantivy stores them in one
//! byte, average lengths per field over the whole collection), a clause's score the sum of
//! its matching parts', boosts multiplied in, in `f32` as tantivy computes.

use super::terms::{self, quoted};
use tantivy_query_grammar::{Occur, UserInputAst, UserInputLeaf, UserInputLiteral};

/// BM25's term-frequency saturation, as tantivy sets it.
const K1: f32 = 1.2;
/// BM25's length normalisation, as tantivy sets it.
const B: f32 = 0.75;
/// lede-search weighs a title match double (`QueryParser::set_field_boost`).
const TITLE_BOOST: f32 = 2.0;
/// The fields of lede-search's schema that cluster mode cannot search yet.
const ELSEWHERE: &[&str] = &["seq", "id", "language", "published"];

/// A field of the index: lede-search's text fields, in the order of the lengths in
/// [`Doc`] and [`Stats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Title,
    Body,
    Outlet,
    Author,
    /// Each entity's canonical name, one term (lede-search indexes it without counts).
    Entity,
    /// The outlet's whole name, one term (the outlet filter's; without counts).
    OutletKey,
    /// The body's stems, for an article in a language with a stemmer (never named in a
    /// query: plain words are also looked for there, see [`Query::search`]).
    Stem,
}

/// How many fields.
pub(crate) const FIELDS: usize = 7;

impl Field {
    /// Whether the embedded index keeps no term counts for the field
    /// (`IndexRecordOption::Basic`): a match counts once.
    fn basic(self) -> bool {
        matches!(self, Field::Entity | Field::OutletKey)
    }

    /// The field's terms of `text`, with their positions, as lede-search's parser reads
    /// them: its tokenizer, then the field's lexeme prefix.
    fn tokens(self, text: &str) -> Vec<(usize, String)> {
        match self {
            Field::Title => terms::field_query(terms::TITLE, text),
            Field::Body => terms::body_query(text),
            Field::Outlet => terms::field_query(terms::OUTLET, text),
            Field::Author => terms::field_query(terms::AUTHOR, text),
            // Tantivy's raw tokenizer: the whole text, one term (lower-cased for entities).
            Field::Entity => vec![(0, format!("{}{}", terms::ENTITY, text.to_lowercase()))],
            Field::OutletKey => vec![(0, format!("{}{text}", terms::OUTLET_KEY))],
            Field::Stem => lede_search::stems::of_query_word(text)
                .into_iter()
                .map(|stem| (0, format!("{}{stem}", terms::STEM)))
                .collect(),
        }
    }
}

/// A read query: its tree, over the lexemes it names.
#[derive(Debug)]
pub(crate) struct Query {
    /// `None`: it matches nothing.
    root: Option<Node>,
    /// Each lexeme the query names, once; the tree refers to them by index.
    pub(crate) lexemes: Vec<String>,
    /// Whether a phrase reads the lexeme's positions (else its count is all it needs).
    pub(crate) positional: Vec<bool>,
    /// Whether a lexeme can add to a score (else it is only ever excluded, and its document
    /// frequency is not needed).
    pub(crate) scored: Vec<bool>,
    /// What was left out of the query, and why.
    pub(crate) warnings: Vec<String>,
    /// The publication times it keeps (seconds, from included, to excluded), checked in
    /// SQL: `None`, any (undated too).
    pub(crate) published: Option<(Option<i64>, Option<i64>)>,
}

#[derive(Debug)]
enum Node {
    Term {
        field: Field,
        lexeme: usize,
    },
    /// Lexemes with their positions in the query (at least two).
    Phrase {
        field: Field,
        terms: Vec<(usize, usize)>,
    },
    All,
    /// A time range: its articles are kept in SQL, and it scores 1 as tantivy's range
    /// query does.
    Range,
    Clause(Vec<(Occur, Node)>),
    Boost(Box<Node>, f32),
}

/// Which articles a query matches, for SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Match {
    Nothing,
    All,
    /// Those whose `terms` match this `tsquery`.
    Where(String),
}

impl Query {
    fn empty() -> Query {
        Query {
            root: None,
            lexemes: Vec::new(),
            positional: Vec::new(),
            scored: Vec::new(),
            warnings: Vec::new(),
            published: None,
        }
    }

    /// `search` as lede-search reads it: its text, then its filters, each a MUST clause
    /// beside the text's as there (so that they add to a score as they do there: a time
    /// range 1, the outlet's and the entity's terms their BM25). When `stemmed` (some
    /// article has stems), a text of plain words also matches by stems, as there: the
    /// text's query OR each word in one of its stems in any language.
    pub(crate) fn search(search: &lede_search::SearchQuery, stemmed: bool) -> Query {
        let mut q = Query::parse(&search.text);
        let Some(mut text) = q.root.take() else {
            return q;
        };
        if stemmed && let Some(stems) = q.stems(&search.text) {
            text = Node::Clause(vec![(Occur::Should, text), (Occur::Should, stems)]);
        }
        let mut clauses = vec![(Occur::Must, text)];
        if search.from.is_some() || search.to.is_some() {
            q.published = Some((search.from, search.to));
            clauses.push((Occur::Must, Node::Range));
        }
        if let Some(outlet) = &search.outlet {
            let lexeme = format!("{}{}", terms::OUTLET_KEY, terms::outlet_key(outlet));
            let lexeme = q.lexeme(lexeme, false, false);
            clauses.push((Occur::Must, Node::Term { field: Field::OutletKey, lexeme }));
        }
        if let Some(entity) = &search.entity {
            let lexeme = format!("{}{}", terms::ENTITY, terms::entity_key(entity));
            let lexeme = q.lexeme(lexeme, false, false);
            clauses.push((Occur::Must, Node::Term { field: Field::Entity, lexeme }));
        }
        q.root = Some(if clauses.len() == 1 {
            clauses.pop().expect("one clause").1
        } else {
            Node::Clause(clauses)
        });
        q
    }

    /// lede-search's query of `text`'s plain words against the stems: each word (MUST) in
    /// one of its stems (SHOULD); a word with no stem (a stop word in every language) asks
    /// nothing. `None` for a text that is not plain words, or whose words have no stem.
    fn stems(&mut self, text: &str) -> Option<Node> {
        let words = lede_search::stems::plain_words(text)?;
        let mut each = Vec::new();
        for word in words {
            let alternatives: Vec<(Occur, Node)> = Field::Stem
                .tokens(&word)
                .into_iter()
                .map(|(_, stem)| {
                    let lexeme = self.lexeme(stem, false, false);
                    (Occur::Should, Node::Term { field: Field::Stem, lexeme })
                })
                .collect();
            if !alternatives.is_empty() {
                each.push((Occur::Must, Node::Clause(alternatives)));
            }
        }
        (!each.is_empty()).then_some(Node::Clause(each))
    }

    /// Reads `text` as lede-search reads it; never fails (what cannot be read is left out,
    /// with a warning).
    pub(crate) fn parse(text: &str) -> Query {
        let mut q = Query::empty();
        let text = text.trim();
        if text.is_empty() {
            // lede-search: an empty query is every article.
            q.root = Some(Node::All);
            return q;
        }
        let (ast, errors) = tantivy_query_grammar::parse_query_lenient(text);
        q.warnings.extend(errors.iter().map(|e| format!("{} at position {}", e.message, e.pos)));
        let mut root = q.node(ast, false);
        let empty = matches!(&root, Node::Clause(c) if c.is_empty());
        if !empty && all_negative(&root) {
            q.warnings.push("only exclusions: excluded from every article".into());
            make_non_negative(&mut root);
        }
        q.root = trim(root);
        q
    }

    /// Any of `words` in the body, each a term of its own: lede-search's `similar_to` query
    /// (a `BooleanQuery` of SHOULD term queries over the body; a score is the sum of the
    /// words' scores).
    pub(crate) fn any_in_body(words: Vec<String>) -> Query {
        let mut q = Query::empty();
        let clauses: Vec<(Occur, Node)> = words
            .into_iter()
            .map(|w| {
                (
                    Occur::Should,
                    Node::Term { field: Field::Body, lexeme: q.lexeme(w, false, false) },
                )
            })
            .collect();
        q.root = (!clauses.is_empty()).then_some(Node::Clause(clauses));
        q
    }

    /// Whether any article's score depends on its terms (else every match scores the same).
    pub(crate) fn ranks(&self) -> bool {
        !self.lexemes.is_empty()
    }

    /// For each lexeme, whether every article holding it matches the query (it is a term
    /// reached from the root through alternatives only: `a OR b`, a word's title-or-body):
    /// then its document frequency is how many of the matches hold it, and needs no count
    /// of its own.
    pub(crate) fn implied(&self) -> Vec<bool> {
        fn walk(node: &Node, out: &mut [bool]) {
            match node {
                Node::Term { lexeme, .. } => out[*lexeme] = true,
                Node::Boost(sub, _) => walk(sub, out),
                Node::Clause(clauses) if clauses.iter().all(|(o, _)| *o == Occur::Should) => {
                    for (_, sub) in clauses {
                        walk(sub, out);
                    }
                }
                Node::Phrase { .. } | Node::All | Node::Range | Node::Clause(_) => {}
            }
        }
        let mut out = vec![false; self.lexemes.len()];
        if let Some(root) = &self.root {
            walk(root, &mut out);
        }
        out
    }

    fn lexeme(&mut self, lexeme: String, positional: bool, negated: bool) -> usize {
        let i = match self.lexemes.iter().position(|l| *l == lexeme) {
            Some(i) => i,
            None => {
                self.lexemes.push(lexeme);
                self.positional.push(false);
                self.scored.push(false);
                self.lexemes.len() - 1
            }
        };
        self.positional[i] |= positional;
        self.scored[i] |= !negated;
        i
    }

    /// tantivy's `compute_logical_ast_with_occur_lenient`, with lede-search's conjunction
    /// by default.
    fn node(&mut self, ast: UserInputAst, negated: bool) -> Node {
        match ast {
            UserInputAst::Clause(clauses) => Node::Clause(
                clauses
                    .into_iter()
                    .map(|(occur, sub)| {
                        let occur = occur.unwrap_or(Occur::Must);
                        (occur, self.node(sub, negated || occur == Occur::MustNot))
                    })
                    .collect(),
            ),
            UserInputAst::Boost(sub, boost) => boosted(self.node(*sub, negated), boost.0 as f32),
            UserInputAst::Leaf(leaf) => {
                self.leaf(*leaf, negated).unwrap_or_else(|| Node::Clause(Vec::new()))
            }
        }
    }

    fn leaf(&mut self, leaf: UserInputLeaf, negated: bool) -> Option<Node> {
        let literal = match leaf {
            UserInputLeaf::Literal(literal) => literal,
            UserInputLeaf::All => return Some(Node::All),
            UserInputLeaf::Range { .. } => return self.left_out("a range"),
            UserInputLeaf::Set { .. } => return self.left_out("a set of terms"),
            UserInputLeaf::Exists { .. } => return self.left_out("a field's existence"),
            UserInputLeaf::Regex { .. } => return self.left_out("a regular expression"),
        };
        let UserInputLiteral { field_name, phrase, slop, prefix, .. } = literal;
        let fields: &[Field] = match field_name.as_deref() {
            None => &[Field::Title, Field::Body],
            Some("title") => &[Field::Title],
            Some("body") => &[Field::Body],
            Some("outlet") => &[Field::Outlet],
            Some("author") => &[Field::Author],
            Some("entity") => &[Field::Entity],
            Some("outlet_key") => &[Field::OutletKey],
            Some(f) if ELSEWHERE.contains(&f) => {
                return self.left_out(&format!("the field {f}:"));
            }
            Some(f) => {
                self.warnings.push(format!("no field {f}: left out"));
                return None;
            }
        };
        if slop > 0 || prefix {
            self.warnings.push(format!("\"{phrase}\": searched as an exact phrase"));
        }
        let mut parts = Vec::new();
        for &field in fields {
            let tokens = field.tokens(&phrase);
            let node = match tokens.len() {
                0 => continue,
                1 => {
                    let lexeme = tokens.into_iter().next().expect("one token").1;
                    Node::Term { field, lexeme: self.lexeme(lexeme, false, negated) }
                }
                _ => Node::Phrase {
                    field,
                    terms: tokens
                        .into_iter()
                        .map(|(position, l)| (position, self.lexeme(l, true, negated)))
                        .collect(),
                },
            };
            parts.push(if field == Field::Title { boosted(node, TITLE_BOOST) } else { node });
        }
        Some(if parts.len() == 1 {
            parts.pop().expect("one part")
        } else {
            Node::Clause(parts.into_iter().map(|p| (Occur::Should, p)).collect())
        })
    }

    fn left_out(&mut self, what: &str) -> Option<Node> {
        self.warnings.push(format!("{what} is not searchable in cluster mode yet: left out"));
        None
    }

    /// Which articles the query may match: every article it matches, and perhaps some
    /// more (a phrase's words, apart), which [`Ranker::score`] leaves out.
    pub(crate) fn matching(&self) -> Match {
        self.root.as_ref().map_or(Match::Nothing, |n| self.compile(n))
    }

    /// A `tsquery` for at least `node`'s matches.
    fn compile(&self, node: &Node) -> Match {
        match node {
            Node::Term { lexeme, .. } => Match::Where(quoted(&self.lexemes[*lexeme])),
            Node::Phrase { terms, .. } => {
                let words: Vec<String> =
                    terms.iter().map(|(_, l)| quoted(&self.lexemes[*l])).collect();
                Match::Where(format!("({})", words.join(" & ")))
            }
            Node::All | Node::Range => Match::All,
            Node::Boost(sub, _) => self.compile(sub),
            Node::Clause(clauses) => {
                let of = |occur: Occur| clauses.iter().filter(move |(o, _)| *o == occur);
                let must: Vec<Match> = of(Occur::Must).map(|(_, n)| self.compile(n)).collect();
                let positive = if !must.is_empty() {
                    if must.contains(&Match::Nothing) {
                        return Match::Nothing;
                    }
                    join(must, " & ").unwrap_or(Match::All)
                } else {
                    let should: Vec<Match> =
                        of(Occur::Should).map(|(_, n)| self.compile(n)).collect();
                    if should.contains(&Match::All) {
                        Match::All
                    } else {
                        join(should, " | ").unwrap_or(Match::Nothing)
                    }
                };
                if positive == Match::Nothing {
                    return Match::Nothing;
                }
                let mut parts: Vec<String> = Vec::new();
                if let Match::Where(q) = positive {
                    parts.push(q);
                }
                // Only what is excluded exactly can be excluded here (excluding a phrase's
                // words would drop articles that have them apart).
                for (_, excluded) in of(Occur::MustNot) {
                    if has_phrase(excluded) {
                        continue;
                    }
                    match self.compile(excluded) {
                        Match::Nothing => {}
                        Match::All => return Match::Nothing,
                        Match::Where(q) => parts.push(format!("!{q}")),
                    }
                }
                match parts.len() {
                    0 => Match::All,
                    1 => Match::Where(parts.pop().expect("one part")),
                    _ => Match::Where(format!("({})", parts.join(" & "))),
                }
            }
        }
    }

    /// The BM25 ranking of this query over a collection with `stats`.
    pub(crate) fn ranker(&self, stats: &Stats) -> Ranker<'_> {
        let docs = stats.docs.max(1);
        let idf = stats.df.iter().map(|&df| idf(df.min(docs), docs)).collect();
        let cache = |&tokens: &u64| {
            let average = tokens as f32 / docs as f32;
            let mut cache = [0f32; 256];
            for (id, c) in cache.iter_mut().enumerate() {
                *c = K1 * (1.0 - B + B * FIELD_NORMS[id] as f32 / average);
            }
            cache
        };
        Ranker { query: self, idf, caches: stats.tokens.each_ref().map(cache) }
    }
}

/// Joins the `Where`s of `parts` with `op`; `All` parts add nothing (`None` if all are),
/// `Nothing` parts are left out of a disjunction (the caller rules them out of a
/// conjunction first).
fn join(parts: Vec<Match>, op: &str) -> Option<Match> {
    let mut wheres: Vec<String> = parts
        .into_iter()
        .filter_map(|m| if let Match::Where(q) = m { Some(q) } else { None })
        .collect();
    match wheres.len() {
        0 => None,
        1 => wheres.pop().map(Match::Where),
        _ => Some(Match::Where(format!("({})", wheres.join(op)))),
    }
}

/// Whether `node` holds a phrase anywhere.
fn has_phrase(node: &Node) -> bool {
    match node {
        Node::Phrase { .. } => true,
        Node::Term { .. } | Node::All | Node::Range => false,
        Node::Boost(sub, _) => has_phrase(sub),
        Node::Clause(clauses) => clauses.iter().any(|(_, sub)| has_phrase(sub)),
    }
}

fn boosted(node: Node, boost: f32) -> Node {
    if (boost - 1.0).abs() < f32::EPSILON { node } else { Node::Boost(Box::new(node), boost) }
}

/// tantivy's `all_negative`: a clause all of whose parts are exclusions (or themselves all
/// negative; an empty clause counts as one).
fn all_negative(node: &Node) -> bool {
    match node {
        Node::Term { .. } | Node::Phrase { .. } | Node::All | Node::Range => false,
        Node::Boost(sub, _) => all_negative(sub),
        Node::Clause(clauses) => {
            clauses.iter().all(|(o, sub)| *o == Occur::MustNot || all_negative(sub))
        }
    }
}

/// tantivy's `make_non_negative`: every article, less the exclusions.
fn make_non_negative(node: &mut Node) {
    match node {
        Node::Boost(sub, _) => make_non_negative(sub),
        Node::Clause(clauses) => clauses.push((Occur::Should, Node::All)),
        _ => {}
    }
}

/// tantivy's `trim_ast`: empty clauses (leaves that read as nothing) removed; nothing left
/// matches nothing. Like tantivy's, it does not look inside a boost.
fn trim(node: Node) -> Option<Node> {
    match node {
        Node::Clause(clauses) => {
            let kept: Vec<(Occur, Node)> =
                clauses.into_iter().filter_map(|(o, n)| trim(n).map(|n| (o, n))).collect();
            (!kept.is_empty()).then_some(Node::Clause(kept))
        }
        node => Some(node),
    }
}

/// tantivy's idf.
fn idf(df: u64, docs: u64) -> f32 {
    let x = ((docs - df) as f32 + 0.5) / (df as f32 + 0.5);
    (1.0 + x).ln()
}

/// The field lengths tantivy stores (one byte each: exact to 40, then coarser; its
/// `FIELD_NORMS_TABLE`, computed here as its tests compute it).
static FIELD_NORMS: [u32; 256] = field_norms();

const fn field_norms() -> [u32; 256] {
    let mut table = [0u32; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = if b < 24 {
            b as u32
        } else {
            let e = (b - 24) as u32;
            let (bits, shift) = (e & 0b111, e >> 3);
            24 + if shift == 0 { bits } else { (bits | 8) << (shift - 1) }
        };
        b += 1;
    }
    table
}

/// The byte tantivy stores for a field of `len` terms.
fn field_norm_id(len: u32) -> usize {
    FIELD_NORMS.partition_point(|&n| n <= len) - 1
}

/// What BM25 needs to know of the whole collection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stats {
    pub(crate) docs: u64,
    /// Each field's terms, over all articles, in [`Field`]'s order.
    pub(crate) tokens: [u64; FIELDS],
    /// Each lexeme's document frequency, in the query's order (0 for those not scored).
    pub(crate) df: Vec<u64>,
}

/// What BM25 needs to know of one article: its fields' lengths, and for each of the
/// query's lexemes how often it occurs and, where a phrase needs them, where (positions
/// from 1, as in the `tsvector`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Doc {
    /// Its fields' lengths, in [`Field`]'s order.
    pub(crate) lens: [u32; FIELDS],
    pub(crate) counts: Vec<u32>,
    pub(crate) positions: Vec<Vec<u16>>,
}

impl Doc {
    /// An article of these field lengths holding none of `query`'s lexemes (yet).
    pub(crate) fn new(query: &Query, lens: [u32; FIELDS]) -> Doc {
        let n = query.lexemes.len();
        Doc { lens, counts: vec![0; n], positions: vec![Vec::new(); n] }
    }
}

/// A query's BM25 over one collection.
pub(crate) struct Ranker<'q> {
    query: &'q Query,
    idf: Vec<f32>,
    /// tantivy's per-field cache: `K1 * (1 - B + B * length / average length)` for each
    /// stored length, in [`Field`]'s order.
    caches: [[f32; 256]; FIELDS],
}

impl Ranker<'_> {
    /// `doc`'s score, or `None` if it does not match.
    pub(crate) fn score(&self, doc: &Doc) -> Option<f32> {
        self.query.root.as_ref().and_then(|n| self.node(n, doc))
    }

    fn bm25(&self, field: Field, doc: &Doc, idf: f32, tf: u32) -> f32 {
        let (cache, len) = (&self.caches[field as usize], doc.lens[field as usize]);
        let tf = if field.basic() { tf.min(1) } else { tf } as f32;
        idf * (1.0 + K1) * (tf / (tf + cache[field_norm_id(len)]))
    }

    fn node(&self, node: &Node, doc: &Doc) -> Option<f32> {
        match node {
            Node::Term { field, lexeme } => {
                let tf = doc.counts[*lexeme];
                (tf > 0).then(|| self.bm25(*field, doc, self.idf[*lexeme], tf))
            }
            Node::Phrase { field, terms } => {
                let tf = phrase_count(terms, doc);
                let idf = terms.iter().map(|(_, l)| self.idf[*l]).sum();
                (tf > 0).then(|| self.bm25(*field, doc, idf, tf))
            }
            Node::All | Node::Range => Some(1.0),
            Node::Boost(sub, boost) => self.node(sub, doc).map(|s| s * boost),
            Node::Clause(clauses) => {
                let (mut must, mut sum, mut should) = (false, 0f32, false);
                // tantivy drops a MUST `*` beside other MUST clauses (it adds nothing to
                // a score then), and scores 1 for MUST `*`s alone.
                let mut all = false;
                for (occur, sub) in clauses {
                    let score = self.node(sub, doc);
                    match occur {
                        Occur::Must if matches!(sub, Node::All) => all = true,
                        Occur::Must => {
                            must = true;
                            sum += score?;
                        }
                        Occur::Should => {
                            if let Some(s) = score {
                                should = true;
                                sum += s;
                            }
                        }
                        Occur::MustNot => {
                            if score.is_some() {
                                return None;
                            }
                        }
                    }
                }
                if all && !must {
                    must = true;
                    sum += 1.0;
                }
                (must || should).then_some(sum)
            }
        }
    }
}

/// How many times the phrase occurs: the positions of its first term from which every
/// other term is as far as in the query.
fn phrase_count(terms: &[(usize, usize)], doc: &Doc) -> u32 {
    let (first_at, first) = terms[0];
    let mut n = 0;
    'start: for &p in &doc.positions[first] {
        for &(at, lexeme) in &terms[1..] {
            let want = usize::from(p) + at - first_at;
            if doc.positions[lexeme].binary_search(&(want as u16)).is_err() || want > 16_383 {
                continue 'start;
            }
        }
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(text: &str) -> String {
        match Query::parse(text).matching() {
            Match::Nothing => "NOTHING".into(),
            Match::All => "ALL".into(),
            Match::Where(q) => q,
        }
    }

    #[test]
    fn queries_read_as_lede_search_reads_them() {
        assert_eq!(m("budget"), "('title:budget' | 'budget')");
        assert_eq!(
            m("council budget"),
            "(('title:council' | 'council') & ('title:budget' | 'budget'))"
        );
        assert_eq!(m("title:Budget"), "'title:budget'");
        // Phrases ask for their terms; the ranking keeps the articles where they are one.
        assert_eq!(
            m("\"the United States\""),
            "(('title:the' & 'title:united' & 'title:states') | ('the united' & 'states'))"
        );
        assert_eq!(m("\"use of\""), "(('title:use' & 'title:of') | 'use of')");
        assert_eq!(m("budget -\"use of\""), "('title:budget' | 'budget')");
        assert_eq!(m("a OR title:b"), "(('title:a' | 'a') | 'title:b')");
        assert_eq!(
            m("shutdown -union"),
            "(('title:shutdown' | 'shutdown') & !('title:union' | 'union'))"
        );
        assert_eq!(m("covid-19"), "(('title:covid' & 'title:19') | ('covid' & '19'))");
        assert_eq!(m(""), "ALL");
        assert_eq!(m("*"), "ALL");
        assert_eq!(m("-union"), "!('title:union' | 'union')");
        // Words that read as nothing: tantivy takes the query for one of exclusions only.
        assert_eq!(m("— !"), "ALL");
        assert_eq!(m("—"), "NOTHING");
    }

    #[test]
    fn what_cannot_be_read_is_left_out_with_a_warning() {
        let q = Query::parse("published:[2019 TO 2020] budget");
        assert_eq!(q.matching(), Match::Where("('title:budget' | 'budget')".into()));
        assert_eq!(q.warnings.len(), 1, "{:?}", q.warnings);
        let q = Query::parse("nosuchfield:x shutdown");
        assert_eq!(q.matching(), Match::Where("('title:shutdown' | 'shutdown')".into()));
        assert!(q.warnings[0].contains("nosuchfield"));
        let q = Query::parse("((( \" -");
        assert!(!q.warnings.is_empty());
        assert_eq!(q.matching(), Match::Nothing);
        let q = Query::parse("title:(unclosed");
        assert!(!q.warnings.is_empty());
    }

    #[test]
    fn terms_reached_through_alternatives_only_are_implied() {
        let q = Query::parse("budget OR \"of the\"");
        assert_eq!(q.lexemes, ["title:budget", "budget", "title:of", "title:the", "of the"]);
        assert_eq!(q.implied(), [true, true, false, false, true]);
        assert_eq!(Query::parse("budget council").implied(), [false; 4]);
        assert_eq!(Query::parse("title:budget").implied(), [true]);
        assert_eq!(Query::parse("budget -council").implied(), [false; 4]);
    }

    #[test]
    fn field_norms_are_tantivys() {
        assert_eq!(&FIELD_NORMS[..3], [0, 1, 2]);
        assert_eq!(FIELD_NORMS[40], 40);
        assert_eq!(FIELD_NORMS[41], 42);
        assert_eq!(FIELD_NORMS[255], 2_013_265_944);
        assert_eq!(field_norm_id(41), 40);
        assert_eq!(field_norm_id(42), 41);
        assert_eq!(field_norm_id(u32::MAX), 255);
    }

    #[test]
    fn bm25_favours_rare_terms_short_fields_and_titles() {
        let q = Query::parse("rare OR common");
        let stats = Stats { docs: 100, tokens: [500, 10_000, 0, 0, 0, 0, 0], df: vec![0; 4] };
        let mut stats = stats;
        // Lexemes: title:rare, rare, title:common, common.
        assert_eq!(q.lexemes, ["title:rare", "rare", "title:common", "common"]);
        stats.df = vec![1, 2, 50, 90];
        let r = q.ranker(&stats);
        let doc = |counts: [u32; 4], body_len| Doc {
            lens: [5, body_len, 0, 0, 0, 0, 0],
            counts: counts.to_vec(),
            positions: vec![Vec::new(); 4],
        };
        let rare = r.score(&doc([0, 1, 0, 0], 100)).unwrap();
        let common = r.score(&doc([0, 0, 0, 1], 100)).unwrap();
        assert!(rare > common);
        assert!(r.score(&doc([0, 1, 0, 0], 50)).unwrap() > rare, "shorter body");
        assert!(r.score(&doc([1, 0, 0, 0], 100)).unwrap() > rare, "in the title");
        assert_eq!(r.score(&doc([0, 0, 0, 0], 100)), None);
    }

    #[test]
    fn phrases_count_aligned_positions() {
        let q = Query::parse("\"national emergency\"");
        assert_eq!(q.lexemes, ["title:national", "title:emergency", "national", "emergency"]);
        let mut doc = Doc::new(&q, [0, 20, 0, 0, 0, 0, 0]);
        doc.positions[2] = vec![3, 9];
        doc.positions[3] = vec![4, 7];
        let body = Node::Phrase { field: Field::Body, terms: vec![(0, 2), (1, 3)] };
        assert_eq!(phrase_count(&[(0, 2), (1, 3)], &doc), 1);
        let stats = Stats { docs: 10, tokens: [10, 200, 0, 0, 0, 0, 0], df: vec![1, 1, 2, 2] };
        assert!(q.ranker(&stats).node(&body, &doc).is_some());
        doc.positions[3] = vec![7];
        assert_eq!(phrase_count(&[(0, 2), (1, 3)], &doc), 0);
    }
}
