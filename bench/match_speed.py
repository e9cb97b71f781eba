"""Matching speed: 100,000 titles against a 5,000-mark watchlist on one core, beside a naive baseline.

    python bench/match_speed.py [--titles 100000] [--marks 5000] [--baseline-titles 2000]

The watchlist and the titles are generated deterministically (seeded) from brand-like
Chinese names (2-4 characters from those brands use) and Latin names (built from syllables),
half of the marks with an alias. One title in four names a mark: as written, spaced out,
in traditional characters or full-width letters, with a homophone, a look-alike letter, a
swapped or doubled letter, or an inserted character; the rest are ordinary product titles.

Each side runs in its own process pinned to the same core, so that its peak memory
(ru_maxrss) is its own; the two take turns, twenty slices of the titles each, and are timed
in CPU seconds of their process (time.process_time), so that other work on the machine
weighs on both alike:

- the matcher: `Scorer.match` of every title, default threshold;
- the baseline: rapidfuzz `process.cdist` with `fuzz.partial_ratio` of every normalised
  title against every normalised name and alias (workers=1), a pair flagged at 80 or more.
  It is run on `--baseline-titles` of the titles (the first of each slice), as it is slow.

Recall is over the planted listing × mark pairs; precision over all pairs flagged. Nothing
is asserted: the figures are printed, with the ratio of the two throughputs.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SEED = 20261125
BASELINE_CUTOFF = 80
ROUNDS = 20

# Characters Chinese brand names are commonly built from: auspicious and quality words,
# places, nature, family names and trade words (written down by hand; about 400 in all, as a
# real watchlist of thousands of marks uses many hundreds of distinct characters).
HAN_FIRST = ("康华美金天新百海绿红雪鲜福佳旺盛鑫益德和雅恒安泰隆兴丰宝源达乐喜春秋蓝白黑银龙凤鹤鹿松竹梅兰菊星月光明"
             "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
             "东南西北中京沪津渝川湘粤闽浙苏皖鲁豫冀晋辽吉黑蒙陕甘宁青新藏桂琼滇黔港澳台长江黄河泰山峨眉")
HAN_REST = ("乐源达利宝康丰泰隆兴恒安盛雅洁轩居坊记堂斋园林川山泉家汇味香鲜品优佳诚信德福禄寿喜庆祥瑞云峰江湖"
            "宏伟豪杰英俊秀丽妙奇精致尚典古今顺昌荣泽润霖露冰霜晨曦朝阳夕辰宇宙天地乾坤志远航帆舟桥"
            "牌号庄铺行社阁楼馆氏人子仔哥姐妈婆爷叔妹娃郎侯爵帝皇宫府城镇村乡井")
LATIN_SYLLABLES = ("ka", "ro", "lin", "vex", "tor", "ma", "zen", "li", "so", "nar", "ve", "dra", "mo", "rix", "ta",
                   "lu", "ber", "gan", "ni", "qua", "sel", "do", "fi", "ran", "te", "co", "pel", "vi", "sta", "no")
GOODS = {
    25: ["运动鞋", "跑步鞋", "卫衣", "T恤", "羽绒服", "牛仔裤", "帆布鞋", "运动裤"],
    29: ["纯牛奶", "酸奶", "牛肉干", "火腿肠", "食用油", "瓜子", "鸭脖"],
    30: ["方便面", "饼干", "巧克力", "奶糖", "火锅底料", "咖啡", "月饼"],
    32: ["矿泉水", "果汁", "凉茶", "汽水", "啤酒", "功能饮料"],
    3: ["洗发水", "沐浴露", "牙膏", "面膜", "口红", "洗衣液"],
    9: ["手机", "耳机", "充电宝", "蓝牙音箱", "平板电脑"],
    18: ["双肩包", "钱包", "行李箱", "手提包"],
    11: ["空调", "电饭煲", "热水器", "台灯"],
}
EXTRAS = ["包邮", "新款", "正品", "特价", "整箱", "家庭装", "500ml*24瓶", "24袋", "男女同款", "2024新款", "礼盒装",
          "顺丰", "现货", "批发价", "限时折扣", "大容量", "加厚", "学生", "儿童", "进口"]
TECHNIQUES = ("exact", "spaced", "traditional", "fullwidth", "homophone", "lookalike", "misspelling", "inserted")
LATIN_LOOKALIKES = {"i": "l", "o": "0", "l": "1", "m": "rn", "w": "vv", "a": "а"}


@dataclass(frozen=True)
class Workload:
    marks: list[dict]
    titles: list[str]
    planted: dict[int, str]  # title index → the mark id planted in it


def build(n_marks: int, n_titles: int) -> Workload:
    """The deterministic watchlist and titles."""
    from opencc import OpenCC
    from pypinyin import lazy_pinyin

    rng = random.Random(SEED)
    s2t = OpenCC("s2t")
    marks: list[dict] = []
    seen: set[str] = set()
    while len(marks) < n_marks:
        classes = rng.sample(sorted(GOODS), 2)
        if rng.random() < 0.5:
            name = rng.choice(HAN_FIRST) + "".join(rng.choice(HAN_REST) for _ in range(rng.choice((1, 2, 2, 3))))
            alias = "".join(lazy_pinyin(name)).capitalize() if rng.random() < 0.5 else None
        else:
            name = "".join(rng.choice(LATIN_SYLLABLES) for _ in range(rng.choice((2, 2, 3)))).capitalize()
            alias = None
        if name in seen or (alias and alias in seen):
            continue
        seen.update({name, alias} - {None})
        mark = {"id": f"m{len(marks):05d}", "name": name, "kind": "trademark", "owner": f"{name} Co.",
                "nice_classes": classes, "aliases": [alias] if alias else []}
        marks.append(mark)
    homophones = _homophones()
    titles: list[str] = []
    planted: dict[int, str] = {}
    for index in range(n_titles):
        goods = rng.choice(GOODS[rng.choice(sorted(GOODS))])
        extras = rng.sample(EXTRAS, 3)
        mention = ""
        if rng.random() < 0.25:
            mark = rng.choice(marks)
            goods = rng.choice(GOODS[mark["nice_classes"][0]])
            mention = _disguise(mark["name"], rng.choice(TECHNIQUES), rng, s2t, homophones)
            if mention:
                planted[index] = mark["id"]
        parts = [mention, goods, *extras] if mention else [goods, *extras]
        titles.append(" ".join(parts))
    return Workload(marks, titles, planted)


def _disguise(name: str, technique: str, rng: random.Random, s2t: object, homophones: dict[str, list[str]]) -> str:
    han = not name.isascii()
    if technique == "exact":
        return name
    if technique == "spaced":
        return " ".join(name) if han else "-".join(name.upper())
    if technique == "traditional":
        converted = s2t.convert(name)  # type: ignore[attr-defined]
        return converted if converted != name else name
    if technique == "fullwidth":
        return "".join(chr(ord(char) + 0xFEE0) if char.isascii() and char.isalnum() else char for char in name)
    if technique == "homophone" and han:
        positions = [i for i, char in enumerate(name) if homophones.get(char)]
        if not positions or len(name) == 2:
            return name
        at = rng.choice(positions)
        return name[:at] + rng.choice(homophones[name[at]]) + name[at + 1 :]
    if technique == "lookalike" and not han:
        positions = [i for i, char in enumerate(name.lower()) if char in LATIN_LOOKALIKES and i > 0]
        if not positions:
            return name
        at = rng.choice(positions)
        return name[:at] + LATIN_LOOKALIKES[name[at].lower()] + name[at + 1 :]
    if technique == "misspelling" and not han and len(name) >= 6:
        at = rng.randrange(1, len(name) - 1)
        return name[:at] + name[at + 1] + name[at] + name[at + 2 :]  # neighbours swapped
    if technique == "inserted" and han and len(name) >= 3:
        at = rng.randrange(1, len(name))
        return name[:at] + rng.choice(HAN_REST) + name[at:]
    return name


def _homophones() -> dict[str, list[str]]:
    """Characters of the brand pools that share a tone-less reading with another of them."""
    from pypinyin import lazy_pinyin

    by_sound: dict[str, list[str]] = {}
    for char in set(HAN_FIRST + HAN_REST + "佳家嘉加甲夏霞侠康慷糠抗华化画花美每梅妹"):
        by_sound.setdefault(lazy_pinyin(char)[0], []).append(char)
    return {char: [other for other in group if other != char]
            for group in by_sound.values() for char in group if len(group) > 1}


def matcher_runner(workload: Workload) -> tuple[Callable[[int, int], list[tuple[int, str]]], float]:
    """The matcher: `Scorer.match` with the default threshold; returns a runner over title ranges."""
    from ipwatch.matchers.scorer import Scorer
    from ipwatch.spiders.records import Listing
    from ipwatch.watchlist.records import Mark

    started = time.perf_counter()
    scorer = Scorer.from_marks([Mark(**mark) for mark in workload.marks])
    built = time.perf_counter() - started
    listings = [Listing(site="bench", listing_key=str(index), url="", title=title)
                for index, title in enumerate(workload.titles)]

    def run(first: int, last: int) -> list[tuple[int, str]]:
        return [(index, found.mark_id) for index in range(first, last) for found in scorer.match(listings[index])]

    return run, built


def baseline_runner(workload: Workload) -> tuple[Callable[[int, int], list[tuple[int, str]]], float]:
    """The naive baseline: rapidfuzz partial_ratio of every normalised title against every
    normalised name and alias (process.cdist, every score computed), flagged at 80 or more."""
    from rapidfuzz import fuzz, process

    from ipwatch.matchers.text.normalise import normalise

    names: list[str] = []
    owners: list[str] = []
    for mark in workload.marks:
        for name in [mark["name"], *mark["aliases"]]:
            names.append(normalise(name).text)
            owners.append(mark["id"])

    def run(first: int, last: int) -> list[tuple[int, str]]:
        titles = [normalise(title).text for title in workload.titles[first:last]]
        scores = process.cdist(titles, names, scorer=fuzz.partial_ratio, workers=1)
        rows, columns = (scores >= BASELINE_CUTOFF).nonzero()
        return sorted({(first + int(row), owners[int(column)]) for row, column in zip(rows, columns, strict=True)})

    return run, 0.0


def _worker(side: str, workload: Workload, connection: Connection) -> None:
    """One side in its own process on one core: times each range of titles it is sent in CPU
    seconds, and reports its peak memory at the end."""
    _one_core()
    run, built = (matcher_runner if side == "matcher" else baseline_runner)(workload)
    connection.send(built)
    while (message := connection.recv()) is not None:
        started = time.process_time()
        flagged = run(*message)
        connection.send((time.process_time() - started, flagged))
    connection.send(_peak_mib())


def _one_core() -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _quality(flagged_pairs: list[tuple[int, str]], planted: dict[int, str], titles: set[int]) -> tuple[float, float]:
    """Recall over the planted listing × mark pairs among `titles`, precision over all flagged."""
    planted_pairs = {(index, mark) for index, mark in planted.items() if index in titles}
    flagged = set(flagged_pairs)
    recall = len(planted_pairs & flagged) / max(1, len(planted_pairs))
    precision = len(planted_pairs & flagged) / max(1, len(flagged))
    return recall, precision


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--titles", type=int, default=100_000)
    parser.add_argument("--marks", type=int, default=5_000)
    parser.add_argument("--baseline-titles", type=int, default=2_000)
    parser.add_argument("--save", type=Path, help="also write the watchlist and titles here (JSON)")
    args = parser.parse_args()
    workload = build(args.marks, args.titles)
    if args.save:
        args.save.write_text(json.dumps({"marks": workload.marks, "titles": workload.titles}, ensure_ascii=False))
    names = sum(1 + len(mark["aliases"]) for mark in workload.marks)
    print(f"{len(workload.marks)} marks ({names} names and aliases), {len(workload.titles)} titles, "
          f"{len(workload.planted)} with a planted mark; one core each")
    totals = _take_turns(workload, args.baseline_titles)
    rates = {}
    for side, result in totals.items():
        rates[side] = result["titles"] / result["seconds"]
        recall, precision = _quality(result["flagged"], workload.planted, result["given"])
        print(f"{side:<9} {result['titles']:>7} titles  {rates[side]:>9.0f} titles/s  "
              f"peak {result['peak_mib']:>6.0f} MiB  recall {recall:.3f}  precision {precision:.3f}")
    print(f"matcher index built in {totals['matcher']['build_seconds']:.1f} s (not counted above)")
    print(f"throughput ratio matcher/baseline: {rates['matcher'] / rates['baseline']:.1f}x")


def _take_turns(workload: Workload, baseline_titles: int) -> dict[str, dict]:
    """Run both sides in turns on the same core, a slice of the titles each round, so that
    whatever else the machine does weighs on both alike."""
    context = multiprocessing.get_context("fork")
    sides: dict[str, tuple[Connection, multiprocessing.Process]] = {}
    totals: dict[str, dict] = {}
    for side in ("matcher", "baseline"):
        mine, theirs = context.Pipe()
        process = context.Process(target=_worker, args=(side, workload, theirs))
        process.start()
        sides[side] = (mine, process)
        totals[side] = {"titles": 0, "seconds": 0.0, "flagged": [], "given": set(), "build_seconds": mine.recv()}
    step = len(workload.titles) // ROUNDS
    baseline_step = max(1, min(baseline_titles, len(workload.titles)) // ROUNDS)
    for round_ in range(ROUNDS):
        first = round_ * step
        last = len(workload.titles) if round_ == ROUNDS - 1 else first + step
        for side, (begin, end) in (("matcher", (first, last)), ("baseline", (first, first + baseline_step))):
            connection = sides[side][0]
            connection.send((begin, end))
            seconds, flagged = connection.recv()
            total = totals[side]
            total["titles"] += end - begin
            total["seconds"] += seconds
            total["flagged"] += flagged
            total["given"].update(range(begin, end))
    for side, (connection, process) in sides.items():
        connection.send(None)
        totals[side]["peak_mib"] = connection.recv()
        process.join()
    return totals

if __name__ == "__main__":
    main()
