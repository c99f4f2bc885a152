from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    """The partnership's pages: home, the agreement, its budget, staffing, caseload, KPIs,
    action plan and the comparison of partnerships. They read every domain app."""

    name = "dashboards"
    verbose_name = "Dashboards"
