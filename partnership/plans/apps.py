from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "partnership.plans"
    label = "plans"
    verbose_name = "Plans, targets and passports"

    def ready(self) -> None:
        # Registers the batched "your child's plan was updated" email with the tick.
        from . import notices  # noqa: F401
