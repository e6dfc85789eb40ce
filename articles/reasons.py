"""Why ingest stripped a line, in the words an editor reads on the 原文 view.

The text pipeline names its reasons in plain constants (articles/text/clean.py,
articles/text/web.py); this table gives each one its interface label.
"""

from django.utils.translation import gettext_lazy as _

from articles.text import clean, pipeline, web

REASON_LABELS = {
    clean.FOOTER: _("网站页脚（版权、声明、链接）"),
    clean.REGISTRATION: _("网站备案信息（ICP/公网安备）"),
    clean.SITE_HEADER: _("网站页头"),
    clean.BREADCRUMB: _("面包屑导航（当前位置）"),
    clean.SUBMISSION: _("投稿信息"),
    clean.COUNTER: _("访问计数"),
    clean.PAGE_TOOLS: _("页面工具条（打印、关闭、上一篇/下一篇）"),
    clean.SHARE: _("分享提示"),
    clean.CONTACT: _("联系方式（邮箱、热线、地址）"),
    clean.CREDIT: _("编辑署名（责任编辑、校对等）"),
    clean.ARTICLE_INFO: _("文章信息行（来源、日期、浏览量）"),
    clean.ISSUE: _("期号"),
    clean.PAGE_NUMBER: _("版次"),
    clean.POINTER: _("转版提示"),
    clean.PAGE_DATE: _("版面日期"),
    clean.COPUBLISHER: _("联办/协办单位"),
    clean.RELATED: _("相关链接"),
    clean.LINK_LIST: _("链接列表"),
    clean.NAVIGATION: _("导航菜单或网站列表"),
    clean.MASTHEAD: _("报头"),
    clean.TEASER: _("导读栏"),
    clean.MENU_ECHO: _("栏目名（重复菜单）"),
    clean.LINK_BOX: _("链接框标题"),
    web.OUTSIDE: _("正文之外（网页杂项：短行、链接、列表）"),
    web.LINK_RUN: _("链接列表或菜单（项目符号、竖线分隔、链接标记）"),
    web.PLACEHOLDER: _("图片、框架或表单占位"),
    web.HEADLINE_ECHO: _("重复的标题"),
    web.ORIGINAL_TITLE: _("原标题说明"),
    web.META: _("文章信息行（日期、来源、作者）"),
    web.SOURCE_LINE: _("来源行"),
    web.CREDIT_LINE: _("编辑或记者署名行"),
    web.WIDGET: _("视频或图片控件提示"),
    web.PROMPT: _("读者提示（分享、关注、点击）"),
    web.BROKEN: _("只有乱码字符"),
    web.DISCLAIMER: _("网站声明"),
    pipeline.DROPPED_BY_SPLIT: _("孤立标题、网页标题重复或转版标记"),
}


def reason_label(reason: str) -> str:
    """The interface label of a removal reason (the reason itself when the table does not know it)."""
    return str(REASON_LABELS.get(reason, reason))


def removed_reasons(report: dict, first: int, last: int) -> dict[int, str]:
    """Line number -> label for the lines first..last, from the ranges a file's ingest report keeps."""
    out: dict[int, str] = {}
    for reason, spans in (report or {}).get("removed", {}).items():
        label = reason_label(reason)
        for start, end in spans:
            for number in range(max(start, first), min(end, last) + 1):
                out[number] = label
    return out
