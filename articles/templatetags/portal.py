"""Display helpers for the portal's templates: Chinese text, dates, regions."""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from articles.middleware import HANS, get_script
from articles.text import chinese

register = template.Library()


def _restore_punctuation(text: str) -> str:
    restore = getattr(chinese, "restore_fullwidth_punctuation", None)
    return restore(text) if restore else text


def display_text(text, source_script: str | None = None) -> str:
    """Article text as a reader sees it: full-width punctuation, the reader's script.

    ``source_script`` is the script the text was written in (Article.script);
    Simplified text shown in Simplified skips the conversion. Traditional pages
    are converted as a whole by ScriptMiddleware.
    """
    if not text:
        return ""
    text = _restore_punctuation(str(text))
    if get_script() == HANS and source_script != HANS:
        text = chinese.to_simplified(text)
    return text


@register.filter
def display(text, source_script: str | None = None) -> str:
    """{{ article.title|display:article.script }}"""
    return display_text(text, source_script)


@register.filter
def display_html(html) -> SafeString:
    """Already-escaped HTML (a search snippet) in the reader's script; tags are ASCII and survive."""
    if not html:
        return mark_safe("")
    text = str(html)
    if get_script() == HANS:
        text = chinese.to_simplified(text)
    return mark_safe(text)


def headline_of(article, *, reference: bool = False) -> str:
    """The title to show; one made up from the first sentence comes in brackets (［…］, or [...] in a reference)."""
    text = display_text(article.display_title, article.script)
    return chinese.supplied_title(text, reference=reference) if article.title_is_made_up else text


@register.filter
def headline(article) -> str:
    """The title (or for untitled items the opening words) ready to show."""
    return headline_of(article)


def excerpt_of(article, length: int = 140) -> str:
    """The opening paragraphs run together (intertitles left out), shortened."""
    paragraphs = [
        block.get("text", "").strip()
        for block in article.blocks or []
        if block.get("kind") != "intertitle" and block.get("text", "").strip()
    ]
    if not paragraphs:  # articles stored before blocks existed
        paragraphs = [line.strip() for line in (article.body or "").split("\n") if line.strip()]
    text = ""
    for paragraph in paragraphs:
        # Chinese paragraphs end in their own punctuation: no space between them.
        joiner = " " if text and text[-1].isascii() and text[-1].isalnum() else ""
        text += joiner + paragraph
        if len(text) > length:
            break
    if len(text) > length:
        text = text[:length].rstrip() + "…"
    return display_text(text, article.script)


@register.filter
def excerpt(article, length: int = 140) -> str:
    """The opening of the body on one line, shortened (CSS clamps it to two lines)."""
    return excerpt_of(article, int(length))


def format_partial_date(year, month, day) -> str:
    """2022年4月8日 / 2022年4月 / 10月12日（年份不详） / 日期不详, in the active language."""
    if year is None and month is None:
        return _("日期不详")
    if year is None:
        if day:
            return _("%(month)d月%(day)d日（年份不详）") % {"month": month, "day": day}
        return _("%(month)d月（年份不详）") % {"month": month}
    if month is None:
        return _("%(year)d年") % {"year": year}
    if day is None:
        return _("%(year)d年%(month)d月") % {"year": year, "month": month}
    return _("%(year)d年%(month)d月%(day)d日") % {"year": year, "month": month, "day": day}


@register.filter
def partial_date(article) -> str:
    return format_partial_date(article.year, article.month, article.day)


@register.filter
def region_chain(article) -> list:
    """The article's primary region from province down, as loaded by selectors.for_listing."""
    return [region for region in (article.province, article.city, article.county) if region is not None]


@register.filter
def credit_label(article) -> str:
    """作者, or 摄影 for the photographers of a photo item."""
    return _("摄影") if article.credits_photographers else _("作者")


@register.filter
def bylines(article) -> str:
    return "、".join(display_text(name, article.script) for name in article.bylines or [])


@register.filter
def rounded_count(count: int) -> str:
    """An estimated count as a reader would say it: 约 40 万 rather than 401,327 (two significant digits)."""
    count = int(count or 0)
    if count >= 10_000:
        wan = float(f"{count / 10_000:.2g}")
        return f"{wan:g} 万"
    return f"{float(f'{count:.2g}'):g}"


@register.inclusion_tag("includes/pagination.html")
def pagination(page_obj, page_query: str = "") -> dict:
    """Previous / numbered / next links that keep every filter of the current page."""
    paginator = page_obj.paginator
    return {
        "page_obj": page_obj,
        "page_query": page_query,
        "page_range": list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)),
        "ellipsis": paginator.ELLIPSIS,
    }


# --- Facet options -------------------------------------------------------------------------
# Rendered here rather than by an include per option: a list page shows 100-200 options
# (the region tree alone ~60), and an include each was half of an uncached page's time.


# Plain f-strings with each value escaped: format_html's per-call cost (~13 µs) times the
# 100-200 options of a page was most of their time. Same markup, same escaping.


@lru_cache(maxsize=8)
def _option_phrases(language: str | None) -> tuple[str, str, str]:
    """The facet options' fixed phrases in one language, escaped once."""
    return (
        f'<span class="visually-hidden">{escape(_("勾选后增加"))}</span>+',
        f'<span class="visually-hidden">{escape(_("（已选）"))}</span>',
        escape(_("列出的文章都属于此项，勾选它不会改变结果")),
    )


@register.simple_tag
def facet_option(option, checkbox: bool = False) -> SafeString:
    """One facet value: a link that toggles it (or inert text when ticking it changes nothing) with its count."""
    adds, selected_note, inert_title = _option_phrases(get_language())
    classes = "facet-option" + (" is-selected" if option.selected else "") + ("" if option.count else " is-empty")
    number = f"约 {rounded_count(option.count)}" if option.estimated else str(option.count)
    label = (
        f'<span class="tick" aria-hidden="true"></span><span class="facet-label">{conditional_escape(option.label)}'
        f'{selected_note if checkbox and option.selected else ""}</span>'
        f'<span class="count">{adds if option.adds else ""}{escape(number)}</span>'
    )
    if option.url:
        current = ' aria-current="true"' if option.selected else ""
        return mark_safe(f'<a class="{classes}" href="{conditional_escape(option.url)}" rel="nofollow"{current}>{label}</a>')
    return mark_safe(f'<span class="facet-option is-inert" title="{inert_title}">{label}</span>')


@register.simple_tag
def region_tree(nodes, checkbox: bool = False, collapsible: bool = False) -> SafeString:
    """Regions as nested lists, each with its facet option; ``collapsible`` branches fold (details/summary)."""
    items = []
    for option in nodes:
        classes = escape(f"tree-node level-{option.level}" + (" is-open" if option.open else ""))
        children = region_tree(option.children, checkbox, collapsible) if option.children else ""
        if collapsible and option.children:
            body = f'<details{" open" if option.open else ""}><summary>{facet_option(option, checkbox)}</summary>{children}</details>'
        else:
            body = f"{facet_option(option, checkbox)}{children}"
        items.append(f'<li class="{classes}">{body}</li>')
    return mark_safe(f'<ul class="tree">{"".join(items)}</ul>')


# --- Result rows ---------------------------------------------------------------------------
# Rendered here for the same reason as the facet options: a list page shows twenty rows, and
# the include with its ~25 variable lookups each was the largest part of an uncached page's
# templates. The markup is what includes/results.html would write out, byte for byte.


@lru_cache(maxsize=8)
def _row_phrases(language: str | None) -> tuple[str, str]:
    """The result rows' fixed phrases in one language, escaped once."""
    return escape(_("原文无标题，方括号内是正文的第一句。")), escape(_("地区与主题"))


@register.simple_tag
def result_row(article, list_base: str) -> SafeString:
    """One search or list result: kicker, linked headline, kind, source, date, excerpt and region/theme chips."""
    made_up_title, chips_label = _row_phrases(get_language())
    position = getattr(article, "hit_position", None)
    hit = f' id="hit-{escape(position)}"' if position else ""
    parts = [f'<li class="result"{hit}>\n  ']
    if article.kicker:
        parts.append(f'<p class="kicker">{escape(display_text(article.kicker, article.script))}</p>')
    url = getattr(article, "hit_url", None) or article.get_absolute_url()
    made_up = f' title="{made_up_title}"' if article.title_is_made_up else ""
    parts.append(
        f'\n  <h2 class="result-title"><a href="{escape(url)}"{made_up}>{escape(headline_of(article))}</a></h2>'
        '\n  <p class="meta">\n    '
    )
    if article.kind != "article":
        parts.append(f'<span class="badge">{escape(article.get_kind_display())}</span>')
    parts.append("\n    ")
    if article.source:
        parts.append(f'<span class="meta-source">{escape(article.source.name)}</span>')
    dated = f' datetime="{escape(article.date_iso)}"' if article.year and article.month and article.day else ""
    snippet = getattr(article, "snippet", None)
    excerpt_html = display_html(snippet) if snippet else escape(excerpt_of(article))
    parts.append(f'\n    <time{dated}>{escape(partial_date(article))}</time>\n  </p>\n  <p class="excerpt">{excerpt_html}</p>\n  ')
    regions, themes = region_chain(article), article.themes.all()
    if regions or themes:
        parts.append(f'\n  <ul class="chips" aria-label="{chips_label}">\n    ')
        base = escape(list_base)
        parts.extend(
            f'<li><a class="chip chip-region" href="{base}?region={escape(region.code)}">{escape(region.name)}</a></li>'
            for region in regions
        )
        parts.append("\n    ")
        parts.extend(
            f'<li><a class="chip chip-theme" href="{base}?theme={escape(theme.slug)}">{escape(theme.name)}</a></li>'
            for theme in themes
        )
        parts.append("\n  </ul>\n  ")
    parts.append("\n</li>\n")
    return mark_safe("".join(parts))
