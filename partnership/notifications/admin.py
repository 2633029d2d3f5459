from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["key", "kind", "to_email", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "school"]
    search_fields = ["key", "to_email"]
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
