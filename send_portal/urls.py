from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

# The admin signs in through the portal's own login, so two-factor applies there too.
admin.site.login = login_required(admin.site.login)
admin.site.site_header = "SEND Partnership Portal administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("", include("partnership.accounts.urls")),
    path("", include("partnership.schools.urls")),
    path("", include("partnership.notifications.urls")),
    path("", include("partnership.plans.urls")),
    path("", include("partnership.contact.urls")),
    path("", include("partnership.praise.urls")),
    path("", include("partnership.meetings.urls")),
    path("", include("partnership.coproduction.urls")),
    path("", include("partnership.audit.urls")),
    path("", include("partnership.audit.views_export")),
]
