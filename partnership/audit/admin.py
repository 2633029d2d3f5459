from django.contrib import admin

from .models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the trail is evidence, so nobody adds, edits or deletes through the
    portal, superusers included. (The database's own users still could; see models.)"""

    list_display = ["at", "user", "action", "what", "object_id", "child", "school", "outcome"]
    list_filter = ["action", "outcome"]
    list_select_related = ["user", "child", "school"]
    search_fields = ["what"]
    date_hierarchy = "at"
    raw_id_fields = ["user", "child", "school"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
