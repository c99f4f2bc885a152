"""The partners' own records, under partnerships/<slug>/records/. One block per area."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
