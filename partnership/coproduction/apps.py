from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    name = "partnership.coproduction"
    label = "coproduction"
    verbose_name = "Co-production and the governors' summary"

    def ready(self) -> None:
        # Registers the summary refresh with the scheduled tick.
        from . import tasks  # noqa: F401
