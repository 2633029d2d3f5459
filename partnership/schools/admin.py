from django.contrib import admin

from .models import Assignment, Child, FamilyLink, KeyContact, Membership, School


@admin.register(School)
class SchoolAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "school", "role", "job_title", "is_active"]
    list_filter = ["school", "role", "is_active"]
    raw_id_fields = ["user"]


class FamilyLinkInline(admin.TabularInline):
    model = FamilyLink
    raw_id_fields = ["parent"]
    extra = 0


class KeyContactInline(admin.TabularInline):
    model = KeyContact
    raw_id_fields = ["membership"]
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = Assignment
    raw_id_fields = ["membership"]
    extra = 0


@admin.register(Child)
class ChildAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "school", "year_group", "send_status", "attendance"]
    list_filter = ["school", "send_status", "year_group", "attendance"]
    search_fields = ["first_name", "last_name", "mis_id"]
    inlines = [FamilyLinkInline, KeyContactInline, AssignmentInline]
