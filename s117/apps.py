from django.apps import AppConfig
from django.db.models.signals import post_migrate


class S117Config(AppConfig):
    name = "s117"
    verbose_name = "Section 117 aftercare register"

    def ready(self):
        from s117.append_only import installed_after_migrate

        # SQLite loses a table's triggers when a migration rebuilds it (s117.append_only).
        post_migrate.connect(installed_after_migrate, sender=self, dispatch_uid="s117.append_only")
