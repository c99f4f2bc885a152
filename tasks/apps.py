from django.apps import AppConfig


class TasksConfig(AppConfig):
    """What needs each user's attention across their partnerships, and the daily email
    that reminds them of it."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "tasks"
    verbose_name = "Tasks and reminders"
