"""The partners' own records, under partnerships/<slug>/records/. One block per area."""

from django.urls import path

from records.views import s117_counts

urlpatterns = [
    # s117 register counts, for teams that report a total
    path("s117-counts/", s117_counts.counts, name="s117_counts"),
    path("s117-counts/record/", s117_counts.record_count, name="record_s117_count"),
]
