"""Decode a page's bytes: the declared charset unless the bytes contradict it, else a detected one.

Chinese marketplaces still serve GB2312/GBK/GB18030 and Big5 pages, often with a wrong or
missing declaration (a page re-saved as UTF-8 keeps its `<meta charset="gbk">`).
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes
from opencc import OpenCC
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
    """UTF-8, a stray bad byte or two allowed — unless it has any and GBK or Big5 reads the bytes as Chinese
    without one (a two-character GBK title such as 鹿王 is almost valid UTF-8)."""
    if not _fits(body, "utf-8"):
        return False
    return _clean(body, "utf-8") or not any(_reads_as_chinese(body, name) and _clean(body, name)
                                            for name in ("gb18030", "big5hkscs"))


def _clean(body: bytes, encoding: str) -> bool:
    """The bytes read in `encoding` without a single bad byte."""
    return "\ufffd" not in body[:SNIFF_BYTES].decode(encoding, errors="replace")


def _single_byte(encoding: str) -> bool:
    """latin-1, cp1252 and the like: every byte is a character, so any bytes 'fit'."""
    text = bytes(range(256)).decode(encoding, errors="replace")
    return len(text) == 256 and text.count("\ufffd") < 16  # cp1252 leaves 5 bytes undefined; UTF-8, 128


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
        own = SUPERSET[family(declared) or "gbk"]
        other = "big5hkscs" if own == "gb18030" else "gb18030"
        if has_non_ascii and _reads_as_chinese(body, other) and (
                not _reads_as_chinese(body, own) or _common_share(body, other) > _common_share(body, own) + 0.2):
            return other  # a GBK page declared Big5 (or the reverse): its characters say which
        return own
    if declared and has_non_ascii and declared != "utf-8" and _clean(body, "utf-8"):
        return "utf-8"  # Western text is never valid UTF-8 either: re-saved, declaration left
    if declared and has_non_ascii and _single_byte(declared):
        # Single-byte charsets (latin-1, cp1252) read any bytes: Chinese text mislabelled as one reads as
        # common Chinese characters in GBK or Big5, which Western text never does.
        common = max(((_common_share(body, name), name) for name in ("gb18030", "big5hkscs")
                      if _reads_as_chinese(body, name)), default=(0.0, ""))
        return common[1] if common[0] >= 0.5 else declared
    if declared and (not has_non_ascii or (declared != "utf-8" and _fits(body, declared))):
        return declared  # a declaration the bytes agree with (EUC-KR, Shift_JIS, ...)
    if not has_non_ascii or _is_utf8(body):
        return declared or "utf-8"
    chinese = [name for name in ("gb18030", "big5hkscs") if _reads_as_chinese(body, name)]
    if chinese:
        # A statistical detector takes a short GBK title ("小肥羊") for Big5 or EUC-KR; the right reading is
        # the one whose characters are the common ones (in simplified form: GB2312's first level).
        return max(chinese, key=lambda name: _common_share(body, name))
    guess = from_bytes(body[:SNIFF_BYTES], cp_isolation=["gb18030", "big5", "utf_8", "cp1252", "shift_jis",
                                                        "euc_kr", "cp1251", "latin_1"]).best()
    encoding = canonical(guess.encoding) if guess else None
    return SUPERSET.get(family(encoding) or "", encoding or "utf-8")


_CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_T2S = OpenCC("t2s")
HAN_SAMPLE = 5_000  # characters enough to tell GBK from Big5


def _reads_as_chinese(body: bytes, encoding: str) -> bool:
    """The bytes decode in `encoding` cleanly, and nine in ten of the non-ASCII characters are Chinese."""
    text = body[:SNIFF_BYTES].decode(encoding, errors="replace")
    wide = [char for char in text if ord(char) > 127]
    return bool(wide) and _fits(body, encoding) and sum(1 for char in wide if _CHINESE.match(char)) >= 0.9 * len(wide)


def _common_share(body: bytes, encoding: str) -> float:
    """Share of the Han characters read in `encoding` that are among the 3,755 most common (GB2312 level 1),
    once made simplified: near 1 for the right reading, far lower for the wrong one."""
    han = "".join(_HAN.findall(body[:SNIFF_BYTES].decode(encoding, errors="replace")))[:HAN_SAMPLE]
    if not han:
        return 0.0
    common = 0
    for char in _T2S.convert(han):
        try:
            common += 0xB0 <= char.encode("gb2312")[0] <= 0xD7
        except UnicodeEncodeError:
            pass
    return common / len(han)


def decode(body: bytes, content_type: str | None = None) -> tuple[str, str]:
    """The page text and the encoding it was read with; undecodable bytes become U+FFFD."""
    encoding = detect_encoding(body, content_type)
    return body.decode(encoding, errors="replace"), encoding


def with_detected_encoding(response: TextResponse) -> TextResponse:
    """`response` re-read in the encoding its bytes really use (a no-op when Scrapy got it right)."""
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    encoding = detect_encoding(response.body, content_type)
    if canonical(response.encoding) == encoding:
        return response
    return response.replace(encoding=encoding)


def html_response(url: str, body: bytes, content_type: str | None = None) -> HtmlResponse:
    """An HtmlResponse for saved or fetched bytes, in the encoding the bytes really use."""
    headers = {"Content-Type": content_type} if content_type else {}
    return HtmlResponse(url=url, body=body, headers=headers, encoding=detect_encoding(body, content_type))
