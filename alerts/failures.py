"""Why a notice was not handed over: named outcomes, each with the remedy a reader can apply.

A temporary failure is retried with backoff until the delivery's last attempt; a permanent
one (an address the server refuses for good, a channel URL nobody can use) goes straight to
the dead letters, where `ipwatch alerts dead` shows it and `ipwatch alerts retry` revives it.
"""

from __future__ import annotations


class DeliveryFailed(Exception):
    """A message that could not be handed over; its deliveries are retried with backoff."""

    remedy = "it is retried with backoff"
    permanent = False

    def __init__(self, recipient: str, reason: str) -> None:
        super().__init__(f"{recipient}: {reason} — {self.remedy}")
        self.recipient, self.reason = recipient, reason


class SmtpUnavailable(DeliveryFailed):
    """The SMTP server could not be reached, or broke off the conversation."""

    remedy = ("check that the server is up and smtp_host/smtp_port are right; "
              "unset smtp_host to write .eml files to the outbox instead")


class SmtpLoginRefused(DeliveryFailed):
    """The SMTP server refused our user name or password."""

    remedy = "check smtp_user and smtp_password"


class RecipientRefused(DeliveryFailed):
    """The SMTP server would not take mail for this owner's address."""

    remedy = "check this owner's owner_email in the watchlist"

    def __init__(self, recipient: str, reason: str, *, permanent: bool = False) -> None:
        super().__init__(recipient, reason)
        self.permanent = permanent


class OutboxUnwritable(DeliveryFailed):
    """The .eml file could not be written into the outbox folder."""

    remedy = "make data_dir writable and free some disk space"


class ChannelRefused(DeliveryFailed):
    """A chat or webhook service did not accept the message."""

    remedy = "check the channel with `ipwatch channels test URL`; it is retried with backoff"


class ChannelUnusable(DeliveryFailed):
    """A channel URL no channel accepts (unknown scheme, missing token)."""

    remedy = "fix the URL in the watchlist's `channels` or in office_channels; `ipwatch channels` lists the schemes"
    permanent = True


class ChannelGone(DeliveryFailed):
    """The channel a pending delivery was meant for is no longer configured."""

    remedy = "nothing to do if it was removed on purpose; the delivery is cancelled"
    permanent = True
