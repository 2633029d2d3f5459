"""Each area's views module keeps its own url list, so areas grow without treading on
each other."""

from .views import feed, give, reminders, school

urlpatterns = [
    *give.urlpatterns,
    *feed.urlpatterns,
    *school.urlpatterns,
    *reminders.urlpatterns,
]
