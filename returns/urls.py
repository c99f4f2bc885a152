from django.urls import path

from returns import views

urlpatterns = [
    path("", views.returns, name="returns"),
    # Before the quarter's pages: "schedule" is not a quarter.
    path("schedule/", views.return_schedule, name="return_schedule"),
    path(
        "<str:period>/",
        views.quarterly_return,
        name="quarterly_return",
    ),
    path(
        "<str:period>/template/",
        views.return_template,
        name="return_template",
    ),
    path(
        "<str:period>/history/",
        views.return_history,
        name="return_history",
    ),
    path(
        "<str:period>/enter/",
        views.enter_return,
        name="enter_return",
    ),
    path(
        "<str:period>/upload/",
        views.upload_return,
        name="upload_return",
    ),
    path(
        "<str:period>/confirm/",
        views.confirm_return,
        name="confirm_return",
    ),
    path(
        "<str:period>/cancel/",
        views.cancel_return,
        name="cancel_return",
    ),
    path(
        "<str:period>/sections/<slug:section>/",
        views.enter_section,
        name="enter_return_section",
    ),
    path(
        "<str:period>/explain/",
        views.explain_flag,
        name="explain_flag",
    ),
    path(
        "<str:period>/check/",
        views.check_return,
        name="check_return",
    ),
    path(
        "<str:period>/sign-off/",
        views.sign_off,
        name="sign_off_return",
    ),
    path(
        "<str:period>/status/",
        views.change_return_status,
        name="change_return_status",
    ),
]
