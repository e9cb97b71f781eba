"""Load: N generated listings through match → alert on PostgreSQL, with bounded memory.

    nice python bench/load_pipeline.py [--listings 1000000] [--pg-url URL] [--infringing 0.02]

On a fresh PostgreSQL database (created on the server of `--pg-url`, default IPWATCH_BENCH_PG_URL
or postgresql://postgres@127.0.0.1:5432/test, and dropped afterwards):

1. the sample watchlist (watchlist/samples/baotou.yaml, 13 marks) is loaded;
2. N listings are generated (deterministic: a fixed seed) and inserted in batches of 5,000 —
   ordinary goods titles, and a share `--infringing` of them naming a watched mark or a knockoff
   of one (小肥洋, 康师父, 固陽黃芪…);
3. the real match stage (`ipwatch.stages.match_listings`, the function `ipwatch crawl` and the
   scheduler call) scores every stored listing against every mark and raises alerts with their
   pending deliveries, one transaction per batch of 200.

Printed: listings/s of the match stage, alerts raised, and this process's resident memory when
10% of the listings had been matched and at the end, with the peak. Memory is bounded when the
end is no more than 1.25× the 10% figure (+32 MiB of slack for allocator noise): a stage that kept
every listing, id or alert would grow with N. The last lines are the reliability runner's figures
(one JSON object each). The default N (--listings 20000) keeps the runner's run short; bench/RESULTS.md
gives the figures at 1,000,000.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import secrets
import sys
import time
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy import func, insert, select
from sqlalchemy.engine import make_url

from ipwatch.core.clock import utcnow
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.migrate import upgrade
from ipwatch.core.storage.models import AlertRow, DeliveryRow, ListingRow, SiteRow
from ipwatch.pipeline import match_listings
from ipwatch.watchlist.loader import load_watchlist
from ipwatch.watchlist.store import upsert_marks

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "watchlist" / "samples" / "baotou.yaml"
INSERT_BATCH = 5_000
MIB = 1024 * 1024
GOODS = ["纯棉T恤", "蓝牙耳机", "不锈钢保温杯", "儿童积木", "手机支架", "瑜伽垫", "电动牙刷", "收纳箱", "登山包",
         "陶瓷茶具", "羊毛围巾", "LED台灯", "帆布鞋", "机械键盘", "厨房剪刀", "无线鼠标", "真丝枕套", "加湿器"]
WORDS = ["新款", "夏季", "包邮", "加厚", "正品", "大容量", "便携", "家用", "男女同款", "简约", "特价", "学生",
         "办公室", "ins风", "北欧", "日式", "升级版", "送礼"]
KNOCKOFFS = ["小肥洋 火锅底料 包邮", "康师父 红烧牛肉面 整箱", "固陽黃芪 切片 500g", "娃恰恰 AD钙奶 24瓶",
             "小肥羊 火锅蘸料 批发", "Nlke 跑步鞋 男款", "Abibas 三叶草 卫衣", "伊刊 纯牛奶 整箱 特价",
             "同仁唐 安宫丸 礼盒", "仿固阳黄芪 礼盒装", "蒙牛 特仑苏 高仿", "鹿王羊绒衫 厂家直销 原单"]
LOCATIONS = ["广东 广州", "浙江 义乌", "内蒙古 包头", "甘肃 定西", "北京", "上海", None]


def rss_bytes() -> tuple[int, int]:
    """This process's resident memory now and at its peak (VmRSS, VmHWM), from /proc."""
    now = peak = 0
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                now = int(line.split()[1]) * 1024
            elif line.startswith("VmHWM:"):
                peak = int(line.split()[1]) * 1024
    return now, peak


def listing_rows(rng: random.Random, site_id: int, start: int, count: int, infringing: float) -> list[dict]:
    """`count` generated listings, keys start…start+count-1."""
    rows, now = [], utcnow()
    for key in range(start, start + count):
        if rng.random() < infringing:
            title = rng.choice(KNOCKOFFS) + f" {key % 97}"
        else:
            title = " ".join([rng.choice(WORDS), rng.choice(GOODS), rng.choice(WORDS), f"{key % 1000}款"])
        rows.append({"site_id": site_id, "listing_key": f"L{key}", "url": f"http://127.0.0.1:9/item/L{key}",
                     "title": title, "price": round(rng.uniform(5, 500), 2), "currency": "CNY",
                     "seller": f"店铺{key % 5000}", "seller_location": rng.choice(LOCATIONS),
                     "content_hash": f"{key:064x}", "problems": [], "first_seen": now, "last_seen": now})
    return rows


def seed(database: Database, n: int, infringing: float) -> float:
    """The watchlist and `n` listings; seconds taken."""
    started = time.perf_counter()
    rng = random.Random(20261125)
    with database.session() as session:
        upsert_marks(session, load_watchlist(SAMPLE))
        site = SiteRow(name="load", base_url="http://127.0.0.1:9")
        session.add(site)
        session.flush()
        site_id = site.id
    for start in range(0, n, INSERT_BATCH):
        with database.session() as session:
            session.execute(insert(ListingRow), listing_rows(rng, site_id, start, min(INSERT_BATCH, n - start),
                                                             infringing))
    return time.perf_counter() - started


def fresh_database(admin_url: str) -> tuple[str, str]:
    """A new database on `admin_url`'s server: (its SQLAlchemy URL, its name)."""
    name = f"ipwatch_load_{secrets.token_hex(4)}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'")
                           .format(sql.Identifier(name)))
    url = make_url(admin_url).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False), name


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=10) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def figure(name: str, value: float, unit: str, target: str, passed: bool) -> str:
    return json.dumps({"figure": name, "value": value, "unit": unit, "target": target, "pass": passed},
                      ensure_ascii=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listings", type=int, default=20_000)
    parser.add_argument("--infringing", type=float, default=0.02, help="share of listings naming a mark")
    parser.add_argument("--pg-url", default=os.environ.get("IPWATCH_BENCH_PG_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/test"))
    args = parser.parse_args()
    url, name = fresh_database(args.pg_url)
    try:
        return run(args, url, Path(f"/tmp/{name}"))
    finally:
        drop_database(args.pg_url, name)


def run(args: argparse.Namespace, url: str, data_dir: Path) -> int:
    settings = Settings(data_dir=data_dir, database_url=url)
    settings.ensure_dirs()
    upgrade(settings)
    database = Database(settings)
    n = args.listings
    seeded = seed(database, n, args.infringing)
    print(f"seeded {n:,} listings in {seeded:.0f} s ({n / seeded:,.0f}/s)", flush=True)
    start_rss = rss_bytes()[0]
    done, samples = 0, {}
    marks = [round(n * share) for share in (0.1, 0.25, 0.5, 0.75)]

    def on_batch(count: int) -> None:
        nonlocal done
        done += count
        for mark in marks:
            if mark not in samples and done >= mark:
                samples[mark] = rss_bytes()[0]
                print(f"  {done:>9,} matched, rss {samples[mark] / MIB:6.0f} MiB, "
                      f"{done / (time.perf_counter() - started):,.0f} listings/s", flush=True)

    started = time.perf_counter()
    report = match_listings(database, threshold=settings.match_threshold, on_batch=on_batch)
    elapsed = time.perf_counter() - started
    end_rss, peak_rss = rss_bytes()
    with database.session() as session:
        alerts = session.scalar(select(func.count(AlertRow.id)))
        deliveries = session.scalar(select(func.count(DeliveryRow.id)))
    database.dispose()
    at_10 = samples.get(marks[0], start_rss)
    bounded = end_rss <= at_10 * 1.25 + 32 * MIB
    rate = report.listings / elapsed
    print(f"matched {report.listings:,} listings in {elapsed:.0f} s: {rate:,.0f} listings/s; "
          f"{alerts:,} alerts, {deliveries:,} pending deliveries; outcomes {dict(report.outcomes)}")
    print(f"rss before matching {start_rss / MIB:.0f} MiB, at 10% {at_10 / MIB:.0f} MiB, "
          f"at 100% {end_rss / MIB:.0f} MiB, peak {peak_rss / MIB:.0f} MiB (ratio 100%/10%: "
          f"{end_rss / at_10:.2f})")
    print(figure(f"listings matched → alerted per second on PostgreSQL (N={n:,})", round(rate, 1), "listings/s",
                 "all listings matched", report.listings == n))
    print(figure(f"alerts raised (N={n:,})", alerts, "alerts", "> 0, one per listing × mark",
                 alerts > 0 and alerts <= report.matches))
    print(figure(f"match-stage memory at 100% ÷ at 10% (N={n:,})", round(end_rss / at_10, 3), "ratio",
                 "≤ 1.25 (+32 MiB): memory does not grow with N", bounded))
    print(figure(f"match-stage peak resident memory (N={n:,})", round(peak_rss / MIB, 1), "MiB",
                 "reported", True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
