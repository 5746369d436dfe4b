#!/usr/bin/env python3
"""PolNeAR test split -> direct-quote gold, for LOCAL evaluation only (never commit the output).

    polnear.py [--git-dir DIR] [--commit c3eee83] [--split test] [--out bench/out/quotes]

PolNeAR (Newell, Margolin & Ruths 2018, `networkdynamics/PolNeAR`) has no licence; the article
texts belong to their publishers. This script reads a local snapshot of the repository (a bare
git dir, e.g. the one the workspace `fetch` tool makes: /work/.mirror/networkdynamics+PolNeAR/repo)
and writes, under bench/out/ (ignored by git):

  polnear-<split>.jsonl          the direct quotes (the "strict" reading below)
  polnear-<split>-partial.jsonl  the same plus quoted stretches inside other Content spans
  polnear-<split>-docs.jsonl     {"id","text"} input for the systems

Both gold files use the Wikinews gold format: {"id","url","title","text","quotes":[{"start",
"end","text","speaker","accepted_speakers","note"?}]}.

How Content spans become direct quotes:
* Each brat `Attribution` event gives Content (possibly discontinuous, "a b;c d"), Cue and,
  unless it is `Attribution-no-source`, a Source. A Content's region runs from its first
  fragment start to its last fragment end.
* Inside the region, quote marks (" “ ” « ») are paired paragraph by paragraph, as in
  propose.py: a paragraph piece that opens with a mark and has no closing one (a quote that
  runs on into the next paragraph) is one quote to the end of the piece. So a Content that
  reads `“A,” he said, “B.”` splits at the inner close-quote/open-quote pair into two quotes,
  and a multi-paragraph Content gives one quote per paragraph piece.
* strict: the Content is a direct quote when its text (fragments only, not the gaps between
  them) starts with a quote mark and everything outside the paired quoted stretches is
  whitespace or punctuation. Each quoted stretch (marks stripped) becomes a gold quote.
* partial (second file): in addition, every quoted stretch of 3+ characters inside any other
  Content (e.g. `said he is “surprised and troubled” by ...`) becomes a gold quote with that
  Content's Source. These include some scare quotes the annotators put inside a Content.
* speaker = the Source span text (fragments joined by a space), or null without a Source;
  a Source with a comma or an "of/at/for/from/with" phrase also accepts its pieces
  ("Howard Kurtz, Fox News" -> "Howard Kurtz"; "Chris Low at FTN Financial" -> "Chris Low").
  Sources are mentions, not canonical names ("the newspaper", "the CNN host"), so speaker
  accuracy on PolNeAR is a lower bound for systems that output canonical names.
  When the Source is only a pronoun (he, she, they, ...) the gold cannot name the speaker:
  accepted_speakers is ["*"], which evaluate_quotes.py skips in speaker accuracy and accepts
  in the end-to-end score.
* Test articles annotated by several annotators (2 of 84) use the first annotator id in
  sorted order. A quote found twice (two Contents over the same stretch) is kept once.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
sys.path.insert(0, HERE)
import propose  # noqa: E402

PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me",
            "his", "hers", "their", "its", "our", "my", "who", "which", "that", "one"}
MARKS = set('"“”«»„')


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True,
                          capture_output=True).stdout.decode("utf-8")


def parse_ann(ann):
    spans, events = {}, []
    for line in ann.splitlines():
        if not line.strip():
            continue
        cols = line.split("\t")
        if line.startswith("T") and len(cols) >= 3:
            kind, _, offs = cols[1].partition(" ")
            frags = [tuple(map(int, f.split())) for f in offs.split(";")]
            spans[cols[0]] = {"type": kind, "frags": frags, "text": cols[2]}
        elif line.startswith("E"):
            roles = {}
            for part in cols[1].split():
                role, _, ref = part.partition(":")
                roles[role] = ref
            events.append(roles)
    return spans, events


def quoted_stretches(text, s, e):
    """(start, end) of the quoted stretches inside [s, e), marks stripped, paragraph by paragraph."""
    out = []
    for ps, pe in propose.paragraphs(text):
        a, b = max(ps, s), min(pe, e)
        if a >= b:
            continue
        for qs, qe, kind in propose.pair_paragraph(text, a, b):
            if kind in ("pair", "open") and qe > qs:
                out.append((qs, qe))
    return out


def is_direct(text, frags, stretches):
    first = min(f[0] for f in frags)
    lead = first
    while lead < len(text) and text[lead].isspace():
        lead += 1
    if lead >= len(text) or text[lead] not in MARKS:
        return False
    for fs, fe in frags:
        for i in range(fs, fe):
            ch = text[i]
            if ch.isspace() or ch in MARKS or not ch.isalnum():
                continue
            if not any(a <= i < b for a, b in stretches):
                return False
    return True


def speaker_of(spans, roles):
    src = spans.get(roles.get("Source", ""))
    if not src:
        return None, [None], None
    name = " ".join(src["text"].split())
    words = re.findall(r"[A-Za-z']+", name.lower())
    if words and all(w in PRONOUNS for w in words):
        return name, ["*"], "pronoun source; speaker not checked"
    accepted = [name]
    # The Source is a mention, not a canonical name: also accept its comma-separated pieces
    # and a piece cut before " of ", " at ", " for ", " from " ("Howard Kurtz, Fox News" ->
    # "Howard Kurtz"; "Chris Low at FTN Financial" -> "Chris Low").
    for piece in name.split(","):
        for cut in (piece, re.split(r"\s+(?:of|at|for|from|with)\s+", piece)[0]):
            cut = cut.strip(" .;:")
            if cut and cut not in accepted:
                accepted.append(cut)
    return name, accepted, None


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--git-dir", default=os.environ.get("POLNEAR_GIT", "/work/.mirror/networkdynamics+PolNeAR/repo"))
    ap.add_argument("--commit", default="c3eee83")
    ap.add_argument("--split", default="test")
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "out", "quotes"))
    args = ap.parse_args()
    if not os.path.isdir(args.git_dir):
        sys.exit(f"no PolNeAR snapshot at {args.git_dir} (set --git-dir or POLNEAR_GIT)")
    os.makedirs(args.out, exist_ok=True)
    names = git(args.git_dir, "ls-tree", "-r", "--name-only", args.commit, f"data/{args.split}/").split()
    texts = sorted(n for n in names if n.startswith(f"data/{args.split}/text/") and n.endswith(".txt"))
    anns = sorted(n for n in names if n.startswith(f"data/{args.split}/attributions/") and n.endswith(".ann"))
    meta = {}
    for line in git(args.git_dir, "show", f"{args.commit}:data/metadata.tsv").splitlines()[1:]:
        cols = line.split("\t")
        meta[cols[1]] = {"publisher": cols[4], "date": cols[5], "title": cols[7]}

    counts = {"articles": 0, "contents": 0, "direct_contents": 0, "strict_quotes": 0,
              "strict_null_speaker": 0, "strict_pronoun_speaker": 0, "partial_quotes": 0,
              "multi_annotator_articles": 0}
    strict_f = open(os.path.join(args.out, f"polnear-{args.split}.jsonl"), "w", encoding="utf-8")
    partial_f = open(os.path.join(args.out, f"polnear-{args.split}-partial.jsonl"), "w", encoding="utf-8")
    docs_f = open(os.path.join(args.out, f"polnear-{args.split}-docs.jsonl"), "w", encoding="utf-8")
    for tpath in texts:
        stem = os.path.basename(tpath)[:-4]
        cands = [a for a in anns if os.path.basename(a).rsplit("_", 1)[0] == stem]
        if not cands:
            continue
        if len(cands) > 1:
            counts["multi_annotator_articles"] += 1
        text = git(args.git_dir, "show", f"{args.commit}:{tpath}")
        spans, events = parse_ann(git(args.git_dir, "show", f"{args.commit}:{cands[0]}"))
        counts["articles"] += 1
        strict, partial = {}, {}
        for roles in events:
            content = spans.get(roles.get("Content", ""))
            if not content:
                continue
            counts["contents"] += 1
            frags = content["frags"]
            s, e = min(f[0] for f in frags), max(f[1] for f in frags)
            stretches = quoted_stretches(text, s, e)
            speaker, accepted, note = speaker_of(spans, roles)
            direct = is_direct(text, frags, stretches)
            counts["direct_contents"] += direct
            for qs, qe in stretches:
                while qs < qe and text[qs].isspace():
                    qs += 1
                while qe > qs and text[qe - 1].isspace():
                    qe -= 1
                if qe - qs < 1:
                    continue
                q = {"start": qs, "end": qe, "text": text[qs:qe], "speaker": speaker,
                     "accepted_speakers": accepted}
                if note:
                    q["note"] = note
                if direct:
                    strict.setdefault((qs, qe), q)
                    partial.setdefault((qs, qe), q)
                elif qe - qs >= 3:
                    partial.setdefault((qs, qe), dict(q, note=(note + "; " if note else "") + "quoted stretch inside a larger Content"))
        doc_id = "polnear-" + stem
        m = meta.get(stem, {})
        base = {"id": doc_id, "url": None, "title": m.get("title"), "text": text}
        sq = sorted(strict.values(), key=lambda q: q["start"])
        pq = sorted(partial.values(), key=lambda q: q["start"])
        counts["strict_quotes"] += len(sq)
        counts["strict_null_speaker"] += sum(q["speaker"] is None for q in sq)
        counts["strict_pronoun_speaker"] += sum(q["accepted_speakers"] == ["*"] for q in sq)
        counts["partial_quotes"] += len(pq)
        strict_f.write(json.dumps(dict(base, quotes=sq), ensure_ascii=False) + "\n")
        partial_f.write(json.dumps(dict(base, quotes=pq), ensure_ascii=False) + "\n")
        docs_f.write(json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n")
    for f in (strict_f, partial_f, docs_f):
        f.close()
    print(json.dumps({"polnear_" + args.split: counts}))


if __name__ == "__main__":
    main()
