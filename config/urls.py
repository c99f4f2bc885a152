from django.contrib import admin
from django.urls import path
from django.views.generic import RedirectView

admin.site.site_header = "Partnership governance: administration"
admin.site.site_title = "Partnership governance"
admin.site.index_title = "Agreements, budgets, staffing, caseloads and the s117 register"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False)),
]
