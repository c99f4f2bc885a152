from django.apps import AppConfig


class SeedConfig(AppConfig):
    """Demo and national data: it writes to every app, so it sits above them all."""

    name = "seed"
    verbose_name = "Demo and national data"
