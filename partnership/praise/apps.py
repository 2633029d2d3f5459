from django.apps import AppConfig


class PraiseConfig(AppConfig):
    name = "partnership.praise"
    label = "praise"
    verbose_name = "Praise"

    def ready(self) -> None:
        # Registers the end-of-day nudge and the weekly digest with the scheduled tick.
        from . import digest, nudge  # noqa: F401
