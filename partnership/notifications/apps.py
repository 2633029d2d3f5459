from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "partnership.notifications"
    label = "notifications"
    verbose_name = "Notifications"
