from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.forms import SignInForm
from reports import views as report_views
from tasks import views as task_views

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", task_views.home, name="home"),
    path("", include("dashboards.urls")),
    path("partnerships/<slug:slug>/returns/", include("returns.urls")),
    path("partnerships/<slug:slug>/records/", include("records.urls")),
    path("partnerships/<slug:slug>/s117/", include("s117.urls")),
    path("partnerships/<slug:slug>/reports/", include("reports.urls")),
    path("reports/", report_views.library, name="report_library"),
    path("reminders/", include("tasks.urls")),
]
