from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from reports.models import Paragraph, PublishedVersion, Report


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0


@admin.register(Report)
class ReportAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agreement", "kind", "period", "created_by", "created_at"]
    list_filter = ["agreement", "kind"]
    list_select_related = ["agreement", "created_by"]
    search_fields = ["title", "period", "agreement__short_title"]
    autocomplete_fields = ["agreement", "created_by"]
    readonly_fields = ["created_at"]
    date_hierarchy = "created_at"
    ordering = ["agreement__short_title", "-period", "kind"]
    inlines = [ParagraphInline]

    def get_readonly_fields(self, request, obj=None):
        # What was published for a partnership stays that partnership's; the database
        # refuses the change too (migration 0004), this says so before anyone tries.
        if obj is not None and obj.versions.exists():
            return [*self.readonly_fields, "agreement", "kind", "period"]
        return self.readonly_fields

    def get_changeform_initial_data(self, request):
        # A pre-filled, visible default rather than a silent save-time write.
        return {"created_by": request.user.pk, **super().get_changeform_initial_data(request)}


@admin.register(Paragraph)
class ParagraphAdmin(SimpleHistoryAdmin):
    list_display = ["report", "section", "position"]
    list_filter = ["report__agreement", "report"]
    list_select_related = ["report"]
    search_fields = ["report__title", "section", "text"]
    autocomplete_fields = ["report"]
    ordering = ["report__title", "section", "position"]


@admin.register(PublishedVersion)
class PublishedVersionAdmin(admin.ModelAdmin):
    """A published version is frozen: the admin can look, never add, change or delete."""

    list_display = ["report", "number", "published_at", "published_by", "sha256"]
    list_filter = ["report__agreement", "report__kind"]
    list_select_related = ["report", "published_by"]
    search_fields = ["report__title", "sha256"]
    date_hierarchy = "published_at"
    ordering = ["-published_at"]
    # The rendered HTML and PDF are large; the figures (data) and hash are what to check.
    fields = [
        "report",
        "number",
        "published_at",
        "published_by",
        "change_note",
        "data",
        "sha256",
        "html_sha256",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("html", "pdf")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
