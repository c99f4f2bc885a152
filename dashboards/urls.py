from django.urls import path

from dashboards.views import budget as budget_views
from dashboards.views import caseload as caseload_views
from dashboards.views import partnership as views

urlpatterns = [
    path("compare/", views.compare, name="compare"),
    path("partnerships/<slug:slug>/", views.overview, name="partnership"),
    path("partnerships/<slug:slug>/budget/", budget_views.budget, name="budget"),
    path("partnerships/<slug:slug>/staffing/", caseload_views.staffing, name="staffing"),
    path("partnerships/<slug:slug>/caseload/", caseload_views.caseload, name="caseload"),
    path("partnerships/<slug:slug>/kpis/", views.kpis, name="kpis"),
    path("partnerships/<slug:slug>/actions/", views.actions, name="actions"),
]
