from django.apps import AppConfig


class ContactConfig(AppConfig):
    name = "partnership.contact"
    label = "contact"
    verbose_name = "Contact with families"

    def ready(self) -> None:
        # Registers the weekly check-in with the scheduled tick.
        from . import checkin_schedule  # noqa: F401
