"""What the editors' desk says in words: ingest warnings and file reports, in the interface language.

The text pipeline writes its warnings and report as plain English constants
(articles/text/pipeline.py, review.py, shape.py) so that logs and exports stay
stable; editors read them here, translated, and a file's report as a table
rather than JSON.
"""

from __future__ import annotations

import re

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from articles.reasons import reason_label
from articles.text import shape

# Exact warnings of an item or a document.
_WARNINGS = {
    "no title": lambda: _("无标题（标题取自正文首句）"),
    "no date": lambda: _("未找到日期"),
    "date without year": lambda: _("日期缺少年份"),
    "no byline": lambda: _("未找到作者"),
    "no region": lambda: _("未识别出地区"),
    "no articles found": lambda: _("未找到文章"),
}
# Warnings that carry a number (articles/review.py).
_COUNTED = [
    (re.compile(r"^needs review: looks like markup source \((\d+) tags\)$"), lambda n: _("待审核：像网页源代码（%(n)s 个标签）") % {"n": n}),
    (re.compile(r"^needs review: a line of (\d+) characters$"), lambda n: _("待审核：有一行长达 %(n)s 字") % {"n": n}),
    (re.compile(r"^needs review: (\d+) numbered lines$"), lambda n: _("待审核：%(n)s 行带编号（像日志或表格）") % {"n": n}),
]
# "3. 丹凤聚力建设重点项目: no date": a file report's warning about its third item.
_ITEM_WARNING = re.compile(r"^(\d+)\. (.*): ([^:]+)$", re.S)

_KINDS = {
    shape.KIND_NEWSPAPER: lambda: _("报纸版面"),
    shape.KIND_WEB: lambda: _("网页存档"),
    shape.KIND_BARE: lambda: _("单篇文稿"),
    shape.KIND_EPAPER: lambda: _("从网站保存的电子报版面"),
}
_EVIDENCE = [
    (re.compile(r"^(\d+) lines, (\d+) prose$"), lambda m: _("共 %(total)s 行，其中正文 %(prose)s 行") % {"total": m[1], "prose": m[2]}),
    (re.compile(r"^(\d+) link/list/placeholder lines$"), lambda m: _("链接、列表或占位行 %(n)s 行") % {"n": m[1]}),
    (re.compile(r"^(\d+) short lines with web-interface words$"), lambda m: _("含网页界面用语的短行 %(n)s 行") % {"n": m[1]}),
    (
        re.compile(r"^newspaper furniture: (\d+) page \(版\) lines, (\d+) ledes, (\d+) byline lines$"),
        lambda m: _("报纸版式：版次行 %(pages)s，电头 %(ledes)s，署名行 %(bylines)s") % {"pages": m[1], "ledes": m[2], "bylines": m[3]},
    ),
]


def warning_label(warning: str) -> str:
    """One warning in the editor's language (unknown ones as they are)."""
    warning = (warning or "").strip()
    if warning in _WARNINGS:
        return str(_WARNINGS[warning]())
    for pattern, label in _COUNTED:
        match = pattern.match(warning)
        if match:
            return str(label(match.group(1)))
    match = _ITEM_WARNING.match(warning)
    if match and (match.group(3) in _WARNINGS or any(p.match(match.group(3)) for p, _label in _COUNTED)):
        number, title, what = match.groups()
        if title in ("photo", "continuation", "article"):
            title = {"photo": _("图片"), "continuation": _("转版续文"), "article": _("文章")}[title]
        return _("第 %(number)s 篇《%(title)s》：%(what)s") % {"number": number, "title": title, "what": warning_label(what)}
    return warning


def kind_label(kind: str) -> str:
    """A file's kind and the evidence for it ("newspaper page: 61 lines, 36 prose; …"), translated."""
    if not kind:
        return "—"
    head, _sep, rest = kind.partition(": ")
    label = str(_KINDS[head]()) if head in _KINDS else head
    parts = []
    for item in filter(None, (part.strip() for part in rest.split(";"))):
        for pattern, translate in _EVIDENCE:
            match = pattern.match(item)
            if match:
                parts.append(str(translate(match)))
                break
        else:
            parts.append(item)
    return f"{label}（{'；'.join(parts)}）" if parts else label


def warnings_html(warnings: list[str]) -> SafeString:
    """A list of warnings as an HTML list, translated ("—" when there are none)."""
    if not warnings:
        return format_html("{}", "—")
    return format_html('<ul class="warning-list">{}</ul>', format_html_join("", "<li>{}</li>", ((warning_label(w),) for w in warnings)))


def report_html(report: dict) -> SafeString:
    """An ingested file's report as a two-column table with Chinese labels."""
    report = report or {}
    if not report:
        return format_html("{}", "—")
    removed = report.get("removed") or {}
    removed_rows = format_html_join(
        "",
        "<li>{}：{}</li>",
        (
            (reason_label(reason), _("%(lines)s 行") % {"lines": sum(end - start + 1 for start, end in spans)})
            for reason, spans in sorted(removed.items(), key=lambda kv: -sum(e - s + 1 for s, e in kv[1]))
        ),
    )
    rows = [
        (_("文件类型"), kind_label(report.get("kind", ""))),
        (_("文章数"), report.get("items", 0)),
        (_("来源"), report.get("source") or "—"),
        (_("版次"), report.get("page") or "—"),
        (_("日期"), report.get("date") or "—"),
        (_("删除的行"), report.get("removed_lines", 0)),
        (_("删除原因"), format_html("<ul>{}</ul>", removed_rows) if removed else "—"),
        (_("导入提示"), warnings_html(report.get("warnings") or [])),
    ]
    body = format_html_join("", '<tr><th scope="row">{}</th><td>{}</td></tr>', rows)
    return format_html('<table class="ingest-report">{}</table>', body)
