"""Display helpers for the portal's templates: Chinese text, dates, regions."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
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


@register.simple_tag
def facet_option(option, checkbox: bool = False) -> SafeString:
    """One facet value: a link that toggles it (or inert text when ticking it changes nothing) with its count."""
    classes = "facet-option" + (" is-selected" if option.selected else "") + ("" if option.count else " is-empty")
    if option.adds:
        count = format_html('<span class="visually-hidden">{}</span>+', _("勾选后增加"))
    else:
        count = ""
    number = f"约 {rounded_count(option.count)}" if option.estimated else str(option.count)
    label = format_html(
        '<span class="tick" aria-hidden="true"></span><span class="facet-label">{}{}</span><span class="count">{}{}</span>',
        option.label,
        format_html('<span class="visually-hidden">{}</span>', _("（已选）")) if checkbox and option.selected else "",
        count,
        number,
    )
    if option.url:
        current = mark_safe(' aria-current="true"') if option.selected else ""
        return format_html('<a class="{}" href="{}" rel="nofollow"{}>{}</a>', classes, option.url, current, label)
    return format_html(
        '<span class="facet-option is-inert" title="{}">{}</span>', _("列出的文章都属于此项，勾选它不会改变结果"), label
    )


@register.simple_tag
def region_tree(nodes, checkbox: bool = False, collapsible: bool = False) -> SafeString:
    """Regions as nested lists, each with its facet option; ``collapsible`` branches fold (details/summary)."""
    items = []
    for option in nodes:
        classes = f"tree-node level-{option.level}" + (" is-open" if option.open else "")
        children = region_tree(option.children, checkbox, collapsible) if option.children else ""
        if collapsible and option.children:
            body = format_html(
                "<details{}><summary>{}</summary>{}</details>",
                mark_safe(" open") if option.open else "", facet_option(option, checkbox), children,
            )
        else:
            body = format_html("{}{}", facet_option(option, checkbox), children)
        items.append(format_html('<li class="{}">{}</li>', classes, body))
    return format_html('<ul class="tree">{}</ul>', mark_safe("".join(items)))


# --- Result rows ---------------------------------------------------------------------------
# Rendered here for the same reason as the facet options: a list page shows twenty rows, and
# the include with its ~25 variable lookups each was the largest part of an uncached page's
# templates. The markup is what includes/results.html would write out, byte for byte.


@register.simple_tag
def result_row(article, list_base: str) -> SafeString:
    """One search or list result: kicker, linked headline, kind, source, date, excerpt and region/theme chips."""
    position = getattr(article, "hit_position", None)
    parts = ['<li class="result"', format_html(' id="hit-{}"', position) if position else "", ">\n  "]
    if article.kicker:
        parts.append(format_html('<p class="kicker">{}</p>', display_text(article.kicker, article.script)))
    url = getattr(article, "hit_url", None) or article.get_absolute_url()
    made_up = format_html(' title="{}"', _("原文无标题，方括号内是正文的第一句。")) if article.title_is_made_up else ""
    parts.append(format_html('\n  <h2 class="result-title"><a href="{}"{}>{}</a></h2>\n  <p class="meta">\n    ', url, made_up, headline_of(article)))
    if article.kind != "article":
        parts.append(format_html('<span class="badge">{}</span>', article.get_kind_display()))
    parts.append("\n    ")
    if article.source:
        parts.append(format_html('<span class="meta-source">{}</span>', article.source.name))
    dated = format_html(' datetime="{}"', article.date_iso) if article.year and article.month and article.day else ""
    snippet = getattr(article, "snippet", None)
    parts.append(format_html(
        '\n    <time{}>{}</time>\n  </p>\n  <p class="excerpt">{}</p>\n  ',
        dated, partial_date(article), display_html(snippet) if snippet else excerpt_of(article),
    ))
    regions, themes = region_chain(article), article.themes.all()
    if regions or themes:
        chips = [format_html('\n  <ul class="chips" aria-label="{}">\n    ', _("地区与主题"))]
        chips.extend(
            format_html('<li><a class="chip chip-region" href="{}?region={}">{}</a></li>', list_base, region.code, region.name)
            for region in regions
        )
        chips.append("\n    ")
        chips.extend(
            format_html('<li><a class="chip chip-theme" href="{}?theme={}">{}</a></li>', list_base, theme.slug, theme.name)
            for theme in themes
        )
        chips.append("\n  </ul>\n  ")
        parts.extend(chips)
    parts.append("\n</li>\n")
    return mark_safe("".join(str(part) for part in parts))
