"""Delivery: every recipient a mark and the office name hears once, by e-mail and chat channels,
at once or in the daily digest; a channel taken out of the configuration stops its deliveries."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

from sqlalchemy import select, update

from ipwatch.alerts.channels import identity
from ipwatch.alerts.delivery import deliver_pending
from ipwatch.alerts.queue import enqueue
from ipwatch.alerts.routing import Routing
from ipwatch.core.clock import utcnow
from ipwatch.core.storage.models import DeliveryRow, ListingRow, MarkRow
from tests.servers import configured

OWNER_DING = "dingtalk://0123456789abcdef/"
OFFICE_WECOM = "wecombot://officekey123"


def _statuses(database) -> list[tuple[str, str, str]]:
    with database.session() as session:
        return [(d.channel, d.mode, d.status) for d in session.scalars(select(DeliveryRow).order_by(DeliveryRow.id))]


def _read(path):
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def test_an_alert_reaches_the_owners_email_and_channel_and_the_office_once(database, settings, rows, hooks):
    settings = configured(settings, office_channels=[OFFICE_WECOM])
    with database.session() as session:
        r = rows(session, settings.images_dir)
        mark = r.mark("guyang", "固阳黄芪", kind="gi", email="ip@guyang.example.org", channels=[OWNER_DING])
        listing = r.listing(r.site("demo"), "1", "固阳黄芪 正宗 500g")
        assert enqueue(session, listing, r.match(listing, mark, 0.95), mark,
                       routing=Routing.from_settings(settings)) == "created"
    assert _statuses(database) == [("email", "immediate", "pending"), ("dingtalk", "immediate", "pending"),
                                   ("wecombot", "immediate", "pending")]
    report = deliver_pending(database, settings)
    again = deliver_pending(database, settings)
    assert (report.sent, report.messages, dict(report.channels), again.messages) == (
        3, 3, {"email": 1, "dingtalk": 1, "wecombot": 1}, 0)
    by_host = {hit.host: hit.json() for hit in hooks.hits}
    assert sorted(by_host) == ["oapi.dingtalk.com", "qyapi.weixin.qq.com"]
    owner_text = by_host["oapi.dingtalk.com"]["markdown"]["text"]
    office_text = by_host["qyapi.weixin.qq.com"]["text"]["content"]
    assert "固阳黄芪" in owner_text and "固阳黄芪" in office_text
    assert "/feedback/" in owner_text and "/feedback/" not in office_text  # only the owner answers for the owner
    [email] = report.written
    assert "/feedback/" in _read(email).get_body(("plain",)).get_content()
    with database.session() as session:
        recipients = list(session.scalars(select(DeliveryRow.recipient).order_by(DeliveryRow.id)))
    assert recipients == ["ip@guyang.example.org", identity(OWNER_DING), identity(OFFICE_WECOM)]
    assert "0123456789abcdef" not in recipients[1] and "officekey123" not in recipients[2]


def test_a_channel_removed_from_the_watchlist_cancels_its_pending_deliveries(database, settings, rows, hooks):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        mark = r.mark("guyang", "固阳黄芪", kind="gi", email=None, channels=[OWNER_DING])
        listing = r.listing(r.site("demo"), "1", "固阳黄芪 正宗 500g")
        enqueue(session, listing, r.match(listing, mark, 0.95), mark)
        session.get(MarkRow, "guyang").record = {**mark.record, "channels": []}
    report = deliver_pending(database, settings)
    assert (report.messages, report.cancelled, hooks.hits) == (0, 1, [])
    with database.session() as session:
        delivery = session.scalars(select(DeliveryRow)).one()
    assert delivery.status == "cancelled" and "no longer configured" in delivery.last_error


def _digest_scenario(database, settings, rows) -> None:
    """A digest-mode owner with two medium alerts and one high one."""
    with database.session() as session:
        r = rows(session, settings.images_dir)
        site, mark = r.site("demo"), r.mark("xiaofeiyang", "小肥羊", email="ip@sheep.example.org", notify="digest")
        for key, score, reasons in [("1", 0.86, ("小肥洋≈小肥羊",)), ("2", 0.87, ("小肥洋≈小肥羊",)),
                                    ("3", 0.95, ("小肥洋≈小肥羊", "title says 高仿 (replica)"))]:
            listing = r.listing(site, key, f"小肥洋火锅底料 {key}")
            enqueue(session, listing, r.match(listing, mark, score, reasons), mark)


def test_a_digest_owner_gets_high_alerts_at_once_and_the_rest_in_one_daily_digest(database, settings, rows):
    _digest_scenario(database, settings, rows)
    now = utcnow()
    first = deliver_pending(database, settings, now=now)
    assert (first.sent, first.messages) == (1, 1)
    assert _statuses(database) == [("email", "digest", "pending"), ("email", "digest", "pending"),
                                   ("email", "immediate", "sent")]
    at_digest_hour = Routing().next_digest(now)
    assert deliver_pending(database, settings, now=at_digest_hour - (at_digest_hour - now) / 2).messages == 0
    digest = deliver_pending(database, settings, now=at_digest_hour)
    assert (digest.sent, digest.messages) == (2, 1)
    message = _read(digest.written[0])
    assert message["Subject"] == "[ipwatch] 每日摘要 / Daily digest: 2 条疑似侵权预警 / 2 suspected infringements — 小肥羊"
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("疑似侵权每日摘要 / Daily digest") and "小肥洋火锅底料 1" in text and "小肥洋火锅底料 2" in text
    assert "小肥洋火锅底料 3" not in text


def test_an_alert_that_becomes_high_leaves_the_digest_and_goes_at_once(database, settings, rows):
    _digest_scenario(database, settings, rows)
    with database.session() as session:
        r = rows(session, settings.images_dir)
        listing = session.scalars(select(ListingRow).where(ListingRow.listing_key == "1")).one()
        mark = session.get(MarkRow, "xiaofeiyang")
        assert enqueue(session, listing, r.match(listing, mark, 0.97, ("小肥洋≈小肥羊", "标题含 A货 (replica wording)")),
                       mark) == "updated"
    report = deliver_pending(database, settings)
    assert (report.sent, report.messages) == (2, 1)  # listing 1 and 3 together, now; listing 2 still waits
    assert _statuses(database) == [("email", "immediate", "sent"), ("email", "digest", "pending"),
                                   ("email", "immediate", "sent")]


def test_deliver_digest_now_sends_the_waiting_digest(database, settings, rows, cli):
    _digest_scenario(database, settings, rows)
    assert cli("deliver").exit_code == 0
    result = cli("deliver", "--digest-now")
    assert result.exit_code == 0, result.output
    assert "2 alert(s) sent in 1 message(s)" in result.stdout
    assert {status for _, _, status in _statuses(database)} == {"sent"}


def test_a_listing_change_renotifies_every_recipient_once(database, settings, rows, hooks):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        mark = r.mark("guyang", "固阳黄芪", kind="gi", email="ip@guyang.example.org", channels=[OWNER_DING])
        listing = r.listing(r.site("demo"), "1", "固阳黄芪 正宗 500g")
        enqueue(session, listing, r.match(listing, mark, 0.95), mark)
    deliver_pending(database, settings)
    with database.session() as session:
        session.execute(update(ListingRow).values(content_hash="hash-2", title="固阳黄芪 新包装"))
        r = rows(session, settings.images_dir)
        listing, mark = session.scalars(select(ListingRow)).one(), session.get(MarkRow, "guyang")
        assert enqueue(session, listing, r.match(listing, mark, 0.95), mark) == "renotify"
        assert enqueue(session, listing, r.match(listing, mark, 0.95), mark) == "unchanged"
    report = deliver_pending(database, settings)
    assert (report.messages, dict(report.channels)) == (2, {"email": 1, "dingtalk": 1})
    assert "商品信息已变更" in hooks.hits[-1].json()["markdown"]["text"]
    assert "商品信息已变更，再次提醒" in _read(report.written[0]).get_body(("plain",)).get_content()
