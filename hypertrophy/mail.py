"""Email when no SMTP server is configured in production: written to the server log.

A self-hosted install without ``EMAIL_HOST`` still works: verification and password-reset
messages (with their links) land in the log, where the operator can read them, instead of
failing the request. Django's console backend does the same in development; its system check
rightly refuses it in production, where output may not be kept.
"""

from __future__ import annotations

import logging

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
