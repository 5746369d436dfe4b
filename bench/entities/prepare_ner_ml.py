"""Builds the non-English tagger data (issue #17) in bench/entities/data/ner_ml/ from
openly licensed corpora read out of their git mirrors (no network):

- Universal NER v1: Portuguese Bosque (CC BY-SA 4.0; its own train/dev/test), German PUD and
  Russian PUD (CC BY-SA 3.0; one test file each: every 5th document to test, every 10th of
  the rest to dev, the others to train);
- Europeana Newspapers NER corpora (CC0): German (lft, onb, sbb), French (bnf), Dutch (kb),
  OCR of historic newspapers with no sentence breaks: sentences are cut after ".", "!", "?"
  (and at 60 tokens), grouped 20 to a block, and every 5th block goes to test, every 10th
  of the rest to dev.

Output: <lang>/ from Universal NER, <lang>-enp/ from Europeana, each with train.jsonl,
dev.jsonl and test.jsonl: one sentence per line, {"tokens": [...], "tags": [...]}, BIO tags PERSON / ORG /
PLACE (UNER's PER/ORG/LOC; its OTH and Europeana's stray labels become O), the same format
as bench/entities/data/ner (see prepare_ner.py). The splits are deterministic. Licences and
attribution: bench/entities/data/ner_ml/NOTICE.md.

  python3 bench/entities/prepare_ner_ml.py [/work/.mirror]
"""
import json
import os
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


def show(mirror, repo, path):
    git = os.path.join(mirror, repo, "repo")
    return subprocess.run(
        ["git", "-C", git, "show", "HEAD:" + path], check=True, capture_output=True
    ).stdout.decode("utf-8")


def commit(mirror, repo):
    git = os.path.join(mirror, repo, "repo")
    return subprocess.run(
        ["git", "-C", git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
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
    for lang, (repo, stem) in UNER.items():
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
        blocks = []
        for f in files:
            blocks.extend(europeana(show(mirror, repo, f"{f}/{f}")))
        for s, sentences in split(blocks).items():
            write(os.path.join(OUT, f"{lang}-enp", f"{s}.jsonl"), sentences)
            stats.append((f"{lang}-enp", repo, commit(mirror, repo), s, sentences))
    for lang, repo, rev, s, sentences in stats:
        mentions = sum(t.startswith("B-") for _, tags in sentences for t in tags)
        tokens = sum(len(t) for t, _ in sentences)
        print(f"{lang}\t{repo}@{rev[:10]}\t{s}\t{len(sentences)} sentences\t{tokens} tokens\t{mentions} mentions")


if __name__ == "__main__":
    main()
