"""Pages are read in the encoding their bytes use: declared GBK/GB2312/GB18030/Big5, undeclared ones
detected, and a declaration the bytes contradict (a GBK page re-saved as UTF-8) overruled."""

from __future__ import annotations

import pytest

from ipwatch.spiders.encoding import decode, detect_encoding, family, html_response

TEXT = "正宗固阳黄芪 内蒙古包头特产 鹿王羊绒衫 小肥羊火锅底料 全聚德烤鸭 同仁堂"
BIG5_TEXT = "正宗固陽黃耆 內蒙古包頭特產 鹿王羊絨衫 小肥羊火鍋底料 全聚德烤鴨 同仁堂"


def page(charset: str | None, text: str = TEXT) -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    return f"<html><head>{meta}<title>{text}</title></head><body><h1>{text}</h1></body></html>"


@pytest.mark.parametrize(("body", "content_type", "expected"), [
    (page("gbk").encode("gbk"), None, "gb18030"),
    (page("gb2312").encode("gb2312"), None, "gb18030"),
    (page("gb18030").encode("gb18030"), None, "gb18030"),
    (page(None).encode("gbk"), "text/html; charset=GBK", "gb18030"),
    (page("big5", BIG5_TEXT).encode("big5"), None, "big5hkscs"),
    (page("gbk").encode("utf-8"), None, "utf-8"),  # re-saved as UTF-8, the old declaration left in
    (page(None).encode("utf-8"), None, "utf-8"),
    (page(None).encode("gbk"), None, "gb18030"),  # undeclared: detected
    (page(None, BIG5_TEXT).encode("big5"), None, "big5hkscs"),
    (b"\xef\xbb\xbf" + page("gbk").encode("utf-8"), None, "utf-8"),  # a BOM wins
    (page("iso-8859-1", "caf\u00e9").encode("latin-1"), None, "cp1252"),
])
def test_encoding_is_what_the_bytes_use(body: bytes, content_type: str | None, expected: str) -> None:
    assert detect_encoding(body, content_type) == expected


@pytest.mark.parametrize("charset", ["gbk", "gb2312", "gb18030", "big5"])
def test_text_reads_back_exactly(charset: str) -> None:
    text = BIG5_TEXT if charset == "big5" else TEXT
    decoded, _ = decode(page(charset, text).encode(charset))
    assert text in decoded


def test_a_response_is_built_in_the_detected_encoding() -> None:
    response = html_response("http://127.0.0.1/x", page(None).encode("gbk"))
    assert response.css("h1::text").get() == TEXT and family(response.encoding) == "gbk"


def test_truncated_gbk_is_decoded_up_to_the_cut_with_a_replacement_character() -> None:
    body = page("gbk").encode("gbk")[:-60] + "黄".encode("gbk")[:1]
    decoded, encoding = decode(body)
    assert encoding == "gb18030" and TEXT[:6] in decoded
