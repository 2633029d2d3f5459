from django.apps import AppConfig


class CoproductionConfig(AppConfig):
    name = "partnership.coproduction"
    label = "coproduction"
    verbose_name = "Co-production and the governors' summary"
