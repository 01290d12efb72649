from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .enums import AuditEventType, Language, OutboxKind, OutboxStatus
from .managers import AuditEventQuerySet, UserManager


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in by e-mail; roles come from memberships, not from flags here."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    email_verified = models.BooleanField(_("e-mail verified"), default=False)
    is_staff = models.BooleanField(_("staff status"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name or self.email.split("@")[0]


class AuditEvent(models.Model):
    """Append-only, hash-chained record of a workflow action.

    Each event's hash covers its own content and the previous event's hash, so altering or
    deleting a row breaks the chain from there on (`manage.py verify_audit`).
    """

    seq = models.PositiveBigIntegerField(_("sequence"), unique=True, editable=False)
    created_at = models.DateTimeField(_("time"), editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    actor_label = models.CharField(_("actor label"), max_length=254, blank=True, editable=False)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    # What happened. Events recorded before this column existed were given theirs by migration 0004
    # (from their action and payload); an event it could not name keeps a blank here.
    event = models.CharField(
        _("event"), max_length=64, choices=AuditEventType.choices, blank=True, db_index=True, editable=False
    )
    # The code the hash chain covered before `event` existed; new events repeat their event here.
    action = models.CharField(_("action"), max_length=64, db_index=True, editable=False)
    object_type = models.CharField(_("object type"), max_length=100, editable=False)
    object_id = models.CharField(_("object id"), max_length=64, editable=False)
    object_repr = models.CharField(_("object"), max_length=255, blank=True, editable=False)
    payload = models.JSONField(_("payload"), default=dict, editable=False)
    prev_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.event or self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")

    @property
    def event_label(self) -> str:
        """What happened, in words (an old event the migration could not name shows its old code)."""
        if self.event:
            return str(self.get_event_display())
        if isinstance(self.payload, dict) and self.payload.get("event"):
            return str(self.payload["event"])
        return self.action

    @property
    def actor_display(self) -> str:
        """Who acted, for people: the person, or "the system" for the project's own scheduled work."""
        if self.actor is not None:
            return str(self.actor)
        return self.actor_label if self.actor_label and self.actor_label != "system" else gettext("the system")


class OutboxMessage(models.Model):
    """An e-mail or task the application queued, written in the transaction that caused it.

    Dispatched after the commit; whatever the broker did not take is dispatched again later
    (`core.outbox`), so nothing is lost while the broker is away.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=OutboxKind.choices)
    task_name = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict)
    template = models.CharField(_("template"), max_length=100, blank=True)
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    cycle = models.ForeignKey(
        "awards.AwardCycle",
        verbose_name=_("cycle"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        what = self.template or self.task_name.rsplit(".", 1)[-1]
        return f"#{self.pk} {what} → {self.recipient}" if self.recipient else f"#{self.pk} {what}"


class RateLimitCounter(models.Model):
    """Attempts per scope and client address in the current window, shared by every process.

    Used where the cache is not Redis (`make run`, SQLite or PostgreSQL without Redis): an UPDATE …
    SET count = count + 1 counts and reads in one step, so parallel requests cannot all pass.
    """

    key = models.CharField(max_length=200, unique=True)
    window_ends_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
