#!/usr/bin/env python3
"""Sanity check for tests/heldout_web_c/gold.json: bodies, titles, dates, bylines and chrome strings against the page dumps."""
import json, os, re, sys

D = os.path.dirname(os.path.abspath(__file__))
errors = []


def err(msg):
    errors.append(msg)


def norm(s):
    return re.sub(r'\s+', '', s)


def enc_of(kind):
    k = kind.lower()
    for e in ('gb18030', 'big5', 'utf-8'):
        if e in k:
            return e
    return None


try:
    with open(os.path.join(D, 'gold.json'), encoding='utf-8') as f:
        gold = json.load(f)
except Exception as e:
    print('gold.json invalid:', e)
    sys.exit(1)

if set(gold) != {'schema', 'about', 'files'}:
    err('top-level keys: %s' % sorted(gold))
files = gold.get('files', {})
if len(files) != 16:
    err('expected 16 files, got %d' % len(files))
on_disk = sorted(x for x in os.listdir(D) if re.match(r'q\d\d_.*\.txt$', x))
if on_disk != sorted(files):
    err('files on disk %s != gold %s' % (on_disk, sorted(files)))
encs = {}

for name, g in sorted(files.items()):
    if set(g) != {'kind', 'source', 'boilerplate', 'items'}:
        err('%s: keys %s' % (name, sorted(g)))
        continue
    enc = enc_of(g['kind'])
    if not enc:
        err('%s: no encoding in kind' % name)
        continue
    encs[enc] = encs.get(enc, 0) + 1
    raw = open(os.path.join(D, name), 'rb').read()
    try:
        page = raw.decode(enc)
    except UnicodeDecodeError as e:
        err('%s: does not decode as %s: %s' % (name, enc, e))
        continue
    if enc != 'utf-8':
        try:
            raw.decode('utf-8')
            err('%s: claims %s but is valid utf-8' % (name, enc))
        except UnicodeDecodeError:
            pass
    npage = norm(page)
    nlines = page.count('\n')
    if not 60 <= nlines <= 250:
        err('%s: %d lines' % (name, nlines))
    items = g['items']
    if len(items) != 1:
        err('%s: %d items' % (name, len(items)))
        continue
    it = items[0]
    if set(it) != {'kind', 'title_accept', 'body', 'date_accept', 'bylines'} or it['kind'] != 'article':
        err('%s: item keys/kind wrong' % name)
        continue
    body = it['body']
    blen = len(norm(body))
    if not 300 <= blen <= 1500:
        err('%s: body length %d' % (name, blen))
    # body paragraphs in order
    pos = 0
    for para in [p for p in body.split('\n\n') if p.strip()]:
        np_ = norm(para)
        idx = npage.find(np_, pos)
        if idx < 0:
            err('%s: paragraph not found in order: %s...' % (name, para[:30]))
        else:
            pos = idx + len(np_)
    # titles
    titles = it['title_accept']
    if not titles:
        err('%s: no title_accept' % name)
    elif titles[0] not in page:
        err('%s: title_accept[0] not in page' % name)
    for t in titles[1:]:
        if norm(t) not in npage:
            # variants may join 引题 + 标题 across lines
            pass
    # boilerplate
    bp = g['boilerplate']
    if not 5 <= len(bp) <= 8:
        err('%s: %d boilerplate strings' % (name, len(bp)))
    nbody = norm(body)
    for b in bp:
        if b not in page:
            err('%s: boilerplate not in page: %r' % (name, b))
        if norm(b) in nbody:
            err('%s: boilerplate in body: %r' % (name, b))
        for t in titles:
            if norm(b) in norm(t):
                err('%s: boilerplate in title: %r' % (name, b))
    # dates
    for d in it['date_accept']:
        m = re.fullmatch(r'(\d{4})-(\d\d)-(\d\d)', d)
        if not m:
            err('%s: bad date %r' % (name, d))
            continue
        y, mo, da = m.groups()
        forms = [d, '%s/%s/%s' % (y, mo, da), '%s年%s月%s日' % (y, mo, da),
                 '%s年%d月%d日' % (y, int(mo), int(da)), '%s.%s.%s' % (y, mo, da)]
        if not any(f in page for f in forms):
            err('%s: date %s not printed in page' % (name, d))
    # bylines and source
    for b in it['bylines']:
        if b not in page:
            err('%s: byline %s not in page' % (name, b))
    if g['source'] is not None and g['source'] not in page:
        err('%s: source %s not in page' % (name, g['source']))

if encs.get('gb18030') != 2 or encs.get('big5') != 1:
    err('encoding counts: %s' % encs)
mobile = [n for n, g in files.items() if 'mobile' in g['kind']]
for n in mobile:
    enc = enc_of(files[n]['kind'])
    txt = open(os.path.join(D, n), 'rb').read().decode(enc)
    if '\n\n' in txt:
        err('%s: mobile dump has blank lines' % n)

if errors:
    for e in errors:
        print('FAIL', e)
    sys.exit(1)
print('ALL OK')
