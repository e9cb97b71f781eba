"""Rows for the alert tests, inserted directly: sites, marks and listings, matches as a matcher would
produce them, and a seeded three-alert scenario raised through the real queue."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from ipwatch.alerts.queue import enqueue
from ipwatch.core.settings import Settings
from ipwatch.core.storage.engine import Database
from ipwatch.core.storage.models import ImageRow, ListingImageRow, ListingRow, MarkRow, SiteRow
from ipwatch.matchers.records import Match, Reason


class Rows:
    """Inserts the sites, marks and listings a test needs, directly as rows."""

    def __init__(self, session: Session, images_dir: Path) -> None:
        self.session, self.images_dir = session, images_dir

    def site(self, name: str = "demo") -> SiteRow:
        row = SiteRow(name=name, base_url=f"http://127.0.0.1/{name}")
        self.session.add(row)
        self.session.flush()
        return row

    def mark(self, mark_id: str, name: str, *, kind: str = "trademark",
             email: str | None = "owner@brand.example.org", notify: str = "immediate",
             owner: str | None = None, **record_extra: Any) -> MarkRow:
        record = {"id": mark_id, "name": name, "kind": kind, "notify": notify, **record_extra}
        row = MarkRow(id=mark_id, name=name, kind=kind, owner=owner or f"{name}有限公司",
                      owner_email=email, record=record)
        self.session.add(row)
        self.session.flush()
        return row

    def listing(self, site: SiteRow, key: str, title: str, *, content_hash: str = "hash-1",
                image: Path | None = None, price: float | None = 19.9, seller: str | None = "某某专营店",
                url: str | None = None, contacts: tuple[str, ...] = ()) -> ListingRow:
        row = ListingRow(site_id=site.id, listing_key=key, url=url or f"http://127.0.0.1/item/{key}",
                         title=title, price=price, currency="CNY", seller=seller,
                         seller_location="广东 广州", content_hash=content_hash, problems=[],
                         seller_contacts=list(contacts))
        self.session.add(row)
        self.session.flush()
        if image is not None:
            self.attach_image(row, image)
        return row

    def attach_image(self, listing: ListingRow, image: Path) -> None:
        data = image.read_bytes()
        image_row = ImageRow(sha256=hashlib.sha256(data).hexdigest(),
                             path=str(image.relative_to(self.images_dir)))
        self.session.add(image_row)
        self.session.flush()
        self.session.add(ListingImageRow(listing_id=listing.id, position=0, image_id=image_row.id))
        self.session.flush()

    def show_picture(self, listing: ListingRow, sha256: str, phash: str | None = None) -> ImageRow:
        """Link a picture (found by sha256, else stored) to the listing, as the crawler would."""
        image_row = self.session.query(ImageRow).filter_by(sha256=sha256).one_or_none()
        if image_row is None:
            image_row = ImageRow(sha256=sha256, path=None, phash=phash)
            self.session.add(image_row)
            self.session.flush()
        position = len(self.session.query(ListingImageRow).filter_by(listing_id=listing.id).all())
        self.session.add(ListingImageRow(listing_id=listing.id, position=position, image_id=image_row.id))
        self.session.flush()
        return image_row

    def match(self, listing: ListingRow, mark: MarkRow, score: float = 0.92,
              reasons: tuple[str, ...] = ("homophone 小肥洋≈小肥羊 (xiao fei yang)",)) -> Match:
        """A match of `listing` against `mark`, as a matcher would produce it."""
        site = self.session.get(SiteRow, listing.site_id)
        return Match(site=site.name, listing_key=listing.listing_key, mark_id=mark.id, score=score,
                     reasons=tuple(Reason(technique="homophone", text=text) for text in reasons))


class Seed:
    """Three alerts: two marks of one owner (the first listing hostile), one mark of another."""

    sheep_owner = "ip@nmg-brands.example.org"
    herb_owner = "ip@guyang-huangqi.example.org"
    hostile_title = '小肥洋 火锅底料 <script>alert("x")</script> & 包邮'

    def __init__(self, database: Database, settings: Settings) -> None:
        self.database, self.settings = database, settings

    def __call__(self, image: Path | None = None, *, url: str = "http://127.0.0.1/item/1") -> None:
        with self.database.session() as session:
            r = Rows(session, self.settings.images_dir)
            site = r.site("demo")
            sheep = r.mark("xiaofeiyang", "小肥羊", email=self.sheep_owner, owner="内蒙古品牌公司")
            deer = r.mark("luwang", "鹿王", email=self.sheep_owner, owner="内蒙古品牌公司")
            herb = r.mark("guyang-huangqi", "固阳黄芪", kind="gi", email=self.herb_owner,
                          owner="固阳县黄芪产业协会")
            for key, title, mark, image_path, extra in [
                ("1", self.hostile_title, sheep, image, ()),
                ("2", "鹿王羊绒衫 高仿 男款", deer, None, ("title says 高仿 (replica)",)),
                ("3", "固阳黄芪 正宗 500g", herb, None, ()),
            ]:
                listing = r.listing(site, key, title, image=image_path,
                                    url=url if key == "1" else f"http://127.0.0.1/item/{key}")
                reasons = (f"title contains {mark.name}", *extra)
                enqueue(session, listing, r.match(listing, mark, 0.93, reasons), mark)
