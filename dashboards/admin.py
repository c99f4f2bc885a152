from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from dashboards.models import FlagExplanation, QualitySettings


@admin.register(QualitySettings)
class QualitySettingsAdmin(SimpleHistoryAdmin):
    list_display = [
        "agreement",
        "systems_apart_percent",
        "posts_tolerance_wte",
        "movement_times_usual",
        "movement_percent",
    ]
    list_select_related = ["agreement"]


@admin.register(FlagExplanation)
class FlagExplanationAdmin(SimpleHistoryAdmin):
    """Read-only: a commissioner explains a flag from the return's check page."""

    list_display = ["agreement", "quarter", "check_code", "key", "explained_at"]
    list_select_related = ["agreement", "quarter__financial_year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
