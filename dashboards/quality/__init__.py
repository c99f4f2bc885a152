"""Data-quality checks, written once: each reads a partnership's quarter and says what it
found and where to fix it. The return's check and sign-off pages, the agreement page, the
dashboard sections and home show the same flags, each with the explanation a commissioner
may have recorded for it.

Each check is a module here, registered in `registry.CHECKS` when imported below (the list
keeps them in the order of the dashboard's sections); `run` runs them.
"""

from dashboards.quality import (  # noqa: F401  (imported to register the checks)
    activity_year_differs,
    caseload_moved,
    cases_without_staff,
    forecast_moved,
    forecast_out_of_date,
    kpi_moved,
    posts_beyond_establishment,
    reviews_overdue,
    revised_budget_unexplained,
    risk_shares_dont_sum,
    spend_above_forecast,
    spend_to_date_fell,
    systems_disagree,
    wte_above_establishment,
)
from dashboards.quality.registry import CHECKS, Flag, Scope, register
from dashboards.quality.run import flags_for, flags_for_many, settings_for

__all__ = ["CHECKS", "Flag", "Scope", "flags_for", "flags_for_many", "register", "settings_for"]
