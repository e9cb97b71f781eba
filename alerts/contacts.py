"""Seller contacts as pages show them, normalised so that sellers giving the same one can be linked.

    >>> parse_contact("客服电话：+86 138-1234-5678")
    Contact(kind='phone', value='13812345678')
    >>> parse_contact("微信号 Kang_Shi_Fu88")
    Contact(kind='wechat', value='kang_shi_fu88')
    >>> parse_contact("退货地址：广东省 广州市白云区 石井街道 88号 张三 13812345678")
    Contact(kind='address', value='广东省广州市白云区石井街道88号张三')

A string nothing recognises gives None: it is counted, never guessed into a false link.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

ContactKind = Literal["phone", "wechat", "email", "licence", "address"]

# Labels sellers put before a contact, lower-cased after NFKC (full-width colons become ":").
LABELS: dict[str, ContactKind] = {
    "客服电话": "phone", "联系电话": "phone", "手机号": "phone", "电话": "phone", "手机": "phone", "tel": "phone",
    "phone": "phone", "mobile": "phone", "微信号": "wechat", "微信": "wechat", "薇信": "wechat", "v信": "wechat",
    "wechat": "wechat", "weixin": "wechat", "vx": "wechat", "wx": "wechat", "电子邮箱": "email", "邮箱": "email",
    "e-mail": "email", "email": "email", "mail": "email", "统一社会信用代码": "licence", "信用代码": "licence",
    "营业执照注册号": "licence", "营业执照": "licence", "licence": "licence", "license": "licence",
    "退货地址": "address", "发货地址": "address", "联系地址": "address", "return address": "address",
    "地址": "address", "address": "address",
}
_LABEL = re.compile(r"^\s*(" + "|".join(sorted(map(re.escape, LABELS), key=len, reverse=True)) + r")\s*[:：]?\s*")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^0\d{9,11}$")
_WECHAT = re.compile(r"^[a-z][a-z0-9_-]{5,19}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_USCC = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")  # 统一社会信用代码, GB 32100-2015
_PHONE_CHARS = re.compile(r"^[\d\s()+.\-]+$")
_LONG_DIGITS = re.compile(r"\d{7,}")
ADDRESS_MIN_CHARS = 8  # shorter "addresses" (a city name) would link strangers
MAX_VALUE = 200


@dataclass(frozen=True, slots=True)
class Contact:
    """One normalised contact: its kind and the value two sellers must share to be linked."""

    kind: ContactKind
    value: str

    def masked(self) -> str:
        """The contact as a reason may print it: enough to recognise, not to call, e.g. `138****5678`."""
        value = self.value
        if self.kind == "phone":
            return value[:3] + "****" + value[-4:] if len(value) > 7 else value[:2] + "****"
        if self.kind == "email":
            name, _, domain = value.partition("@")
            return f"{name[:1]}***@{domain}"
        if self.kind == "address":
            return value[:6] + "…"
        return value[:2] + "***" + value[-2:]


def parse_contact(raw: str) -> Contact | None:
    """The normalised contact in `raw` (labelled or not), or None when it is not one we can link on."""
    text = unicodedata.normalize("NFKC", raw).strip().lower()  # every kind compares case-blind
    match = _LABEL.match(text)
    if match:
        return _normalise(LABELS[match.group(1)], text[match.end():])
    return _guess(text)


def _guess(text: str) -> Contact | None:
    if "@" in text:
        return _normalise("email", text)
    if _USCC.match(text.upper().replace(" ", "")):
        return _normalise("licence", text)
    if _PHONE_CHARS.match(text):
        return _normalise("phone", text)
    if any(unicodedata.category(ch) == "Lo" for ch in text):
        return _normalise("address", text)
    return _normalise("wechat", text)


def _normalise(kind: ContactKind, text: str) -> Contact | None:
    if kind == "wechat" and (phone := _phone(text)) is not None:
        return Contact("phone", phone)  # "微信同号": the WeChat account is the phone number
    value = _NORMALISERS[kind](text.strip())
    return Contact(kind, value[:MAX_VALUE]) if value else None


def _phone(text: str) -> str | None:
    digits = re.sub(r"[\s()+.\-]", "", text)
    if not digits.isdigit():
        return None
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and _MOBILE.match(digits[len(prefix):]):
            digits = digits[len(prefix):]
    if _MOBILE.match(digits) or _LANDLINE.match(digits) or (digits.startswith("400") and len(digits) == 10):
        return digits
    return None


def _wechat(text: str) -> str | None:
    value = text.lower()
    return value if _WECHAT.match(value) else None


def _email(text: str) -> str | None:
    value = text.lower()
    return value if _EMAIL.match(value) else None


def _licence(text: str) -> str | None:
    value = re.sub(r"\s", "", text).upper()
    return value if _USCC.match(value) or (len(value) == 15 and value.isdigit()) else None


def _address(text: str) -> str | None:
    text = _LONG_DIGITS.sub("", text)  # a phone number inside the address links through its own kind
    value = "".join(ch for ch in text.casefold() if unicodedata.category(ch)[0] not in "PSZC")
    return value if len(value) >= ADDRESS_MIN_CHARS else None


_NORMALISERS = {"phone": _phone, "wechat": _wechat, "email": _email, "licence": _licence, "address": _address}


def parse_contacts(raws: list[str] | tuple[str, ...]) -> set[Contact]:
    """The distinct contacts a listing gives; strings nothing recognises are left out."""
    return {contact for raw in raws if (contact := parse_contact(str(raw))) is not None}
