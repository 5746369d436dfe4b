#!/usr/bin/env python3
"""Per-language date accuracy on the fundus set from one evaluate.py run's saved predictions.

    dates.py TRUTH.json SAVE_DIR [--seen SEEN.json] NAME [NAME...]

TRUTH.json is fundus's ground-truth.json; SAVE_DIR holds evaluate.py --save's NAME.json. A page
counts when its ground truth has a date; it is right when the tool's date falls on the same
calendar day (evaluate.py's rule: the first YYYY-MM-DD in each string). Pages are grouped by
the country code their id starts with, countries sharing a language together; a group of
fewer than 3 dated pages is printed but marked, as too small to claim an accuracy from.
With --seen (a JSON list of page ids: the pages looked at while changing lede's dates, see
bench/README.md), a last row scores only the pages not in it.
"""
import json
import re
import sys
from collections import defaultdict

DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")

# Country codes of the fundus ids, grouped by the language their publishers write in.
GROUPS = [
    ("en", "us uk ca au za na tz ls"),
    ("de", "de at ch li lu"),
    ("fr", "fr be"),
    ("es", "es mx py"),
    ("it", "it"), ("pt", "pt"), ("no", "no"), ("sv", "se"), ("da", "dk"), ("pl", "pl"),
    ("cs", "cz"), ("ru", "ru"), ("uk", "ua"), ("tr", "tr"), ("ja", "jp"), ("ko", "kr"),
    ("zh", "cn tw"), ("in", "ind"), ("id", "id"), ("ms", "my"), ("vi", "vn"), ("he", "il"),
    ("ar", "lb"), ("is", "isl"), ("lt", "lt"), ("kl", "gl"),
]


def day(s):
    m = DAY.search(str(s or ""))
    return m.group(0) if m else None


def main(truth_path, save, names, seen=()):
    truth = json.load(open(truth_path, encoding="utf-8"))
    group_of = {c: g for g, cs in GROUPS for c in cs.split()}
    preds = {n: json.load(open(f"{save}/{n}.json", encoding="utf-8"))["output"] for n in names}
    right = {n: defaultdict(int) for n in names}
    count = defaultdict(int)
    for pid, gold in truth.items():
        g = day(gold.get("published"))
        if not g:
            continue
        group = group_of.get(pid.split("-")[0], "other")
        for key in (group, "all") + (() if pid in seen or not seen else ("unseen",)):
            count[key] += 1
            for n in names:
                if day(preds[n].get(pid, {}).get("date")) == g:
                    right[n][key] += 1
    order = [g for g, _ in GROUPS if count[g]] + ["all"] + (["unseen"] if seen else [])
    print(f"{'lang':<6}{'countries':<22}{'pages':>6}" + "".join(f"{n:>14}" for n in names))
    for g in order:
        cs = dict(GROUPS).get(g, "")
        row = f"{g:<6}{cs:<22}{count[g]:>6}"
        for n in names:
            row += f"{right[n][g] / count[g]:>9.3f} ({right[n][g]:>2})" if count[g] else f"{'-':>14}"
        print(row + ("   (< 3 pages)" if count[g] < 3 else ""))


if __name__ == "__main__":
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    args = sys.argv[3:]
    seen = ()
    if args[:1] == ["--seen"]:
        seen = set(json.load(open(args[1], encoding="utf-8")))
        args = args[2:]
    main(sys.argv[1], sys.argv[2], args, seen)
