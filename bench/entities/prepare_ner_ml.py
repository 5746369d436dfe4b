"""Builds the non-English tagger data (issue #17) in bench/entities/data/ner_ml/ from
openly licensed corpora read out of their git mirrors (no network):

- Universal NER v1: Portuguese Bosque (CC BY-SA 4.0; its own train/dev/test), German PUD and
  Russian PUD (CC BY-SA 3.0; one test file each: every 5th document to test, every 10th of
  the rest to dev, the others to train);
- Europeana Newspapers NER corpora (CC0): German (lft, onb, sbb), French (bnf), Dutch (kb),
  OCR of historic newspapers with no sentence breaks: sentences are cut after ".", "!", "?"
  (and at 60 tokens), grouped 20 to a block, and every 5th block goes to test, every 10th
  of the rest to dev;
- factRuEval-2016 (MIT; Russian news, its devset and testset documents together, in
  file-name order: every 5th document to test, every 10th of the rest to dev): a mention is
  the run of tokens from the first to the last of an object's name spans (Person: name,
  surname, patronymic, nickname; Org: org_name; Location and LocOrg: loc_name; descriptors,
  jobs, geo adjectives, Facility and Project left out), the longest kept where they overlap;
- Russian WikiNER as UKPLab/linspector ships it (CC BY 4.0, a sample of WikiNER's Russian
  Wikipedia sentences; its train file), for experiments only: written to
  bench/out/ner_ml/ru-wikiner/train.jsonl (git-ignored, not committed) and checked against
  its SHA-256.

Output: <lang>/ from Universal NER, <lang>-enp/ from Europeana, ru-frue/ from factRuEval,
each with train.jsonl, dev.jsonl and test.jsonl: one sentence per line, {"tokens": [...], "tags": [...]}, BIO tags PERSON / ORG /
PLACE (UNER's PER/ORG/LOC; its OTH and Europeana's stray labels become O), the same format
as bench/entities/data/ner (see prepare_ner.py). The splits are deterministic. Licences and
attribution: bench/entities/data/ner_ml/NOTICE.md.

  python3 bench/entities/prepare_ner_ml.py [/work/.mirror]
"""
import hashlib
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "data", "ner_ml")
KINDS = {"PER": "PERSON", "ORG": "ORG", "LOC": "PLACE"}
UNER = {
    "pt": ("UniversalNER+UNER_Portuguese-Bosque", "pt_bosque-ud"),
    "de": ("UniversalNER+UNER_German-PUD", "de_pud-ud"),
    "ru": ("UniversalNER+UNER_Russian-PUD", "ru_pud-ud"),
}
EUROPEANA = {
    "de": ["enp_DE.lft.bio", "enp_DE.onb.bio", "enp_DE.sbb.bio"],
    "fr": ["enp_FR.bnf.bio"],
    "nl": ["enp_NL.kb.bio"],
}
BLOCK = 20
MAX_TOKENS = 60
FRUE = "dialogue-evaluation+factRuEval-2016"
FRUE_NAMES = {
    "Person": ("name", "surname", "patronymic", "nickname"),
    "Org": ("org_name",),
    "Location": ("loc_name",),
    "LocOrg": ("loc_name",),
}
FRUE_KINDS = {"Person": "PERSON", "Org": "ORG", "Location": "PLACE", "LocOrg": "PLACE"}
LINSPECTOR = "UKPLab+linspector"
# SHA-256 of ru-wikiner/train.jsonl as this script writes it from linspector @ 46a7cca.
WIKINER_RU_SHA256 = "4b474802e677c2939976d8f4dbbf9e8de6d6276074096cceda0d549696046430"


def gitdir(mirror, repo):
    git = os.path.join(mirror, repo, "repo")
    return os.path.join(git, ".git") if os.path.isdir(os.path.join(git, ".git")) else git


def show(mirror, repo, path):
    git = gitdir(mirror, repo)
    return subprocess.run(
        ["git", "--git-dir", git, "show", "HEAD:" + path], check=True, capture_output=True
    ).stdout.decode("utf-8")


def commit(mirror, repo):
    git = gitdir(mirror, repo)
    return subprocess.run(
        ["git", "--git-dir", git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()


def bio(labels):
    """Labels (BIO or IOB1, any case, stray kinds) as BIO over PERSON/ORG/PLACE."""
    out = []
    for label in labels:
        label = label.replace("_", "-").replace(".", "-")
        prefix, _, kind = label.partition("-")
        kind = KINDS.get(kind.upper())
        if kind is None or prefix.upper() not in ("B", "I"):
            out.append("O")
            continue
        inside = prefix.upper() == "I" and out and out[-1] != "O" and out[-1][2:] == kind
        out.append(("I-" if inside else "B-") + kind)
    return out


def uner(text):
    """Documents of a UNER .iob2 file: lists of sentences (tokens, tags)."""
    docs, tokens, tags = [], [], []
    for line in text.split("\n") + [""]:
        if line.startswith("# newdoc"):
            docs.append([])
        elif line.startswith("#"):
            continue
        elif not line.strip():
            if tokens:
                if not docs:
                    docs.append([])
                docs[-1].append((tokens, bio(tags)))
            tokens, tags = [], []
        else:
            cols = line.split("\t")
            tokens.append(cols[1])
            tags.append(cols[2])
    return docs


def europeana(text):
    """Blocks of BLOCK sentences of a Europeana .bio file (token, label per line)."""
    sentences, tokens, labels = [], [], []
    for line in text.split("\n"):
        cols = line.split()
        if len(cols) != 2:
            continue
        tokens.append(cols[0])
        labels.append(cols[1])
        if cols[0] in (".", "!", "?") or len(tokens) >= MAX_TOKENS:
            sentences.append((tokens, bio(labels)))
            tokens, labels = [], []
    if tokens:
        sentences.append((tokens, bio(labels)))
    return [sentences[i : i + BLOCK] for i in range(0, len(sentences), BLOCK)]


def factrueval(mirror):
    """Documents of factRuEval-2016 (devset, then testset, by file name): lists of sentences."""
    git = gitdir(mirror, FRUE)
    names = subprocess.run(
        ["git", "--git-dir", git, "ls-tree", "-r", "--name-only", "HEAD"],
        check=True, capture_output=True, text=True,
    ).stdout.split()
    stems = [n[: -len(".tokens")] for n in names if re.match(r"(devset|testset)/book_\d+\.tokens$", n)]
    stems.sort(key=lambda n: (n.split("/")[0], int(re.search(r"(\d+)$", n).group(1))))
    docs = []
    for stem in stems:
        sentences, where, current = [], {}, []
        for line in show(mirror, FRUE, stem + ".tokens").split("\n") + [""]:
            cols = line.split()
            if not cols:
                if current:
                    sentences.append(current)
                current = []
                continue
            where[cols[0]] = (len(sentences), len(current))
            current.append(cols[3])
        spans = {}
        for line in show(mirror, FRUE, stem + ".spans").split("\n"):
            cols = line.split("#")[0].split()
            if len(cols) >= 6 and cols[4] in where:
                s, i = where[cols[4]]
                spans[cols[0]] = (cols[1], s, i, i + int(cols[5]))
        mentions = []
        for line in show(mirror, FRUE, stem + ".objects").split("\n"):
            cols = line.split("#")[0].split()
            if len(cols) < 3 or cols[1] not in FRUE_NAMES:
                continue
            parts = [spans[x] for x in cols[2:] if x in spans and spans[x][0] in FRUE_NAMES[cols[1]]]
            if not parts or len({p[1] for p in parts}) != 1:
                continue
            mentions.append((parts[0][1], min(p[2] for p in parts), max(p[3] for p in parts), FRUE_KINDS[cols[1]]))
        tags = [["O"] * len(t) for t in sentences]
        for s, a, b, kind in sorted(mentions, key=lambda m: (m[1] - m[2], m[0], m[1])):
            if a >= b or b > len(tags[s]) or any(t != "O" for t in tags[s][a:b]):
                continue
            tags[s][a:b] = ["B-" + kind] + ["I-" + kind] * (b - a - 1)
        docs.append(list(zip(sentences, tags)))
    return docs


def conll_columns(text, token=0, label=-1):
    """Sentences of a CoNLL-style file (blank lines between sentences)."""
    out, tokens, labels = [], [], []
    for line in text.split("\n") + [""]:
        cols = line.split()
        if not cols:
            if tokens:
                out.append((tokens, bio(labels)))
            tokens, labels = [], []
            continue
        tokens.append(cols[token])
        labels.append(cols[label])
    return out


def split(docs):
    """Every 5th document to test, every 10th of the rest to dev."""
    out = {"train": [], "dev": [], "test": []}
    rest = 0
    for i, d in enumerate(docs):
        if i % 5 == 4:
            out["test"].extend(d)
            continue
        out["dev" if rest % 10 == 9 else "train"].extend(d)
        rest += 1
    return out


def write(path, sentences):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        for tokens, tags in sentences:
            f.write(json.dumps({"tokens": tokens, "tags": tags}, ensure_ascii=False) + "\n")


def main():
    mirror = sys.argv[1] if len(sys.argv) > 1 else "/work/.mirror"
    stats = []
    # A corpus whose mirror is absent is skipped (its files here are left as they are).
    for lang, (repo, stem) in UNER.items():
        if not os.path.isdir(os.path.join(mirror, repo)):
            continue
        if lang == "pt":
            parts = {
                s: [x for d in uner(show(mirror, repo, f"{stem}-{s}.iob2")) for x in d]
                for s in ("train", "dev", "test")
            }
        else:
            parts = split(uner(show(mirror, repo, f"{stem}-test.iob2")))
        for s, sentences in parts.items():
            write(os.path.join(OUT, lang, f"{s}.jsonl"), sentences)
            stats.append((lang, repo, commit(mirror, repo), s, sentences))
    repo = "EuropeanaNewspapers+ner-corpora"
    for lang, files in EUROPEANA.items():
        if not os.path.isdir(os.path.join(mirror, repo)):
            continue
        blocks = []
        for f in files:
            blocks.extend(europeana(show(mirror, repo, f"{f}/{f}")))
        for s, sentences in split(blocks).items():
            write(os.path.join(OUT, f"{lang}-enp", f"{s}.jsonl"), sentences)
            stats.append((f"{lang}-enp", repo, commit(mirror, repo), s, sentences))
    if os.path.isdir(os.path.join(mirror, FRUE)):
        for s, sentences in split(factrueval(mirror)).items():
            write(os.path.join(OUT, "ru-frue", f"{s}.jsonl"), sentences)
            stats.append(("ru-frue", FRUE, commit(mirror, FRUE), s, sentences))
    if os.path.isdir(os.path.join(mirror, LINSPECTOR)):
        sentences = conll_columns(show(mirror, LINSPECTOR, "extrinsic/data/ner/ru/train.txt"))
        path = os.path.normpath(os.path.join(HERE, "..", "out", "ner_ml", "ru-wikiner", "train.jsonl"))
        write(path, sentences)
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        if WIKINER_RU_SHA256 and digest != WIKINER_RU_SHA256:
            sys.exit(f"{path}: SHA-256 {digest}, expected {WIKINER_RU_SHA256}")
        stats.append(("ru-wikiner", LINSPECTOR, commit(mirror, LINSPECTOR), "train", sentences))
        print(f"{path}: sha256 {digest}")
    for lang, repo, rev, s, sentences in stats:
        mentions = sum(t.startswith("B-") for _, tags in sentences for t in tags)
        tokens = sum(len(t) for t, _ in sentences)
        print(f"{lang}\t{repo}@{rev[:10]}\t{s}\t{len(sentences)} sentences\t{tokens} tokens\t{mentions} mentions")


if __name__ == "__main__":
    main()
