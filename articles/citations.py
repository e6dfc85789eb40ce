"""Citations of one article: GB/T 7714, BibTeX, RIS, CSL-JSON and Highwire ``citation_*`` meta tags.

Every format tells a newspaper from a website the same way (:func:`is_newspaper`).
A newspaper article cites the newspaper (GB/T ``[N]``, BibTeX ``@article`` in
``journal``, RIS ``NEWS``, CSL ``article-newspaper``). Anything else is an
online item that names its website or source (``[EB/OL]``, ``@online``,
``ELEC``, ``webpage``); when not even the source is known, the website is this
portal, where the item is read, and it is never presented as a newspaper.
"""

from __future__ import annotations

import datetime
import json
import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from articles.models import Article, Source
from articles.selectors import public_articles
from articles.templatetags.portal import headline_of

PAGE_NUMBER = re.compile(r"\d+")


def is_newspaper(source: Source | None) -> bool:
    """A newspaper by kind, or by name (…报, …日报, …时报) when ingest could not tell."""
    if source is None:
        return False
    if source.kind == Source.Kind.NEWSPAPER:
        return True
    return source.kind == Source.Kind.OTHER and source.name.rstrip().endswith("报")


def container_name(article: Article) -> str:
    """The newspaper, else the website or source, else this portal (as a website)."""
    return article.source.name if article.source_id else settings.NEWSROOM_SITE_NAME


def format_iso(year: int | None, month: int | None, day: int | None) -> str:
    """ISO 8601 with the precision known (2022, 2022-04, 2022-04-08, --04-08)."""
    if year is None:
        return f"--{month:02d}" + (f"-{day:02d}" if day else "")
    if month is None:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")


def _authors(article: Article) -> list[str]:
    return [name for name in article.bylines or [] if name]


def _title(article: Article) -> str:
    return headline_of(article, reference=True)


def _page(article: Article) -> str:
    match = PAGE_NUMBER.search(article.page or "")
    return match.group() if match else ""


# --- GB/T 7714-2015 ---------------------------------------------------------------------------


def gbt7714(article: Article, permalink: str, accessed: datetime.date | None = None) -> str:
    """A GB/T 7714-2015 reference.

    Newspaper: ``作者. 题名[N]. 报纸名, 出版日期(版次).`` Otherwise the
    electronic form naming the website: ``作者. 题名[EB/OL]. 网站名, 出版日期[引用日期]. URL.``
    """
    accessed = accessed or timezone.localdate()
    names = _authors(article)
    authors = ", ".join(names[:3]) + (", 等" if len(names) > 3 else "")
    if authors and article.credits_photographers:
        authors += ", 摄"  # the responsibility mode: they took the photographs
    title = _title(article)
    if article.year:
        date = format_iso(article.year, article.month, article.day)
    elif article.month:
        date = "[出版年不详]-" + format_iso(None, article.month, article.day).lstrip("-")
    else:
        date = "[出版日期不详]"
    head = f"{authors}. {title}" if authors else title
    if is_newspaper(article.source):
        page = _page(article)
        return f"{head}[N]. {article.source.name}, {date}" + (f"({page})" if page else "") + "."
    return f"{head}[EB/OL]. {container_name(article)}, {date}[{accessed.isoformat()}]. {permalink}."


# --- BibTeX (biblatex fields, readable by BibTeX too) ---------------------------------------------

_BIBTEX_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "$": r"\$",
                   "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _bibtex_escape(text: str) -> str:
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in text)


def bibtex(article: Article, permalink: str, accessed: datetime.date | None = None) -> str:
    """One BibTeX entry: ``@article`` in the newspaper, else ``@online`` naming the website."""
    accessed = accessed or timezone.localdate()
    newspaper = is_newspaper(article.source)
    fields: list[tuple[str, str]] = []
    authors = _authors(article)
    if authors:
        # Braced: a Chinese name is one literal, never "last, first".
        fields.append(("author", " and ".join("{" + _bibtex_escape(name) + "}" for name in authors)))
    fields.append(("title", "{" + _bibtex_escape(_title(article)) + "}"))
    fields.append(("journal" if newspaper else "organization", _bibtex_escape(container_name(article))))
    if article.year:
        fields.append(("year", str(article.year)))
        if article.month:
            fields.append(("month", str(article.month)))
        fields.append(("date", format_iso(article.year, article.month, article.day)))
    if newspaper and _page(article):
        fields.append(("pages", _page(article)))
    fields += [("url", permalink), ("urldate", accessed.isoformat()), ("language", "chinese")]
    kind = "article" if newspaper else "online"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{newsroom-{article.public_id},\n{body}\n}}\n"


# --- RIS ------------------------------------------------------------------------------------------


def ris(article: Article, permalink: str, accessed: datetime.date | None = None) -> str:
    """One RIS record (TY NEWS for a newspaper, ELEC otherwise), CRLF line ends as the format asks."""
    accessed = accessed or timezone.localdate()
    newspaper = is_newspaper(article.source)
    lines = [("TY", "NEWS" if newspaper else "ELEC")]
    lines += [("AU", name) for name in _authors(article)]
    lines.append(("TI", _title(article)))
    lines.append(("T2" if newspaper else "PB", container_name(article)))
    if article.year:
        lines.append(("PY", str(article.year)))
        parts = [f"{article.year:04d}", f"{article.month:02d}" if article.month else "", f"{article.day:02d}" if article.day else ""]
        lines.append(("DA", "/".join(parts) + "/"))
    if newspaper and _page(article):
        lines.append(("SP", _page(article)))
    lines += [("KW", theme.name) for theme in article.themes.all()]
    lines += [("UR", permalink), ("Y2", accessed.strftime("%Y/%m/%d")), ("LA", "zh"), ("ER", "")]
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


# --- CSL-JSON -------------------------------------------------------------------------------------


def csl_json(article: Article, permalink: str, accessed: datetime.date | None = None) -> list[dict]:
    """A CSL-JSON item list (what Zotero, Pandoc and citeproc read)."""
    accessed = accessed or timezone.localdate()
    newspaper = is_newspaper(article.source)
    item: dict = {
        "id": f"newsroom-{article.public_id}",
        "type": "article-newspaper" if newspaper else "webpage",
        "title": _title(article),
        "container-title": container_name(article),
        "URL": permalink,
        "accessed": {"date-parts": [[accessed.year, accessed.month, accessed.day]]},
        "language": "zh-CN",
    }
    authors = _authors(article)
    if authors:
        item["author"] = [{"literal": name} for name in authors]
    if article.year:
        item["issued"] = {"date-parts": [[p for p in (article.year, article.month, article.day) if p]]}
    elif article.month:
        item["issued"] = {"literal": format_iso(None, article.month, article.day)}
    if newspaper and _page(article):
        item["page"] = _page(article)
    themes = [theme.name for theme in article.themes.all()]
    if themes:
        item["keyword"] = ", ".join(themes)
    return [item]


# --- Highwire Press meta tags ---------------------------------------------------------------------


def highwire_tags(article: Article, permalink: str) -> list[tuple[str, str]]:
    """(name, content) pairs of the ``citation_*`` meta tags Zotero and Google Scholar read."""
    tags = [("citation_title", _title(article))]
    tags += [("citation_author", name) for name in _authors(article)]
    if article.year:
        parts = [f"{article.year:04d}"] + [f"{p:02d}" for p in (article.month, article.day) if p]
        tags.append(("citation_publication_date", "/".join(parts)))
    if is_newspaper(article.source):
        tags.append(("citation_journal_title", article.source.name))
        if _page(article):
            tags.append(("citation_firstpage", _page(article)))
    else:
        tags.append(("citation_publisher", container_name(article)))
    tags += [("citation_public_url", permalink), ("citation_language", "zh")]
    themes = [theme.name for theme in article.themes.all()]
    if themes:
        tags.append(("citation_keywords", "; ".join(themes)))
    return tags


# --- Downloads --------------------------------------------------------------------------------------

FORMATS = {
    "txt": ("text/plain; charset=utf-8", lambda a, url: gbt7714(a, url) + "\n"),
    "bib": ("application/x-bibtex; charset=utf-8", bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", ris),
    "json": (
        "application/vnd.citationstyles.csl+json; charset=utf-8",
        lambda a, url: json.dumps(csl_json(a, url), ensure_ascii=False, indent=2) + "\n",
    ),
}


def citation_download(request: HttpRequest, public_id: str, fmt: str) -> HttpResponse:
    """/a/<id>/cite.<txt|bib|ris|json>: the article's citation as a file; the same 404/410 as its page."""
    if fmt not in FORMATS:
        raise Http404
    article = (
        public_articles().select_related("source").prefetch_related("themes").filter(public_id=public_id).first()
    )
    if article is None:
        gone = Article.objects.filter(
            public_id=public_id, removed_at__isnull=False, status=Article.Status.PUBLISHED
        ).first()
        if gone:
            return render(request, "410.html", {"article": gone}, status=410)
        raise Http404
    content_type, produce = FORMATS[fmt]
    permalink = request.build_absolute_uri(article.get_absolute_url())
    response = HttpResponse(produce(article, permalink), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{article.public_id}.{fmt}"'
    return response
