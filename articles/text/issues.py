"""Issue numbers (期号) from a newspaper's masthead, and the page a continuation marker points to.

A masthead prints the issue as "2022年第14期(总第72期)", "第14期", "总第5678期"
or "第一二三四号"-style runs; ``issue_label`` reads it into one normalised label
("2022年第14期"). A split article carries "(下转4版)" at the foot of
its first part and "(上接1版)" at the head of its second; ``marker_page`` reads
the page those markers name in the form page_number gives ("4", "A3").
Pure Python, no Django.
"""

from __future__ import annotations

import re

from articles.text import fields

_CN_NUMERALS = "〇○零一二三四五六七八九十百"
_NUMBER = rf"(\d{{1,6}}|[{_CN_NUMERALS}]{{1,8}})"
# "2022年第14期": the year belongs to the issue only when 第 follows it at once.
_ISSUE = re.compile(rf"(?:(?<!\d)((?:19|20)\d{{2}})\s*年\s*)?(?<!总)(?<!总\s)第\s*{_NUMBER}\s*([期号])")
_TOTAL = re.compile(rf"总\s*第\s*{_NUMBER}\s*([期号])")
_MARKER_PAGE = re.compile(
    r"(?:上接|接上|紧接|续接|承接|下转|转至|续见|转|接)\s*第?\s*([A-Za-z]?\s*\d{1,2}|[一二三四五六七八九十]{1,3})\s*版?"
)
_PAGE = re.compile(r"([A-Za-z]?)(\d+)")


def chinese_number(text: str) -> int | None:
    """A number in Arabic or Chinese digits: '14' → 14, '十四' → 14, '一二三' → 123, '一百零二' → 102."""
    if text.isdigit():
        return int(text)
    digits = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    if all(ch in digits for ch in text):  # digit by digit: 一二三 = 123
        return int("".join(str(digits[ch]) for ch in text))
    total, current = 0, 0
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def issue_label(text: str) -> str | None:
    """The issue number a masthead line prints, normalised ('2022年第14期'); None when there is none.

    The running total (总第72期) is the label only when the masthead prints
    nothing else: beside "2022年第14期" it is masthead furniture.
    """
    text = text.strip()
    if len(text) > 80:
        return None
    issue = _ISSUE.search(text)
    if issue:
        number = chinese_number(issue.group(2))
        if number:
            year = f"{issue.group(1)}年" if issue.group(1) else ""
            return f"{year}第{number}{issue.group(3)}"
    total = _TOTAL.search(text)
    if total:
        number = chinese_number(total.group(1))
        if number:
            return f"总第{number}{total.group(2)}"
    return None


def marker_page(text: str) -> str | None:
    """The page a continuation marker names: '(上接1版)' → '1', '（下转第A3版）' → 'A3', '(上接上页)' → None."""
    match = _MARKER_PAGE.search(text)
    if not match:
        return None
    return fields.page_number(match.group(1).replace(" ", "") + "版")


def page_sort_key(page: str) -> tuple[str, int, str]:
    """Pages in the order a reader turns them: '2' before '10', 'A2' before 'A10' before 'B1', unknown ('') last."""
    match = _PAGE.fullmatch(page or "")
    if not match:
        return ("\uffff", 0, page or "")
    return (match.group(1).upper(), int(match.group(2)), page)
