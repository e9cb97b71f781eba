"""Email over a real SMTP server on 127.0.0.1: right recipients, retried while the server is down."""

from __future__ import annotations

from datetime import UTC, datetime
from email import policy
from email.parser import BytesParser

from sqlalchemy import select, update

from alerts.mail import MAX_ATTEMPTS, deliver_pending
from ipwatch.storage.models import DeliveryRow
from spiders.records import utcnow


def _smtp(settings, server):
    return settings.model_copy(update={"smtp_host": "127.0.0.1", "smtp_port": server.port})


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
