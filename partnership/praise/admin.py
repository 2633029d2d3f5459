from django.contrib import admin

from .models import Praise, PraiseThanks, PraiseValue


@admin.register(PraiseValue)
class PraiseValueAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "order", "is_active"]
    list_filter = ["school", "is_active"]


@admin.register(Praise)
class PraiseAdmin(admin.ModelAdmin):
    list_display = ["pk", "child", "value", "given_by", "given_at"]
    list_filter = ["school"]
    raw_id_fields = ["child", "target", "given_by", "value", "school"]


@admin.register(PraiseThanks)
class PraiseThanksAdmin(admin.ModelAdmin):
    list_display = ["praise", "parent", "created_at"]
    raw_id_fields = ["praise", "parent"]
