from django.urls import path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("switch/", views.switch_hat, name="switch_hat"),
    path("invite/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
]
