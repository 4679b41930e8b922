"""The accounts app's own table: the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    """A security event (log-in, failed log-in, two-factor change, merge, export, deletion,
    staff action). Written through ``hypertrophy.accounts.audit.record``; read-only in the admin.

    ``user`` is cleared when the account is deleted; ``subject`` keeps a non-identifying
    reference so the trail still shows that a deletion happened.
    """

    kind = models.CharField(max_length=40, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(max_length=254, blank=True, help_text="Who or what it concerns, as text.")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        # The table the events app created; the model moved here without touching it
        # (migrations accounts 0001 and events 0009).
        db_table = "events_auditentry"
        ordering = ["-created_at"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"
