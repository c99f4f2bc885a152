from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    """The admin site, and the project's own signal receivers (config is not an app itself)."""

    default_site = "config.admin.SiteAdministratorsOnly"

    def ready(self):
        super().ready()
        # Each connects its user_logged_in receiver.
        from config import sessions, trusted_device  # noqa: F401
