from django.urls import include, path

from budgets import views as budget_views
from caseload import views as caseload_views
from partnerships import views
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
    path("partnerships/<slug:slug>/returns/", include("returns.urls")),
    path("partnerships/<slug:slug>/s117/", include("s117.urls")),
    path("partnerships/<slug:slug>/reports/", include("reports.urls")),
    path("reports/", report_views.library, name="report_library"),
]
