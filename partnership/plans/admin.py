from django.contrib import admin

from .models import (
    HomeObservation,
    Intervention,
    PassportProposal,
    PassportVersion,
    Placement,
    PlanCycle,
    ProgressReview,
    Target,
)


class TargetInline(admin.StackedInline):
    model = Target
    extra = 0
    raw_id_fields = [
        "child",
        "parent_agreed_by",
        "created_by",
        "carried_from",
        "baseline_observation",
    ]


@admin.register(PlanCycle)
class PlanCycleAdmin(admin.ModelAdmin):
    list_display = ["child", "starts_on", "review_on", "status"]
    list_filter = ["status", "child__school"]
    raw_id_fields = ["child", "created_by", "closed_by"]
    inlines = [TargetInline]


@admin.register(ProgressReview)
class ProgressReviewAdmin(admin.ModelAdmin):
    list_display = ["target", "reviewed_on", "rating"]
    raw_id_fields = ["target", "author"]


@admin.register(Intervention)
class InterventionAdmin(admin.ModelAdmin):
    list_display = ["name", "school", "is_active"]
    list_filter = ["school", "is_active"]


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    list_display = ["intervention", "child", "starts_on", "ends_on"]
    raw_id_fields = ["child", "staff", "targets"]


@admin.register(HomeObservation)
class HomeObservationAdmin(admin.ModelAdmin):
    list_display = ["child", "created_at", "withdrawn_at"]
    raw_id_fields = ["child", "target", "author"]


@admin.register(PassportVersion)
class PassportVersionAdmin(admin.ModelAdmin):
    list_display = ["child", "number", "created_at"]
    raw_id_fields = ["child", "created_by", "from_proposal"]


@admin.register(PassportProposal)
class PassportProposalAdmin(admin.ModelAdmin):
    list_display = ["child", "status", "created_at"]
    raw_id_fields = ["child", "proposed_by", "decided_by", "based_on"]
