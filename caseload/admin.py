from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    PeriodActivity,
    SourceSystem,
    StaffPost,
    Team,
)


class StaffPostInline(admin.TabularInline):
    model = StaffPost
    extra = 0
    autocomplete_fields = ["funder", "employer"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "agreement",
        "kind",
        "locality",
        "operated_by",
        "establishment_wte",
        "left_agreement_on",
    ]
    list_filter = ["agreement", "kind", ("operated_by", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agreement", "operated_by"]
    search_fields = ["name", "locality", "agreement__short_title"]
    autocomplete_fields = ["agreement", "operated_by"]
    ordering = ["agreement__short_title", "name"]
    inlines = [StaffPostInline]


@admin.register(StaffPost)
class StaffPostAdmin(SimpleHistoryAdmin):
    list_display = [
        "reference",
        "team",
        "team__agreement",
        "role",
        "wte",
        "basis",
        "employer",
        "funder",
        "origin",
        "case_holding",
        "valid_from",
        "valid_to",
    ]
    list_filter = [
        "team__agreement",
        "basis",
        "role",
        "origin",
        "case_holding",
        ("employer", admin.RelatedOnlyFieldListFilter),
        ("funder", admin.RelatedOnlyFieldListFilter),
        "team",
    ]
    list_select_related = ["team__agreement", "employer", "funder"]
    search_fields = ["reference", "team__name"]
    autocomplete_fields = ["team", "funder", "employer"]
    date_hierarchy = "valid_from"
    ordering = ["team__agreement__short_title", "team__name", "reference"]


@admin.register(SourceSystem)
class SourceSystemAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "operated_by"]
    list_select_related = ["operated_by"]
    search_fields = ["name", "code"]
    autocomplete_fields = ["operated_by"]
    ordering = ["name"]


@admin.register(CaseloadSnapshot)
class CaseloadSnapshotAdmin(SimpleHistoryAdmin):
    list_display = ["team", "team__agreement", "source_system", "as_at", "open_cases"]
    list_filter = ["team__agreement", "source_system", "team"]
    list_select_related = ["team__agreement", "source_system"]
    search_fields = ["team__name"]
    autocomplete_fields = ["team"]
    date_hierarchy = "as_at"
    ordering = ["-as_at", "team__name", "source_system__name"]


@admin.register(CaseloadOverlap)
class CaseloadOverlapAdmin(SimpleHistoryAdmin):
    list_display = ["team", "team__agreement", "as_at", "cases_in_more_than_one_system"]
    list_filter = ["team__agreement", "team"]
    list_select_related = ["team__agreement"]
    search_fields = ["team__name"]
    autocomplete_fields = ["team"]
    date_hierarchy = "as_at"
    ordering = ["-as_at", "team__name"]


@admin.register(CareActActivity)
class CareActActivityAdmin(SimpleHistoryAdmin):
    list_display = [
        "team",
        "quarter",
        "referrals",
        "assessments",
        "reviews",
        "carers_assessments",
        "safeguarding_enquiries",
    ]
    list_filter = ["team__agreement", "quarter__financial_year", "team"]
    list_select_related = ["team", "quarter__financial_year"]
    search_fields = ["team__name"]
    autocomplete_fields = ["team", "quarter"]
    ordering = ["-quarter__financial_year__start_year", "-quarter__number", "team__name"]


@admin.register(PeriodActivity)
class PeriodActivityAdmin(SimpleHistoryAdmin):
    list_display = ["team", "financial_year", "period", *PeriodActivity.MEASURES]
    list_filter = ["team__agreement", "financial_year", "period", "team"]
    list_select_related = ["team", "financial_year"]
    search_fields = ["team__name"]
    autocomplete_fields = ["team"]
    ordering = ["-financial_year__start_year", "period", "team__name"]
