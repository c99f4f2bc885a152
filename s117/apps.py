from django.apps import AppConfig


class S117Config(AppConfig):
    name = "s117"
    verbose_name = "Section 117 aftercare register"
