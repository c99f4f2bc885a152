from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from core.formatting import money
from partnerships.actions import sync_term_dates
from partnerships.models import (
    KPI,
    Agreement,
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    ExtensionOption,
    GovernanceBody,
    KPIValue,
    Meeting,
    Membership,
    Organisation,
    PendingUpload,
    ProgressNote,
    Proposal,
    Recommendation,
    Review,
)
from partnerships.rag import NO_TARGET

# Money in the admin is core.formatting's, pounds and pence. tests/test_admin.py still imports
# it as `pounds`; that name goes when the test imports core.formatting.money instead.
pounds = money


def money_column(field: str, description: str):
    """A sortable changelist column showing a money field in pounds (blank when empty)."""

    @admin.display(description=description, ordering=field)
    def column(obj):
        amount = getattr(obj, field)
        return None if amount is None else money(amount)

    return column


# Agreements


class AgreementPartnerInline(admin.TabularInline):
    model = AgreementPartner
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "is_host", "from_date", "to_date"]


class DecisionInline(admin.StackedInline):
    model = Decision
    extra = 0


class AgreementTermInline(admin.TabularInline):
    model = AgreementTerm
    extra = 0
    autocomplete_fields = ["authorised_by"]


class GovernanceBodyInline(admin.TabularInline):
    model = GovernanceBody
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(SimpleHistoryAdmin):
    list_display = [
        "short_title",
        "legal_basis",
        "status",
        "start_date",
        "end_date",
        "pooled_fund",
        "lead_commissioning",
        "integrated_provision",
    ]
    list_filter = [
        "legal_basis",
        "status",
        "pooled_fund",
        "lead_commissioning",
        "integrated_provision",
    ]
    search_fields = ["short_title", "title", "slug"]
    prepopulated_fields = {"slug": ["short_title"]}
    # Renewals are planned by when agreements end, so that is the date to drill into.
    date_hierarchy = "end_date"
    ordering = ["short_title"]
    inlines = [AgreementPartnerInline, DecisionInline, AgreementTermInline, GovernanceBodyInline]

    def get_readonly_fields(self, request, obj=None):
        # Once an agreement has terms, its dates are theirs: change a term to change them.
        if obj is not None and obj.terms.exists():
            return ["start_date", "end_date"]
        return []

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        sync_term_dates(form.instance, by=request.user)


@admin.register(AgreementPartner)
class AgreementPartnerAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "agreement", "role", "is_host", "from_date", "to_date"]
    list_filter = ["agreement", "role", "is_host"]
    list_select_related = ["organisation", "agreement"]
    search_fields = ["organisation__name", "organisation__short_name", "agreement__short_title"]
    autocomplete_fields = ["agreement", "organisation"]
    ordering = ["agreement__short_title", "-is_host", "organisation__name"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = [
        "decided_on",
        "agreement",
        "kind",
        "body",
        "reference",
        money_column("value", "value"),
    ]
    list_filter = ["agreement", "kind", "outcome"]
    list_select_related = ["agreement"]
    search_fields = ["reference", "body", "summary", "agreement__short_title"]
    autocomplete_fields = ["agreement"]
    date_hierarchy = "decided_on"
    ordering = ["-decided_on"]


@admin.register(Proposal)
class ProposalAdmin(SimpleHistoryAdmin):
    """Proposals are made and decided on the terms pages (records.views.terms); here they
    can be read and corrected."""

    list_display = ["agreement", "kind", "proposed_end_date", money_column("value", "value")]
    list_filter = ["agreement", "kind"]
    list_select_related = ["agreement"]
    search_fields = ["summary", "agreement__short_title"]
    autocomplete_fields = ["agreement", "decision"]


@admin.register(AgreementTerm)
class AgreementTermAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "kind", "start_date", "end_date", "authorised_by"]
    list_filter = ["agreement", "kind"]
    list_select_related = ["agreement", "authorised_by"]
    search_fields = ["agreement__short_title", "authorised_by__reference"]
    autocomplete_fields = ["agreement", "authorised_by"]
    date_hierarchy = "start_date"
    ordering = ["agreement__short_title", "start_date"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        sync_term_dates(obj.agreement, by=request.user)

    def delete_model(self, request, obj):
        agreement = obj.agreement
        super().delete_model(request, obj)
        sync_term_dates(agreement, by=request.user)


@admin.register(ExtensionOption)
class ExtensionOptionAdmin(SimpleHistoryAdmin):
    """Options are granted, exercised and recorded lapsed on the terms pages
    (records.views.terms), which add and move the terms with them; here they can be read
    and corrected."""

    list_display = ["agreement", "start_date", "end_date", "exercise_by", "status"]
    list_filter = ["agreement", "status"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__short_title"]
    autocomplete_fields = ["agreement", "extension", "exercised_by", "term"]
    ordering = ["agreement__short_title", "start_date"]


# Organisations and membership


@admin.register(ApprovalThreshold)
class ApprovalThresholdAdmin(admin.ModelAdmin):
    list_display = ["organisation", "decision_kind", "exceeds_in_pounds", "approver", "rule"]
    list_filter = ["decision_kind", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["organisation"]
    search_fields = ["organisation__name", "approver", "rule"]
    autocomplete_fields = ["organisation"]
    ordering = ["organisation__name", "decision_kind", "exceeds"]

    @admin.display(description="Over", ordering="exceeds")
    def exceeds_in_pounds(self, obj):
        return money(obj.exceeds)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "council_type",
        "ods_code",
        "gss_code",
        "established_on",
        "dissolved_on",
        "successor",
    ]
    list_filter = ["kind", "council_type"]
    fields = [
        "name",
        "short_name",
        "kind",
        "council_type",
        "ods_code",
        "gss_code",
        "established_on",
        "dissolved_on",
        "successor",
    ]
    list_select_related = ["successor"]
    search_fields = ["name", "short_name", "ods_code", "gss_code"]
    autocomplete_fields = ["successor"]
    ordering = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "agreement", "role", "granted_at", "granted_by"]
    list_filter = ["agreement", "role"]
    list_select_related = ["user", "agreement", "granted_by"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "agreement__short_title",
    ]
    autocomplete_fields = ["user", "agreement", "granted_by"]
    readonly_fields = ["granted_at"]
    date_hierarchy = "granted_at"
    ordering = ["agreement__short_title", "role", "user__username"]

    def get_changeform_initial_data(self, request):
        # A pre-filled, visible default rather than a silent save-time write.
        return {"granted_by": request.user.pk, **super().get_changeform_initial_data(request)}


# Governance


class MeetingInline(admin.TabularInline):
    model = Meeting
    extra = 0
    autocomplete_fields = ["quarter"]


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "agreement", "kind", "active"]
    list_filter = ["agreement", "kind", "active"]
    list_select_related = ["agreement"]
    search_fields = ["name", "agreement__short_title"]
    autocomplete_fields = ["agreement"]
    ordering = ["agreement__short_title", "name"]
    inlines = [MeetingInline]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["held_on", "body", "body__agreement", "quarter"]
    list_filter = ["body__agreement", "body"]
    list_select_related = ["body__agreement", "quarter__financial_year"]
    search_fields = ["body__name", "notes"]
    autocomplete_fields = ["body", "quarter"]
    date_hierarchy = "held_on"
    ordering = ["-held_on"]


# Performance: KPIs, reviews and their action plans


class KPIValueInline(admin.TabularInline):
    model = KPIValue
    extra = 0
    autocomplete_fields = ["quarter"]


@admin.register(KPI)
class KPIAdmin(SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "agreement",
        "unit",
        "direction",
        "target",
        "amber_threshold",
    ]
    list_filter = ["agreement", "unit", "direction"]
    list_select_related = ["agreement"]
    search_fields = ["code", "name", "agreement__short_title"]
    autocomplete_fields = ["agreement"]
    ordering = ["agreement__short_title", "code"]
    inlines = [KPIValueInline]


@admin.register(KPIValue)
class KPIValueAdmin(SimpleHistoryAdmin):
    list_display = ["kpi", "kpi__agreement", "quarter", "value", "rag"]
    list_filter = ["kpi__agreement", "quarter__financial_year", "kpi"]
    list_select_related = ["kpi__agreement", "quarter__financial_year"]
    search_fields = ["kpi__code", "kpi__name"]
    autocomplete_fields = ["kpi", "quarter"]
    ordering = ["kpi__agreement__short_title", "kpi__code", "quarter__financial_year__start_year"]

    @admin.display(description="RAG")
    def rag(self, kpi_value):
        rating = kpi_value.rag
        return rating.value if rating else NO_TARGET


class RecommendationInline(admin.StackedInline):
    model = Recommendation
    extra = 0


@admin.register(Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agreement", "carried_out", "reported_on", "overseen_by"]
    list_filter = ["agreement"]
    list_select_related = ["agreement", "overseen_by"]
    search_fields = ["title", "reference", "agreement__short_title"]
    autocomplete_fields = ["agreement", "overseen_by"]
    date_hierarchy = "reported_on"
    ordering = ["agreement__short_title", "-reported_on"]
    inlines = [RecommendationInline]


class ProgressNoteInline(admin.TabularInline):
    model = ProgressNote
    extra = 0
    autocomplete_fields = ["quarter", "author"]


@admin.register(Recommendation)
class RecommendationAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "review", "status", "owner", "due_date", "completed_on"]
    list_filter = ["review__agreement", "status", "review"]
    list_select_related = ["review"]
    search_fields = ["reference", "text", "owner", "review__title"]
    autocomplete_fields = ["review"]
    date_hierarchy = "due_date"
    ordering = ["review__title", "sort_key"]
    inlines = [ProgressNoteInline]


@admin.register(ProgressNote)
class ProgressNoteAdmin(SimpleHistoryAdmin):
    list_display = ["recommendation", "written_on", "status_after", "quarter", "author"]
    list_filter = ["recommendation__review__agreement", "status_after"]
    list_select_related = ["recommendation", "quarter__financial_year", "author"]
    search_fields = ["note", "recommendation__reference"]
    autocomplete_fields = ["recommendation", "quarter", "author"]
    date_hierarchy = "written_on"
    ordering = ["-written_on", "-pk"]


# Users: administrators grant memberships here and can switch an account off at once.


class MembershipOfUserInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["agreement"]
    readonly_fields = ["granted_at", "granted_by"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PartnershipUserAdmin(UserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "is_active",
        "is_staff",
        "last_login",
    ]
    list_filter = ["is_active", "is_staff", "is_superuser", "memberships__role"]
    inlines = [MembershipOfUserInline]
    actions = ["deactivate"]

    @admin.action(description="Deactivate selected users (signs them out at once)")
    def deactivate(self, request, queryset):
        # An inactive user's session no longer authenticates (ModelBackend refuses it), so
        # the change takes effect on their very next request.
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(request, f"{count} user(s) deactivated and signed out.")

    def save_formset(self, request, form, formset, change):
        for membership in formset.save(commit=False):
            if membership.granted_by_id is None:
                membership.granted_by = request.user
            membership.save()
        for removed in formset.deleted_objects:
            removed.delete()


@admin.register(PendingUpload)
class PendingUploadAdmin(admin.ModelAdmin):
    """Checked files waiting for their uploader: who, what and until when, never what they
    hold (a register file holds personal data). An administrator can delete one."""

    list_display = ["file_name", "kind", "agreement", "user", "created_at", "expires_at"]
    list_filter = ["kind"]
    list_select_related = ["agreement", "user"]
    fields = ["file_name", "kind", "agreement", "quarter", "user", "created_at", "expires_at"]
    readonly_fields = fields
    ordering = ["-created_at"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
