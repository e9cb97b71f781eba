"""Who sells: invented shops with their province+city, and places that matter for GI marks.

Test data (2024-11). Places outside a GI region are real producers of the same goods
(定西, 浑源 and 安国 grow or trade astragalus; 呼伦贝尔 and 盐池 raise sheep), which is what
makes their use of the GI name misleading.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Shop:
    """A seller as its listings show it."""

    name: str
    location: str
    group: str = "百货"  # 食品 | 服饰 | 百货: what kind of goods the shop sells


SHOPS: tuple[Shop, ...] = (
    Shop("鑫源食品专营店", "河北省石家庄市", "食品"),
    Shop("金源食品商行", "河南省郑州市", "食品"),
    Shop("草原特产小店", "内蒙古自治区呼和浩特市", "食品"),
    Shop("阿强零食铺", "广东省广州市", "食品"),
    Shop("老街坊土特产", "山东省临沂市", "食品"),
    Shop("北方特产专营店", "辽宁省沈阳市", "食品"),
    Shop("农家土货铺", "四川省成都市", "食品"),
    Shop("惠民粮油批发部", "安徽省合肥市", "食品"),
    Shop("天天鲜食品店", "江苏省苏州市", "食品"),
    Shop("聚福源商贸", "天津市", "食品"),
    Shop("好滋味零食店", "湖南省长沙市", "食品"),
    Shop("亳州中药材批发", "安徽省亳州市", "食品"),
    Shop("义乌某服饰店", "浙江省义乌市", "服饰"),
    Shop("莆田鞋业工厂店", "福建省莆田市", "服饰"),
    Shop("鸿运运动专营店", "福建省晋江市", "服饰"),
    Shop("诚信服饰店", "广东省广州市", "服饰"),
    Shop("靓衣坊女装店", "浙江省杭州市", "服饰"),
    Shop("东门鞋城", "广东省深圳市", "服饰"),
    Shop("新潮潮流馆", "上海市", "服饰"),
    Shop("清河羊绒批发", "河北省邢台市", "服饰"),
    Shop("优品汇折扣店", "江苏省常州市", "服饰"),
    Shop("好运来百货小店", "浙江省金华市"),
    Shop("实惠生活馆", "河南省郑州市"),
    Shop("乐购优选小店", "江苏省南京市"),
    Shop("一品优选", "广东省东莞市"),
    Shop("淘乐多小店", "湖北省武汉市"),
    Shop("万家福超市", "山东省青岛市"),
    Shop("天天特价店", "浙江省义乌市"),
    Shop("品质生活家居店", "广东省佛山市"),
    Shop("顺发批发城", "浙江省台州市"),
    Shop("数码配件专营店", "广东省深圳市"),
    Shop("小城故事杂货铺", "云南省昆明市"),
    Shop("童趣玩具店", "广东省汕头市"),
    Shop("美妆小铺", "上海市"),
    Shop("萌宠用品店", "北京市"),
)

CATEGORY_GROUPS: dict[str, str] = {
    "食品": "食品", "乳制品": "食品", "饮料": "食品", "保健品": "食品", "农产品": "食品", "酒水": "食品",
    "服饰": "服饰", "运动鞋": "服饰", "箱包": "服饰", "运动户外": "服饰",
}

GI_MISUSERS: dict[str, tuple[Shop, ...]] = {
    "guyang-huangqi": (Shop("定西黄芪种植合作社", "甘肃省定西市", "食品"),
                       Shop("浑源正北芪特产店", "山西省浑源县", "食品"),
                       Shop("安国药材城小店", "河北省安国市", "食品")),
    "xilinguole-yangrou": (Shop("呼伦贝尔牧场直销", "内蒙古自治区呼伦贝尔市", "食品"),
                           Shop("盐池滩羊专卖", "宁夏回族自治区盐池县", "食品"),
                           Shop("菏泽清真肉业", "山东省菏泽市", "食品")),
}
REGION_GROWERS: dict[str, tuple[Shop, ...]] = {
    "guyang-huangqi": (Shop("固阳县农家黄芪小店", "内蒙古自治区包头市固阳县金山镇", "食品"),
                       Shop("兴顺西黄芪种植户", "内蒙古自治区包头市固阳县兴顺西镇", "食品")),
    "xilinguole-yangrou": (Shop("锡林浩特牧民自家店", "内蒙古自治区锡林郭勒盟锡林浩特市", "食品"),
                           Shop("阿巴嘎旗草原牧场", "内蒙古自治区锡林郭勒盟阿巴嘎旗", "食品")),
}
CITIES: tuple[str, ...] = tuple(sorted({shop.location for shop in SHOPS}))


def inside(location: str, region: str) -> bool:
    """True when `location` lies within `region` (both written province first, as 内蒙古自治区包头市…)."""
    return location.startswith(region)


def shops_for(category: str, avoid: tuple[str, ...], region: str | None = None) -> list[Shop]:
    """Shops that sell `category`, whose names contain none of `avoid` and lie outside `region`."""
    group = CATEGORY_GROUPS.get(category, "百货")
    usable = [shop for shop in SHOPS
              if not any(word.casefold() in shop.name.casefold() for word in avoid)
              and not (region and inside(shop.location, region))]
    return [shop for shop in usable if shop.group == group] or usable


def misusers(mark_id: str, region: str, avoid: tuple[str, ...]) -> list[Shop]:
    """Sellers outside a GI region, for listings that use the GI name anyway."""
    return list(GI_MISUSERS.get(mark_id, ())) or shops_for("食品", avoid, region)


def _place(region: str) -> str:
    """The last administrative unit of a region: 内蒙古自治区包头市固阳县 → 固阳县."""
    parts = re.findall(r".+?(?:自治区|自治州|省|市|盟|县|旗|区|镇)", region)
    return parts[-1] if parts else region


def growers(mark_id: str, region: str, authorized: tuple[str, ...], rng: random.Random) -> list[Shop]:
    """Unauthorised sellers inside a GI region: their goods are of true origin."""
    known = REGION_GROWERS.get(mark_id)
    if known is None:
        place = _place(region)
        known = (Shop(f"{place}农家特产店", region, "食品"), Shop(f"{place}合作社直销店", region, "食品"))
    return [shop for shop in known if shop.name not in authorized][: rng.randint(1, 2)]
