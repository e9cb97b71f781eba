"""Listings for the provenance rules: GIs evoked (固阳式黄芪, 仿…, …同款), a GI whose title names
another origin, old brands with false heritage claims, and old brands' names in generic use.

Test data (2026-11) for the sample watchlist's marks: a mark missing from the tables gets no
such listing, except the generic-use listing its own `generic_uses` allow. Places outside a
region are real producers of the same goods, as in `sellers`.
"""

from __future__ import annotations

from .sellers import Shop

# mark id → (title, shop) of listings that evoke the GI; one comes from a grower inside the
# region (evocation is infringing whatever the seller's origin).
EVOCATIONS: dict[str, tuple[tuple[str, Shop], ...]] = {
    "guyang-huangqi": (
        ("固阳式黄芪 切片 500g 泡水煲汤", Shop("陇西黄芪加工厂", "甘肃省定西市陇西县", "食品")),
        ("仿固阳黄芪 正北芪 特级 250g", Shop("大同北芪药材行", "山西省大同市", "食品")),
        ("固阳黄芪同款 黄芪片 买二送一", Shop("固阳县农家黄芪小店", "内蒙古自治区包头市固阳县金山镇", "食品")),
        ("Guyang-style astragalus root slices 250g", Shop("Anguo Herbal Export", "河北省安国市", "食品")),
    ),
    "xilinguole-yangrou": (
        ("锡林郭勒风味羊排 冷冻 1kg", Shop("临沂清真肉业", "山东省临沂市", "食品")),
        ("锡林郭勒羊肉同款 草原羊肉卷 2斤", Shop("赤峰牧场直销", "内蒙古自治区赤峰市", "食品")),
    ),
}
# mark id → (title, shop): the seller's location is too vague to place, the title names another origin.
TITLE_ORIGINS: dict[str, tuple[tuple[str, Shop], ...]] = {
    "guyang-huangqi": (("固阳黄芪 甘肃定西产地直发 500g", Shop("草原药材铺", "内蒙古自治区", "食品")),),
}
# mark id → (title, shop) of listings claiming the old brand's heritage from a shop not the owner's.
HERITAGE_CLAIMS: dict[str, tuple[tuple[str, Shop], ...]] = {
    "quanjude": (("全聚德北京烤鸭 百年老店 正宗挂炉 1.2kg", Shop("京味烤鸭坊", "北京市朝阳区", "食品")),),
    "tongrentang": (("中华老字号 同仁堂六味地黄丸 360丸", Shop("康源大药房", "河南省郑州市", "食品")),),
    "wangzhihe": (("王致和红腐乳 始创于1669 340g", Shop("老北京调料铺", "北京市丰台区", "食品")),),
}
BOOKSHOP = Shop("文轩图书专营店", "四川省成都市", "图书")
GENERIC_TITLE = "{phrase} 家常菜谱 图解版 新手入门"  # a cookbook naming the dish: common usage
