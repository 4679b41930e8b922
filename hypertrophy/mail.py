"""Email backends without SMTP: the server log in production, the console in development.

``LogEmailBackend``: email when no SMTP server is configured in production, written to the
server log.

A self-hosted install without ``EMAIL_HOST`` still works: verification and password-reset
messages (with their links) land in the log, where the operator can read them, instead of
failing the request. Django's console backend does the same in development; its system check
rightly refuses it in production, where output may not be kept.
"""

from __future__ import annotations

import logging

from django.core.mail.backends import console
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger("hypertrophy.mail")


class LogEmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        for message in email_messages:
            logger.warning(
                "Email not sent (EMAIL_HOST is not set); logged instead.\nTo: %s\nSubject: %s\n\n%s",
                ", ".join(message.recipients()),
                message.subject,
                message.body,
            )
        return len(email_messages)


class EmailBackend(console.EmailBackend):
    """Email in development: Django's console backend, with the text as written.

    Django's console backend prints the encoded message: a body line over 78 characters (every
    verification and password-reset link) is quoted-printable, cut with ``=`` soft line breaks,
    so the link copied from the terminal did not work. This prints the headers a developer
    needs and the body as sent to the reader."""

    def write_message(self, message) -> None:
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.recipients())}\n"
            f"Subject: {message.subject}\n\n{message.body}\n"
        )
        self.stream.write("-" * 79)
        self.stream.write("\n")
