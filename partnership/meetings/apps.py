from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "partnership.meetings"
    label = "meetings"
    verbose_name = "Meetings with families"

    def ready(self) -> None:
        # Registers the day-before reminders and the slot patterns' top-up with the tick.
        from . import reminders, topping_up  # noqa: F401
