from django.urls import path

from reports import views

urlpatterns = [
    path("", views.reports, name="reports"),
    path("start/", views.start, name="start_report"),
    path("<int:report_id>/", views.report, name="report"),
    path("<int:report_id>/narrative/", views.narrative, name="report_narrative"),
    path("<int:report_id>/draft.pdf", views.draft_pdf, name="report_draft_pdf"),
    path("<int:report_id>/publish/", views.publish_report, name="publish_report"),
    path("<int:report_id>/v<int:number>/", views.version_html, name="report_version"),
    path("<int:report_id>/v<int:number>.pdf", views.version_pdf, name="report_version_pdf"),
]
