from django.apps import AppConfig


class SchoolsConfig(AppConfig):
    name = "partnership.schools"
    label = "schools"
    verbose_name = "Schools and families"
