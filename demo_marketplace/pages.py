"""HTML pages of the shop: home, search results (static, JavaScript mall, GBK), listings and errors.

Every piece of product text is HTML-escaped; the JSON-LD block is escaped so that no `</script>` ends it early.
"""

from __future__ import annotations

import json
import re
from html import escape
from typing import Any

from .records import Product, Section

_SCRIPT_OPENERS = re.compile(r"<(?=!--|script)", re.IGNORECASE)
SEARCH_PATHS: dict[Section, str] = {"static": "/search", "mall": "/mall/search", "gbk": "/gbk/search"}
SECTION_NAMES: dict[Section, str] = {"static": "综合市场", "mall": "品牌商城", "gbk": "老街市场"}
STYLE = """
body{margin:0;background:#f4f4f4;color:#222;font:15px/1.6 "Noto Sans CJK SC","Noto Sans SC","PingFang SC",
"Microsoft YaHei",sans-serif}
header{background:#e4393c;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:bold} header form{margin-left:auto}
header input{width:260px;padding:6px;border:0;border-radius:3px} header button{padding:6px 14px}
main{max-width:980px;margin:20px auto;background:#fff;padding:20px 28px;border-radius:4px}
#results{list-style:none;padding:0} #results li{padding:8px 0;border-bottom:1px solid #eee}
a.result{color:#1a0dab;text-decoration:none} a[rel=next]{display:inline-block;margin-top:12px}
.listing{display:flex;gap:28px} .gallery{display:grid;grid-template-columns:repeat(2,200px);gap:8px}
.gallery img{width:200px;height:200px;object-fit:contain;border:1px solid #ddd;background:#fafafa}
h1.title{font-size:20px;margin:0 0 12px} .price{color:#e4393c;font-size:24px;font-weight:bold}
dl.facts{display:grid;grid-template-columns:5em auto;gap:4px 8px} dt{color:#888} dd{margin:0}
.muted{color:#888}
"""


def page(title: str, body: str, *, charset: str = "utf-8", head: str = "", section: Section = "static",
         query: str = "") -> str:
    """A whole HTML document with the shop's header and a search box for `section`."""
    nav = "".join(f'<a href="{SEARCH_PATHS[key]}">{name}</a>' for key, name in SECTION_NAMES.items())
    form = (f'<form action="{SEARCH_PATHS[section]}" method="get" accept-charset="utf-8">'
            f'<input id="q" name="q" value="{escape(query)}" placeholder="搜索商品"> <button>搜索</button></form>')
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="{charset}">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f"<title>{escape(title)} - 草原集市</title><style>{STYLE}</style>{head}</head>"
            f'<body><header><a href="/">草原集市</a>{nav}{form}</header><main>{body}</main></body></html>\n')


def home() -> str:
    """The home page: a search box and the three sections."""
    sections = "".join(
        f'<li><a href="{SEARCH_PATHS[key]}">{name}</a> <span class="muted">{SEARCH_PATHS[key]}?q=…</span></li>'
        for key, name in SECTION_NAMES.items())
    body = f"<h1>欢迎光临草原集市</h1><p>在上方搜索，或进入各个市场：</p><ul>{sections}</ul>"
    return page("首页", body)


def results(hits: list[Product], next_href: str | None) -> str:
    """The result list markup every section shares: a.result links, then a rel=next link."""
    items = "".join(f'<li><a class="result" href="{p.url_path}">{escape(p.title)}</a></li>' for p in hits)
    pager = f'<a rel="next" href="{escape(next_href)}">下一页</a>' if next_href else ""
    return f'<ul id="results">{items}</ul><nav class="pager">{pager}</nav>'


def search_page(section: Section, query: str, number: int, hits: list[Product], next_href: str | None,
                total: int) -> str:
    """A server-rendered result page (static and GBK sections)."""
    charset = "gbk" if section == "gbk" else "utf-8"
    summary = f'<p class="muted">“{escape(query)}” 共 {total} 件商品，第 {number} 页</p>'
    return page(f"{query} 搜索结果", summary + results(hits, next_href), charset=charset, section=section, query=query)


MALL_SCRIPT = """<script>
(function () {
  var params = new URLSearchParams(window.location.search);
  var q = params.get("q") || "", number = params.get("page") || "1";
  var list = document.getElementById("results"), pager = document.getElementById("pager");
  var status = document.getElementById("status");
  document.getElementById("q").value = q;
  fetch("/api/mall/search?q=" + encodeURIComponent(q) + "&page=" + encodeURIComponent(number))
    .then(function (response) { if (!response.ok) { throw new Error(response.status); } return response.json(); })
    .then(function (data) {
      data.results.forEach(function (hit) {
        var item = document.createElement("li"), link = document.createElement("a");
        link.className = "result"; link.href = hit.url; link.textContent = hit.title;
        item.appendChild(link); list.appendChild(item);
      });
      if (data.next) {
        var next = document.createElement("a");
        next.rel = "next"; next.href = data.next; next.textContent = "下一页"; pager.appendChild(next);
      }
      status.textContent = "“" + q + "” 共 " + data.total + " 件商品，第 " + data.page + " 页";
    })
    .catch(function () { status.textContent = "加载失败，请刷新重试"; });
})();
</script>"""


def mall_shell(query: str) -> str:
    """The mall's result page: an empty list that inline JavaScript fills from /api/mall/search."""
    body = ('<p id="status" class="muted">加载中…</p><ul id="results"></ul><nav class="pager" id="pager"></nav>'
            + MALL_SCRIPT)
    return page(f"{query} 品牌商城", body, section="mall", query=query)


def jsonld(product: Product, base_url: str) -> dict[str, Any]:
    """The schema.org Product a listing page declares."""
    offer: dict[str, Any] = {"@type": "Offer", "availability": "https://schema.org/InStock",
                             "url": base_url + product.url_path,
                             "seller": {"@type": "Organization", "name": product.seller}}
    if product.price is not None:
        offer.update(price=product.price, priceCurrency="CNY")
    data: dict[str, Any] = {
        "@context": "https://schema.org", "@type": "Product", "name": product.title, "sku": product.id,
        "image": [base_url + product.image_path(n) for n in range(1, len(product.images) + 1)],
        "category": product.category, "description": product.description, "offers": offer,
    }
    if product.brand:
        data["brand"] = {"@type": "Brand", "name": product.brand}
    return data


def script_json(data: dict[str, Any]) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    return _SCRIPT_OPENERS.sub(r"\\u003c", text)  # `<!--` and `<script` could change how the parser reads on


def listing_page(product: Product, base_url: str) -> str:
    """A product page: JSON-LD in the head, the same facts visible in the body."""
    head = f'<script type="application/ld+json">{script_json(jsonld(product, base_url))}</script>'
    images = "".join(f'<img class="product-image" src="{product.image_path(n)}" alt="{escape(product.title)}">'
                     for n in range(1, len(product.images) + 1))
    price = (f'<span class="price">¥{product.price}</span>' if product.price is not None
             else '<span class="muted">暂无报价，请咨询客服</span>')
    body = (f'<div class="listing"><div class="gallery">{images}</div><div class="info">'
            f'<h1 class="title">{escape(product.title)}</h1><p>{price}</p><dl class="facts">'
            f'<dt>店铺</dt><dd><span class="seller">{escape(product.seller)}</span></dd>'
            f'<dt>发货地</dt><dd><span class="seller-location">{escape(product.seller_location)}</span></dd>'
            f'<dt>类目</dt><dd><span class="category">{escape(product.category)}</span></dd></dl>'
            f'<p class="description">{escape(product.description)}</p></div></div>')
    charset = "gbk" if product.section == "gbk" else "utf-8"
    return page(product.title, body, charset=charset, head=head, section=product.section)


def error_page(status: int, message: str) -> str:
    """A small error page (404, 403, 400)."""
    return page(str(status), f"<h1>{status}</h1><p>{escape(message)}</p><p><a href=\"/\">返回首页</a></p>")
