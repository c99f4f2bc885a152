from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "returns"
    verbose_name = "Quarterly returns"

    def ready(self):
        # Registers the returns' data-quality check with the dashboards' list of checks,
        # which can't import returns (docs/adr/0016).
        from returns import quality  # noqa: F401
