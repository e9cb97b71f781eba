"""Email to brand owners: one message per owner, escaped scraped text, thumbnails inline."""

from __future__ import annotations

import re
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlalchemy import select, update

from ipwatch.alerts.delivery import backoff, deliver_pending
from ipwatch.alerts.message import TITLE_CHARS
from ipwatch.alerts.queue import enqueue
from ipwatch.core.storage.models import AlertRow, DeliveryRow
from tests.databases import sqlite_only


def read_eml(path: Path) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(path.read_bytes())


def by_recipient(paths: list[Path]) -> dict[str, EmailMessage]:
    messages = [read_eml(path) for path in paths]
    return {message["To"]: message for message in messages}


def test_each_owner_gets_one_message_with_only_their_alerts(database, settings, seed, listing_image):
    seed(listing_image)
    report = deliver_pending(database, settings)
    assert (report.sent, report.failed, report.messages) == (3, 0, 2)
    assert sorted(report.recipients) == sorted([seed.sheep_owner, seed.herb_owner])
    assert sorted(p.parent for p in report.written) == [settings.outbox_dir] * 2
    assert sorted(settings.outbox_dir.iterdir()) == sorted(report.written)
    messages = by_recipient(report.written)
    sheep, herb = messages[seed.sheep_owner], messages[seed.herb_owner]
    # most severe first: the 鹿王 listing says 高仿 (replica)
    assert sheep["Subject"] == "[ipwatch] 2 条疑似侵权预警 / 2 suspected infringements — 鹿王, 小肥羊"
    assert herb["Subject"] == "[ipwatch] 1 条疑似侵权预警 / 1 suspected infringement — 固阳黄芪"
    assert sheep["From"] == settings.mail_from
    sheep_text = sheep.get_body(("plain",)).get_content()
    herb_text = herb.get_body(("plain",)).get_content()
    assert "鹿王羊绒衫" in sheep_text and "固阳黄芪 正宗" not in sheep_text
    assert "固阳黄芪 正宗" in herb_text and "鹿王" not in herb_text and "小肥洋" not in herb_text


@sqlite_only
def test_the_message_has_text_html_and_every_alert_field(database, settings, seed, listing_image):
    seed(listing_image)
    report = deliver_pending(database, settings)
    message = by_recipient(report.written)[seed.sheep_owner]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    with database.session() as session:
        alert_ids = session.scalars(select(AlertRow.id).where(AlertRow.mark_id != "guyang-huangqi")).all()
    for part in (text, html):
        assert part.index("疑似侵权预警") < part.index("Suspected infringement alert")
        for expected in ("小肥羊", "鹿王", "中 / medium", "高 / high", "0.93", "19.90 CNY", "某某专营店",
                         "广东 广州", "demo", "http://127.0.0.1/item/2", "title contains 鹿王"):
            assert expected in part
        for alert_id in alert_ids:
            assert f"http://127.0.0.1:8000/alerts/{alert_id}" in part
    assert re.search(r"<li>\s*title contains 小肥羊\s*</li>", html)
    assert message["Message-ID"]


@sqlite_only
def test_a_script_in_a_scraped_title_is_text_in_the_html(database, settings, seed, listing_image):
    seed(listing_image)
    report = deliver_pending(database, settings)
    message = by_recipient(report.written)[seed.sheep_owner]
    html = message.get_body(("html",)).get_content()
    assert "<script" not in html
    assert "小肥洋 火锅底料 &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; 包邮" in html
    assert seed.hostile_title in message.get_body(("plain",)).get_content()


@sqlite_only
def test_the_thumbnail_is_an_inline_image_the_html_refers_to_by_cid(database, settings, seed,
                                                                       listing_image):
    seed(listing_image)
    report = deliver_pending(database, settings)
    message = by_recipient(report.written)[seed.sheep_owner]
    html_part = message.get_body(("html",))
    cids = re.findall(r'src="cid:([^"]+)"', html_part.get_content())
    assert len(cids) == 1  # only the listing with a downloaded image
    related = message.get_body(("related",))
    assert related is not None and related.get_content_type() == "multipart/related"
    images = [part for part in related.iter_parts() if part.get_content_maintype() == "image"]
    assert [part["Content-ID"] for part in images] == [f"<{cids[0]}>"]
    assert images[0].get_content()[:3] == b"\xff\xd8\xff"  # a JPEG thumbnail
    herb = by_recipient(report.written)[seed.herb_owner]
    assert "cid:" not in herb.get_body(("html",)).get_content()


@sqlite_only
def test_a_corrupt_image_leaves_the_message_without_a_thumbnail(database, settings, seed):
    broken = settings.images_dir / "broken.jpg"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    seed(broken)
    report = deliver_pending(database, settings)
    assert report.sent == 3
    message = by_recipient(report.written)[seed.sheep_owner]
    assert "cid:" not in message.get_body(("html",)).get_content()


@sqlite_only
def test_a_title_of_a_megabyte_is_cut_short_in_the_email(database, settings, rows):
    with database.session() as session:
        r = rows(session, settings.images_dir)
        mark = r.mark("xiaofeiyang", "小肥羊")
        listing = r.listing(r.site("demo"), "1", "小肥洋" + "羊" * 1_000_000)
        enqueue(session, listing, r.match(listing, mark), mark)
    report = deliver_pending(database, settings)
    message = read_eml(report.written[0])
    for kind in ("plain", "html"):
        body = message.get_body((kind,)).get_content()
        assert "小肥洋" + "羊" * (TITLE_CHARS - 4) + "…" in body
        assert "羊" * (TITLE_CHARS + 1) not in body


@sqlite_only
def test_a_javascript_listing_url_is_shown_but_never_linked(database, settings, seed):
    seed(None, url="javascript:alert(1)")
    report = deliver_pending(database, settings)
    html = by_recipient(report.written)[seed.sheep_owner].get_body(("html",)).get_content()
    assert "javascript:alert(1)" in html
    assert 'href="javascript' not in html


def test_deliveries_are_marked_sent_and_a_second_pass_sends_nothing(database, settings, seed):
    seed()
    first = deliver_pending(database, settings)
    with database.session() as session:
        deliveries = session.scalars(select(DeliveryRow)).all()
        assert {(d.status, d.attempts) for d in deliveries} == {("sent", 1)}
        assert all(d.sent_at is not None for d in deliveries)
        ids = {d.recipient: d.message_id for d in deliveries}
    assert ids == {to: message["Message-ID"] for to, message in by_recipient(first.written).items()}
    second = deliver_pending(database, settings)
    assert (second.sent, second.messages, second.written) == (0, 0, [])
    assert len(list(settings.outbox_dir.glob("*.eml"))) == 2


@sqlite_only
def test_no_partial_file_is_left_in_the_outbox(database, settings, seed):
    seed()
    deliver_pending(database, settings)
    assert sorted(p.suffix for p in settings.outbox_dir.iterdir()) == [".eml", ".eml"]


def test_an_alert_marked_false_positive_before_sending_is_cancelled(database, settings, seed):
    seed()
    with database.session() as session:
        session.execute(update(AlertRow).where(AlertRow.mark_id == "guyang-huangqi")
                        .values(state="false_positive"))
    report = deliver_pending(database, settings)
    assert (report.sent, report.cancelled, report.recipients) == (2, 1, [seed.sheep_owner])


@sqlite_only
def test_an_unwritable_outbox_is_a_failure_retried_later(database, settings, seed):
    seed()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.outbox_dir.write_text("a file where the outbox folder should be")
    report = deliver_pending(database, settings)
    assert (report.sent, report.failed, report.dead) == (0, 3, 0)
    assert "make data_dir writable" in str(report.failures[0])
    with database.session() as session:
        assert {(d.status, d.attempts) for d in session.scalars(select(DeliveryRow))} == {("pending", 1)}


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 60), (2, 120), (3, 240), (6, 1920), (7, 3600),
                                                   (20, 3600)])
def test_backoff_doubles_from_a_minute_up_to_an_hour(attempts, seconds):
    assert backoff(attempts).total_seconds() == seconds
