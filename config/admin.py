from django.contrib import admin


class SiteAdministratorsOnly(admin.AdminSite):
    """The administration pages are for site administrators (superusers) alone: staff
    status without it opens nothing here (docs/access.md)."""

    site_header = "Partnership governance: administration"
    site_title = "Partnership governance"
    index_title = "Agreements, budgets, staffing, caseloads and the s117 register"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser
