"""Why an email was not handed over: named outcomes, each with the remedy a reader can apply."""

from __future__ import annotations


class DeliveryFailed(Exception):
    """A message that could not be handed over; its deliveries are retried with backoff."""

    remedy = "it is retried with backoff"

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


class OutboxUnwritable(DeliveryFailed):
    """The .eml file could not be written into the outbox folder."""

    remedy = "make data_dir writable and free some disk space"
