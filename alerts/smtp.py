"""Handing an alert email to the configured SMTP server."""

from __future__ import annotations

import smtplib
import socket
import ssl
from email.message import EmailMessage
from email.utils import parseaddr
from functools import partial

from ..core.settings import Settings
from .failures import RecipientRefused, SmtpLoginRefused, SmtpUnavailable

SMTP_TIMEOUT = 30.0


def send_smtp(message: EmailMessage, recipient: str, settings: Settings) -> None:
    """Send `message` to `recipient` only, or raise a `DeliveryFailed` that says why."""
    server = f"SMTP {settings.smtp_host}:{settings.smtp_port}"
    if not settings.smtp_host:
        raise SmtpUnavailable(recipient, "no SMTP host is set (IPWATCH_SMTP_HOST)")
    try:
        # gethostname, not smtplib's default getfqdn: no DNS lookup just to say EHLO.
        connection = (partial(smtplib.SMTP_SSL, context=ssl.create_default_context()) if settings.smtp_ssl
                      else smtplib.SMTP)
        with connection(settings.smtp_host, settings.smtp_port, local_hostname=socket.gethostname(),
                        timeout=SMTP_TIMEOUT) as smtp:
            if settings.smtp_starttls and not settings.smtp_ssl:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                password = settings.smtp_password.get_secret_value() if settings.smtp_password else ""
                smtp.login(settings.smtp_user, password)
            smtp.send_message(message, from_addr=parseaddr(settings.mail_from)[1], to_addrs=[recipient])
    except smtplib.SMTPAuthenticationError as exc:
        raise SmtpLoginRefused(recipient, f"{server} refused the login ({exc.smtp_code})") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        said = "; ".join(f"{code} {text.decode(errors='replace')}" for code, text in exc.recipients.values())
        raise RecipientRefused(recipient, f"{server} refused the address ({said})",
                               permanent=bool(codes) and min(codes) >= 500) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise SmtpUnavailable(recipient, f"{server} unavailable: {exc or type(exc).__name__}") from exc
