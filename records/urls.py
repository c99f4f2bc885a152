"""The partners' own records, under partnerships/<slug>/records/. One block per area."""

from django.urls import path

from records.views import action_plan, kpis, s117_counts, staffing
from records.views import budgets as budget_views
from records.views import terms as terms_views

urlpatterns = [
    # Budgets: each year's pooled budget and planned contributions (set_budget).
    path("budgets/", budget_views.pooled_budgets, name="pooled_budgets"),
    path("budgets/set/", budget_views.set_pooled_budget, name="set_pooled_budget"),
    path(
        "budgets/<str:budget_year>/revise/",
        budget_views.revise_pooled_budget,
        name="revise_pooled_budget",
    ),
    path("budgets/funds/add/", budget_views.add_fund, name="add_fund"),
    path("budgets/funds/<int:fund_id>/revise/", budget_views.revise_fund, name="revise_fund"),
    path("budgets/funds/<int:fund_id>/shares/", budget_views.fund_shares, name="fund_shares"),
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
    # s117 register counts, for teams that report a total
    path("s117-counts/", s117_counts.counts, name="s117_counts"),
    path("s117-counts/record/", s117_counts.record_count, name="record_s117_count"),
    # staffing: posts, vacancies and teams' establishments (keep_staffing)
    path("posts/", staffing.staff_posts, name="staff_posts"),
    path("posts/add/", staffing.add_staff_post, name="add_staff_post"),
    path("posts/<int:post_id>/", staffing.staff_post, name="staff_post"),
    path("posts/<int:post_id>/change/", staffing.change_staff_post, name="change_staff_post"),
    path(
        "teams/<int:team_id>/establishment/",
        staffing.change_team_establishment,
        name="change_team_establishment",
    ),
    # terms: extensions, variations and the decisions on them
    path("terms/", terms_views.terms, name="agreement_terms"),
    path("terms/propose/", terms_views.propose, name="propose_term_change"),
    path("terms/proposals/<int:proposal_id>/", terms_views.proposal, name="term_proposal"),
    path(
        "terms/proposals/<int:proposal_id>/decision/",
        terms_views.decide,
        name="decide_term_proposal",
    ),
    path("terms/options/<int:option_id>/", terms_views.option, name="term_option"),
]
