"""One synthesis of N realistic articles for every benchmark (list page, search, load).

    .venv/bin/python -m benchmarks.synthesis --articles 1000000 --database-url postgres://postgres@127.0.0.1:5432/bench1m
    .venv/bin/python -m benchmarks.synthesis --articles 1000000 --database-url sqlite:////tmp/bench1m.sqlite3

Builds (or rebuilds) a benchmark database: migrate, load the regions, ingest
the sample corpus/, then bulk-insert N synthetic articles, then analyze. It
always runs with DEBUG off (with DEBUG on Django keeps every query in memory:
a 1M build grew to 1 GB within 75k rows).

The text is made for realistic term frequencies. Bodies are 6–24 sentences:
2% from the sample corpus/ (Simplified, pinyin glosses dropped), the rest
synthetic sentences whose words are drawn from jieba's dictionary in
proportion to their frequencies (a Zipf curve), one in ten naming a county.
On top of that, terms are planted on purpose at known rates (PLANTED), so a
benchmark can ask for a common, a mid-frequency and a rare term and know what
to expect. Each pool sentence is segmented once: jieba cuts at punctuation,
so joining per-sentence segmentations is the search_document that segmenting
the whole body would give, at a fraction of the cost.

Facets: 80% of articles in a county, 10% a city, 5% a province, 5% none, over
the whole gazetteer with a bias to Shaanxi (the sample corpus's province, so
region=610000 and 611000 are well filled); 2015–2024 with 20% lacking the
year and 10% any date; 1–3 themes (epidemic follows the planted 疫情), 30
sources, the three kinds; 2% hidden.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# term: share of articles whose body contains it (planted in one extra sentence).
PLANTED = {
    "疫情": 0.40,  # common: the broad search
    "乡村振兴": 0.05,  # mid
    "垃圾分类": 0.005,  # rare-ish
    "量子通信": 0.0001,  # rare: ~100 at 1M
}
PLANT_TEMPLATES = ["{place}{term}工作稳步推进。", "围绕{term}，{place}召开专题会议。", "{place}群众关注{term}相关情况。"]
CORPUS_SHARE = 0.02
SHAANXI = "61"
SHAANXI_SHARE = 0.3
BATCH = 5_000


def _corpus_sentences() -> list[str]:
    from articles.text.chinese import to_simplified

    pinyin = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,8}\)")
    sentences = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        text = to_simplified(pinyin.sub("", path.read_text(encoding="utf-8", errors="replace")))
        for sentence in re.findall(r"[^。！？\n]+[。！？]", text):
            sentence = sentence.strip(" #\u3000")
            if 8 <= len(sentence) <= 160:
                sentences.append(sentence)
    return sentences


def dictionary_words() -> tuple[list[str], list[float]]:
    """jieba's dictionary words of 1–4 Han characters and their cumulative frequencies (for rng.choices)."""
    import jieba

    words, cumulative, total = [], [], 0.0
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as handle:
        for line in handle:
            word, freq, *_ = line.split()
            if 1 <= len(word) <= 4 and all("\u4e00" <= ch <= "\u9fff" for ch in word) and word not in PLANTED:
                total += float(freq)
                words.append(word)
                cumulative.append(total)
    return words, cumulative


def make_sentence(rng: random.Random, words: list[str], cumulative: list[float], places: list[str] | None = None) -> str:
    """A sentence of 6–16 dictionary words drawn by frequency, in two clauses; led by a place when ``places`` is given."""
    count = rng.randint(6, 16)
    picked = rng.choices(words, cum_weights=cumulative, k=count)
    cut = rng.randint(2, count - 2)
    sentence = "".join(picked[:cut]) + "，" + "".join(picked[cut:]) + "。"
    return rng.choice(places) + sentence if places else sentence


def make_title(rng: random.Random, words: list[str], cumulative: list[float]) -> str:
    """A headline of 3–7 dictionary words drawn by frequency."""
    return "".join(rng.choices(words, cum_weights=cumulative, k=rng.randint(3, 7)))


class Pool:
    """Pre-segmented sentences, titles and planted sentences: (text, segmentation) pairs."""

    def __init__(self, rng: random.Random, county_names: list[str], size: int = 30_000) -> None:
        from articles.search.segment import segment

        words, cumulative = dictionary_words()
        made = [make_sentence(rng, words, cumulative, county_names if i % 10 == 0 else None) for i in range(size)]
        titles = [make_title(rng, words, cumulative) for _ in range(5_000)]
        self.synthetic = [(s, segment(s)) for s in made]
        self.corpus = [(s, segment(s)) for s in _corpus_sentences()]
        self.titles = [(t, segment(t)) for t in titles]
        places = rng.sample(county_names, min(200, len(county_names)))
        self.planted = {
            term: [(s, segment(s)) for s in (t.format(place=p, term=term) for p in places for t in PLANT_TEMPLATES)]
            for term in PLANTED
        }


def _setup(corpus: bool) -> None:
    from django.core.management import CommandError, call_command

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as devnull:
        call_command("load_regions", verbosity=0, stdout=devnull)
        if corpus:
            try:  # a few real articles beside the synthetic ones; the benchmark does not depend on them
                call_command("ingest", str(ROOT / "corpus"), jobs=1, verbosity=0, stdout=devnull)
            except CommandError as error:
                print(f"sample corpus not fully ingested: {error}", file=sys.stderr)


def synthesize(count: int, seed: int = 7, progress=None) -> None:
    """Bulk-insert ``count`` synthetic articles (and their theme links) into the configured database."""
    from django.db import transaction

    from articles.models import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH, Article, IngestedFile, Region, Source, Theme
    from articles.text.pinyin import pinyin_key

    if count <= 0:
        return
    rng = random.Random(seed)
    regions = {r.code: r for r in Region.objects.all()}
    counties = [r for r in regions.values() if r.level == "county"]
    shaanxi_counties = [r for r in counties if r.code.startswith(SHAANXI)]
    cities = [r for r in regions.values() if r.level == "city"]
    provinces = [r for r in regions.values() if r.level == "province"]
    pool = Pool(rng, [r.name for r in counties])
    themes = dict(Theme.objects.values_list("slug", "pk"))
    epidemic = themes.pop("epidemic", None)
    other_themes = list(themes.values())
    theme_weights = [1 / (rank + 1) for rank in range(len(other_themes))]  # some themes much commoner than others
    sources = [Source.objects.get_or_create(name=f"合成来源{i:02d}报")[0] for i in range(30)]
    files = [
        IngestedFile.objects.get_or_create(
            path=f"/synthetic/{seed}/{i:03d}.txt", defaults={"name": f"{i:03d}.txt", "sha256": f"{i:064d}", "size": 0}
        )[0]
        for i in range(200)
    ]
    through = Article.themes.through

    def chain(region) -> dict:
        levels, node = {}, region
        while node is not None:
            levels[node.level] = node
            node = regions.get(node.parent_id) if node.parent_id else None
        return levels

    def one(i: int) -> tuple[Article, list[int]]:
        sentences = [
            rng.choice(pool.corpus) if rng.random() < CORPUS_SHARE else rng.choice(pool.synthetic)
            for _ in range(rng.randint(6, 24))
        ]
        planted = [term for term, share in PLANTED.items() if rng.random() < share]
        for term in planted:
            sentences.insert(rng.randrange(len(sentences) + 1), rng.choice(pool.planted[term]))
        paragraphs, at = [], 0
        while at < len(sentences):
            step = rng.randint(2, 5)
            paragraphs.append("".join(s for s, _ in sentences[at : at + step]))
            at += step
        body = "\n\n".join(paragraphs)
        title, title_seg = rng.choice(pool.titles)
        title = f"{title}（{i}）"
        roll = rng.random()
        if roll < 0.80:
            region = rng.choice(shaanxi_counties if rng.random() < SHAANXI_SHARE else counties)
        elif roll < 0.90:
            region = rng.choice(cities)
        elif roll < 0.95:
            region = rng.choice(provinces)
        else:
            region = None
        levels = chain(region) if region else {}
        article = Article(
            kind=rng.choices(["article", "photo", "continuation"], [85, 10, 5])[0],
            title=title,
            title_sort=pinyin_key(title),  # bulk_create skips save(), which derives it
            source=rng.choice(sources) if rng.random() < 0.8 else None,
            blocks=[{"kind": "paragraph", "text": p} for p in paragraphs],
            body=body,
            body_simplified=body,
            region=region,
            province=levels.get("province"),
            city=levels.get("city"),
            county=levels.get("county"),
            keywords=rng.sample(planted + [title_seg.split()[0]], min(len(planted) + 1, 3)),
            search_document=f"{title_seg} {i}\n" + " ".join(seg for _, seg in sentences),
            ingested_file=rng.choice(files),
            position=i,
            public_id="".join(rng.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH)),
        )
        roll = rng.random()
        if roll < 0.8:
            day = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randrange(3652))
            article.year, article.month, article.day, article.date_sort = day.year, day.month, day.day, day
        elif roll < 0.9:
            article.month, article.day = rng.randint(1, 12), rng.randint(1, 28)
        if rng.random() < 0.02:
            article.status = Article.Status.HIDDEN
        article.is_public = article.status != Article.Status.HIDDEN  # bulk_create skips save()
        tagged = set(rng.choices(other_themes, theme_weights, k=rng.randint(0, 2)))
        if epidemic and ("疫情" in planted and rng.random() < 0.9 or rng.random() < 0.02):
            tagged.add(epidemic)
        if not tagged:
            tagged.add(rng.choices(other_themes, theme_weights)[0])
        return article, sorted(tagged)

    started = time.perf_counter()
    for start in range(0, count, BATCH):
        made = [one(i) for i in range(start, min(count, start + BATCH))]
        with transaction.atomic():
            created = Article.objects.bulk_create([article for article, _ in made], batch_size=1000)
            through.objects.bulk_create(
                [through(article_id=article.pk, theme_id=theme) for article, (_, tags) in zip(created, made) for theme in tags],
                batch_size=5000,
            )
        if progress:
            done = min(count, start + BATCH)
            progress(f"{done:,} / {count:,} articles, {time.perf_counter() - started:.0f} s")


def build(articles: int, seed: int = 7, corpus: bool = True, progress=print) -> dict:
    """Migrate, load regions (and the sample corpus), synthesize, index and analyze; returns timings."""
    from django.db import connection

    from articles.models import Article
    from articles.search import postgres as pg_backend

    timings = {}
    started = time.perf_counter()
    _setup(corpus)
    timings["setup_s"] = round(time.perf_counter() - started, 1)
    postgres = connection.vendor == "postgresql"
    if postgres and articles:
        with connection.cursor() as cursor:  # one GIN build after the load beats a million GIN inserts
            cursor.execute(f"DROP INDEX IF EXISTS {pg_backend.INDEX}")
    started = time.perf_counter()
    synthesize(articles, seed, progress)
    timings["insert_s"] = round(time.perf_counter() - started, 1)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if postgres:
            if articles:
                cursor.execute("SET maintenance_work_mem = '512MB'")
                cursor.execute(
                    f"CREATE INDEX IF NOT EXISTS {pg_backend.INDEX} ON articles_article USING gin ({pg_backend.COLUMN})"
                )
            cursor.execute("VACUUM ANALYZE")  # statistics, and the visibility map index-only scans need
        else:
            cursor.execute("INSERT INTO articles_search(articles_search) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    timings["index_s"] = round(time.perf_counter() - started, 1)
    timings["articles"] = Article.objects.count()
    timings["public"] = Article.objects.public().count()
    return timings


def configure(database_url: str) -> None:
    """Django set up for ``database_url`` with DEBUG off (call before any model import)."""
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-" + "x" * 40)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import logging

    import django

    django.setup()
    logging.getLogger("jieba").setLevel(logging.WARNING)


def recreate_database(database_url: str) -> None:
    """Drop and create the PostgreSQL database, or delete the SQLite file (and its WAL)."""
    if database_url.startswith("sqlite:"):
        path = database_url.split("sqlite:///", 1)[1]
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        return
    import psycopg

    server, name = database_url.rsplit("/", 1)
    with psycopg.connect(server.replace("postgres://", "postgresql://") + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--database-url", required=True, help="postgres://…/NAME (dropped and recreated) or sqlite:////path")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="do not recreate: add to an existing database")
    args = parser.parse_args(argv)
    if not args.keep:
        recreate_database(args.database_url)
    configure(args.database_url)
    timings = build(args.articles, args.seed, progress=lambda line: print(line, flush=True))
    print(timings, flush=True)


if __name__ == "__main__":
    main()
