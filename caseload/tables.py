import django_tables2 as tables

from core.formatting import NOT_REPORTED
from partnerships.tables import GovukTable, NumberColumn


class TeamRoleTable(GovukTable):
    team = tables.Column(accessor="team__name", verbose_name="Team")
    role = tables.Column(accessor="role_label")
    posts = NumberColumn()
    wte = NumberColumn(accessor="total_wte", verbose_name="WTE", decimal_places=2)
    vacant_posts = NumberColumn(verbose_name="Vacant posts")
    vacant_wte = NumberColumn(verbose_name="Vacant WTE", decimal_places=2)

    class Meta(GovukTable.Meta):
        pass


class EmploymentTable(GovukTable):
    funder = tables.Column(accessor="funder__short_name", verbose_name="Funded by")
    basis = tables.Column(accessor="basis_label", verbose_name="Basis")
    employer = tables.Column(
        accessor="employer__short_name", verbose_name="Employed by", default="Vacant"
    )
    posts = NumberColumn()
    wte = NumberColumn(accessor="total_wte", verbose_name="WTE", decimal_places=2)

    class Meta(GovukTable.Meta):
        pass


class PostTable(GovukTable):
    reference = tables.Column(verbose_name="Post")
    team = tables.Column(accessor="team__name", verbose_name="Team")
    role = tables.Column(accessor="get_role_display", order_by="role")
    wte = NumberColumn(verbose_name="WTE", decimal_places=2)
    basis = tables.Column(accessor="get_basis_display", order_by="basis")
    employer = tables.Column(
        accessor="employer__short_name", verbose_name="Employed by", default="Vacant"
    )
    funder = tables.Column(accessor="funder__short_name", verbose_name="Funded by")
    case_holding = tables.BooleanColumn(yesno="Yes,No")

    class Meta(GovukTable.Meta):
        pass


class CaseloadTable(GovukTable):
    team = tables.Column()
    # A team's cases not reported at the date are "Not reported" (an empty cell in a
    # download), never 0.
    in_two = NumberColumn(verbose_name="Recorded in two systems", default=NOT_REPORTED)
    combined = NumberColumn(verbose_name="Open cases, counted once", default=NOT_REPORTED)
    case_holding_wte = NumberColumn(verbose_name="Case-holding WTE", decimal_places=1)
    per_wte = NumberColumn(
        verbose_name="Cases per case-holding WTE", decimal_places=1, default=NOT_REPORTED
    )

    class Meta(GovukTable.Meta):
        pass


class ActivityTable(GovukTable):
    team = tables.Column(accessor="team__name", verbose_name="Team")
    referrals = NumberColumn(default=NOT_REPORTED)
    assessments = NumberColumn(verbose_name="Care Act assessments", default=NOT_REPORTED)
    reviews = NumberColumn(default=NOT_REPORTED)
    carers_assessments = NumberColumn(verbose_name="Carers' assessments", default=NOT_REPORTED)
    safeguarding_enquiries = NumberColumn(
        verbose_name="Safeguarding enquiries", default=NOT_REPORTED
    )

    class Meta(GovukTable.Meta):
        pass
