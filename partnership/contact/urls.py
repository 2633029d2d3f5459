"""Each area's views module keeps its own url list, so areas grow without treading on
each other."""

from .views import broadcasts, checkins, dashboard, log

urlpatterns = [
    *log.urlpatterns,
    *dashboard.urlpatterns,
    *checkins.urlpatterns,
    *broadcasts.urlpatterns,
]
