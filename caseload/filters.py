import django_filters

from caseload.models import StaffPost, Team
from partnerships.widgets import GovukSelect


class PostFilter(django_filters.FilterSet):
    """Narrow the list of posts by team, role and employment basis."""

    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.none(), empty_label="All teams", label="Team", widget=GovukSelect
    )
    role = django_filters.ChoiceFilter(
        choices=StaffPost.StaffRole.choices, empty_label="All roles", widget=GovukSelect
    )
    basis = django_filters.ChoiceFilter(
        choices=StaffPost.Basis.choices,
        empty_label="Any basis",
        label="Employment basis",
        widget=GovukSelect,
    )

    class Meta:
        model = StaffPost
        fields = ["team", "role", "basis"]

    def __init__(self, *args, agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["team"].queryset = Team.objects.filter(agreement=agreement).order_by("name")
