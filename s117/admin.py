from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from partnerships.admin import money_column
from partnerships.models import Membership, Role
from partnerships.permissions import can
from s117.actions import record_access
from s117.forms import RegisterEntryForm
from s117.models import AccessLog, AftercarePackage, RegisterCount, RegisterEntry, Review


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


@admin.register(RegisterEntry)
class RegisterEntryAdmin(SimpleHistoryAdmin):
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
        (None, {"fields": ["agreement", "person_reference", "team"]}),
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

    # NHS number, name and date of birth only for the partnership's s117 officers, even in
    # the administration pages: a site administrator manages the register, not the people.
    def may_see_personal_data(self, request, obj=None) -> bool:
        if obj is None:
            return Membership.objects.filter(user=request.user, role=Role.S117_OFFICER).exists()
        return can(request.user, "view_s117_personal_data", obj.agreement)

    PERSONAL_FIELDS = ("nhs_number", "full_name", "date_of_birth")

    def lookup_allowed(self, lookup, value, request=None):
        # Filtering the list by a personal field would reveal it a guess at a time.
        if lookup.split("__")[0] in self.PERSONAL_FIELDS:
            return False
        return super().lookup_allowed(lookup, value, request)

    def get_readonly_fields(self, request, obj=None):
        # Moving a person to another partnership would move who may see them.
        return ["agreement"] if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if self.may_see_personal_data(request, obj):
            return fieldsets
        return [(name, options) for name, options in fieldsets if name != "Personal details"]

    # Every opening of a person's record, or of its history, is logged before it is shown.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log(
            request,
            object_id,
            AccessLog.Action.CHANGE if request.method == "POST" else AccessLog.Action.VIEW,
        )
        return super().change_view(request, object_id, form_url, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._require_personal_data_access(request, object_id)
        self._log(request, object_id, AccessLog.Action.HISTORY)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_personal_data_access(request, object_id)
        self._log(request, object_id, AccessLog.Action.HISTORY)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_personal_data_access(self, request, object_id):
        # Earlier versions of a record hold its personal data, so its history needs the role.
        entry = self.get_object(request, admin.utils.unquote(object_id))
        if entry is not None and not self.may_see_personal_data(request, entry):
            raise PermissionDenied("Only the partnership's s117 officers see a record's history.")

    def _log(self, request, object_id, action):
        entry = self.get_object(request, admin.utils.unquote(object_id))
        if entry is not None and self.has_view_or_change_permission(request, entry):
            record_access(by=request.user, entry=entry, action=action, path=request.path)


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "entry__agreement", "reviewed_on", "outcome", "next_review_due"]
    list_filter = ["entry__agreement", "outcome"]
    list_select_related = ["entry__agreement"]
    search_fields = ["entry__person_reference"]
    autocomplete_fields = ["entry"]
    date_hierarchy = "reviewed_on"
    ordering = ["-reviewed_on"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    """Administrators read the log; nobody can add to it by hand, change or delete it."""

    list_display = ["at", "user", "action", "entry", "path"]
    list_filter = ["action", "entry__agreement", ("user", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "entry"]
    search_fields = ["user__username", "entry__person_reference"]
    date_hierarchy = "at"
    ordering = ["-at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AftercarePackage)
class AftercarePackageAdmin(SimpleHistoryAdmin):
    list_display = [
        "entry",
        "description",
        "provider",
        money_column("weekly_cost", "weekly cost"),
        "start_date",
        "end_date",
    ]
    list_filter = ["entry__agreement"]
    list_select_related = ["entry"]
    search_fields = ["entry__person_reference", "description", "provider"]
    autocomplete_fields = ["entry"]
    date_hierarchy = "start_date"
    ordering = ["entry__person_reference", "start_date"]


@admin.register(RegisterCount)
class RegisterCountAdmin(SimpleHistoryAdmin):
    list_display = ["team", "team__agreement", "as_at", "people", "source"]
    list_filter = ["team__agreement", "team"]
    list_select_related = ["team__agreement"]
    search_fields = ["team__name", "source"]
    autocomplete_fields = ["team"]
    date_hierarchy = "as_at"
    ordering = ["-as_at", "team__name"]
