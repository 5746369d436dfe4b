#!/usr/bin/env python3
"""htmldate as a peer for the date column of the extraction benchmark (bench/dates.sh).

    htmldate_batch.py IN_DIR OUT_DIR [--meta]   IN_DIR/<id>.html -> OUT_DIR/<id>.json

find_date(html, url=..., original_date=True): the publication date, not the last update
(fundus's ground truth is the publication date), with htmldate's default extensive search.
The text is left empty: only the date is scored. Runs through the shared benchmark's adapter
loop (peers/_common.py there: $BENCH_URLS, _run.json with the core seconds).
"""
import os
import sys

shared = os.environ.get("BENCH_PEERS") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "bench", "extraction", "peers")
sys.path.insert(0, shared)

from htmldate import find_date  # noqa: E402
from _common import dist_version, main  # noqa: E402


def extract(html, url, meta):
    return {"text": "", "date": find_date(html, url=url or None, original_date=True)}


if __name__ == "__main__":
    main(extract, dist_version("htmldate"))
