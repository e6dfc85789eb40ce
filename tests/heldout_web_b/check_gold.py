#!/usr/bin/env python3
"""Sanity check for tests/heldout_web_b/gold.json: every gold body and headline is in its page, every boilerplate string is too and never in the gold text."""
import json, os, re, sys

D = os.path.dirname(os.path.abspath(__file__))
ok = True


def nows(s):
    return "".join(s.split())


def fail(msg):
    global ok
    ok = False
    print("FAIL", msg)


gold = json.load(open(os.path.join(D, "gold.json"), encoding="utf-8"))
assert set(gold) == {"schema", "about", "files"}, gold.keys()
names = sorted(f for f in os.listdir(D) if re.match(r"p\d\d_.*\.txt$", f))
if names != sorted(gold["files"]):
    fail("file list mismatch: %s vs %s" % (names, sorted(gold["files"])))
nenc = {"utf-8": 0, "gb18030": 0}
for fn, g in sorted(gold["files"].items()):
    raw = open(os.path.join(D, fn), "rb").read()
    enc = "gb18030" if "gb18030" in g["kind"] else "utf-8"
    nenc[enc] += 1
    try:
        page = raw.decode(enc)
    except UnicodeDecodeError as e:
        fail("%s: cannot decode as %s: %s" % (fn, enc, e)); continue
    if enc == "gb18030":
        try:
            raw.decode("utf-8"); fail("%s: gb18030 file also decodes as utf-8" % fn)
        except UnicodeDecodeError:
            pass
    P = nows(page)
    nlines = page.count("\n")
    if not 60 <= nlines <= 250:
        fail("%s: %d lines" % (fn, nlines))
    assert set(g) == {"kind", "source", "boilerplate", "items"}, (fn, g.keys())
    if g["source"] is not None and nows(g["source"]) not in P:
        fail("%s: source %r not in page" % (fn, g["source"]))
    items = g["items"]
    if len(items) != 1:
        fail("%s: %d items" % (fn, len(items)))
    it = items[0]
    assert set(it) == {"kind", "title_accept", "body", "date_accept", "bylines"}, it.keys()
    assert it["kind"] == "article"
    if nows(it["title_accept"][0]) not in P:
        fail("%s: headline not in page" % fn)
    for d in it["date_accept"]:
        if not re.fullmatch(r"\d{4}-\d\d-\d\d", d):
            fail("%s: bad date %r" % (fn, d))
    for b in it["bylines"]:
        if nows(b) not in P:
            fail("%s: byline %r not in page" % (fn, b))
    body = it["body"]
    B = nows(body)
    paras = [p for p in body.split("\n\n") if p.strip()]
    pos = 0
    for p in paras:
        i = P.find(nows(p), pos)
        if i < 0:
            fail("%s: paragraph not found in order: %s..." % (fn, p[:30])); break
        pos = i + len(nows(p))
    contiguous = B in P
    titles = [nows(t) for t in it["title_accept"]]
    if not 5 <= len(g["boilerplate"]) <= 8:
        fail("%s: %d boilerplate strings" % (fn, len(g["boilerplate"])))
    for s in g["boilerplate"]:
        S = nows(s)
        if S not in P:
            fail("%s: boilerplate not in page: %r" % (fn, s))
        if S in B:
            fail("%s: boilerplate inside body: %r" % (fn, s))
        if any(S in t for t in titles):
            fail("%s: boilerplate inside title: %r" % (fn, s))
    print("%-45s %-8s lines=%3d paras=%2d bodychars=%4d contiguous=%s" % (
        fn, enc, nlines, len(paras), len(B), contiguous))
print("encodings:", nenc)
print("ALL OK" if ok else "PROBLEMS FOUND")
sys.exit(0 if ok else 1)
