"""The held-out splits of bench/entities/data/ner_ml as documents that lede (entities_ml.rs)
and spaCy (spacy_ml.py) read as they read pages, and their scoring: exact span and kind.

Each gold sentence is a paragraph (its tokens joined by spaces); BLOCK consecutive sentences
make one document, so article-level reading (a surname after the full name) has some
context, for lede and spaCy alike.

  python heldout.py docs LANG TEST.jsonl > docs.jsonl
  python heldout.py score TEST.jsonl LABEL=OUT.jsonl[:timing.json] ...
"""
import json
import sys

BLOCK = 10
KIND = {"PERSON": "Person", "ORG": "Organization", "PLACE": "Place"}


def sentences(path):
    return [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]


def docs(lang, path):
    ss = sentences(path)
    for b in range(0, len(ss), BLOCK):
        paragraphs = [" ".join(s["tokens"]) for s in ss[b : b + BLOCK]]
        print(json.dumps({"id": f"{b // BLOCK}", "lang": lang, "paragraphs": paragraphs}, ensure_ascii=False))


def gold(path):
    """(doc, paragraph, start byte, end byte) -> kind."""
    out = {}
    for n, s in enumerate(sentences(path)):
        starts, at = [], 0
        for t in s["tokens"]:
            starts.append(at)
            at += len(t.encode()) + 1
        key = (str(n // BLOCK), n % BLOCK)
        i, tags = 0, s["tags"]
        while i < len(tags):
            if tags[i] == "O":
                i += 1
                continue
            kind = tags[i][2:]
            end = i + 1
            while end < len(tags) and tags[end] == "I-" + kind:
                end += 1
            out[key + (starts[i], starts[end - 1] + len(s["tokens"][end - 1].encode()))] = KIND[kind]
            i = end
    return out


def score(path, systems):
    g = gold(path)
    print(f"| system | PER F1 | ORG F1 | LOC F1 | all P / R / F1 | sentences/s |")
    print("| --- | --- | --- | --- | --- | --- |")
    for arg in systems:
        label, files = arg.split("=", 1)
        out, _, timing = files.partition(":")
        pred = {}
        for line in open(out, encoding="utf-8"):
            d = json.loads(line)
            for m in d["mentions"]:
                pred[(d["id"], m["paragraph"], m["start"], m["end"])] = m["kind"]
        cells = []
        for kind in ["Person", "Organization", "Place", None]:
            gs = {k for k, v in g.items() if kind is None or v == kind}
            ps = {k for k, v in pred.items() if kind is None or v == kind}
            tp = sum(1 for k in ps & gs if pred[k] == g[k])
            p = tp / len(ps) if ps else 0.0
            r = tp / len(gs) if gs else 0.0
            f = 2 * p * r / (p + r) if p + r else 0.0
            cells.append(f"{p:.3f} / {r:.3f} / **{f:.3f}**" if kind is None else f"{f:.3f}")
        speed = ""
        if timing:
            t = json.load(open(timing))
            speed = f"{t['sentences'] / t['seconds']:.0f}"
        print(f"| {label} | " + " | ".join(cells) + f" | {speed} |")


if __name__ == "__main__":
    if sys.argv[1] == "docs":
        docs(sys.argv[2], sys.argv[3])
    else:
        score(sys.argv[2], sys.argv[3:])
