from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from returns.models import QuarterlyReturn, ReturnSchedule, SectionState


@admin.register(QuarterlyReturn)
class QuarterlyReturnAdmin(SimpleHistoryAdmin):
    """Read-only: a return changes state only through submit, sign off and reopen, which
    check who may do it and keep the reason."""

    list_display = ["agreement", "quarter", "status", "version", "submitted_at", "signed_off_at"]
    list_filter = ["agreement", "status"]
    list_select_related = ["agreement", "quarter__financial_year"]
    search_fields = ["agreement__short_title"]
    ordering = [
        "agreement__short_title",
        "-quarter__financial_year__start_year",
        "-quarter__number",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ReturnSchedule)
class ReturnScheduleAdmin(SimpleHistoryAdmin):
    """A partnership's JMG sets this on the returns page; here for administrators."""

    list_display = ["agreement", "return_working_days", "sign_off_working_days"]
    list_select_related = ["agreement"]
    ordering = ["agreement__short_title"]


@admin.register(SectionState)
class SectionStateAdmin(SimpleHistoryAdmin):
    """Read-only: a section is marked from the return's task list, by whoever enters it."""

    list_display = ["quarterly_return", "section", "state", "marked_at"]
    list_select_related = [
        "quarterly_return__agreement",
        "quarterly_return__quarter__financial_year",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
