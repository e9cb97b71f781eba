"""Seller networks: sellers sharing a contact or a picture are one network, transitively; its record
of confirmed infringements and takedowns raises the severity of its next alert, with the reason."""

from __future__ import annotations

from sqlalchemy import select, update

from ipwatch.alerts.history import seller_history
from ipwatch.alerts.queue import enqueue
from ipwatch.alerts.sellers import STOCK_PICTURE_SELLERS, Seller, index_contacts, seller_network
from ipwatch.core.clock import utcnow
from ipwatch.core.storage.models import AlertEventRow, AlertRow, DeliveryRow, ListingRow, SellerContactRow


def _network_names(session, listing: ListingRow) -> set[str]:
    return {seller.name for seller in seller_network(session, Seller(listing.site_id, listing.seller)).sellers}


def test_sellers_sharing_a_phone_or_a_picture_are_one_network_transitively(database, settings, rows):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        taobao, jd = r.site("taobao"), r.site("jd")
        a = r.listing(taobao, "1", "小肥洋火锅底料", seller="羊羊小店", contacts=("电话 138-1234-5678",))
        b = r.listing(jd, "2", "小肥洋底料", seller="肥羊专营", contacts=("微信 13812345678", "邮箱 b@shop.example"))
        c = r.listing(jd, "3", "小肥洋", seller="羊肉铺子")
        d = r.listing(taobao, "4", "小肥羊正品", seller="无关的店", contacts=("电话 13900000000",))
        for listing in (a, b, c, d):
            index_contacts(session, listing)
        r.show_picture(b, "b" * 64, phash="c3c3c3c3c3c3c3c3")
        r.show_picture(c, "c" * 64, phash="c3c3c3c3c3c3c3c3")  # another file, the same picture
        network = seller_network(session, Seller(taobao.id, "羊羊小店"))
        assert {s.name for s in network.sellers} == {"羊羊小店", "肥羊专营", "羊肉铺子"}
        assert network.why(Seller(jd.id, "肥羊专营")) == "phone 138****5678"
        assert network.why(Seller(jd.id, "羊肉铺子")) == "the same picture"
        assert network.listing_ids == {a.id, b.id, c.id}
        assert _network_names(session, d) == {"无关的店"}


def test_a_stock_picture_shown_by_many_sellers_links_nobody(database, settings, rows):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        site = r.site("taobao")
        listings = [r.listing(site, str(i), "小肥羊 官方图", seller=f"店铺{i}") for i in range(STOCK_PICTURE_SELLERS + 1)]
        for listing in listings:
            r.show_picture(listing, "f" * 64)
        assert _network_names(session, listings[0]) == {"店铺0"}


def test_contacts_are_indexed_normalised_and_kept_when_the_page_drops_them(database, settings, rows):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        listing = r.listing(r.site("taobao"), "1", "小肥洋", contacts=("电话 138 1234 5678", "junk!!"))
        index_contacts(session, listing)
        listing.seller_contacts = ["VX: kangshifu_88", "+86 13812345678"]
        index_contacts(session, listing)
        stored = session.execute(select(SellerContactRow.kind, SellerContactRow.value)
                                 .order_by(SellerContactRow.kind)).all()
        assert [tuple(row) for row in stored] == [("phone", "13812345678"), ("wechat", "kangshifu_88")]


def _alert(session, r, site, key, mark, *, seller, contacts=(), score=0.86):
    listing = r.listing(site, key, f"小肥洋火锅底料 {key}", seller=seller, contacts=contacts)
    enqueue(session, listing, r.match(listing, mark, score), mark)
    return session.scalars(select(AlertRow).where(AlertRow.listing_id == listing.id)).one()


def test_a_repeat_infringers_next_alert_goes_up_a_step_with_the_reason(database, settings, rows):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        site, mark = r.site("taobao"), r.mark("xiaofeiyang", "小肥羊")
        first = _alert(session, r, site, "1", mark, seller="羊羊小店", contacts=("电话 13812345678",))
        second = _alert(session, r, site, "2", mark, seller="羊羊小店")
        assert (first.severity, second.severity) == ("medium", "medium")
        session.execute(update(AlertRow).values(state="confirmed"))
        renamed = _alert(session, r, site, "3", mark, seller="新开的羊店", contacts=("微信 13812345678",))
        assert renamed.severity == "high"
        texts = [reason["text"] for reason in renamed.reasons]
        assert any("repeat infringer: 2 confirmed" in t and "羊羊小店 (phone 138****5678)" in t for t in texts)


def test_relisting_after_a_takedown_of_the_same_mark_is_high(database, settings, rows):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        site = r.site("taobao")
        sheep, deer = r.mark("xiaofeiyang", "小肥羊"), r.mark("luwang", "鹿王")
        taken = _alert(session, r, site, "1", sheep, seller="羊羊小店")
        taken.state = "measures_taken"
        other_mark = _alert(session, r, site, "2", deer, seller="羊羊小店", score=0.86)
        back = _alert(session, r, site, "3", sheep, seller="羊羊小店", score=0.80)
        assert other_mark.severity == "medium"  # a takedown for another mark is no relisting
        assert back.severity == "high"
        assert any(f"taken down before (alert #{taken.id})" in reason["text"] for reason in back.reasons)
        history = seller_history(session, session.get(ListingRow, back.listing_id), "xiaofeiyang")
        assert (history.relisting, history.repeat_infringer, history.taken_down) == (True, False, (taken.id,))


def test_the_same_listing_seen_again_after_its_takedown_renotifies_as_relisted(database, settings, rows):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        mark = r.mark("xiaofeiyang", "小肥羊")
        alert = _alert(session, r, r.site("taobao"), "1", mark, seller="羊羊小店")
        listing = session.get(ListingRow, alert.listing_id)
        match = r.match(listing, mark, 0.86)
        session.execute(update(DeliveryRow).values(status="sent"))
        # the triage page records a takedown as a state event
        session.add(AlertEventRow(alert_id=alert.id, actor="officer", action="state", at=utcnow(),
                                  from_state="notice_sent", to_state="measures_taken", detail={}))
        alert.state = "measures_taken"
        session.flush()
        assert enqueue(session, listing, match, mark) == "unchanged"  # not seen since the takedown
        listing.last_seen = utcnow()
        assert enqueue(session, listing, match, mark) == "relisted"
        assert enqueue(session, listing, match, mark) == "unchanged"  # reported once
        assert alert.severity == "high"
        assert "relisted" in alert.reasons[-1]["text"]
        assert list(session.scalars(select(DeliveryRow.status).order_by(DeliveryRow.id))) == ["sent", "pending"]
