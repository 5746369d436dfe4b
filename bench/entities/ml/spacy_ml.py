"""spaCy's small news model for one language on the benchmark documents, in the output
format of crates/entities/examples/entities_ml.rs (character offsets converted to bytes).
Usage: python spacy_ml.py MODEL LANG REPEAT < docs.jsonl > out.jsonl"""
import json
import sys
import time

import spacy

KINDS = {"PER": "Person", "PERSON": "Person", "ORG": "Organization", "LOC": "Place", "GPE": "Place"}


def main():
    model, lang, repeat = sys.argv[1], sys.argv[2], int(sys.argv[3])
    nlp = spacy.load(model)
    docs = [json.loads(line) for line in sys.stdin if line.strip()]
    docs = [d for d in docs if d["lang"] == lang]
    sentences, start = 0, time.perf_counter()
    for r in range(repeat):
        for d in docs:
            mentions = []
            for p, text in enumerate(d["paragraphs"]):
                doc = nlp(text)
                sentences += sum(1 for _ in doc.sents)
                for e in doc.ents:
                    if e.label_ in KINDS:
                        mentions.append({
                            "paragraph": p,
                            "start": len(text[: e.start_char].encode()),
                            "end": len(text[: e.end_char].encode()),
                            "kind": KINDS[e.label_],
                            "name": e.text,
                        })
            if r == 0:
                print(json.dumps({"id": d["id"], "mentions": mentions}, ensure_ascii=False))
    seconds = time.perf_counter() - start
    print(json.dumps({"documents": len(docs) * repeat, "sentences": sentences, "seconds": seconds}),
          file=sys.stderr)


if __name__ == "__main__":
    main()
