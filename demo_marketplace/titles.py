"""Listing titles and descriptions, keyword-stuffed the way marketplace sellers write them."""

from __future__ import annotations

import random

from .knockoffs import is_cjk, is_latin

GENUINE = (
    "【官方正品】{item} {origin} 包邮",
    "{item} 官方旗舰店 正品保障 顺丰包邮",
    "{name}官方 {item} 新品上市 {latin}",
    "{item} {latin} 正品 {origin} 假一赔十",
)
KNOCKOFF = (
    "{item} 厂家直销 批发价",
    "【爆款】{item} 特价 包邮",
    "{item} 同款 买二送一",
    "正品{item} 低价清仓",
    "{item} 新款热卖 现货速发",
)
COUNTERFEIT = (
    "{item} 清仓 特价",
    "{item} 原单尾货 特价处理",
    "{item} 正品 清仓价 仅限今天",
    "【工厂店】{item} 一件代发 特价",
)
COPIED_LOGO = (
    "{noun} 大牌同款 厂家直销 批发",
    "【工厂店】{noun} 高品质 包邮",
    "{noun} 爆款 网红同款 现货",
)
GI_MISUSE = (
    "正宗{item} 产地直发 农家自产",
    "{item} 特级 正宗原产 包邮",
    "【正宗】{item} 野生 量大从优",
)
GI_REGION = (
    "{item} 农户自产 原产地直发",
    "{item} 自家种植 当季新货",
)
PREFIXES = ("", "【包邮】", "【新品】", "2024新款 ", "热卖 ", "【限时特惠】")
SUFFIXES = ("包邮", "现货速发", "买二送一", "厂家直销", "限时折扣", "顺丰包邮", "七天无理由")

DESCRIPTIONS = {
    "genuine": "{name}官方授权销售。{noun}，品质保证，支持专柜验货，假一赔十。发货地：{location}。",
    "knockoff": "厂家直销{item}，品质保证，量大从优，欢迎批发。发货地：{location}。",
    "counterfeit": "{item}，尾货清仓，数量有限，售完即止。发货地：{location}。",
    "copied_logo": "{noun}，大牌同款，工厂直供，品质媲美专柜。发货地：{location}。",
    "gi_misuse": "正宗{name}，{noun}，产地直发，农家自产。发货地：{location}。",
    "gi_in_region": "{name}原产地农户自产，{noun}，当季新货。发货地：{location}。",
    "unrelated": "{title}。本店商品均为现货，下单后48小时内发货。发货地：{location}。",
    "gi_evocation": "{item}，品质媲美原产地，量大从优。发货地：{location}。",
    "gi_title_origin": "{item}，产地直发，农家自产。发货地：{location}。",
    "false_heritage": "{item}，老字号传承，品质保证。发货地：{location}。",
    "generic_usage": "{item}。图文详解，在家也能做出饭店的味道。发货地：{location}。",
}


def join(name: str, noun: str) -> str:
    """A name and a product noun as one title phrase: 小肥羊火锅底料, adidas 男子跑步鞋."""
    glued = is_cjk(name[-1]) and is_cjk(noun[0]) and not any(mark in name for mark in " ·*-")
    return f"{name}{noun}" if glued else f"{name} {noun}"


def _tidy(title: str) -> str:
    return " ".join(title.split())


def latin_name(names: tuple[str, ...]) -> str:
    """The mark's first Latin-script name, or its first name when it has none."""
    return next((name for name in names if is_latin(name)), names[0])


def titled(templates: tuple[str, ...], rng: random.Random, **fields: str) -> str:
    """One template from `templates`, filled in and with runs of spaces collapsed."""
    return _tidy(rng.choice(templates).format(**fields))


def unrelated_title(core: str, rng: random.Random) -> str:
    """An unrelated article's title with a seller's stuffing words around it."""
    return _tidy(f"{rng.choice(PREFIXES)}{core} {rng.choice(SUFFIXES)}")


def description(case: str, **fields: str) -> str:
    """The listing's description paragraph for a product of `case`."""
    return DESCRIPTIONS[case].format(**fields)
