"""Email in development: Django's console backend, with the text as written.

Django's console backend prints the encoded message: a body line over 78 characters (every
verification and password-reset link) is quoted-printable, cut with ``=`` soft line breaks, so
the link copied from the terminal did not work. This prints the headers a developer needs and
the body as sent to the reader."""

from __future__ import annotations

from django.core.mail.backends import console


class EmailBackend(console.EmailBackend):
    def write_message(self, message) -> None:
        self.stream.write(
            f"From: {message.from_email}\nTo: {', '.join(message.recipients())}\n"
            f"Subject: {message.subject}\n\n{message.body}\n"
        )
        self.stream.write("-" * 79)
        self.stream.write("\n")
