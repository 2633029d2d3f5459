from django.urls import path

from . import records, school_settings, views

urlpatterns = [
    path("parent/", views.parent_home, name="parent_home"),
    path("staff/", views.staff_home, name="staff_home"),
    path("governor/", views.governor_home, name="governor_home"),
    path("children/<int:child_id>/", views.child_detail, name="child_detail"),
    path("schools/<slug:slug>/invite/parent/", views.invite_parent, name="invite_parent"),
    path("schools/<slug:slug>/invite/staff/", views.invite_staff, name="invite_staff"),
    path("schools/<slug:slug>/import/", views.import_children, name="import_children"),
    *school_settings.urlpatterns,
    *records.urlpatterns,
]
