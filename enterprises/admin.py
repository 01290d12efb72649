from django.contrib import admin

from .models import Enterprise, EnterpriseMembership


class MembershipInline(admin.TabularInline):
    model = EnterpriseMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["__str__", "credit_code", "district", "industry", "founded_on", "employees"]
    list_filter = ["district", "industry"]
    search_fields = ["name_zh", "name_en", "credit_code", "contact_name", "contact_email"]
    inlines = [MembershipInline]


@admin.register(EnterpriseMembership)
class EnterpriseMembershipAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["enterprise__name_zh", "enterprise__name_en", "user__email"]
    autocomplete_fields = ["enterprise", "user"]
    list_select_related = ["enterprise", "user"]
