"""The pipeline people write today to turn a WARC into articles (what news-please does for
CC-NEWS): warcio reads the records, trafilatura extracts each HTML response with its
metadata, and each article is one JSON line.

    python warcio_trafilatura.py IN.warc.gz OUT.jsonl

Prints the number of records read and articles written, as JSON.
"""
import json
import sys

import trafilatura
from warcio.archiveiterator import ArchiveIterator


def main(src, out):
    records = articles = 0
    with open(src, "rb") as f, open(out, "w", encoding="utf-8") as sink:
        for record in ArchiveIterator(f):
            if record.rec_type != "response":
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type:
                continue
            records += 1
            url = record.rec_headers.get_header("WARC-Target-URI")
            html = record.content_stream().read()
            doc = trafilatura.extract(html, url=url, output_format="json", with_metadata=True)
            if doc:
                sink.write(doc.replace("\n", " ") + "\n")
                articles += 1
    json.dump({"records": records, "articles": articles}, sys.stdout)


if __name__ == "__main__":
    main(*sys.argv[1:3])
