from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """The admin site, and the project's own signal receivers (config is not an app itself)."""

    default_site = "config.admin.SiteAdministratorsOnly"

    def ready(self):
        super().ready()
        from config import sessions  # noqa: F401  (connects its user_logged_in receiver)
