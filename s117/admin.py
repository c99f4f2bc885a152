from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from partnerships.admin import money_column
from partnerships.permissions import agreements_for
from s117.actions import record_access
from s117.forms import RegisterEntryForm
from s117.models import (
    AccessLog,
    AftercarePackage,
    ExportLog,
    FundingDecision,
    RegisterCount,
    RegisterEntry,
    Responsibility,
    Review,
)


class EntitlementFilter(admin.SimpleListFilter):
    title = "entitlement"
    parameter_name = "entitlement"

    def lookups(self, request, model_admin):
        return [("open", "Open"), ("ended", "Ended")]

    def queryset(self, request, queryset):
        if self.value() == "open":
            return queryset.filter(ended_on__isnull=True)
        if self.value() == "ended":
            return queryset.filter(ended_on__isnull=False)
        return queryset


class AftercarePackageInline(admin.TabularInline):
    model = AftercarePackage
    extra = 0


class ReviewInline(admin.TabularInline):
    model = Review
    extra = 0


class ForItsS117Officers:
    """Register entries, reviews and aftercare packages are personal data: in the admin too,
    each is listed and opened only by administrators who are s117 officers of its
    partnership, and every opening of one, or of its history, is written to the access log
    (docs/access.md). An administrator who must correct an entry is given the role, which
    the partnership's memberships record, with who granted it."""

    agreement_lookup = "agreement"  # from the model to its partnership

    def _theirs(self, request):
        return agreements_for(request.user, "view_s117_personal_data")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .filter(**{f"{self.agreement_lookup}__in": self._theirs(request)})
        )

    # Adding one offers only the user's own partnerships (or their people): none for an
    # administrator without the role, who so can't add one.
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "agreement":
            kwargs["queryset"] = self._theirs(request)
        elif db_field.name == "entry":
            kwargs["queryset"] = RegisterEntry.objects.filter(agreement__in=self._theirs(request))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def entry_of(self, obj) -> RegisterEntry:
        return obj

    # Every opening of a record, or of its history, is logged before it is shown.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log(
            request,
            object_id,
            AccessLog.Action.CHANGE if request.method == "POST" else AccessLog.Action.VIEW,
        )
        return super().change_view(request, object_id, form_url, extra_context)

    # simple-history shows a record's history by its id alone (so that a deleted record's
    # can be read): outside the user's partnerships it is refused here first.
    def history_view(self, request, object_id, extra_context=None):
        if not self._log(request, object_id, AccessLog.Action.HISTORY):
            raise PermissionDenied("Only the partnership's s117 officers see this history.")
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self._log(request, object_id, AccessLog.Action.HISTORY):
            raise PermissionDenied("Only the partnership's s117 officers see this history.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _log(self, request, object_id, action) -> bool:
        """Log the opening of one of the user's partnerships' records; False if it isn't."""
        obj = self.get_object(request, admin.utils.unquote(object_id))
        if obj is None:
            return False
        record_access(by=request.user, entry=self.entry_of(obj), action=action, path=request.path)
        return True


@admin.register(RegisterEntry)
class RegisterEntryAdmin(ForItsS117Officers, SimpleHistoryAdmin):
    # NHS number, name and date of birth stay on the entry's own page: never in lists or
    # search, so a list of people (or a search term in a log) discloses nothing personal.
    list_display = [
        "person_reference",
        "agreement",
        "team",
        "qualifying_section",
        "detained_on",
        "discharged_on",
        "cto_in_force",
        "responsible_council",
        "responsible_icb",
        "council_share_percent",
        "review_due",
        "ended_on",
    ]
    list_filter = [
        "agreement",
        EntitlementFilter,
        "qualifying_section",
        "cto_in_force",
        ("responsible_council", admin.RelatedOnlyFieldListFilter),
        ("responsible_icb", admin.RelatedOnlyFieldListFilter),
        ("team", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["agreement", "team", "responsible_council", "responsible_icb"]
    search_fields = ["person_reference"]
    form = RegisterEntryForm
    autocomplete_fields = ["agreement", "team", "responsible_council", "responsible_icb"]
    date_hierarchy = "detained_on"
    ordering = ["agreement__short_title", "person_reference"]
    fieldsets = [
        (None, {"fields": ["agreement", "person_reference", "team", "seen_version"]}),
        ("Personal details", {"fields": ["nhs_number", "full_name", "date_of_birth"]}),
        (
            "Entitlement",
            {
                "fields": [
                    "qualifying_section",
                    "detained_on",
                    "discharged_on",
                    "cto_in_force",
                    "responsible_council",
                    "responsible_icb",
                    "council_share_percent",
                ]
            },
        ),
        ("Reviews", {"fields": ["review_due", "last_reviewed"]}),
        ("Ending the entitlement", {"fields": ["ended_on", "end_reason"]}),
    ]
    inlines = [ReviewInline, AftercarePackageInline]

    PERSONAL_FIELDS = ("nhs_number", "full_name", "date_of_birth")

    def lookup_allowed(self, lookup, value, request=None):
        # Filtering the list by a personal field would reveal it a guess at a time.
        if lookup.split("__")[0] in self.PERSONAL_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_readonly_fields(self, request, obj=None):
        # Moving a person to another partnership would move who may see them. A change of
        # responsible bodies is made on the person's page, which records it as a period of
        # responsibility (s117.lifecycle.change_responsibility): saved here, the entry would
        # say one body and the person's history another. A new entry's bodies are taken as
        # responsible since detention, so they are given here.
        if obj is None:
            return []
        return ["agreement", "responsible_council", "responsible_icb"]

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.fieldsets
        change = reverse(
            "s117_change_responsibility", args=[obj.agreement.slug, obj.person_reference]
        )
        described = format_html(
            "The responsible council and ICB are changed on the person's page, which keeps "
            'who was responsible before: <a href="{}">change who is responsible</a>.',
            change,
        )
        return [
            (name, (options | {"description": described}) if name == "Entitlement" else options)
            for name, options in self.fieldsets
        ]


@admin.register(Review)
class ReviewAdmin(ForItsS117Officers, SimpleHistoryAdmin):
    agreement_lookup = "entry__agreement"

    def entry_of(self, obj) -> RegisterEntry:
        return obj.entry

    list_display = ["entry", "entry__agreement", "reviewed_on", "outcome", "next_review_due"]
    list_filter = ["entry__agreement", "outcome"]
    list_select_related = ["entry__agreement"]
    search_fields = ["entry__person_reference"]
    autocomplete_fields = ["entry"]
    date_hierarchy = "reviewed_on"
    ordering = ["-reviewed_on"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Administrators read the log; nobody can add to it by hand, change or delete it. Each
    row names who looked and at whom as they were named at the time."""

    list_display = ["at", "username", "user_full_name", "action", "person_reference", "path"]
    list_filter = ["action", "entry__agreement", ("user", admin.RelatedOnlyFieldListFilter)]
    fields = ["at", "username", "user_full_name", "action", "person_reference", "path"]
    search_fields = ["username", "person_reference"]
    date_hierarchy = "at"
    ordering = ["-at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLog)
class ExportLogAdmin(admin.ModelAdmin):
    """Administrators read the downloads from the register; nobody can add to the log by
    hand, change or delete it. Each row names who downloaded as they were named then."""

    list_display = ["at", "username", "user_full_name", "agreement", "what", "file_format", "rows"]
    list_filter = ["what", "file_format", "agreement", ("user", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["agreement"]
    fields = [
        "at", "username", "user_full_name", "agreement", "what", "file_format", "query", "rows"
    ]  # fmt: skip
    search_fields = ["username"]
    date_hierarchy = "at"
    ordering = ["-at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AftercarePackage)
class AftercarePackageAdmin(ForItsS117Officers, SimpleHistoryAdmin):
    agreement_lookup = "entry__agreement"

    def entry_of(self, obj) -> RegisterEntry:
        return obj.entry

    list_display = [
        "entry",
        "description",
        "provider",
        "placement",
        money_column("weekly_cost", "weekly cost"),
        money_column("annual_cost", "annual cost"),
        "start_date",
        "end_date",
    ]
    list_filter = ["entry__agreement"]
    list_select_related = ["entry"]
    search_fields = ["entry__person_reference", "description", "provider"]
    autocomplete_fields = ["entry"]
    date_hierarchy = "start_date"
    ordering = ["entry__person_reference", "start_date"]


@admin.register(FundingDecision)
class FundingDecisionAdmin(ForItsS117Officers, SimpleHistoryAdmin):
    agreement_lookup = "package__entry__agreement"

    def entry_of(self, obj) -> RegisterEntry:
        return obj.package.entry

    list_display = [
        "package",
        "decided_on",
        "applies_from",
        "council_share_percent",
        "agreed_by",
    ]
    list_filter = ["package__entry__agreement"]
    list_select_related = ["package__entry"]
    search_fields = ["package__entry__person_reference", "package__description", "agreed_by"]
    autocomplete_fields = ["package"]
    date_hierarchy = "applies_from"
    ordering = ["package__entry__person_reference", "applies_from"]


@admin.register(Responsibility)
class ResponsibilityAdmin(ForItsS117Officers, SimpleHistoryAdmin):
    """Read only: a change of responsibility is made on the person's page
    (s117.lifecycle.change_responsibility), which also makes the new bodies the entry's; a
    period added or changed here would leave the entry saying otherwise."""

    agreement_lookup = "entry__agreement"

    def entry_of(self, obj) -> RegisterEntry:
        return obj.entry

    list_display = ["entry", "starts_on", "responsible_council", "responsible_icb"]
    list_filter = ["entry__agreement"]
    list_select_related = ["entry", "responsible_council", "responsible_icb"]
    search_fields = ["entry__person_reference"]
    date_hierarchy = "starts_on"
    ordering = ["entry__person_reference", "starts_on"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegisterCount)
class RegisterCountAdmin(SimpleHistoryAdmin):
    list_display = ["team", "team__agreement", "as_at", "people", "source"]
    list_filter = ["team__agreement", "team"]
    list_select_related = ["team__agreement"]
    search_fields = ["team__name", "source"]
    autocomplete_fields = ["team"]
    date_hierarchy = "as_at"
    ordering = ["-as_at", "team__name"]
