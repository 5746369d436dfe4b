#!/usr/bin/env python3
"""Generates the passage-provenance benchmark for `lede trace` from real articles.

    generate.py --out DIR [--seed 20261129] [--queries-per-kind 60] [--distractors 5000]
                [--shared PATH]

Reads the congressional press releases and the Wikinews sample from the shared corpus
folder (`$LEDE_SHARED/corpus`, by default `../shared/corpus` next to the repository) and
writes, deterministically for a given seed:

- DIR/corpus.jsonl: the records to ingest, `{"id", "outlet", "title", "date",
  "paragraphs"}`, sorted by (date, id): source articles, distractors and the query
  articles ("content-farm" articles made from the sources).
- DIR/gold.jsonl: one line per query: `{"id", "kind", "verdict", "passages":
  [{"paragraph", "source", "source_paragraph"}], "substitutions": [{"from", "to"}]}` and,
  for debugging only, "date", "sources", "edits" and, for originals, "original_of".

Query kinds (verdict in brackets): original (original), copy (copy), edited (copy),
composite (composite), spun_copy (spun), spun_composite (spun). See README.md.

No data is committed: this script is the benchmark.
"""
import argparse
import bisect
import datetime
import os
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import read_jsonl, words, write_jsonl  # noqa: E402

KINDS = ["original", "copy", "edited", "composite", "spun_copy", "spun_composite"]
VERDICT = {
    "original": "original",
    "copy": "copy",
    "edited": "copy",
    "composite": "composite",
    "spun_copy": "spun",
    "spun_composite": "spun",
}

# ---------------------------------------------------------------------------------------
# Substitution ("spinning") list: `from => to`, one pair a line. A `from` with a capital
# letter (names, acronyms) matches case-sensitively; a lower-case `from` matches any case
# and the replacement copies its capitalisation ("Said" -> "Stated", "SAID" -> "STATED").
# Every occurrence of a chosen pair is replaced, all chosen pairs in one pass (a
# replacement is never replaced again). No `to` is another pair's `from`, and no pair has
# a word on both sides ("China => People's Republic of China" would be, to a word diff, an
# insertion, not a substitution); both are checked below.
# ---------------------------------------------------------------------------------------
SUBSTITUTIONS_TEXT = """
# countries, organisations: the long official form
Russia => Russian Federation
China => PRC
Iran => Persia
North Korea => DPRK
South Korea => ROK
Syria => Syrian Arab Republic
Venezuela => Bolivarian Republic
Britain => United Kingdom
UK => United Kingdom
US => United States
U.S. => United States
America => United States
Mexico => United Mexican States
Vietnam => Viet Nam
Germany => Deutschland
Saudi Arabia => KSA
France => French Republic
India => Bharat
Japan => Nippon
Turkey => Türkiye
EU => European Union
UN => United Nations
NATO => North Atlantic Treaty Organization
FBI => Federal Bureau of Investigation
CIA => Central Intelligence Agency
EPA => Environmental Protection Agency
DHS => Department of Homeland Security
DOD => Department of Defense
# verbs
said => stated
says => states
say => state
announced => declared
announce => declare
help => assist
helps => assists
helped => assisted
helping => assisting
show => demonstrate
shows => demonstrates
showed => demonstrated
need => require
needs => requires
needed => required
use => utilize
uses => utilizes
used => utilized
using => utilizing
get => obtain
gets => obtains
got => obtained
buy => purchase
bought => purchased
start => commence
started => commenced
began => commenced
ended => concluded
try => attempt
tried => attempted
give => provide
gives => provides
gave => provided
keep => retain
kept => retained
ask => request
asks => requests
asked => requested
tell => inform
told => informed
want => desire
wants => desires
wanted => desired
think => believe
thinks => believes
know => understand
knew => understood
find => discover
found => discovered
fight => battle
fighting => battling
protect => safeguard
protects => safeguards
protected => safeguarded
protecting => safeguarding
improve => enhance
improves => enhances
improved => enhanced
improving => enhancing
increase => boost
increased => boosted
reduce => lower
reduced => lowered
create => generate
created => generated
ensure => guarantee
ensures => guarantees
allow => permit
allows => permits
allowed => permitted
continue => proceed
continues => proceeds
continued => proceeded
stop => halt
stopped => halted
died => passed away
lived => resided
choose => select
chose => selected
earned => gained
spend => expend
spent => expended
expect => anticipate
expected => anticipated
include => encompass
includes => encompasses
included => encompassed
including => encompassing
discussed => talked about
explained => clarified
agreed => concurred
claimed => asserted
warned => cautioned
noted => remarked
urged => pressed
praised => lauded
criticized => faulted
signed => inked
launched => initiated
arrested => detained
investigate => probe
# adjectives, adverbs, connectives
big => large
huge => enormous
important => significant
critical => crucial
difficult => challenging
hard => tough
easy => effortless
quickly => rapidly
small => little
strong => robust
good => beneficial
bad => poor
happy => glad
serious => severe
dangerous => hazardous
necessary => essential
common => widespread
recent => latest
recently => lately
entire => whole
several => numerous
vital => crucial
safe => secure
current => present
currently => presently
immediately => instantly
finally => ultimately
also => additionally
however => nevertheless
very => extremely
often => frequently
usually => typically
nearly => almost
before => prior to
after => following
during => throughout
enough => sufficient
today => this day
percent => per cent
# nouns
people => individuals
children => youngsters
country => nation
countries => nations
government => administration
agency => bureau
bill => measure
bills => measures
problem => issue
problems => issues
jobs => employment
money => funds
funding => financing
goal => objective
goals => objectives
plan => strategy
plans => strategies
effort => endeavor
efforts => endeavors
communities => neighborhoods
families => households
meeting => gathering
doctors => physicians
companies => firms
businesses => enterprises
workers => employees
students => pupils
teachers => educators
leaders => heads
officials => authorities
statement => declaration
decision => ruling
attack => assault
attacks => assaults
weapons => arms
troops => forces
war => conflict
deaths => fatalities
killed => slain
injured => wounded
fire => blaze
crime => offense
crimes => offenses
health care => medical coverage
economy => financial system
security => safety
research => investigation
information => data
idea => notion
result => outcome
results => outcomes
example => instance
opportunity => chance
opportunities => chances
challenges => obstacles
benefits => advantages
costs => expenses
prices => rates
changes => alterations
world => globe
area => region
areas => regions
questions => inquiries
"""

# "U.S." ends many sentences ("... in the U.S. The bill ..."), where replacing it would
# eat the full stop; it is only replaced before a lower-case word or a usual noun.
SPECIAL_PATTERNS = {
    "U.S.": r"U\.S\.(?=\s+(?:[a-z]|(?:Senator|Senate|Senators|Rep|Representative|House|"
            r"Congress|Congressman|Congresswoman|Department|Army|Navy|Air|Marine|Coast|"
            r"Attorney|Supreme|Postal|Chamber|Capitol|Embassy|Ambassador|Secretary|Trade|"
            r"Customs|Forest|Census|Border|Armed|Military|Government|Treasury|Virgin|"
            r"Fish|Geological|Patent|Citizenship|Immigration|Agency|Court|District)\b))",
}


def parse_substitutions(text):
    """The (from, to) pairs of SUBSTITUTIONS_TEXT, checked for duplicates and chains."""
    pairs = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        left, right = (s.strip() for s in line.split("=>"))
        pairs.append((left, right))
    froms = {f.lower() for f, _ in pairs}
    assert len(froms) == len(pairs), "a `from` is listed twice"
    chained = [t for _, t in pairs if t.lower() in froms]
    assert not chained, f"a `to` is also a `from`: {chained}"
    shared = [(f, t) for f, t in pairs if set(words(f)) & set(words(t))]
    assert not shared, f"a word on both sides: {shared}"
    return pairs


SUBSTITUTIONS = parse_substitutions(SUBSTITUTIONS_TEXT)

# Content-farm outlets and retitles: a query never has its source's title, so its content
# hash (title + paragraphs) always differs from its source's.
FARM_OUTLETS = [
    "Daily Wire Digest", "Capitol Buzz Today", "NewsNow 24", "The Morning Roundup",
    "US Politics Feed", "Headline Hub", "TrendWatch News", "The Civic Ledger",
    "Newsflash Central", "Beltway Briefing", "InfoStream Daily", "Viral Policy Report",
]
RETITLES = [
    "BREAKING: {t}", "{t} - Here's What You Need to Know", "Report: {t}",
    "{t} (Full Story)", "What We Know: {t}", "{t} | Latest Update", "Must Read: {t}",
    "{t}: Everything You Need to Know", "Update: {t}", "Why It Matters: {t}",
]

# Words a light edit inserts into a sentence.
INSERTIONS = [
    "also", "reportedly", "indeed", "now", "notably", "in fact", "this week",
    "according to a statement", "officially", "once again", "clearly",
]

# ---------------------------------------------------------------------------------------
# Text: cleaning and paragraphs
# ---------------------------------------------------------------------------------------
MIN_WORDS = 8  # shorter paragraphs are dropped (captions, sign-offs, fragments)
MIN_PARAGRAPHS, MAX_PARAGRAPHS = 4, 16  # sources and originals
MAX_WORDS = 150  # longest paragraph of a source or an original

ABBREVIATIONS = {
    "u.s", "rep", "reps", "sen", "sens", "mr", "mrs", "ms", "dr", "st", "jr", "sr", "d.c",
    "h.r", "s", "no", "nos", "gov", "lt", "gen", "col", "sgt", "capt", "cmdr", "adm", "jan",
    "feb", "mar", "apr", "aug", "sept", "sep", "oct", "nov", "dec", "inc", "co", "corp",
    "vs", "v", "rev", "hon", "ph.d", "a.m", "p.m", "u.n", "e.g", "i.e", "etc", "mt", "ft",
    "pres", "sec", "dept", "ave", "blvd", "h.res", "s.res", "h.j", "res", "fla", "calif",
    "ga", "va", "pa", "md", "wash", "mass", "conn", "tenn", "ky", "la", "ala", "ariz",
    "colo", "ill", "ind", "kan", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla",
    "ore", "tex", "wis", "wyo", "del", "sen.-elect", "rep.-elect", "approx", "est",
}
SENTENCE_END = re.compile(r"[.!?][\"”’')\]]*\s+(?=[\"“‘'(\[]?[A-Z0-9])")
BOILERPLATE = re.compile(
    r"click here|for immediate release|\bcontact:|press contact|media contact|"
    r"\b[\w.]+@[\w.]+\.\w+|\(\d{3}\)\s*\d{3}-\d{4}|\b\d{3}[-.]\d{3}[-.]\d{4}\b|"
    r"https?://|www\.|watch the (full )?(video|speech|remarks)|\bwatch\b.{0,60}\b(here|below)\b|"
    r"click(ing)? (on )?(here|the image|below)|"
    r"(can be|is) (found|viewed|read|watched) (here|at|online)|###|^\W*$",
    re.IGNORECASE,
)
LEADING_DATE = re.compile(r"^\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}\s+")
# A press release's dateline ("WASHINGTON, D.C. –", "(Washington, DC) -", "Salem, MA –"):
# what comes before it, if short, is the headline.
DATELINE = re.compile(
    r"(?:^|(?<=\s))\(?(?:(?:WASHINGTON|Washington)(?:,?\s*D\.?\s?C\.?)?"
    r"|[A-Z][A-Z.'’]+(?:[ ,]+[A-Z][A-Za-z.'’]*){0,3}"
    r"|[A-Z][a-z]+(?: [A-Z][a-z]+){0,2},\s*(?:[A-Z]{2}|[A-Z][a-z]{1,4}\.))\s?\)?"
    r"(?:\s*\([^()]{0,40}\))?\s*[-–—\xad]{1,3}\s*(?=[A-Z“\"(])"
)
WIKINEWS_DATELINE = re.compile(r"^\w+day, \w+ \d{1,2}, \d{4}\s*$")
CAPTION = re.compile(r"\bImage: [^.]{1,80}\.?$")  # Wikinews image captions


def is_abbreviation(text_before):
    """Whether the full stop ending `text_before` belongs to an abbreviation or an
    initial ("Sen.", "U.S.", "John F.") rather than ending a sentence."""
    token = text_before.split()[-1] if text_before.split() else ""
    token = token.lstrip("\"“‘'([").rstrip(".").lower()
    return (token in ABBREVIATIONS or len(token) == 1
            or re.fullmatch(r"(?:[a-z]\.)+[a-z]", token) is not None)


def split_sentences(text):
    """Sentences of a text, by a rule-based splitter that knows common abbreviations.
    Under-splitting is harmless here (it only makes longer sentences)."""
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if text[m.start()] == "." and is_abbreviation(text[start:m.start()]):
            continue
        sentence = text[start:m.end()].strip()
        if sentence:
            out.append(sentence)
        start = m.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def group_sentences(sentences, rng):
    """Paragraphs of 1-4 sentences: sentences are added until the paragraph reaches a
    target of 35-75 words (drawn per paragraph); a short tail joins the paragraph before.
    The congress releases lost their paragraph breaks; this rebuilds news-like ones."""
    paragraphs, current, target = [], [], rng.randint(35, 75)
    for s in sentences:
        current.append(s)
        if sum(len(x.split()) for x in current) >= target:
            paragraphs.append(" ".join(current))
            current, target = [], rng.randint(35, 75)
    if current:
        tail = " ".join(current)
        if paragraphs and len(tail.split()) < 20:
            paragraphs[-1] += " " + tail
        else:
            paragraphs.append(tail)
    return paragraphs


def congress_article(record):
    """(title, paragraphs) of a press release: leading date, headline and dateline
    removed (the headline becomes the title), boilerplate sentences (contacts, links,
    "###") dropped, sentences grouped into paragraphs."""
    text = LEADING_DATE.sub("", record["text"])
    end = re.search(r"\s(?:#{3,}|-\s?30\s?-)", text)
    if end and end.start() > len(text) // 3:
        text = text[:end.start()]
    title = None
    m = DATELINE.search(text[:500])
    if m:
        head = text[:m.start()].strip()
        if 3 <= len(head.split()) <= 45:
            title = head
        if len(head.split()) <= 45:
            text = text[m.end():]
    sentences = [s for s in split_sentences(text) if not BOILERPLATE.search(s)]
    rng = random.Random(f"paragraphs:{record['id']}")
    paragraphs = [p for p in group_sentences(sentences, rng) if len(p.split()) >= MIN_WORDS]
    if title is None and paragraphs:
        first = paragraphs[0].split()
        title = " ".join(first[:12]) + (" ..." if len(first) > 12 else "")
    return title or "", paragraphs


def wikinews_article(record):
    """(title, paragraphs) of a Wikinews article: its own paragraphs, without the
    dateline line and without paragraphs under MIN_WORDS words."""
    paragraphs = []
    for p in re.split(r"\n\s*\n", record["text"]):
        p = " ".join(p.split())
        if WIKINEWS_DATELINE.match(p) or len(p.split()) < MIN_WORDS or CAPTION.search(p):
            continue
        paragraphs.append(p)
    return record["title"], paragraphs


@dataclass
class Article:
    """A real article of the pool; paragraphs are made on first use (52k records)."""

    id: str
    outlet: str
    date: str
    raw: dict
    source: str  # "congress" or "wikinews"
    _made: tuple = None

    def _make(self):
        if self._made is None:
            maker = congress_article if self.source == "congress" else wikinews_article
            self._made = maker(self.raw)
        return self._made

    @property
    def title(self):
        return self._make()[0]

    @property
    def paragraphs(self):
        return self._make()[1]

    def record(self):
        """The corpus record for this article as it is."""
        return {"id": self.id, "outlet": self.outlet, "title": self.title,
                "date": self.date, "paragraphs": self.paragraphs}


def load_pool(shared):
    """All articles of both corpora, in file order."""
    corpus = Path(shared) / "corpus"
    pool = []
    for r in read_jsonl(corpus / "congress-press-releases" / "bench-2015-2019.jsonl.gz"):
        pool.append(Article(r["id"], r["outlet"], r["date"], r, "congress"))
    for r in read_jsonl(corpus / "wikinews-2019-2020" / "wikinews-2019-2020.jsonl"):
        pool.append(Article(r["id"], r["outlet"], r["date"], r, "wikinews"))
    return pool


def usable(article):
    """A source or an original needs MIN..MAX_PARAGRAPHS clean paragraphs, none over
    MAX_WORDS words (a longer one is a list or a table the sentence splitter missed)."""
    ps = article.paragraphs
    return (MIN_PARAGRAPHS <= len(ps) <= MAX_PARAGRAPHS
            and max(len(p.split()) for p in ps) <= MAX_WORDS)


# ---------------------------------------------------------------------------------------
# Ambiguity: a query paragraph must have exactly one true source in the corpus
# ---------------------------------------------------------------------------------------
SHINGLE = 5  # word 5-grams: long enough that common phrases rarely collide
AMBIGUOUS = 0.2  # a paragraph with >= 20 % of its 5-grams in another record is reused text
SHARED_RUN = 6  # ... and so is one sharing 6 consecutive 5-grams (10 words) with another


def shingles(text):
    """The paragraph's word 5-grams, hashed, in text order (with repeats)."""
    ws = words(text)
    if len(ws) < SHINGLE:
        return [hash(tuple(ws))]
    return [hash(tuple(ws[i:i + SHINGLE])) for i in range(len(ws) - SHINGLE + 1)]


def clean_candidates(candidates, others):
    """The candidates none of whose paragraphs reappears in any other record among
    candidates + others (AMBIGUOUS or more of its 5-grams in one record, or a run of
    SHARED_RUN consecutive 5-grams, i.e. a sentence), nor in another paragraph of its
    own record. Joint releases issued by several offices, re-posted releases, boilerplate
    sentences and "about the member" paragraphs would otherwise give a query paragraph,
    or part of it, several equally true sources."""
    para_shingles = [[shingles(p) for p in a.paragraphs] for a in candidates]
    wanted = {sh for ps in para_shingles for p in ps for sh in p}
    postings = {}  # shingle -> indices of records (candidates first, then others) holding it
    for idx, article in enumerate(list(candidates) + list(others)):
        held = {sh for p in article.paragraphs for sh in shingles(p)} & wanted
        for sh in held:
            postings.setdefault(sh, []).append(idx)
    clean = []
    for idx, (article, ps) in enumerate(zip(candidates, para_shingles)):
        if all(not reused(idx, k, ps, postings) for k in range(len(ps))):
            clean.append(article)
    return clean


def reused(idx, k, para_shingles, postings):
    """Whether paragraph k of candidate idx reappears elsewhere (see clean_candidates)."""
    mine = para_shingles[k]
    distinct = set(mine)
    counts, run, longest = {}, {}, 0
    for sh in mine:
        holders = {o for o in postings.get(sh, ()) if o != idx}
        run = {o: run.get(o, 0) + 1 for o in holders}  # consecutive 5-grams per record
        longest = max([longest, *run.values()])
    for sh in distinct:
        for other in postings.get(sh, ()):
            if other != idx:
                counts[other] = counts.get(other, 0) + 1
    if longest >= SHARED_RUN or (counts and max(counts.values()) >= AMBIGUOUS * len(distinct)):
        return True
    rest = {sh for j, p in enumerate(para_shingles) if j != k for sh in p}
    return len(distinct & rest) >= 0.5 * len(distinct)


# ---------------------------------------------------------------------------------------
# Selection of sources, originals, fillers and distractors
# ---------------------------------------------------------------------------------------
def plan_queries(rng, per_kind):
    """(kind, number of sources) for every query, in kind order."""
    plan = []
    for kind in KINDS:
        for _ in range(per_kind):
            n = 0 if kind == "original" else rng.randint(2, 5) if "composite" in kind else 1
            plan.append((kind, n))
    return plan


def neighbours(article, by_date, dates, rng):
    """Two articles from other outlets dated within two days (often the same event) and
    the same outlet's article nearest in date: the realistic, topical distractors."""
    day = datetime.date.fromisoformat(article.date)
    lo = bisect.bisect_left(dates, (day - datetime.timedelta(days=2)).isoformat())
    hi = bisect.bisect_right(dates, (day + datetime.timedelta(days=2)).isoformat())
    near = [a for a in by_date[lo:hi] if a.outlet != article.outlet]
    picks = rng.sample(near, min(2, len(near)))
    same = [a for a in by_date[max(0, lo - 200):hi + 200]
            if a.outlet == article.outlet and a.id != article.id]
    if same:
        picks.append(min(same, key=lambda a: abs(
            (datetime.date.fromisoformat(a.date) - day).days)))
    return picks


def select(pool, plan, n_distractors, rng, log):
    """Sources (clean, in assignment order), originals, filler articles and distractors.

    Sources come from the press releases of 2015-2018 and from Wikinews (a tenth of the
    candidates at most, but more of them pass the ambiguity check);
    originals and fillers (the articles whose paragraphs are added as original writing)
    from both corpora; none of them is a distractor. Half the distractors at most are
    neighbours of source candidates (same days, same outlets), the rest are drawn from
    the whole pool."""
    n_sources = sum(n for _, n in plan)
    n_originals = sum(1 for k, _ in plan if k == "original")
    n_fillers = sum(1 for k, _ in plan if k in ("edited", "composite", "spun_composite"))
    congress = [a for a in pool if a.source == "congress"]
    wiki = [a for a in pool if a.source == "wikinews"]
    rng.shuffle(congress)
    rng.shuffle(wiki)
    spare = 3.4  # candidates per needed article: about 60 % are rejected as ambiguous
    while True:
        src_c = take_usable(congress, lambda a: a.date < "2019", int(n_sources * 0.9 * spare))
        # Wikinews is small: at most half of its usable articles are source candidates
        # and a quarter original candidates, so that some remain distractors.
        n_wiki = sum(1 for a in wiki if usable(a))
        src_w = take_usable(wiki, lambda a: True, min(int(n_sources * 0.1 * spare), n_wiki // 2))
        taken = {a.id for a in src_c + src_w}
        orig_w = take_usable(wiki, lambda a: a.id not in taken,
                             min(int(n_originals / 3 * spare), n_wiki // 4))
        taken |= {a.id for a in orig_w}
        orig_c = take_usable(congress, lambda a: a.id not in taken,
                             int(n_originals * 2 / 3 * spare))
        taken |= {a.id for a in orig_c}
        fill = take_usable(congress + wiki, lambda a: a.id not in taken,
                           int(n_fillers * spare), start=len(congress) // 2)
        taken |= {a.id for a in fill}
        sources = src_c + src_w
        rng.shuffle(sources)
        distractors = pick_distractors(pool, sources, taken, n_distractors, rng)
        others = distractors
        clean = set(a.id for a in clean_candidates(sources + orig_c + orig_w + fill, others))
        c_sources = [a for a in sources if a.id in clean]
        originals = [a for a in orig_w if a.id in clean][: n_originals // 3]
        originals += [a for a in orig_c if a.id in clean][: n_originals - len(originals)]
        fillers = [a for a in fill if a.id in clean]
        log(f"candidates: {len(sources)} sources ({len(c_sources)} clean), "
            f"{len(orig_c) + len(orig_w)} originals, {len(fill)} fillers "
            f"({len(clean)} clean in all); {len(distractors)} distractors")
        if (len(c_sources) >= n_sources * 1.15 and len(originals) >= n_originals
                and len(fillers) >= n_fillers):
            rng.shuffle(originals)
            return c_sources, originals, fillers, distractors
        spare *= 1.4


def take_usable(articles, keep, n, start=0):
    """The first n usable articles passing `keep`, scanning from `start` (round)."""
    out = []
    for i in range(len(articles)):
        a = articles[(start + i) % len(articles)]
        if len(out) >= n:
            break
        if keep(a) and usable(a):
            out.append(a)
    return out


def pick_distractors(pool, sources, taken, n, rng):
    """n distractors: neighbours of the sources (at most half), then random articles;
    never a source, original or filler; at least two paragraphs each."""
    by_date = sorted((a for a in pool if a.source == "congress"), key=lambda a: a.date)
    dates = [a.date for a in by_date]
    wiki = [a for a in pool if a.source == "wikinews"]
    chosen, seen = [], set(taken)

    def add(a):
        if a.id not in seen and len(a.paragraphs) >= 2 and len(chosen) < n:
            seen.add(a.id)
            chosen.append(a)

    for s in sources:
        if len(chosen) >= n // 2:
            break
        if s.source == "congress":
            for a in neighbours(s, by_date, dates, rng):
                add(a)
        else:
            for a in rng.sample(wiki, 2):
                add(a)
    order = list(pool)
    rng.shuffle(order)
    for a in order:
        if len(chosen) >= n:
            break
        add(a)
    return chosen


# ---------------------------------------------------------------------------------------
# Query construction: a query is a list of items (paragraphs), an item a list of pieces
# (sentences), each piece with the source paragraph it comes from, so that every edit
# keeps the gold mapping exact.
# ---------------------------------------------------------------------------------------
@dataclass
class Piece:
    """A sentence of a query paragraph and its (source id, source paragraph), or None
    for original writing."""

    text: str
    ref: tuple = None


@dataclass
class Item:
    """One query paragraph."""

    pieces: list

    @classmethod
    def of(cls, text, ref=None):
        """A paragraph cut into sentence pieces (one piece if re-joining the sentences
        would not give the same text back)."""
        sentences = split_sentences(text)
        if " ".join(sentences) != text:
            sentences = [text]
        return cls([Piece(s, ref) for s in sentences])

    @property
    def text(self):
        return " ".join(p.text for p in self.pieces)

    @property
    def refs(self):
        """The distinct source paragraphs of the pieces, in order."""
        out = []
        for p in self.pieces:
            if p.ref is not None and p.ref not in out:
                out.append(p.ref)
        return out


def n_words(pieces):
    return sum(len(p.text.split()) for p in pieces)


def copy_items(source, rng):
    """All paragraphs of a source in order, one of them dropped 40 % of the time."""
    items = [Item.of(p, (source.id, j)) for j, p in enumerate(source.paragraphs)]
    edits = []
    if rng.random() < 0.4:
        j = rng.randrange(len(items))
        del items[j]
        edits.append(f"dropped source paragraph {j}")
    return items, edits


def edited_items(source, filler, rng):
    """A lightly edited copy: a few words inserted or deleted in 1-3 paragraphs, a
    sentence split or merged (half the time), then two or three of: two adjacent
    paragraphs swapped, a paragraph dropped, a paragraph split in two, two paragraphs
    merged, a paragraph break moved by one sentence, an original paragraph (from an
    unrelated real article) appended."""
    items = [Item.of(p, (source.id, j)) for j, p in enumerate(source.paragraphs)]
    edits = []
    for i in rng.sample(range(len(items)), rng.randint(1, min(3, len(items)))):
        edits.append(word_edit(items[i], rng) + f" in paragraph {i}")
    if rng.random() < 0.5:
        i = rng.randrange(len(items))
        what = sentence_edit(items[i], rng)
        if what:
            edits.append(what + f" in paragraph {i}")
    ops = rng.sample(["swap", "drop", "split", "merge", "shift", "append"], rng.randint(2, 3))
    for op in ops:
        edits.append(structure_edit(op, items, filler, rng))
    return items, edits


def word_edit(item, rng):
    """Inserts a short phrase into a sentence, or deletes one to three words inside it."""
    piece = max(item.pieces, key=lambda p: (len(p.text.split()), rng.random()))
    toks = piece.text.split()
    if rng.random() < 0.5 or len(toks) < 12:
        phrase = rng.choice(INSERTIONS)
        at = rng.randrange(1, len(toks))
        toks[at:at] = phrase.split()
        piece.text = " ".join(toks)
        return f"inserted {phrase!r}"
    n = rng.randint(1, 3)
    at = rng.randrange(1, len(toks) - n - 1)
    gone = " ".join(toks[at:at + n])
    del toks[at:at + n]
    piece.text = " ".join(toks)
    return f"deleted {gone!r}"


LOWER_AFTER_AND = {"The", "This", "He", "She", "It", "We", "They", "These", "That", "Our",
                   "His", "Her", "Their", "In", "As", "A", "An", "Today", "Now"}


def sentence_edit(item, rng):
    """Splits a sentence at ", and"/"; " into two, or merges two sentences of the same
    source paragraph with ", and"."""
    pieces = item.pieces
    splittable = [k for k, p in enumerate(pieces) if re.search(r", and [a-z]|; [a-z]", p.text)]
    if splittable and rng.random() < 0.5:
        k = rng.choice(splittable)
        p = pieces[k]
        m = re.search(r", and (?=[a-z])|; (?=[a-z])", p.text)
        rest = p.text[m.end():]
        pieces[k:k + 1] = [Piece(p.text[:m.start()] + ".", p.ref),
                           Piece(rest[0].upper() + rest[1:], p.ref)]
        return "split a sentence"
    mergeable = [k for k in range(len(pieces) - 1)
                 if pieces[k].ref == pieces[k + 1].ref and pieces[k].text.endswith(".")]
    if not mergeable:
        return None
    k = rng.choice(mergeable)
    first, second = pieces[k].text, pieces[k + 1].text
    if second.split()[0] in LOWER_AFTER_AND:
        second = second[0].lower() + second[1:]
    pieces[k:k + 2] = [Piece(first[:-1] + ", and " + second, pieces[k].ref)]
    return "merged two sentences"


def structure_edit(op, items, filler, rng):
    """One paragraph-level edit; keeps at least three paragraphs."""
    if op == "swap" and len(items) >= 2:
        i = rng.randrange(len(items) - 1)
        items[i], items[i + 1] = items[i + 1], items[i]
        return f"swapped paragraphs {i} and {i + 1}"
    if op == "drop" and len(items) > 3:
        i = rng.randrange(len(items))
        items.pop(i)
        return f"dropped paragraph {i}"
    if op == "split":
        for i in rng.sample(range(len(items)), len(items)):
            halves = split_in_two(items[i])
            if halves:
                items[i:i + 1] = halves
                return f"split paragraph {i} in two"
        return "split: no paragraph with two long halves"
    if op == "merge" and len(items) > 3:
        i = rng.randrange(len(items) - 1)
        items[i:i + 2] = [Item(items[i].pieces + items[i + 1].pieces)]
        return f"merged paragraphs {i} and {i + 1}"
    if op == "shift":
        return shift_break(items, rng)
    if op == "append":
        items.append(Item.of(rng.choice(filler.paragraphs)))
        return f"appended an original paragraph from {filler.id}"
    return f"{op}: not applicable"


def split_in_two(item):
    """The paragraph cut at the sentence boundary nearest its middle, when both halves
    have 10 words or more; else None."""
    pieces = item.pieces
    total = n_words(pieces)
    cuts = [k for k in range(1, len(pieces))
            if min(n_words(pieces[:k]), n_words(pieces[k:])) >= 10]
    if not cuts:
        return None
    k = min(cuts, key=lambda c: abs(n_words(pieces[:c]) - total / 2))
    return [Item(pieces[:k]), Item(pieces[k:])]


def shift_break(items, rng):
    """Moves the last sentence of a paragraph to the start of the next one, as copy
    editors re-paragraph; the next paragraph then draws on both source paragraphs. Only
    a sentence of 10+ words, from a paragraph that keeps 10+ words."""
    for i in rng.sample(range(len(items) - 1), len(items) - 1):
        a, b = items[i], items[i + 1]
        if len(a.pieces) < 2 or len(a.pieces[-1].text.split()) < 10:
            continue
        if n_words(a.pieces[:-1]) < 10:
            continue
        b.pieces.insert(0, a.pieces.pop())
        return f"moved the last sentence of paragraph {i} into paragraph {i + 1}"
    return "shift: no paragraph break to move"


def excerpt(item, rng):
    """A contiguous run of the paragraph's sentences, not all of them, with at least
    40 % of its words and 15 words (composites often lift part of a paragraph); None
    when there is no such run."""
    pieces = item.pieces
    total = n_words(pieces)
    runs = [(i, j) for i in range(len(pieces)) for j in range(i + 1, len(pieces) + 1)
            if j - i < len(pieces) and n_words(pieces[i:j]) >= max(15, 0.4 * total)]
    if not runs:
        return None
    i, j = rng.choice(runs)
    return Item(pieces[i:j])


def composite_items(sources, filler, rng):
    """1-4 paragraphs from each source (a contiguous run 70 % of the time, else a sorted
    random subset), a quarter of them cut to an excerpt of their sentences, in blocks or
    interleaved; then maybe two adjacent paragraphs from different sources merged into
    one (30 %) and 1-2 original paragraphs inserted (40 %)."""
    runs, edits = [], []
    for s in sources:
        n = min(rng.randint(1, 4), len(s.paragraphs))
        if rng.random() < 0.7:
            start = rng.randrange(len(s.paragraphs) - n + 1)
            picked = list(range(start, start + n))
        else:
            picked = sorted(rng.sample(range(len(s.paragraphs)), n))
        run = []
        for j in picked:
            item = Item.of(s.paragraphs[j], (s.id, j))
            cut = excerpt(item, rng) if rng.random() < 0.25 else None
            if cut:
                edits.append(f"excerpt of {s.id} paragraph {j}")
            run.append(cut or item)
        runs.append(run)
    if rng.random() < 0.5:
        items = [it for run in runs for it in run]
        edits.insert(0, "blocks")
    else:
        items = interleave(runs)
        edits.insert(0, "interleaved")
    if rng.random() < 0.3 and len(items) >= 3:
        pairs = [i for i in range(len(items) - 1)
                 if items[i].refs[0][0] != items[i + 1].refs[0][0]]
        if pairs:
            i = rng.choice(pairs)
            items[i:i + 2] = [Item(items[i].pieces + items[i + 1].pieces)]
            edits.append(f"merged paragraphs {i} and {i + 1} from two sources")
    if filler is not None and rng.random() < 0.4:
        for p in rng.sample(filler.paragraphs, rng.randint(1, 2)):
            items.insert(rng.randint(0, len(items)), Item.of(p))
        edits.append(f"inserted original paragraphs from {filler.id}")
    return items, edits


def interleave(runs):
    """Round-robin over the runs: A0 B0 C0 A1 B1 ..."""
    out, depth = [], max(len(r) for r in runs)
    for k in range(depth):
        out.extend(r[k] for r in runs if k < len(r))
    return out


def coverage(items):
    """Per source id: the fraction of the query's words in paragraphs it contributes to
    (the rule lede's verdict uses)."""
    total = sum(len(words(it.text)) for it in items) or 1
    cov = {}
    for it in items:
        for sid in {r[0] for r in it.refs}:
            cov[sid] = cov.get(sid, 0) + len(words(it.text)) / total
    return cov


# ---------------------------------------------------------------------------------------
# Spinning
# ---------------------------------------------------------------------------------------
def pair_pattern(src):
    """The regex of one substitution's `from`, whole words only."""
    if src in SPECIAL_PATTERNS:
        return r"(?<!\w)" + SPECIAL_PATTERNS[src]
    body = r"\s+".join(re.escape(w) for w in src.split())
    if src.lower() == src:
        return r"(?<!\w)(?i:" + body + r")(?!\w)"
    return r"(?<!\w)" + body + r"(?!\w)"


PAIR_REGEX = [re.compile(pair_pattern(f)) for f, _ in SUBSTITUTIONS]


def pair_counts(text):
    """How many words each substitution would change in `text` (pair index -> words)."""
    out = {}
    for i, rx in enumerate(PAIR_REGEX):
        n = sum(len(m.group(0).split()) for m in rx.finditer(text))
        if n:
            out[i] = n
    return out


def choose_pairs(items, rng):
    """Pairs to apply so that 5-15 % of the sourced words change (a target drawn in
    6-12 %); None when fewer than three pairs would apply (the query needs another
    source: a spun verdict needs three distinct substitutions)."""
    text = "\n".join(p.text for it in items for p in it.pieces if p.ref is not None)
    total = len(text.split())
    counts = pair_counts(text)
    order = sorted(counts)
    rng.shuffle(order)
    target, cap = rng.uniform(0.06, 0.12) * total, 0.15 * total
    chosen, changed = [], 0
    for i in order:
        if changed >= target:
            break
        if changed + counts[i] <= cap:
            chosen.append(i)
            changed += counts[i]
    if len(chosen) < 3 or changed < 0.05 * total:
        return None
    return chosen


def match_case(found, replacement):
    """The replacement written in the capitalisation of the replaced text."""
    if len(found) > 1 and found.isupper() and replacement.lower() == replacement:
        return replacement.upper()
    if found[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def spin(items, chosen):
    """Replaces every occurrence of the chosen pairs in the sourced paragraphs, in one
    pass; returns the distinct pairs actually applied."""
    groups = "|".join(f"(?P<p{i}>{pair_pattern(SUBSTITUTIONS[i][0])})" for i in chosen)
    rx = re.compile(groups)
    applied = set()

    def replace(m):
        i = int(m.lastgroup[1:])
        applied.add(i)
        return match_case(m.group(0), SUBSTITUTIONS[i][1])

    for it in items:
        for piece in it.pieces:
            if piece.ref is not None:
                piece.text = rx.sub(replace, piece.text)
    return [{"from": SUBSTITUTIONS[i][0], "to": SUBSTITUTIONS[i][1]} for i in sorted(applied)]


# ---------------------------------------------------------------------------------------
# Assembling the benchmark
# ---------------------------------------------------------------------------------------
def build_queries(plan, sources, originals, fillers, rng):
    """(query record, gold) for every planned query. Sources are used once each, so no
    two queries share text (a later query could otherwise cite an earlier one)."""
    src_iter, fill_iter, orig_iter = iter(sources), iter(fillers), iter(originals)
    built = []
    for kind, n in plan:
        while True:
            if kind == "original":
                art = next(orig_iter)
                items, used, edits = [Item.of(p) for p in art.paragraphs], [art], []
            else:
                used = [next(src_iter) for _ in range(n)]
                items, edits = make_items(kind, used, fill_iter, rng)
                if items is None:
                    continue
            subs = []
            if kind.startswith("spun"):
                chosen = choose_pairs(items, rng)
                if chosen is None:
                    continue  # these sources are consumed; draw new ones
                subs = spin(items, chosen)
            built.append((kind, used, items, edits, subs))
            break
    return built


def make_items(kind, used, fill_iter, rng):
    """The paragraphs of a copy, edited or composite query; (None, None) when a
    composite does not have two sources covering 15 % of its words each."""
    if kind in ("copy", "spun_copy"):
        return copy_items(used[0], rng)
    if kind == "edited":
        return edited_items(used[0], next(fill_iter), rng)
    filler = next(fill_iter) if kind == "composite" else None
    for _ in range(20):
        items, edits = composite_items(used, filler, rng)
        if sum(1 for c in coverage(items).values() if c >= 0.15) >= 2:
            return items, edits
    return None, None


def finish(built, rng):
    """Query records and gold lines: ids in a shuffled order (the id says nothing about
    the kind), farm outlets, retitles, and dates after every source."""
    order = list(range(len(built)))
    rng.shuffle(order)
    records, gold = [], []
    for n, k in enumerate(order, 1):
        kind, used, items, edits, subs = built[k]
        qid = f"farm-{n:04d}"
        if kind == "original":
            date = used[0].date
        else:
            latest = max(datetime.date.fromisoformat(a.date) for a in used)
            date = (latest + datetime.timedelta(days=rng.randint(1, 30))).isoformat()
        title = rng.choice(RETITLES).format(t=used[0].title.rstrip(" ."))
        records.append({"id": qid, "outlet": rng.choice(FARM_OUTLETS), "title": title,
                        "date": date, "paragraphs": [it.text for it in items]})
        passages = [{"paragraph": i, "source": sid, "source_paragraph": j}
                    for i, it in enumerate(items) for sid, j in it.refs]
        gold.append({"id": qid, "kind": kind, "verdict": VERDICT[kind], "passages": passages,
                     "substitutions": subs, "date": date,
                     "sources": [] if kind == "original" else [a.id for a in used],
                     **({"original_of": used[0].id} if kind == "original" else {}),
                     "edits": edits})
    gold.sort(key=lambda g: g["id"])
    return records, gold


def late_reposts(gold, articles, n, rng):
    """n exact re-posts of sources (syndication), each dated 1-60 days after the query
    that uses the source: only a system that ignores publication order would cite one."""
    uses = [(sid, g["date"]) for g in gold for sid in g["sources"] if g["kind"] != "original"]
    out = []
    for k, (sid, qdate) in enumerate(sorted(rng.sample(uses, min(n, len(uses)))), 1):
        a = articles[sid]
        date = datetime.date.fromisoformat(qdate) + datetime.timedelta(days=rng.randint(1, 60))
        out.append({"id": f"repost-{k:04d}", "outlet": rng.choice(FARM_OUTLETS),
                    "title": a.title.rstrip(" .") + " - Syndicated",  # never a query's title
                    "date": date.isoformat(), "paragraphs": list(a.paragraphs)})
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20261129)
    ap.add_argument("--queries-per-kind", type=int, default=60)
    ap.add_argument("--distractors", type=int, default=5000)
    ap.add_argument("--reposts", type=int, default=60,
                    help="late exact re-posts of sources, dated after their query")
    root = Path(__file__).resolve().parents[2]
    ap.add_argument("--shared", default=os.environ.get("LEDE_SHARED", str(root.parent / "shared")))
    args = ap.parse_args()

    def log(msg):
        print(msg, file=sys.stderr)

    rng = random.Random(args.seed)
    pool = load_pool(args.shared)
    plan = plan_queries(rng, args.queries_per_kind)
    sources, originals, fillers, distractors = select(pool, plan, args.distractors, rng, log)
    built = build_queries(plan, sources, originals, fillers, rng)
    queries, gold = finish(built, rng)
    used_sources = {a.id: a for _, used, *_ in built for a in used}
    orig_ids = {a.id for kind, used, *_ in built if kind == "original" for a in used}
    corpus = [a.record() for a in used_sources.values() if a.id not in orig_ids]
    reposts = late_reposts(gold, used_sources, args.reposts, rng)
    corpus += [a.record() for a in distractors] + reposts + queries
    corpus.sort(key=lambda r: (r["date"], r["id"]))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    write_jsonl(out / "corpus.jsonl", corpus)
    write_jsonl(out / "gold.jsonl", gold)
    n_src = len(used_sources) - len(orig_ids)
    log(f"wrote {out}/corpus.jsonl: {len(corpus)} records ({n_src} sources, "
        f"{len(distractors)} distractors, {len(reposts)} late re-posts, {len(queries)} "
        f"queries) and gold.jsonl")


if __name__ == "__main__":
    main()
