#!/usr/bin/env python3
"""Check tests/heldout_web_d/gold.json against the page dumps."""
import json, os, re, sys

D = os.path.dirname(os.path.abspath(__file__))
WS = re.compile(r"\s+")
norm = lambda s: WS.sub("", s)
errs = []

try:
    gold = json.load(open(os.path.join(D, "gold.json"), encoding="utf-8"))
except Exception as e:
    print("gold.json invalid:", e); sys.exit(1)

for k in ("schema", "about", "files"):
    if k not in gold:
        errs.append("missing top-level key %s" % k)

for fn, g in gold.get("files", {}).items():
    def err(m):
        errs.append("%s: %s" % (fn, m))
    for k in ("kind", "source", "boilerplate", "items"):
        if k not in g:
            err("missing key " + k)
    kind = g.get("kind", "")
    enc = "gb18030" if "gb18030" in kind.lower() else "utf-8"
    path = os.path.join(D, fn)
    if not os.path.exists(path):
        err("file missing"); continue
    raw = open(path, "rb").read()
    try:
        page = raw.decode(enc)
    except UnicodeDecodeError as e:
        err("decode %s failed: %s" % (enc, e)); continue
    if enc != "utf-8":
        try:
            raw.decode("utf-8"); err("declared %s but decodes as utf-8" % enc)
        except UnicodeDecodeError:
            pass
    npage = norm(page)
    items = g.get("items", [])
    if len(items) != 1:
        err("expected exactly one item")
    bp = g.get("boilerplate", [])
    if not (5 <= len(bp) <= 8):
        err("boilerplate count %d not in 5..8" % len(bp))
    for it in items:
        for k in ("kind", "title_accept", "body", "date_accept", "bylines"):
            if k not in it:
                err("item missing " + k)
        if it.get("kind") != "article":
            err("item kind not article")
        titles = it.get("title_accept", [])
        if not titles or titles[0] not in page:
            err("title_accept[0] not in page: %r" % (titles[:1],))
        for d in it.get("date_accept", []):
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", d):
                err("bad date %r" % d)
        body = it.get("body", "")
        pos = 0
        for para in [p for p in body.split("\n\n") if p.strip()]:
            i = npage.find(norm(para), pos)
            if i < 0:
                err("body paragraph not found in order: %r" % para[:40]); break
            pos = i + len(norm(para))
        for b in bp:
            if b not in page:
                err("boilerplate not in page: %r" % b)
            if b in body or norm(b) in norm(body):
                err("boilerplate in body: %r" % b)
            for t in titles:
                if b in t:
                    err("boilerplate in title: %r" % b)
        for n in it.get("bylines", []):
            if n not in page:
                err("byline not in page: %r" % n)
    src = g.get("source")
    if src is not None and src not in page:
        err("source not in page: %r" % src)

if errs:
    print("\n".join(errs)); print("FAILED (%d)" % len(errs)); sys.exit(1)
print("ALL OK (%d files)" % len(gold["files"]))
