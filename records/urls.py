"""The partners' own records, under partnerships/<slug>/records/. One block per area."""

from django.urls import path

from records.views import action_plan, kpis

urlpatterns: list = [
    # KPIs: definitions, targets and thresholds (keep_kpis)
    path("kpis/", kpis.kpi_list, name="records_kpis"),
    path("kpis/add/", kpis.add_kpi, name="add_kpi"),
    path("kpis/<int:kpi_id>/", kpis.change_kpi, name="change_kpi"),
    # Action plan: reviews, their recommendations, and each action's progress
    # (keep_action_plan)
    path("action-plan/", action_plan.plan, name="records_action_plan"),
    path("action-plan/reviews/add/", action_plan.add_review, name="add_review"),
    path(
        "action-plan/reviews/<int:review_id>/recommendations/add/",
        action_plan.add_recommendation,
        name="add_recommendation",
    ),
    path(
        "action-plan/actions/<int:recommendation_id>/",
        action_plan.change_action,
        name="change_action",
    ),
    path(
        "action-plan/actions/<int:recommendation_id>/progress/add/",
        action_plan.add_progress_note,
        name="add_progress_note",
    ),
]
