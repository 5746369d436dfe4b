"""Builds a WARC.gz (one gzip member per record, as CC-NEWS is) from the extraction
benchmark's pages, each a `response` record under its real URL, with warcio.

    python warc_build.py OUT.warc.gz SHARED_EXTRACTION_DIR

Prints, as JSON on stdout: the record count and the hosts by record count (bench/warc.sh
picks from them a --host selection that keeps about 10% of the records).
"""
import collections
import gzip
import io
import json
import os
import sys
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter


def pages(root):
    """(url, html bytes) of both datasets: ScrapingHub's 181 pages and fundus's 258."""
    for truth_path, html_dir, name in (
        (os.path.join(root, "ground-truth.json"), os.path.join(root, "html"), lambda k: k + ".html.gz"),
        (os.path.join(root, "fundus", "ground-truth.json"), os.path.join(root, "fundus", "html"), lambda k: k + ".html.gz"),
    ):
        truth = json.load(open(truth_path, encoding="utf-8"))
        for key in sorted(truth):
            path = os.path.join(html_dir, name(key))
            if not os.path.exists(path):
                continue
            with gzip.open(path, "rb") as f:
                yield truth[key].get("url") or f"https://example.invalid/{key}", f.read()


def main(out, root):
    hosts = collections.Counter()
    n = 0
    with open(out, "wb") as f:
        writer = WARCWriter(f, gzip=True)
        for url, html in pages(root):
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(html), http_headers=headers,
                warc_headers_dict={"WARC-Date": "2024-05-03T12:00:00Z"},
            )
            writer.write_record(record)
            hosts[(urlsplit(url).hostname or "").lower()] += 1
            n += 1
    json.dump({"records": n, "hosts": hosts.most_common()}, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:3])
