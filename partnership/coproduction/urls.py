"""Each area's views module keeps its own url list, so areas grow without treading on
each other."""

from .views import consultations, group, summary, support

urlpatterns = [
    *consultations.urlpatterns,
    *support.urlpatterns,
    *group.urlpatterns,
    *summary.urlpatterns,
]
