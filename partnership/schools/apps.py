from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "partnership.schools"
    label = "schools"
    verbose_name = "Schools and families"

    def ready(self) -> None:
        # Registers the daily-by-tick retention run with the scheduled tick.
        from . import retention  # noqa: F401
