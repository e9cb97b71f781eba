"""Decode a page's bytes: the declared charset unless the bytes contradict it, else a detected one.

Chinese marketplaces still serve GB2312/GBK/GB18030 and Big5 pages, often with a wrong or
missing declaration (a page re-saved as UTF-8 keeps its `<meta charset="gbk">`).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from scrapy.http import HtmlResponse, TextResponse
from w3lib.encoding import html_body_declared_encoding, http_content_type_encoding, read_bom

# Legacy Chinese encodings, by family; a declared one is read as its superset (GB2312 ⊂ GBK ⊂ GB18030).
FAMILIES = {"gb2312": "gbk", "gbk": "gbk", "gb18030": "gbk", "cp936": "gbk", "x-gbk": "gbk",
            "euc-cn": "gbk", "big5": "big5", "big5-hkscs": "big5", "big5hkscs": "big5", "cp950": "big5"}
SUPERSET = {"gbk": "gb18030", "big5": "big5hkscs"}
_NON_ASCII = re.compile(rb"[\x80-\xff]")
SNIFF_BYTES = 200_000  # detection reads at most this much; declarations are near the top


def canonical(name: str | None) -> str | None:
    """A Python codec name for an encoding label, or None if Python does not know it."""
    if not name:
        return None
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def family(encoding: str | None) -> str | None:
    """"gbk" or "big5" for the legacy Chinese encodings, else None."""
    name = (encoding or "").lower().replace("_", "-")
    return FAMILIES.get(name) or FAMILIES.get(canonical(name) or "")


def _fits(body: bytes, encoding: str) -> bool:
    """The bytes read in `encoding` with at most a stray bad byte or two (a damaged page stays readable)."""
    text = body[:SNIFF_BYTES].decode(encoding, errors="replace")
    bad = text.count("\ufffd")
    wide = sum(1 for char in text if ord(char) > 127)
    return bad <= max(2, wide // 100)


def _is_utf8(body: bytes) -> bool:
    return _fits(body, "utf-8")


def detect_encoding(body: bytes, content_type: str | None = None) -> str:
    """The encoding to read `body` with: BOM, then a declaration the bytes agree with, then detection."""
    bom, _ = read_bom(body)
    if bom:
        return canonical(bom) or "utf-8"
    declared = canonical(http_content_type_encoding(content_type or "")) \
        or canonical(html_body_declared_encoding(body[:SNIFF_BYTES]))
    has_non_ascii = _NON_ASCII.search(body[:SNIFF_BYTES]) is not None
    if declared and family(declared):
        # Real GBK/Big5 text is almost never valid UTF-8; a page that is must have been re-saved.
        if has_non_ascii and _is_utf8(body):
            return "utf-8"
        return SUPERSET[family(declared) or "gbk"]
    if declared and (not has_non_ascii or _fits(body, declared)):
        return declared
    if not has_non_ascii or _is_utf8(body):
        return declared or "utf-8"
    guess = from_bytes(body[:SNIFF_BYTES], cp_isolation=["gb18030", "big5", "utf_8", "cp1252", "shift_jis",
                                                        "euc_kr", "cp1251", "latin_1"]).best()
    encoding = canonical(guess.encoding) if guess else None
    return SUPERSET.get(family(encoding) or "", encoding or "utf-8")


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The page text and the encoding it was read with; undecodable bytes become U+FFFD."""
    encoding = detect_encoding(body, content_type)
    return body.decode(encoding, errors="replace"), encoding


def with_detected_encoding(response: TextResponse) -> TextResponse:
    """`response` re-read in the encoding its bytes really use (a no-op when Scrapy got it right)."""
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    encoding = detect_encoding(response.body, content_type)
    if canonical(response.encoding) == encoding:
        return response
    return response.replace(encoding=encoding)


def html_response(url: str, body: bytes, content_type: str | None = None) -> HtmlResponse:
    """An HtmlResponse for saved or fetched bytes, in the encoding the bytes really use."""
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse(url=url, body=body, headers=headers, encoding=detect_encoding(body, content_type))
