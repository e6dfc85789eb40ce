"""Issue numbers from mastheads, continuation markers' pages, page order."""

from __future__ import annotations

import pytest

from articles.text.issues import chinese_number, issue_label, marker_page, page_sort_key


@pytest.mark.parametrize(
    "line, label",
    [
        ("2022年第14期(总第72期)", "2022年第14期"),
        ("2022年第14期", "2022年第14期"),
        ("第14期", "第14期"),
        ("总第5678期", "总第5678期"),
        ("总第 72 期", "总第72期"),
        ("2022年第十四期", "2022年第14期"),
        ("第二〇三号", "第203号"),
        ("商城时报 2022年4月20日 星期三 第14期 第5版", "第14期"),
    ],
)
def test_issue_label_reads_the_masthead_issue(line: str, label: str) -> None:
    assert issue_label(line) == label


@pytest.mark.parametrize(
    "line",
    ["CN 41-0010", "2022年4月20日 星期三", "第5版", "邮发代号 35-12", "本期统筹:纪道成 程云", "", "第0期"],
)
def test_lines_without_an_issue_number(line: str) -> None:
    assert issue_label(line) is None


def test_a_date_year_is_not_taken_for_the_issue_year() -> None:
    # "2022年4月20日 … 第14期": the year belongs to the date, not to the issue.
    assert issue_label("2022年4月20日第14期") == "第14期"


def test_overlong_lines_are_not_mastheads() -> None:
    assert issue_label("第14期" + "文" * 100) is None


@pytest.mark.parametrize(
    "text, number",
    [("14", 14), ("十四", 14), ("二十", 20), ("二十三", 23), ("十", 10), ("一百零二", 102), ("一二三", 123), ("期", None)],
)
def test_chinese_number(text: str, number: int | None) -> None:
    assert chinese_number(text) == number


@pytest.mark.parametrize(
    "marker, page",
    [
        ("(上接1版)", "1"),
        ("（下转第4版）", "4"),
        ("（下转第A3版）", "A3"),
        ("(转04版)", "4"),
        ("（上接第三版）", "3"),
        ("(上接A2)", "A2"),
        ("(上接上页)", None),
        ("(上接上期)", None),
    ],
)
def test_marker_page(marker: str, page: str | None) -> None:
    assert marker_page(marker) == page


def test_pages_sort_as_a_reader_turns_them() -> None:
    pages = ["10", "A10", "", "2", "B1", "A2", "1", "a3"]
    assert sorted(pages, key=page_sort_key) == ["1", "2", "10", "A2", "a3", "A10", "B1", ""]


FRONT_PAGE = """商城时报

1版

2022年第14期(总第72期)

2022年4月20日 星期三

## 全县春耕生产全面展开

本报讯(记者 张明)4月19日,全县春耕生产全面展开,各乡镇组织农技人员深入田间地头指导农户科学播种。

县农业农村局统筹调度农资供应,确保化肥、种子按时到户,全县已完成春播面积12万亩。(下转4版)

## 县城新增三处便民停车场

本报讯(记者 李华)为缓解县城停车难,县住建局新建三处便民停车场,共提供车位六百余个,已于近日投入使用。

(转4版)
"""

INSIDE_PAGE = """商城时报

4版

2022年第14期(总第72期)

2022年4月20日 星期三

(上接1版)各地还组织党员志愿者帮助缺少劳力的农户抢抓农时,做到应种尽种。

## 县城新增三处便民停车场

(上接1版)

停车场实行前两小时免费,方便群众办事购物。
"""


def _parse(text: str):
    from articles.text.pipeline import parse_document

    return parse_document(text.encode("utf-8"), "page.txt")


def test_masthead_issue_number_reaches_the_document_and_its_items() -> None:
    document = _parse(FRONT_PAGE)
    assert document.issue == "2022年第14期"
    assert document.page == "1"
    assert [item.issue for item in document.items] == ["2022年第14期"] * len(document.items)


def test_continuation_markers_record_the_pages_they_name() -> None:
    front = _parse(FRONT_PAGE)
    assert [(item.title, item.continued_on) for item in front.items] == [
        ("全县春耕生产全面展开", "4"),  # inline "(下转4版)" closing the last paragraph
        ("县城新增三处便民停车场", "4"),  # "(转4版)" on a line of its own
    ]
    assert "下转" not in front.items[0].body
    inside = _parse(INSIDE_PAGE)
    assert [(item.kind, item.title, item.continued_from) for item in inside.items] == [
        ("continuation", None, "1"),
        ("continuation", "县城新增三处便民停车场", "1"),
    ]
    assert inside.items[0].body.startswith("各地还组织")


def test_a_page_without_masthead_issue_has_none() -> None:
    document = _parse("## 标题\n\n本报讯(记者 张明)4月19日,全县春耕生产全面展开。\n")
    assert document.issue is None
    assert all(item.issue is None and item.continued_on is None for item in document.items)
