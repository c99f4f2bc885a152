from urllib.parse import quote, unquote

from django.urls import path, register_converter

from s117 import views, views_lifecycle


class ReferenceConverter:
    """A person's reference in an address, whatever it holds: references are checked when
    they are entered (s117.validators), but one stored before the rule, or through a path
    that skipped it, must still open its record rather than break every page that links to
    it. Characters that mean something in an address (/ ? # %) are escaped."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return quote(str(value), safe="")


register_converter(ReferenceConverter, "reference")

urlpatterns = [
    path("", views.register, name="s117_register"),
    path("upload/", views.upload, name="s117_upload"),
    path("upload/confirm/", views.confirm_upload, name="s117_upload_confirm"),
    path("upload/cancel/", views.cancel_upload, name="s117_upload_cancel"),
    path("history/", views.history, name="s117_history"),
    path("reviews/", views_lifecycle.reviews_due, name="s117_reviews_due"),
    path("breakdowns/export/", views.export_breakdowns, name="s117_breakdowns_export"),
    path("people/<reference:reference>/", views.person, name="s117_person"),
    path("people/<reference:reference>/history/", views.person_history, name="s117_person_history"),
    path(
        "people/<reference:reference>/reviews/add/",
        views.record_review,
        name="s117_record_review",
    ),
    path(
        "people/<reference:reference>/packages/add/",
        views.add_package,
        name="s117_add_package",
    ),
    path(
        "people/<reference:reference>/packages/<int:package_id>/funding/",
        views.record_funding_decision,
        name="s117_record_funding_decision",
    ),
    path(
        "people/<reference:reference>/end/",
        views_lifecycle.end_entitlement,
        name="s117_end_entitlement",
    ),
    path(
        "people/<reference:reference>/responsibility/",
        views_lifecycle.change_responsibility,
        name="s117_change_responsibility",
    ),
    path(
        "people/<reference:reference>/packages/<int:package_id>/end/",
        views_lifecycle.end_package,
        name="s117_end_package",
    ),
    path(
        "people/<reference:reference>/packages/<int:package_id>/review/",
        views_lifecycle.change_package_review,
        name="s117_change_package_review",
    ),
]
