#!/usr/bin/env python3
"""Build the Portuguese and Dutch quote gold sets (issue #17) from Universal Dependencies
treebanks of news text and the hand review files `review-ud-<lang>.txt`.

    build_ud.py [--out DIR]            # write gold-pt.jsonl and gold-nl-lassy.jsonl
    build_ud.py --propose LANG         # list the candidates of the documents to review

Sources (CC BY-SA 4.0; the sentences' `# text` lines, untouched):
- pt: UD_Portuguese-Bosque (newspaper extracts of CETEMPúblico, Portugal, ids CP…, and
  CETENFolha, Brazil, ids CF…), $UD_BOSQUE_GIT (default
  /work/.mirror/UniversalDependencies+UD_Portuguese-Bosque/repo), files
  pt_bosque-ud-{dev,test}.conllu; one document per `newdoc_id`, its sentences joined by a
  space into one paragraph (Bosque keeps no paragraphs).
- nl: UD_Dutch-Alpino (its dev and test halves are the newspaper section WR-P-P-H of
  Lassy Small, plus WR-P-P-L), $UD_ALPINO_GIT (default
  /work/.mirror/UniversalDependencies+UD_Dutch-Alpino/repo), files
  nl_alpino-ud-{dev,test}.conllu; one document per file id before the backslash of
  `sent_id`, paragraphs from its `.p.N.` part, sentences joined by a space.

The UD dev file gives the `dev` half, the UD test file the `test` half. A document is a
candidate for review when it holds a quotation mark of any style or a speech cue; review
lines are those of build.py (ID N SPEAKER [|| ALT ...], ID N DROP, ID + @TEXT@[#K] SPEAKER).
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = {
    "pt": (os.environ.get("UD_BOSQUE_GIT",
                          "/work/.mirror/UniversalDependencies+UD_Portuguese-Bosque/repo"),
           "pt_bosque-ud-{}.conllu", "gold-pt.jsonl", "UD_Portuguese-Bosque"),
    "nl": (os.environ.get("UD_ALPINO_GIT",
                          "/work/.mirror/UniversalDependencies+UD_Dutch-Alpino/repo"),
           "nl_alpino-ud-{}.conllu", "gold-nl-lassy.jsonl", "UD_Dutch-Alpino"),
}
# Quotation styles of these languages: «…» and “…” (pt), Dutch ,,…'' and ‚‚…’’ (low-high, as
# Dutch newspapers print them), "…", and single '…' (often scare quotes; reviewed).
PAIRS = [("«", "»"), ("“", "”"), ('"', '"'), (",,", "''"), (",,", "”"), ("„", "”"),
         ("„", "“"), ("'", "'"), ("‘", "’")]
# A single straight mark opens only after a space or the start and closes only before a
# non-letter ("Rabo's" holds none).
CANDIDATE = re.compile("|".join(
    ("(?<!\\w)" if o == "'" else "") + re.escape(o) + "((?:(?!" + re.escape(c) + ").){2,2000}?)"
    + re.escape(c) + ("(?!\\w)" if c == "'" else "") for o, c in PAIRS))
CUES = {
    "pt": re.compile(r"\b(disse|diz|afirmou|afirma|declarou|segundo|de acordo com|explicou|"
                     r"acrescentou|contou|garantiu|disseram|afirmaram)\b", re.I),
    "nl": re.compile(r"\b(zei|zegt|zeggen|zeiden|aldus|volgens|verklaarde|stelt|stelde)\b",
                     re.I),
}


def read_git(repo, path):
    return subprocess.run(["git", "--git-dir", repo, "show", f"HEAD:{path}"], check=True,
                          capture_output=True, text=True).stdout


def documents(lang, half):
    """[(doc id, [paragraph text])] in file order."""
    repo, pattern, _, _ = SOURCES[lang]
    docs, order = {}, []
    doc, para = None, None
    for line in read_git(repo, pattern.format(half)).splitlines():
        if lang == "pt" and line.startswith("# newdoc_id = "):
            doc, para = line.split("= ", 1)[1].strip(), 0
        elif lang == "nl" and line.startswith("# sent_id = "):
            sid = line.split("= ", 1)[1].strip()
            doc = sid.split("\\")[0]
            m = re.search(r"\.p\.(\d+)\.s\.", sid)
            para = int(m.group(1)) if m else 0
        elif line.startswith("# text = "):
            text = line.split("= ", 1)[1].strip()
            if doc not in docs:
                docs[doc] = {}
                order.append(doc)
            docs[doc].setdefault(para, []).append(text)
    return [(d, [" ".join(s) for _, s in sorted(docs[d].items())]) for d in order]


def candidates(paras):
    """[(paragraph index, match)] in reading order."""
    return [(i, c) for i, p in enumerate(paras) for c in CANDIDATE.finditer(p)]


def propose(lang):
    for half in ("dev", "test"):
        for doc, paras in documents(lang, half):
            cands = candidates(paras)
            text = "\n\n".join(paras)
            if not cands and not CUES[lang].search(text):
                continue
            print(f"=== {half} {doc}")
            print(text)
            for k, (_, c) in enumerate(cands, 1):
                print(f"  [{k}] {c.group(0)}")


def speakers(field):
    names = [s.strip() for s in field.split("||")]
    names = [None if s == "null" else s for s in names]
    return names[0], names


def build(lang, out_dir):
    _, _, out_name, source = SOURCES[lang]
    review = os.path.join(HERE, f"review-ud-{lang}.txt")
    decisions, order = {}, []
    for n, line in enumerate(open(review, encoding="utf-8"), 1):
        line = line.split("   #")[0].strip()
        if not line or line.startswith("#"):
            continue
        doc, key, rest = (line.split(" ", 2) + [""])[:3]
        if doc not in decisions:
            decisions[doc] = {"pick": {}, "add": []}
            order.append(doc)
        if key == "+":
            mm = re.fullmatch(r"@(.+)@(?:#(\d+))?\s+(.+)", rest)
            if not mm:
                sys.exit(f"{review}:{n}: bad addition: {line}")
            decisions[doc]["add"].append((mm.group(1), int(mm.group(2) or 1), mm.group(3)))
        elif key == "-":
            pass  # a document read and found to hold no quote
        else:
            decisions[doc]["pick"][int(key)] = rest.strip()
    halves = {d: (h, p) for h in ("dev", "test") for d, p in documents(lang, h)}
    out = []
    for doc in order:
        half, paras = halves[doc]
        text = "\n\n".join(paras)
        quotes, at, k = [], 0, 0
        for p in paras:
            for c in CANDIDATE.finditer(p):
                k += 1
                verdict = decisions[doc]["pick"].pop(k, None)
                if verdict is None:
                    sys.exit(f"{review}: {doc} candidate {k} has no decision: {c.group(0)!r}")
                if verdict == "DROP":
                    continue
                g = next(i for i in range(1, len(c.groups()) + 1) if c.group(i) is not None)
                s, e = at + c.start(g), at + c.end(g)
                first, accepted = speakers(verdict)
                quotes.append({"start": s, "end": e, "text": text[s:e], "speaker": first,
                               "accepted_speakers": accepted})
            at += len(p) + 2
        if decisions[doc]["pick"]:
            sys.exit(f"{review}: {doc}: decisions without a candidate: {decisions[doc]['pick']}")
        for span, nth, who in decisions[doc]["add"]:
            s = -1
            for _ in range(nth):
                s = text.find(span, s + 1)
                if s < 0:
                    sys.exit(f"{review}: {doc}: not in the text: {span!r}#{nth}")
            first, accepted = speakers(who)
            quotes.append({"start": s, "end": s + len(span), "text": span, "speaker": first,
                           "accepted_speakers": accepted})
        quotes.sort(key=lambda q: q["start"])
        out.append({"id": doc, "language": lang, "split": half,
                    "source": f"{source} (CC BY-SA 4.0), {doc}", "text": text,
                    "quotes": quotes})
    path = os.path.join(out_dir, out_name)
    with open(path, "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    n = {s: sum(len(r["quotes"]) for r in out if r["split"] == s) for s in ("dev", "test")}
    d = {s: sum(1 for r in out if r["split"] == s) for s in ("dev", "test")}
    print(f"{lang}: {d['dev']} + {d['test']} documents, {n['dev']} dev + {n['test']} test "
          f"quotes -> {path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=HERE)
    ap.add_argument("--propose", metavar="LANG")
    args = ap.parse_args()
    if args.propose:
        propose(args.propose)
        return
    for lang in SOURCES:
        build(lang, args.out)


if __name__ == "__main__":
    main()
