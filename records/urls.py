"""The partners' own records, under partnerships/<slug:slug>/records/. One block per area."""

from django.urls import path

from records.views import staffing

urlpatterns: list = [
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
]
