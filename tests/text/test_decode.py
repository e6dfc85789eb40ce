"""Stage 1: bytes to text — encodings, rejections and normalisation."""

from __future__ import annotations

import pytest

from articles.text.decode import decode_bytes
from articles.text.document import InputError

SIMPLIFIED = "县委书记主持召开会议，研究部署春季农业生产工作。\n会议要求各乡镇抓好落实。"
TRADITIONAL = "縣委書記主持召開會議，研究部署春季農業生產工作。\n會議要求各鄉鎮抓好落實。"


def test_utf8_without_bom() -> None:
    assert decode_bytes(SIMPLIFIED.encode("utf-8"), "a.txt") == (SIMPLIFIED, "utf-8")


def test_utf8_with_bom_drops_the_bom() -> None:
    text, encoding = decode_bytes(b"\xef\xbb\xbf" + SIMPLIFIED.encode("utf-8"), "a.txt")
    assert (text, encoding) == (SIMPLIFIED, "utf-8-sig")


@pytest.mark.parametrize("codec, expected", [("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be")])
def test_utf16_with_bom(codec: str, expected: str) -> None:
    bom = b"\xff\xfe" if codec.endswith("le") else b"\xfe\xff"
    text, encoding = decode_bytes(bom + SIMPLIFIED.encode(codec), "a.txt")
    assert (text, encoding) == (SIMPLIFIED, expected)


def test_gbk_file_is_read_as_gb18030() -> None:
    assert decode_bytes(SIMPLIFIED.encode("gbk"), "page.txt") == (SIMPLIFIED, "gb18030")


def test_big5_file_is_read_as_big5() -> None:
    assert decode_bytes(TRADITIONAL.encode("big5"), "page.txt") == (TRADITIONAL, "big5")


def test_gb18030_only_characters() -> None:
    text = "㐀字在GB18030四字节区，𠀀也是。"
    assert decode_bytes(text.encode("gb18030"), "rare.txt") == (text, "gb18030")


def test_empty_file_is_rejected_by_name() -> None:
    with pytest.raises(InputError, match="empty.txt.*empty"):
        decode_bytes(b"", "empty.txt")


def test_whitespace_only_file_is_rejected() -> None:
    with pytest.raises(InputError, match="blank.txt"):
        decode_bytes(" \r\n\u3000\n".encode("utf-8"), "blank.txt")


def test_binary_file_is_rejected_by_name() -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))
    with pytest.raises(InputError, match="photo.png.*binary"):
        decode_bytes(png, "photo.png")


def test_undecodable_bytes_are_rejected_not_replaced() -> None:
    with pytest.raises(InputError, match="latin.txt"):
        decode_bytes("Café crème à la carte".encode("latin-1"), "latin.txt")


def test_bad_utf16_after_bom_is_rejected() -> None:
    with pytest.raises(InputError, match="odd.txt"):
        decode_bytes(b"\xff\xfe\x00\xd8a", "odd.txt")  # a lone surrogate


def test_bomless_utf16_is_read() -> None:
    text, encoding = decode_bytes("Page 5\n本报讯 记者".encode("utf-16-le"), "w.txt")
    assert (text, encoding) == ("Page 5\n本报讯 记者", "utf-16-le")


def test_line_endings_and_invisible_characters_are_normalised() -> None:
    raw = "标题\r\n\r\n正文\u200b第一段。  \r\n\u3000\u3000缩进段落\u00a0。\n尾\ufeff"
    text, _ = decode_bytes(raw.encode("utf-8"), "n.txt")
    assert text == "标题\n\n正文第一段。\n    缩进段落 。\n尾"


def test_cr_only_files_become_lf() -> None:
    text, _ = decode_bytes("一行\r二行\r三行".encode("utf-8"), "mac.txt")
    assert text.split("\n") == ["一行", "二行", "三行"]


def test_line_count_is_stable() -> None:
    raw = "a\n\n b \n\u2003\nc\x0c\n"
    text, _ = decode_bytes(raw.encode("utf-8"), "l.txt")
    assert len(text.split("\n")) == len(raw.split("\n"))


def test_almost_utf8_is_rejected_with_the_bad_byte_position() -> None:
    data = SIMPLIFIED.encode("utf-8")
    with pytest.raises(InputError, match=r"bad.txt: .*UTF-8 \(invalid start byte at byte 21\)"):
        decode_bytes(data[:21] + b"\xff" + data[21:], "bad.txt")


def test_ansi_escapes_are_dropped_not_a_reason_to_refuse() -> None:
    # A console capture: colour codes on every line (3% of the characters), as docs/ingest.md promises to drop.
    line = "\x1b[1;31m县委召开会议\x1b[0m,研究部署春耕生产工作。\x1b[K\n"
    text, _ = decode_bytes((line * 200).encode("utf-8"), "/data/in/console.txt")
    assert "\x1b" not in text and "[1;31m" not in text and "[0m" not in text
    assert text.startswith("县委召开会议,研究部署春耕生产工作。\n")


def test_a_few_nul_bytes_are_dropped_but_many_still_mean_binary() -> None:
    page = ("县委召开会议,研究部署春耕生产工作。\n" * 200).encode("utf-8")
    text, encoding = decode_bytes(page[:300] + b"\x00" + page[300:] + b"\x00\x00", "/data/in/padded.txt")
    assert encoding == "utf-8" and "\x00" not in text and text.count("县委召开会议") == 200
    with pytest.raises(InputError, match="/data/in/dump.bin.*binary"):
        decode_bytes(page + b"\x00" * 200, "/data/in/dump.bin")
