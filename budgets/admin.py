from django.contrib import admin
from django.db.models import Sum
from simple_history.admin import SimpleHistoryAdmin

from budgets.models import (
    AgreedShare,
    BudgetRevision,
    Contribution,
    ContributionOutturn,
    PooledBudget,
    Pot,
    RevisionChange,
    ValueProjection,
    Virement,
)
from core.formatting import money
from partnerships.admin import money_column
from partnerships.models import FinancialYear, Quarter

# Periods


@admin.register(FinancialYear)
class FinancialYearAdmin(admin.ModelAdmin):
    list_display = ["label", "start_year"]
    search_fields = ["start_year"]
    ordering = ["-start_year"]


@admin.register(Quarter)
class QuarterAdmin(admin.ModelAdmin):
    list_display = ["label", "financial_year", "number"]
    list_filter = ["financial_year"]
    list_select_related = ["financial_year"]
    # "2023 2" finds 2023/24-Q2; number__exact compares as text, so "Q2" is harmless.
    search_fields = ["financial_year__start_year", "number__exact"]
    ordering = ["-financial_year__start_year", "number"]

    def get_queryset(self, request):
        # A quarter's name includes its year: autocomplete lists it for every result.
        return super().get_queryset(request).select_related("financial_year")


# Pooled budgets


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["partner"]
    fields = ["pot", "partner", "original", "planned", "risk_share_percent", "agreed_on"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "pot":
            fund_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Pot.objects.filter(pooled_budget_id=fund_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class PotInline(admin.TabularInline):
    model = Pot
    extra = 0
    fields = ["name", "arrangement", "position"]


class AgreedShareInline(admin.TabularInline):
    model = AgreedShare
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(PooledBudget)
class PooledBudgetAdmin(SimpleHistoryAdmin):
    list_display = [
        "agreement",
        "financial_year",
        "name",
        "total_planned",
        "risk_share_rule",
        "scope",
    ]
    list_filter = ["agreement", "financial_year", "risk_share_rule"]
    list_select_related = ["agreement", "financial_year"]
    search_fields = ["agreement__short_title", "name", "scope"]
    autocomplete_fields = ["agreement"]
    ordering = ["agreement__short_title", "-financial_year__start_year", "position"]
    inlines = [PotInline, ContributionInline, AgreedShareInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("agreement", "financial_year")
            .annotate(planned_total=Sum("contributions__planned"))
        )

    @admin.display(description="planned in total", ordering="planned_total")
    def total_planned(self, pooled_budget):
        total = pooled_budget.planned_total
        return None if total is None else money(total)


class ContributionOutturnInline(admin.TabularInline):
    model = ContributionOutturn
    extra = 0
    autocomplete_fields = ["quarter"]


@admin.register(Contribution)
class ContributionAdmin(SimpleHistoryAdmin):
    list_display = [
        "partner",
        "pooled_budget",
        money_column("planned", "planned"),
        "risk_share_percent",
        "agreed_on",
    ]
    list_filter = [
        "pooled_budget__agreement",
        "pooled_budget__financial_year",
        ("partner", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = [
        "partner",
        "pooled_budget__agreement",
        "pooled_budget__financial_year",
    ]
    search_fields = [
        "partner__name",
        "partner__short_name",
        "pooled_budget__agreement__short_title",
    ]
    autocomplete_fields = ["pooled_budget", "partner"]
    date_hierarchy = "agreed_on"
    ordering = [
        "pooled_budget__agreement__short_title",
        "-pooled_budget__financial_year__start_year",
        "partner__name",
    ]
    inlines = [ContributionOutturnInline]

    def get_queryset(self, request):
        # A contribution's name spans partner, agreement and year: autocomplete lists it.
        return (
            super()
            .get_queryset(request)
            .select_related("partner", "pooled_budget__agreement", "pooled_budget__financial_year")
        )


@admin.register(ContributionOutturn)
class ContributionOutturnAdmin(SimpleHistoryAdmin):
    list_display = [
        "contribution",
        "quarter",
        money_column("forecast", "forecast outturn"),
        money_column("actual_to_date", "actual to date"),
    ]
    list_filter = [
        "contribution__pooled_budget__agreement",
        "quarter__financial_year",
        "quarter__number",
    ]
    list_select_related = [
        "contribution__partner",
        "contribution__pooled_budget__agreement",
        "contribution__pooled_budget__financial_year",
        "quarter__financial_year",
    ]
    search_fields = [
        "contribution__partner__name",
        "contribution__partner__short_name",
        "contribution__pooled_budget__agreement__short_title",
    ]
    autocomplete_fields = ["contribution", "quarter"]
    ordering = ["-quarter__financial_year__start_year", "-quarter__number"]


@admin.register(ValueProjection)
class ValueProjectionAdmin(SimpleHistoryAdmin):
    list_display = [
        "agreement",
        money_column("base_value", "base value a year"),
        "base_year_ending",
        "uplift_percent",
        "uplift_basis",
        "decision",
    ]
    list_filter = ["agreement"]
    list_select_related = ["agreement", "decision"]
    search_fields = ["agreement__short_title", "uplift_basis"]
    autocomplete_fields = ["agreement", "decision"]
    date_hierarchy = "base_year_ending"
    ordering = ["agreement__short_title", "base_year_ending"]

    @admin.display(description="yearly uplift", ordering="uplift_rate")
    def uplift_percent(self, projection):
        return f"{projection.uplift_rate * 100:.2f}%"


class RevisionChangeInline(admin.TabularInline):
    model = RevisionChange
    extra = 0
    autocomplete_fields = ["contribution"]


class VirementInline(admin.TabularInline):
    model = Virement
    extra = 0
    autocomplete_fields = ["partner"]


@admin.register(BudgetRevision)
class BudgetRevisionAdmin(SimpleHistoryAdmin):
    """Revisions are read here; they are made on the fund's revision page, which applies
    them to the contributions' revised figures in the same transaction."""

    list_display = ["pooled_budget", "made_on", "reason", "decision"]
    list_filter = ["pooled_budget__agreement", "pooled_budget__financial_year"]
    list_select_related = [
        "pooled_budget__agreement",
        "pooled_budget__financial_year",
        "decision",
    ]
    search_fields = ["pooled_budget__agreement__short_title", "pooled_budget__name", "reason"]
    date_hierarchy = "made_on"
    ordering = ["-made_on"]
    inlines = [RevisionChangeInline, VirementInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Pot)
class PotAdmin(SimpleHistoryAdmin):
    list_display = ["pooled_budget", "name", "arrangement", "position"]
    list_filter = ["arrangement", "pooled_budget__financial_year"]
    list_select_related = ["pooled_budget__agreement", "pooled_budget__financial_year"]
    search_fields = ["name", "pooled_budget__name", "pooled_budget__agreement__short_title"]
    autocomplete_fields = ["pooled_budget"]


@admin.register(AgreedShare)
class AgreedShareAdmin(SimpleHistoryAdmin):
    list_display = ["pooled_budget", "partner", "percent"]
    list_select_related = [
        "partner",
        "pooled_budget__agreement",
        "pooled_budget__financial_year",
    ]
    search_fields = ["partner__short_name", "pooled_budget__agreement__short_title"]
    autocomplete_fields = ["pooled_budget", "partner"]


@admin.register(RevisionChange)
class RevisionChangeAdmin(SimpleHistoryAdmin):
    list_display = ["revision", "contribution", money_column("amount", "change")]
    list_select_related = ["revision__pooled_budget", "contribution__partner"]
    autocomplete_fields = ["contribution"]


@admin.register(Virement)
class VirementAdmin(SimpleHistoryAdmin):
    list_display = ["revision", "partner", "from_pot", "to_pot", money_column("amount", "amount")]
    list_select_related = ["revision__pooled_budget", "partner", "from_pot", "to_pot"]
    autocomplete_fields = ["partner"]
