from django.urls import include, path

from budgets import views as budget_views
from caseload import views as caseload_views
from partnerships import return_views, views
from reports import views as report_views

urlpatterns = [
    path("", views.home, name="home"),
    path("compare/", views.compare, name="compare"),
    path("partnerships/<slug:slug>/", views.overview, name="partnership"),
    path("partnerships/<slug:slug>/budget/", budget_views.budget, name="budget"),
    path("partnerships/<slug:slug>/staffing/", caseload_views.staffing, name="staffing"),
    path("partnerships/<slug:slug>/caseload/", caseload_views.caseload, name="caseload"),
    path("partnerships/<slug:slug>/kpis/", views.kpis, name="kpis"),
    path("partnerships/<slug:slug>/actions/", views.actions, name="actions"),
    path("partnerships/<slug:slug>/returns/", return_views.returns, name="returns"),
    path(
        "partnerships/<slug:slug>/returns/<str:period>/",
        return_views.quarterly_return,
        name="quarterly_return",
    ),
    path(
        "partnerships/<slug:slug>/returns/<str:period>/template/",
        return_views.return_template,
        name="return_template",
    ),
    path(
        "partnerships/<slug:slug>/returns/<str:period>/history/",
        return_views.return_history,
        name="return_history",
    ),
    path(
        "partnerships/<slug:slug>/returns/<str:period>/enter/",
        return_views.enter_return,
        name="enter_return",
    ),
    path(
        "partnerships/<slug:slug>/returns/<str:period>/upload/",
        return_views.upload_return,
        name="upload_return",
    ),
    path(
        "partnerships/<slug:slug>/returns/<str:period>/confirm/",
        return_views.confirm_return,
        name="confirm_return",
    ),
    path(
        "partnerships/<slug:slug>/returns/<str:period>/cancel/",
        return_views.cancel_return,
        name="cancel_return",
    ),
    path(
        "partnerships/<slug:slug>/returns/<str:period>/status/",
        return_views.change_return_status,
        name="change_return_status",
    ),
    path("partnerships/<slug:slug>/s117/", include("s117.urls")),
    path("partnerships/<slug:slug>/reports/", include("reports.urls")),
    path("reports/", report_views.library, name="report_library"),
]
