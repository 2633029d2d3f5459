from django.urls import path

from . import views

urlpatterns = [
    path("schools/<slug:slug>/outbox/", views.outbox, name="outbox"),
]
