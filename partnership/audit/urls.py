from django.urls import path

from . import views

urlpatterns = [
    path("schools/<slug:slug>/audit/", views.audit_search, name="audit_search"),
]
