from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .admin_mixins import ReadOnly, SuperusersOnly, WithinStaffProgrammes
from .models import AuditEvent, OutboxMessage, RateLimitCounter, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = [
        "email",
        "full_name",
        "preferred_language",
        "email_verified",
        "is_staff",
        "is_superuser",
        "is_active",
    ]
    list_filter = ["is_staff", "is_superuser", "is_active", "email_verified", "preferred_language"]
    search_fields = ["email", "full_name", "phone"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Personal info"), {"fields": ["full_name", "phone", "preferred_language", "email_verified"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]


@admin.register(AuditEvent)
class AuditEventAdmin(SuperusersOnly, ReadOnly, admin.ModelAdmin):
    """Read-only: nobody can add, change or delete an event here. The chain holds every programme's
    events: superusers only."""

    list_display = [
        "seq",
        "created_at",
        "actor_label",
        "event_in_words",
        "object_type",
        "object_repr",
        "ip_address",
    ]
    list_filter = ["event", "object_type"]
    search_fields = ["actor_label", "object_repr", "object_id", "hash"]
    date_hierarchy = "created_at"
    list_select_related = ["actor"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    @admin.display(description=_("what happened"), ordering="event")
    def event_in_words(self, event: AuditEvent) -> str:
        return event.event_label


@admin.register(OutboxMessage)
class OutboxMessageAdmin(WithinStaffProgrammes, ReadOnly, admin.ModelAdmin):
    """Read-only: the office retries failed messages on its outbox page (through the service).
    A programme's staff see their cycles' messages."""

    programme_path = "cycle__programme"

    list_display = ["pk", "created_at", "kind", "template", "task_name", "recipient", "language", "status", "attempts"]
    list_filter = ["status", "kind", "cycle"]
    search_fields = ["recipient", "template", "task_name", "last_error"]
    date_hierarchy = "created_at"
    list_select_related = ["cycle"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]


@admin.register(RateLimitCounter)
class RateLimitCounterAdmin(ReadOnly, admin.ModelAdmin):
    """Read-only: counters change only by counting (core/ratelimit.py) and expire on their own."""

    list_display = ["key", "count", "window_ends_at"]
    search_fields = ["key"]
    readonly_fields = ["key", "count", "window_ends_at"]
