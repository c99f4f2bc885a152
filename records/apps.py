from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """What the partners keep for themselves, through forms rather than the admin: each
    year's pooled budget and planned contributions, staff posts and vacancies, KPI
    definitions and targets, the action plan, extensions and the decisions behind them, and
    s117 register counts. Each area is one module in forms/, views/ and actions/."""

    name = "records"
    verbose_name = "Partnership records"
