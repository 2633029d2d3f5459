"""Each area's views module keeps its own url list, so areas grow without treading on
each other."""

from .views import bookings, calendar, sessions, slots

urlpatterns = [
    *slots.urlpatterns,
    *bookings.urlpatterns,
    *sessions.urlpatterns,
    *calendar.urlpatterns,
]
