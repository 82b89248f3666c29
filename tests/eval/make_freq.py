#!/usr/bin/env python3
"""Write a `word<TAB>count` frequency file from JSONL document bodies.

Usage: tests/eval/make_freq.py OUT.tsv FILE.jsonl...
For tuning the splitter (`findling analyze --split --freq OUT.tsv`). The
counts come from licence-restricted test data: write them to a temp dir,
never commit or ship them.
"""
import collections
import json
import re
import sys
import unicodedata

WORD = re.compile(r"[^\W\d_]+")


def main():
    out, files = sys.argv[1], sys.argv[2:]
    cnt = collections.Counter()
    for path in files:
        for line in open(path, encoding="utf-8"):
            doc = json.loads(line)
            text = " ".join(str(doc.get(k) or "") for k in ("title", "body"))
            text = unicodedata.normalize("NFC", text)
            cnt.update(w.lower() for w in WORD.findall(text))
    with open(out, "w", encoding="utf-8") as f:
        for w, n in cnt.most_common():
            f.write("%s\t%d\n" % (w, n))


if __name__ == "__main__":
    main()
