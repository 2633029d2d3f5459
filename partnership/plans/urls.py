"""Each area's views module keeps its own url list, so areas grow without treading on
each other."""

from .views import interventions, observations, passports, targets

urlpatterns = [
    *targets.urlpatterns,
    *observations.urlpatterns,
    *passports.urlpatterns,
    *interventions.urlpatterns,
]
