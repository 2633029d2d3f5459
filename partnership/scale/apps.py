from django.apps import AppConfig


class ScaleConfig(AppConfig):
    name = "partnership.scale"
    label = "scale"
    verbose_name = "Trust scale"
