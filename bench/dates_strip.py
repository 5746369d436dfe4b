#!/usr/bin/env python3
"""Copies a directory of pages without what declares their date, so that only the visible
text can date them (bench/dates.sh --visible).

    dates_strip.py IN_DIR OUT_DIR

Removed: <script> blocks (JSON-LD and the JSON state some pages carry), <meta> and <link>
tags (OpenGraph, Dublin Core, canonical addresses, whose paths often hold the date),
`datetime` attributes and `data-*` attributes whose name mentions a date or time. What a
reader sees (a <time> element's text, a dateline, a byline) stays.
"""
import os
import re
import sys

SCRIPT = re.compile(r"<script\b.*?</script\s*>", re.I | re.S)
TAG = re.compile(r"<(?:meta|link)\b[^>]*>", re.I)
ATTR = re.compile(r"""\s(?:datetime|data-[\w-]*(?:date|time|dt)[\w-]*)\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)


def strip(html):
    return ATTR.sub("", TAG.sub("", SCRIPT.sub("", html)))


def main(src, dst):
    os.makedirs(dst, exist_ok=True)
    for name in os.listdir(src):
        if name.endswith(".html"):
            with open(os.path.join(src, name), encoding="utf-8", errors="replace") as f:
                html = f.read()
            with open(os.path.join(dst, name), "w", encoding="utf-8") as f:
                f.write(strip(html))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
