"""Seller contacts: whatever way a page writes one, the same contact normalises to the same value."""

from __future__ import annotations

import pytest

from ipwatch.alerts.contacts import Contact, parse_contact, parse_contacts

CASES = [
    # as the page shows it, expected (kind, value) or None
    ("客服电话：138 1234 5678", ("phone", "13812345678")),
    ("+86-138-1234-5678", ("phone", "13812345678")),
    ("tel: 0086 13812345678", ("phone", "13812345678")),
    ("电话 0472-5123456", ("phone", "04725123456")),
    ("400-123-4567", ("phone", "4001234567")),
    ("微信：１３８１２３４５６７８", ("phone", "13812345678")),  # full-width digits; WeChat = the phone number
    ("微信号 Kang_Shi_Fu88", ("wechat", "kang_shi_fu88")),
    ("VX: kangshifu-88", ("wechat", "kangshifu-88")),
    ("kangshifu_88", ("wechat", "kangshifu_88")),
    ("邮箱: Shop@Example.COM", ("email", "shop@example.com")),
    ("shop@example.com", ("email", "shop@example.com")),
    ("统一社会信用代码：91150200MA0N1234XK", ("licence", "91150200MA0N1234XK")),
    ("91150200ma0n1234xk", ("licence", "91150200MA0N1234XK")),
    ("营业执照注册号 150200000012345", ("licence", "150200000012345")),
    ("退货地址：广东省 广州市白云区，石井街道 88号 张三 13812345678", ("address", "广东省广州市白云区石井街道88号张三")),
    ("广东省广州市白云区石井街道88号 张三", ("address", "广东省广州市白云区石井街道88号张三")),
    # too little to link strangers on, or not a contact at all
    ("电话 12345", None),
    ("地址：包头市", None),
    ("微信 ab", None),
    ("邮箱 bad@", None),
    ("", None),
    ("<script>alert(1)</script>", None),
]


@pytest.mark.parametrize(("raw", "expected"), CASES, ids=[c[0] or "empty" for c in CASES])
def test_a_contact_normalises_to_one_value_per_kind(raw, expected):
    found = parse_contact(raw)
    assert (found.kind, found.value) == expected if expected else found is None


def test_a_listing_giving_one_phone_three_ways_has_one_contact():
    assert parse_contacts(("电话 138-1234-5678", "微信 13812345678", "+86 13812345678", "junk")) == {
        Contact("phone", "13812345678")}


@pytest.mark.parametrize(("contact", "shown"), [
    (Contact("phone", "13812345678"), "138****5678"),
    (Contact("email", "shop@example.com"), "s***@example.com"),
    (Contact("wechat", "kangshifu_88"), "ka***88"),
    (Contact("address", "广东省广州市白云区石井街道88号"), "广东省广州市…"),
])
def test_a_reason_prints_a_contact_masked(contact, shown):
    assert contact.masked() == shown
