"""Blocked is not empty: captcha, login, slider and rate-limit pages are named as blocks, by each
shipped profile's rules, while real pages (even ones that mention a captcha) are not."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request

from ipwatch.spiders.blocking import blocked_by
from ipwatch.spiders.profile import load_profile


def response(url: str, body: str = "<html><body>ok</body></html>", status: int = 200,
             redirected_from: str | None = None) -> HtmlResponse:
    meta = {"redirect_urls": [redirected_from]} if redirected_from else {}
    return HtmlResponse(url=url, body=body.encode("utf-8"), status=status, encoding="utf-8",
                        request=Request(url, meta=meta))


@pytest.mark.parametrize(("profile", "page", "kind"), [
    ("taobao", response("https://login.taobao.com/member/login.jhtml?redirectURL=x",
                        redirected_from="https://s.taobao.com/search?q=x"), "login"),
    ("taobao", response("https://s.taobao.com/search/_____tmd_____/punish?x5secdata=1"), "slider"),
    ("tmall", response("https://list.tmall.com/search_product.htm", "<div>亲，请拖动下方滑块完成验证</div>"), "slider"),
    ("jd", response("https://passport.jd.com/new/login.aspx?ReturnUrl=x"), "login"),
    ("jd", response("https://cfe.m.jd.com/privatedomain/risk_handler/03101900/?returnurl=x"), "captcha"),
    ("amazon", response("https://www.amazon.com/errors/validateCaptcha",
                        "<form action='/errors/validateCaptcha'>Enter the characters you see below</form>"), "captcha"),
    ("amazon", response("https://www.amazon.com/s?k=x", "To discuss automated access to Amazon data", 503),
     "rate_limit"),
    ("ebay", response("https://www.ebay.com/splashui/captcha?ap=1"), "captcha"),
    ("pinduoduo", response("https://mobile.yangkeduo.com/login.html?from=search"), "login"),
    ("douyin", response("https://www.douyin.com/search/x", "<div id='captcha_container'>验证码中间页</div>"), "slider"),
    ("xianyu", response("https://passport.goofish.com/mini_login.htm"), "login"),
    ("aliexpress", response("https://www.aliexpress.com/w/_____tmd_____/punish"), "slider"),
    ("1688", response("https://login.1688.com/member/signin.htm"), "login"),
    ("demo", response("http://127.0.0.1:8800/search?q=x", "slow down", 429), "rate_limit"),  # every site
])
def test_block_pages_are_named(profile: str, page: HtmlResponse, kind: str) -> None:
    blocked = blocked_by(page, load_profile(profile))
    assert blocked is not None and blocked.kind == kind and blocked.remedy


@pytest.mark.parametrize(("profile", "page"), [
    ("amazon", response("https://www.amazon.com/dp/B01GOH7PKA", "<h1 id='productTitle'>Duffle bag</h1>")),
    ("amazon", response("https://www.amazon.com/dp/B0", "<h1>Bag</h1><p>Server busy</p>", 503)),  # 503 alone
    ("jd", response("https://item.jd.com/1.html", "<div class='sku-name'>方向盘</div>")),
    ("taobao", response("https://s.taobao.com/search?q=x", "<script>g_page_config = {};</script>")),
    ("demo", response("http://127.0.0.1/search?q=x", "<ul id='results'></ul>")),  # empty is not blocked
])
def test_real_and_empty_pages_are_not_blocks(profile: str, page: HtmlResponse) -> None:
    assert blocked_by(page, load_profile(profile)) is None
