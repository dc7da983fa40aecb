"""Sending e-mail: the one place the portal sends mail from (today only the organisers' answers to feedback whose
giver left an address, portal/feedback/services.py).

- ``MAIL_SERVER`` set (app config, or the environment's ``POLKU_MAIL_SERVER``): sent over SMTP with Python's
  ``smtplib`` to ``MAIL_PORT`` (25; STARTTLS when ``MAIL_USE_TLS`` / ``POLKU_MAIL_USE_TLS`` is 1), logging in with
  ``MAIL_USERNAME`` / ``MAIL_PASSWORD`` when set, from ``MAIL_FROM`` (``POLKU_MAIL_FROM``).
- Not set (development, this demo): nothing leaves the machine; the message is written to the app log.
- Tests (``app.testing``): every message is also kept in memory, ``outbox(app)``, for the test to read.

A message that cannot be sent raises ``MailError``; the caller decides (the feedback answer is then not saved).
"""

from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

from flask import Flask, current_app

OUTBOX_KEY = "polku.mail_outbox"


class MailError(Exception):
    """The message could not be handed to the mail server."""


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    body: str


def _setting(app: Flask, name: str, default: str = "") -> str:
    value = app.config.get(name)
    if value is None:
        value = os.environ.get(f"POLKU_{name}", default)
    return str(value)


def outbox(app: Flask) -> list[Mail]:
    """The messages sent so far in tests (an empty list elsewhere)."""
    return app.extensions.setdefault(OUTBOX_KEY, [])  # type: ignore[no-any-return]


def send_mail(to: str, subject: str, body: str) -> None:
    """Send one plain-text message (UTF-8) to one address."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    mail = Mail(to=to, subject=subject, body=body)
    if app.testing:
        outbox(app).append(mail)
    server = _setting(app, "MAIL_SERVER")
    if not server:
        app.logger.info("E-mail not sent (no MAIL_SERVER configured): to %s, subject %r\n%s", to, subject, body)
        return
    message = EmailMessage()
    message["From"] = _setting(app, "MAIL_FROM", "polku@localhost")
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        with smtplib.SMTP(server, int(_setting(app, "MAIL_PORT", "25")), timeout=10) as smtp:
            if _setting(app, "MAIL_USE_TLS", "0") == "1":
                smtp.starttls()
            user = _setting(app, "MAIL_USERNAME")
            if user:
                smtp.login(user, _setting(app, "MAIL_PASSWORD"))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(str(error)) from error
