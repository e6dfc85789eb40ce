#!/usr/bin/env python3
"""Sanity check for tests/heldout_web/gold.json.

Verifies, after NFKC normalisation and removal of all whitespace:
  * every file listed in gold.json exists and decodes (GB18030 when its
    "kind" says so, UTF-8 otherwise; GB18030 files must not be valid UTF-8);
  * every .txt file in the directory is listed in gold.json;
  * every boilerplate string occurs in its file and in no gold body or title
    (of any file);
  * every body paragraph (split on blank lines) occurs in its file;
  * every accepted title occurs in its file;
  * schema fields are present and dates look like YYYY-MM-DD or --MM-DD.
Exit status 0 when everything passes.
"""
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))


def norm(s):
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def read(name, kind):
    raw = open(os.path.join(HERE, name), "rb").read()
    if "GB18030" in kind:
        try:
            raw.decode("utf-8")
            raise ValueError("%s: labelled GB18030 but is valid UTF-8" % name)
        except UnicodeDecodeError:
            pass
        return raw.decode("gb18030")
    return raw.decode("utf-8")


def main():
    gold = json.load(open(os.path.join(HERE, "gold.json"), encoding="utf-8"))
    errors = []
    for key in ("schema", "about", "files"):
        if key not in gold:
            errors.append("missing top-level key %r" % key)
    files = gold["files"]
    on_disk = sorted(f for f in os.listdir(HERE) if f.endswith(".txt"))
    if sorted(files) != on_disk:
        errors.append("gold files %s != disk files %s" % (sorted(files), on_disk))

    texts = {}
    all_content = []  # normalised bodies and titles of every file
    for name, entry in files.items():
        try:
            texts[name] = norm(read(name, entry["kind"]))
        except Exception as e:  # noqa
            errors.append("%s: cannot read: %s" % (name, e))
            continue
        for k in ("kind", "source", "boilerplate", "items"):
            if k not in entry:
                errors.append("%s: missing key %r" % (name, k))
        for it in entry["items"]:
            all_content.append(norm(it["body"]))
            all_content.extend(norm(t) for t in it["title_accept"])

    n_par = 0
    for name, entry in files.items():
        if name not in texts:
            continue
        t = texts[name]
        if not 3 <= len(entry["boilerplate"]) <= 6:
            errors.append("%s: %d boilerplate strings" % (name, len(entry["boilerplate"])))
        for b in entry["boilerplate"]:
            nb = norm(b)
            if not nb or nb not in t:
                errors.append("%s: boilerplate not in file: %r" % (name, b))
            for c in all_content:
                if nb in c:
                    errors.append("%s: boilerplate occurs in a gold body/title: %r" % (name, b))
                    break
        for it in entry["items"]:
            if it.get("kind") != "article":
                errors.append("%s: item kind %r" % (name, it.get("kind")))
            for title in it["title_accept"]:
                if norm(title) not in t:
                    errors.append("%s: title not in file: %r" % (name, title))
            paras = [p for p in it["body"].split("\n\n")]
            for p in paras:
                n_par += 1
                if not norm(p):
                    errors.append("%s: empty paragraph in body" % name)
                elif norm(p) not in t:
                    errors.append("%s: paragraph not in file: %r" % (name, p[:40]))
            for d in it["date_accept"] or []:
                if not re.fullmatch(r"(\d{4}|-)-\d{2}-\d{2}", d):
                    errors.append("%s: bad date %r" % (name, d))
            if not isinstance(it["bylines"], list):
                errors.append("%s: bylines not a list" % name)

    for e in errors:
        print("FAIL", e)
    print("%d files, %d body paragraphs checked, %d errors" % (len(files), n_par, len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
