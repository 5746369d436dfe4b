"""Helpers shared by the provenance benchmark's generator, baseline and evaluator.

Only the standard library: the generator and the evaluator must run with a bare python3.
"""
import gzip
import json
import re

# A word for shingles, coverage and substitution comparison: a run of letters/digits.
# "U.S." is the two words "u" and "s"; "People's" is "people" and "s".
WORD = re.compile(r"\w+")


def open_lines(path):
    """A text reader for a JSON Lines file, gzip-compressed or not."""
    if str(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


def read_jsonl(path):
    """Every JSON object in a JSON Lines file, in order (blank lines skipped)."""
    with open_lines(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path, rows):
    """Writes objects one a line, UTF-8, keys in insertion order (stable bytes)."""
    with open(path, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")


def words(text):
    """The lower-cased words of a text."""
    return WORD.findall(text.lower())


def norm_phrase(text):
    """A substitution side as compared by the evaluator: lower-cased words, one space
    apart, punctuation dropped ("U.S.," -> "u s", "Russian  Federation" -> "russian
    federation"), so that tokenisation choices of a system do not matter."""
    return " ".join(words(text))
