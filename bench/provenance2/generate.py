#!/usr/bin/env python3
"""A second provenance benchmark, written apart from bench/provenance/generate.py, so that
lede's verdict rules (tuned beside that generator) are measured on data they never saw.

    generate.py --out DIR [--seed 4242] [--per-kind 40] [--wordnet /usr/share/wordnet]
                [--shared PATH]

What differs from the first generator, on purpose (README.md beside this file):

- corpus: Wikinews articles are the main sources (the first generator mostly copies the
  2015-2018 press releases); the only press releases here are the 2019 demo file's, split
  into paragraphs of 2-4 sentences (the first groups sentences by word count);
- paragraph sampling: a query copies a window of consecutive paragraphs of its source,
  often only 2-3 (short copies), never necessarily the whole article;
- spinning: synonyms are drawn from WordNet 3.0 (Debian's wordnet-base data files, read
  here directly, no network) for whatever words the text holds, inflected to match, and
  acronyms are paired with their long forms found in the corpus itself ("Federal Security
  Service (FSB)"); no hand list of pairs. Spun queries change only 2-6 distinct words,
  often 1-3 % of the text (the first generator changes 6-12 %);
- editor-like edits: numbers changed, a name replaced by another, tense ("said" ->
  "says", "announced" -> "announces"), weekdays, British/American spelling, and trims
  (a sentence, a parenthesis, an apposition dropped). Those queries are `copy`.

Writes DIR/corpus.jsonl (records `{"id", "outlet", "title", "date", "paragraphs"}`,
sorted by date and id) and DIR/gold.jsonl in the first benchmark's gold format, so that
its evaluate.py and baseline_minhash.py read it unchanged. Deterministic for a seed.
"""
import argparse
import datetime
import hashlib
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

KINDS = ["original", "copy", "edited", "composite", "spun_copy", "spun_composite"]
VERDICT = {"original": "original", "copy": "copy", "edited": "copy",
           "composite": "composite", "spun_copy": "spun", "spun_composite": "spun"}

# Words a thesaurus spinner leaves alone: English closed-class words. (Not a list of
# spin pairs: it only keeps the synonym look-up off words WordNet has no sense for.)
CLOSED = set("""a an the and or but nor of to in on at by for from with as into onto over
under about above below after before between through during without within than then
this that these those it its he she they we i you his her their our my your him them us
me not no is are was were be been being has have had do does did will would can could
shall should may might must who whom whose which what when where why how all any each
some many much more most other such only own same so too very just also there here
one two three four five six seven eight nine ten""".split())

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]

OUTLETS = ["Newsline Hub", "Daily Brief Network", "Metro Current", "Wire Replay",
           "Headline Mirror", "Civic Feed Today"]

WORD = re.compile(r"[A-Za-z]+(?:'[a-z]+)?")
TOKEN = re.compile(r"\w+")


def stable_rng(*parts):
    """A generator seeded from text, the same under any PYTHONHASHSEED."""
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()
    return random.Random(int(h[:16], 16))


def n_words(text):
    return len(TOKEN.findall(text))


# ---------------------------------------------------------------------------------------
# Reading the corpora into paragraphs
# ---------------------------------------------------------------------------------------

SENT_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“(]?[A-Z0-9])")
NOT_AN_END = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|St|Jr|Sr|No|Vol|Jan|Feb|Mar|Apr|Aug|Sept|"
    r"Sep|Oct|Nov|Dec|Inc|Corp|Co|vs|H\.R|S|U\.S|D\.C|U\.N|a\.m|p\.m)\.|\b[A-Z]\.)$")
JUNK = re.compile(r"https?:|www\.|@|\(\d{3}\)|\d{3}-\d{4}|###|[Cc]lick|[Ww]atch .* here|"
                  r"^\W*$|Image:|Photo:|[Ff]ollow us")


def sentences(text):
    """Sentences, with a guard against common abbreviations ("Sen.", "U.S.", "Jan.")."""
    out, start = [], 0
    for m in SENT_END.finditer(text):
        piece = text[start:m.start()].rstrip()
        if NOT_AN_END.search(piece.rstrip("\"”’)")):
            continue
        out.append(text[start:m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]


def wikinews_paragraphs(record):
    paras = []
    for p in re.split(r"\n\s*\n", record["text"]):
        p = " ".join(p.split())
        # Datelines ("Friday, January 4, 2019"), captions and sign-offs have no sentence end.
        if n_words(p) < 8 or not re.search(r"[.!?][\"”’)]?$", p) or JUNK.search(p):
            continue
        paras.append(p)
    return paras


def release_paragraphs(record):
    text = re.sub(r"^\s*\d{1,2}\.\d{1,2}\.\d{2,4}\s+", "", record["text"])
    # The headline runs into a dateline ("... WASHINGTON, D.C. – "): keep what follows.
    m = re.search(r"\b[A-Z][A-Z .,]{3,40}[–—-]\s", text[:400])
    title = text[:m.start()].strip() if m else text[:80]
    body = text[m.end():] if m else text
    kept = [s for s in sentences(body) if not JUNK.search(s) and n_words(s) >= 4]
    rng = stable_rng("paragraphs", record["id"])
    paras, i = [], 0
    while i < len(kept):
        k = rng.choice([2, 2, 3, 3, 4])
        para = " ".join(kept[i:i + k])
        i += k
        if 8 <= n_words(para) <= 160:
            paras.append(para)
    return title or record["id"], paras


def load(shared):
    articles = []
    with open(shared / "corpus/wikinews-2019-2020/wikinews-2019-2020.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            articles.append({"id": r["id"], "outlet": "Wikinews", "title": r["title"],
                             "date": r["date"], "paragraphs": wikinews_paragraphs(r),
                             "corpus": "wikinews"})
    with open(shared / "corpus/congress-press-releases/demo-2019.jsonl", encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            title, paras = release_paragraphs(r)
            articles.append({"id": r["id"], "outlet": r["outlet"], "title": title,
                             "date": r["date"], "paragraphs": paras, "corpus": "release"})
    return articles


# ---------------------------------------------------------------------------------------
# One true source per paragraph: a paragraph sharing any word 8-gram with another record
# (or with another paragraph of its own) is not used as a source.
# ---------------------------------------------------------------------------------------

def grams(text, n=8):
    w = [t.lower() for t in TOKEN.findall(text)]
    return {hash(tuple(w[i:i + n])) for i in range(max(0, len(w) - n + 1))}


def clean_paragraphs(articles):
    owners = defaultdict(set)
    per = {}
    for a in articles:
        per[a["id"]] = [grams(p) for p in a["paragraphs"]]
        for j, g in enumerate(per[a["id"]]):
            for x in g:
                owners[x].add((a["id"], j))
    clean = {}
    for a in articles:
        clean[a["id"]] = [all(owners[x] == {(a["id"], j)} for x in g)
                          for j, g in enumerate(per[a["id"]])]
    return clean


# ---------------------------------------------------------------------------------------
# WordNet: synonyms, base forms and inflection
# ---------------------------------------------------------------------------------------

class WordNet:
    POS = {"noun": "n", "verb": "v", "adj": "a", "adv": "r"}

    def __init__(self, folder):
        folder = Path(folder)
        self.index = {}  # (lemma, pos) -> synset offsets, most frequent sense first
        self.data = {}
        for name, pos in self.POS.items():
            self.data[pos] = (folder / f"data.{name}").read_bytes()
            for line in open(folder / f"index.{name}", encoding="utf-8"):
                if line.startswith(" "):
                    continue
                f = line.split()
                n_ptr = int(f[3])
                n_senses = int(f[2])
                offsets = f[4 + n_ptr + 2:4 + n_ptr + 2 + n_senses]
                self.index[(f[0], pos)] = [int(o) for o in offsets]
        self.count = Counter()  # lemma -> tagged uses in SemCor (familiarity)
        for line in open(folder / "cntlist.rev", encoding="utf-8"):
            key, _, n = line.split()
            self.count[key.split("%")[0]] += int(n)
        self.irregular = {}  # inflected -> (base, pos)
        self.irregular_bases = set()
        for name, pos in (("verb", "v"), ("noun", "n")):
            for line in open(folder / f"{name}.exc", encoding="utf-8"):
                f = line.split()
                if len(f) >= 2:
                    self.irregular.setdefault(f[0], (f[1], pos))
                    self.irregular_bases.add(f[1])

    def lemmas(self, pos, offset):
        data = self.data[pos]
        end = data.index(b"\n", offset)
        f = data[offset:end].decode("utf-8").split()
        n = int(f[3], 16)
        return [f[4 + 2 * i].split("(")[0] for i in range(n)]

    def analyse(self, word):
        """(base, pos, ending) readings of a lower-case word: ending '' for the base form,
        's', 'ed', 'ing', or 'irr' for an irregular form (its synonym then takes 'ed')."""
        out = []
        for pos in "vnar":
            if (word, pos) in self.index:
                out.append((word, pos, ""))
        if word in self.irregular:
            base, pos = self.irregular[word]
            if (base, pos) in self.index:
                out.append((base, pos, "irr" if pos == "v" else "s"))
        for ending, strips in (("s", ["s", "es"]), ("ed", ["ed", "d"]), ("ing", ["ing"])):
            for s in strips:
                if word.endswith(s) and len(word) - len(s) >= 3:
                    base = word[: -len(s)]
                    for cand in (base, base + "e"):
                        for pos in ("vn" if ending == "s" else "v"):
                            if (cand, pos) in self.index:
                                out.append((cand, pos, ending))
        return out

    def synonyms(self, word):
        """Synonyms of `word` in its two most frequent senses, inflected like it, most
        familiar first: [(synonym, familiarity)]."""
        found = {}
        for base, pos, ending in self.analyse(word):
            for offset in self.index[(base, pos)][:2]:
                for lemma in self.lemmas(pos, offset):
                    syn = lemma.replace("_", " ")
                    if (syn == base or not re.fullmatch(r"[a-z]+( [a-z]+)?", syn)
                            or syn[:4] == base[:4] or base in syn or syn in base
                            or self.count[lemma] < 2):
                        continue
                    inflected = self.inflect(syn, pos, ending)
                    if inflected and inflected != word:
                        found[inflected] = max(found.get(inflected, 0), self.count[lemma])
        return sorted(found.items(), key=lambda kv: (-kv[1], kv[0]))

    def inflect(self, phrase, pos, ending):
        head, _, rest = phrase.partition(" ")
        if ending == "":
            out = head
        elif head in self.irregular_bases or re.search(r"[^aeiou][aeiou][bdgmnpt]$", head):
            return None  # irregular or doubling ("stop" -> "stopped"): left out
        elif ending in ("ed", "irr"):
            out = head + "d" if head.endswith("e") else (
                head[:-1] + "ied" if re.search(r"[^aeiou]y$", head) else head + "ed")
        elif ending == "s":
            out = (head + "es" if re.search(r"(s|sh|ch|x|z)$", head) else
                   head[:-1] + "ies" if re.search(r"[^aeiou]y$", head) else head + "s")
        else:  # ing
            out = head[:-1] + "ing" if head.endswith("e") and not head.endswith("ee") else head + "ing"
        return out + (" " + rest if rest else "")


def acronym_pairs(articles):
    """(long form, acronym) pairs the corpus itself uses side by side: a capitalised
    phrase whose initials are a token of the same article, in at least two articles
    ("Federal Security Service" and "FSB"; "United States" and "US" / "U.S.")."""
    phrase = re.compile(r"\b((?:[A-Z][a-z]+ (?:(?:of|for|and|the) )?){1,4}[A-Z][a-z]+)\b")
    seen = Counter()
    for a in articles:
        text = " ".join(a["paragraphs"])
        tokens = set(re.findall(r"(?<![\w.])(?:[A-Z]\.){2,4}|\b[A-Z]{2,6}\b", text))
        pairs = set()
        for m in phrase.finditer(text):
            long_form = m.group(1)
            words = long_form.split()
            # Sentence openers ("On Friday") and names of people are not acronym material.
            if words[0].lower() in CLOSED or any(w in WEEKDAYS or w in MONTHS for w in words):
                continue
            initials = "".join(w[0] for w in words if w[0].isupper())
            for short in (initials, ".".join(initials) + "."):
                if len(initials) >= 2 and short in tokens:
                    pairs.add((long_form, short))
        seen.update(pairs)
    return sorted(p for p, n in seen.items() if n >= 2)


# ---------------------------------------------------------------------------------------
# Spinning and editing
# ---------------------------------------------------------------------------------------

def case_like(found, replacement):
    return replacement[0].upper() + replacement[1:] if found[0].isupper() else replacement


def spin(paras, wn, acronyms, k, rng):
    """Swaps every occurrence of k distinct words (or acronym forms) for a synonym (the
    other form). Returns the paragraphs and the pairs applied."""
    counts = Counter(w.lower() for p in paras for w in WORD.findall(p))
    # A word also written with a capital inside a sentence may be a name ("Bill", "Trump").
    named = {m.lower() for p in paras for m in re.findall(r"(?<=[a-z,;] )[A-Z][a-z]+", p)}
    text = " ".join(paras)
    options = []
    for long_form, short in acronyms:
        for a, b in ((long_form, short), (short, long_form)):
            if re.search(r"(?<![\w.])" + re.escape(a) + r"(?![\w])", text):
                options.append(("acronym", a, b))
    words = sorted(w for w in counts
                   if w not in CLOSED and w not in named and len(w) >= 3 and "'" not in w)
    rng.shuffle(words)
    chosen, used = [], set()
    if options and rng.random() < 0.4:
        kind, a, b = rng.choice(options)
        chosen.append((a, b))
        used.update(TOKEN.findall(a.lower()))
    for w in words:
        if len(chosen) >= k:
            break
        syns = wn.synonyms(w)[:3]
        if not syns or w in used:
            continue
        syn = rng.choice(syns)[0]
        if syn in counts:  # the synonym already in the text would blur the swap
            continue
        chosen.append((w, syn))
        used.add(w)
    out = paras
    for a, b in chosen:
        if a[0].isupper():  # names and acronyms: case as written
            pat = re.compile(r"(?<![\w.])" + re.escape(a) + r"(?![\w])")
            out = [pat.sub(b, p) for p in out]
        else:
            # The word as written, or capitalised at a sentence's start.
            pat = re.compile(r"\b" + re.escape(a) + r"\b|(?:^|(?<=[.!?] ))" + re.escape(a.capitalize()) + r"\b")
            out = [pat.sub(lambda m, b=b: case_like(m.group(0), b), p) for p in out]
    return out, [{"from": a, "to": b} for a, b in chosen]


SPELLING = [("isation", "ization"), ("ise", "ize"), ("ised", "ized"), ("our", "or"),
            ("centre", "center"), ("defence", "defense"), ("yse", "yze")]
TENSE = [("said", "says"), ("says", "said"), ("is", "was"), ("has", "had"), ("will", "would"),
         ("are", "were")]


def edit(para, wn, names, rng):
    """One editor's change to a paragraph, or None when none applies: (text, what)."""
    ops = ["number", "name", "tense", "weekday", "spelling", "trim_sentence", "trim_paren",
           "trim_apposition"]
    rng.shuffle(ops)
    for op in ops:
        if op == "number":
            nums = list(re.finditer(r"\b\d{1,4}\b", para))
            if nums:
                m = rng.choice(nums)
                new = str(int(m.group()) + rng.randint(1, 9))
                return para[:m.start()] + new + para[m.end():], op
        elif op == "name":
            caps = [m for m in re.finditer(r"(?<=[a-z,] )[A-Z][a-z]{3,}\b", para)
                    if m.group() not in WEEKDAYS]
            if caps:
                m = rng.choice(caps)
                other = rng.choice(names)
                if other != m.group():
                    return para[:m.start()] + other + para[m.end():], op
        elif op == "tense":
            for a, b in rng.sample(TENSE, len(TENSE)):
                m = re.search(r"\b" + a + r"\b", para)
                if m:
                    return para[:m.start()] + b + para[m.end():], op
            # A regular past made present ("announced" -> "announces").
            regular = [m for m in re.finditer(r"\b([a-z]{4,})ed\b", para)
                       if (m.group(1), "v") in wn.index or (m.group(1) + "e", "v") in wn.index]
            if regular:
                m = rng.choice(regular)
                base = m.group(1) if (m.group(1), "v") in wn.index else m.group(1) + "e"
                present = base + ("es" if re.search(r"(s|sh|ch|x|z)$", base) else "s")
                return para[:m.start()] + present + para[m.end():], op
        elif op == "weekday":
            days = [m for m in re.finditer(r"\b(" + "|".join(WEEKDAYS) + r")\b", para)]
            if days:
                m = rng.choice(days)
                return para[:m.start()] + rng.choice([d for d in WEEKDAYS if d != m.group()]) + para[m.end():], op
        elif op == "spelling":
            for a, b in rng.sample(SPELLING, len(SPELLING)):
                for x, y in ((a, b), (b, a)):
                    m = re.search(r"\b([a-z]{3,})" + x + r"(s?)\b", para)
                    if m:
                        return para[:m.start()] + m.group(1) + y + m.group(2) + para[m.end():], op
        elif op == "trim_sentence":
            ss = sentences(para)
            if len(ss) >= 3:
                i = rng.randrange(1, len(ss))
                return " ".join(ss[:i] + ss[i + 1:]), op
        elif op == "trim_paren":
            m = re.search(r" \([^()]{2,60}\)", para)
            if m:
                return para[:m.start()] + para[m.end():], op
        elif op == "trim_apposition":
            m = re.search(r", (?:who|which|a|an|the) [^,.;]{3,60},", para)
            if m:
                return para[:m.start()] + para[m.end() - 1:], op
    return None


# ---------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------

def window(article, clean, rng, lo, hi):
    """A run of consecutive clean paragraphs, lo..hi long: [(paragraph index, text)]."""
    ok = clean[article["id"]]
    runs, start = [], None
    for j, c in enumerate(ok + [False]):
        if c and start is None:
            start = j
        elif not c and start is not None:
            runs.append((start, j))
            start = None
    runs = [r for r in runs if r[1] - r[0] >= lo]
    if not runs:
        return None
    s, e = rng.choice(runs)
    n = rng.randint(lo, min(hi, e - s))
    first = rng.randint(s, e - n)
    return [(j, article["paragraphs"][j]) for j in range(first, first + n)]


def day(date, plus):
    return (datetime.date.fromisoformat(date) + datetime.timedelta(days=plus)).isoformat()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--seed", type=int, default=4242)
    ap.add_argument("--per-kind", type=int, default=40)
    ap.add_argument("--wordnet", default="/usr/share/wordnet")
    ap.add_argument("--shared", type=Path,
                    default=Path(__file__).resolve().parents[3] / "shared")
    args = ap.parse_args()
    if not Path(args.wordnet, "data.noun").exists():
        sys.exit(f"no WordNet data in {args.wordnet} (apt-get install wordnet-base)")
    rng = random.Random(args.seed)
    wn = WordNet(args.wordnet)
    articles = [a for a in load(args.shared) if a["paragraphs"]]
    articles.sort(key=lambda a: a["id"])
    clean = clean_paragraphs(articles)
    acronyms = acronym_pairs(articles)
    names = sorted({m for a in articles for p in a["paragraphs"]
                    for m in re.findall(r"(?<=[a-z] )[A-Z][a-z]{3,}\b", p)} - set(WEEKDAYS))

    wikinews = [a for a in articles if a["corpus"] == "wikinews"]
    releases = [a for a in articles if a["corpus"] == "release"]
    rng.shuffle(wikinews)
    rng.shuffle(releases)
    used = set()

    def take(pool, lo, hi):
        for a in pool:
            if a["id"] in used:
                continue
            w = window(a, clean, rng, lo, hi)
            if w:
                used.add(a["id"])
                return a, w
        return None

    def source_pool():
        # Mostly Wikinews; a third of the sources are 2019 press releases.
        return releases if rng.random() < 0.33 else wikinews

    # Articles whose text a query uses with no source in the corpus (originals, and the
    # farm's own paragraphs): withheld from the corpus.
    queries, gold, withheld = [], [], set()
    plan = [k for k in KINDS for _ in range(args.per_kind)]
    rng.shuffle(plan)
    for n, kind in enumerate(plan, 1):
        qid = f"q2-{n:04d}"
        rec = {"id": qid, "outlet": rng.choice(OUTLETS)}
        g = {"id": qid, "kind": kind, "verdict": VERDICT[kind], "passages": [],
             "substitutions": [], "edits": []}
        if kind == "original":
            for a in (wikinews if rng.random() < 0.5 else releases):
                if a["id"] not in used and len(a["paragraphs"]) >= 2 and all(clean[a["id"]]):
                    used.add(a["id"])
                    break
            paras, items, date = list(a["paragraphs"][:12]), [], a["date"]
            g["original_of"] = a["id"]
            withheld.add(a["id"])
        else:
            n_src = 1 if kind in ("copy", "edited", "spun_copy") else rng.choice([2, 2, 3])
            got = [take(source_pool(), 1 if n_src > 1 else 2, 3 if n_src > 1 else 6)
                   for _ in range(n_src)]
            got = [x for x in got if x]
            items = [(a["id"], j, t) for a, w in got for j, t in w]
            if n_src > 1 and rng.random() < 0.5:  # interleaved rather than in blocks
                rng.shuffle(items)
            date = day(max(a["date"] for a, _ in got), rng.randint(1, 10))
            paras = [t for _, _, t in items]
            if kind == "edited" or (kind in ("composite", "spun_composite", "spun_copy")
                                    and rng.random() < 0.3):
                for _ in range(rng.randint(2, 5) if kind == "edited" else 1):
                    i = rng.randrange(len(paras))
                    e = edit(paras[i], wn, names, rng)
                    if e and n_words(e[0]) >= 8:
                        paras[i] = e[0]
                        g["edits"].append(e[1])
            if kind.startswith("spun"):
                k = rng.randint(2, 5) if kind == "spun_copy" else rng.randint(3, 6)
                paras, g["substitutions"] = spin(paras, wn, acronyms, k, rng)
                if len(g["substitutions"]) < 2:
                    print(f"{qid}: too few words to spin, kept as it is", file=sys.stderr)
            if kind in ("composite", "spun_composite") and rng.random() < 0.3:
                # A paragraph of the farm's own, from an article the corpus does not hold.
                for a in releases[::-1]:
                    if a["id"] not in used and a["paragraphs"]:
                        used.add(a["id"])
                        withheld.add(a["id"])
                        paras.insert(rng.randrange(len(paras) + 1), a["paragraphs"][0])
                        items.insert(paras.index(a["paragraphs"][0]), None)
                        break
            g["passages"] = [{"paragraph": i, "source": it[0], "source_paragraph": it[1]}
                             for i, it in enumerate(items) if it]
            g["sources"] = sorted({it[0] for it in items if it})
        rec.update({"title": f"{rng.choice(['Report', 'Update', 'Inside'])}: story {n}",
                    "date": date, "paragraphs": paras})
        g["date"] = date
        queries.append(rec)
        gold.append(g)

    # The corpus: every source, every unused article as a distractor, and the queries.
    corpus = [{k: a[k] for k in ("id", "outlet", "title", "date", "paragraphs")}
              for a in articles if a["id"] not in withheld]
    corpus += queries
    corpus.sort(key=lambda r: (r["date"], r["id"]))
    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "corpus.jsonl", "w", encoding="utf-8") as f:
        for r in corpus:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    with open(args.out / "gold.jsonl", "w", encoding="utf-8") as f:
        for g in gold:
            f.write(json.dumps(g, ensure_ascii=False) + "\n")
    pairs = Counter(len(g["substitutions"]) for g in gold if g["verdict"] == "spun")
    print(f"wrote {args.out}: {len(corpus)} records, {len(queries)} queries; "
          f"{len(acronyms)} acronym pairs found; distinct swaps per spun query {sorted(pairs.items())}")


if __name__ == "__main__":
    main()
