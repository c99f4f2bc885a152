"""The partners' own records, under partnerships/<slug>/records/. One block per area."""

from django.urls import path

from records.views import budgets as budget_views

urlpatterns: list = [
    # Budgets: each year's pooled budget and planned contributions (set_budget).
    path("budgets/", budget_views.pooled_budgets, name="pooled_budgets"),
    path("budgets/set/", budget_views.set_pooled_budget, name="set_pooled_budget"),
    path(
        "budgets/<str:budget_year>/revise/",
        budget_views.revise_pooled_budget,
        name="revise_pooled_budget",
    ),
]
