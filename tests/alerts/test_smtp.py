"""Email over a real SMTP server on 127.0.0.1: right recipients, retried while the server is down."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

import pytest
from sqlalchemy import select, update

from ipwatch.alerts.delivery import MAX_ATTEMPTS, deliver_pending
from ipwatch.core.clock import utcnow
from ipwatch.core.storage.models import DeliveryRow
from tests.servers.smtp import smtp_settings


def _smtp(settings, server, **changes):
    return smtp_settings(settings, server, **changes)


def test_the_smtp_server_receives_one_message_per_owner(database, settings, seed, listing_image,
                                                        smtp_server):
    smtp_server.start()
    seed(listing_image)
    report = deliver_pending(database, _smtp(settings, smtp_server))
    assert (report.sent, report.messages, report.written) == (3, 2, [])
    envelopes = smtp_server.received.envelopes
    assert sorted(rcpt for _, rcpts, _ in envelopes for rcpt in rcpts) == sorted([seed.sheep_owner, seed.herb_owner])
    assert {mail_from for mail_from, _, _ in envelopes} == {"alerts@ipwatch.invalid"}
    for _, (rcpt,), data in envelopes:
        message = BytesParser(policy=policy.default).parsebytes(data)
        assert message["To"] == rcpt
        assert message.get_body(("html",)) is not None
    assert not settings.outbox_dir.exists()


def test_mail_waits_while_smtp_is_down_and_goes_exactly_once_when_it_is_back(
        database, settings, seed, smtp_server):
    seed()
    configured = _smtp(settings, smtp_server)  # nothing listens on the port yet
    before = datetime.now(UTC)
    down = deliver_pending(database, configured)
    assert (down.sent, down.failed, down.dead, down.messages) == (0, 3, 0, 0)
    assert "unavailable" in str(down.failures[0]) and "smtp_host" in str(down.failures[0])
    with database.session() as session:
        for delivery in session.scalars(select(DeliveryRow)):
            assert (delivery.status, delivery.attempts) == ("pending", 1)
            assert delivery.next_attempt_at > before
            assert "unavailable" in delivery.last_error
    assert deliver_pending(database, configured).failed == 0  # not due yet: not even tried

    smtp_server.start()
    with database.session() as session:
        session.execute(update(DeliveryRow).values(next_attempt_at=utcnow()))
    up = deliver_pending(database, configured)
    again = deliver_pending(database, configured)
    assert (up.sent, up.failed, again.sent) == (3, 0, 0)
    assert sorted(rcpts[0] for _, rcpts, _ in smtp_server.received.envelopes) == sorted(
        [seed.sheep_owner, seed.herb_owner])
    with database.session() as session:
        assert {(d.status, d.attempts, d.last_error) for d in session.scalars(select(DeliveryRow))} == {
            ("sent", 2, None)}


def test_a_delivery_gives_up_after_its_last_attempt(database, settings, seed, smtp_server):
    seed()
    with database.session() as session:
        session.execute(update(DeliveryRow).where(DeliveryRow.recipient == seed.herb_owner)
                        .values(attempts=MAX_ATTEMPTS - 1))
    report = deliver_pending(database, _smtp(settings, smtp_server))
    assert (report.failed, report.dead) == (3, 1)
    with database.session() as session:
        states = {d.recipient: (d.status, d.attempts) for d in session.scalars(select(DeliveryRow))}
    assert states[seed.herb_owner] == ("dead", MAX_ATTEMPTS)
    assert states[seed.sheep_owner] == ("pending", 1)


def _parse(data: bytes):
    return BytesParser(policy=policy.default).parsebytes(data)


def test_over_smtp_each_owner_gets_subject_bodies_and_inline_thumbnail_of_their_alerts_only(
        database, settings, seed, listing_image, smtp_server):
    smtp_server.start()
    seed(listing_image)
    deliver_pending(database, _smtp(settings, smtp_server))
    messages = {rcpts[0]: _parse(data) for _, rcpts, data in smtp_server.received.envelopes}
    sheep, herb = messages[seed.sheep_owner], messages[seed.herb_owner]
    assert sheep["Subject"] == "[ipwatch] 2 条疑似侵权预警 / 2 suspected infringements — 鹿王, 小肥羊"
    assert herb["Subject"] == "[ipwatch] 1 条疑似侵权预警 / 1 suspected infringement — 固阳黄芪"
    for message, own, others in [(sheep, ("鹿王羊绒衫", "小肥洋 火锅底料"), ("固阳黄芪 正宗",)),
                                 (herb, ("固阳黄芪 正宗",), ("鹿王羊绒衫", "小肥洋"))]:
        for kind in ("plain", "html"):
            body = message.get_body((kind,)).get_content()
            assert all(title in body for title in own) and not any(title in body for title in others)
    [image] = [part for part in sheep.walk() if part.get_content_maintype() == "image"]
    assert image["Content-ID"].strip("<>") in sheep.get_body(("html",)).get_content()
    assert image.get_content()[:3] == b"\xff\xd8\xff" and image.get_content_disposition() == "inline"
    assert not [part for part in herb.walk() if part.get_content_maintype() == "image"]


@pytest.mark.parametrize("implicit", [False, True], ids=["starttls", "implicit-tls"])
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")  # aiosmtpd cannot tell SMTPS is TLS
def test_tls_and_login_when_configured(database, settings, seed, smtp_server, hook_server, monkeypatch, implicit):
    monkeypatch.setenv("SSL_CERT_FILE", str(hook_server.ca))  # trust the test CA, as a deployment trusts its own
    smtp_server.start(tls=hook_server.tls, implicit=implicit, logins={"ipwatch": "s3cret"})
    seed()
    tls = {"smtp_ssl": True} if implicit else {"smtp_starttls": True}
    wrong = deliver_pending(database, _smtp(settings, smtp_server, smtp_user="ipwatch", smtp_password="guess", **tls))
    assert wrong.sent == 0 and "refused the login" in str(wrong.failures[0])
    assert "smtp_password" in str(wrong.failures[0])
    with database.session() as session:
        session.execute(update(DeliveryRow).values(next_attempt_at=utcnow()))
    right = deliver_pending(database, _smtp(settings, smtp_server, smtp_user="ipwatch", smtp_password="s3cret", **tls))
    assert right.sent == 3 and len(smtp_server.received.envelopes) == 2
    assert set(smtp_server.logins_seen) == {"ipwatch"}
