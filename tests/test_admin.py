"""The Django admin: every model can be listed and entered, cheaply, and safely.

The tests build their own rows, so they pass with or without the demo data loaded.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalChanges

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
from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    PeriodActivity,
    SourceSystem,
    StaffPost,
    Team,
)
from dashboards.models import FlagExplanation, QualitySettings
from partnerships.admin import pounds
from partnerships.models import (
    KPI,
    Agreement,
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    ExtensionOption,
    FinancialYear,
    GovernanceBody,
    KPIValue,
    Meeting,
    Membership,
    Organisation,
    PendingUpload,
    ProgressNote,
    Proposal,
    Quarter,
    Recommendation,
    Review,
    Role,
)
from reports.models import Paragraph, PublishedVersion, Report
from returns.models import QuarterlyReturn, ReturnSchedule, SectionState
from s117.actions import record_access, record_export
from s117.models import (
    AccessLog,
    AftercarePackage,
    ExportLog,
    FundingDecision,
    RegisterCount,
    RegisterEntry,
    Responsibility,
)
from s117.models import Review as S117Review

APP_LABELS = ("partnerships", "returns", "budgets", "caseload", "s117", "reports", "dashboards")
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in APP_LABELS),
    key=lambda model: model._meta.label,
)
VALID_NHS_NUMBER = "9434765919"  # passes the modulus 11 check


def _label(model) -> str:
    return model._meta.label


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(
        username="admin.tests", email="admin.tests@example.org", password="not-used-here"
    )


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def quarter(db):
    # get_or_create: the demo data may already hold this year.
    year, _ = FinancialYear.objects.get_or_create(start_year=2031)
    quarter, _ = Quarter.objects.get_or_create(financial_year=year, number=2)
    return quarter


@pytest.fixture
def agreement(db):
    return Agreement.objects.create(
        slug="admin-tests",
        title="Admin tests mental health partnership agreement",
        short_title="Admin tests s75",
        legal_basis=Agreement.LegalBasis.S75,
        pooled_fund=True,
        start_date=datetime.date(2031, 4, 1),
        end_date=datetime.date(2036, 3, 31),
    )


@pytest.fixture
def council(db):
    return Organisation.objects.create(
        name="Admin Tests County Council", short_name="ATCC", kind=Organisation.Kind.COUNCIL
    )


@pytest.fixture
def trust(db):
    return Organisation.objects.create(
        name="Admin Tests Health NHS FT", short_name="ATHFT", kind=Organisation.Kind.NHS_TRUST
    )


@pytest.fixture
def team(agreement, trust):
    return Team.objects.create(
        agreement=agreement, name="Admin Tests AMHT", kind=Team.Kind.AMHT, operated_by=trust
    )


@pytest.fixture
def source_system(trust):
    return SourceSystem.objects.create(
        code="admin-tests", name="Admin Tests EPR", operated_by=trust
    )


@pytest.fixture
def register_entry(agreement, council, team):
    icb = Organisation.objects.create(
        name="Admin Tests ICB", short_name="ATICB", kind=Organisation.Kind.ICB
    )
    return RegisterEntry.objects.create(
        agreement=agreement,
        person_reference="AT-0001",
        nhs_number=VALID_NHS_NUMBER,
        full_name="Alexandra Testperson",
        date_of_birth=datetime.date(1980, 1, 2),
        qualifying_section="3",
        detained_on=datetime.date(2031, 5, 1),
        discharged_on=datetime.date(2031, 8, 1),
        responsible_council=council,
        responsible_icb=icb,
        team=team,
    )


@pytest.fixture
def published_version(agreement, superuser):
    report = Report.objects.create(
        agreement=agreement,
        kind=Report.Kind.JMG,
        period="2031/32-Q2",
        title="Admin tests JMG paper 2031/32 Q2",
        created_by=superuser,
    )
    return PublishedVersion.objects.create(
        report=report,
        number=1,
        published_at=timezone.now(),
        published_by=superuser,
        data={"planned": "1618413.00"},
        html="<p>FROZEN-HTML-BLOB</p>",
        pdf=b"%PDF-1.7",
        sha256="0" * 64,
    )


@pytest.fixture
def one_of_each(
    superuser,
    quarter,
    agreement,
    council,
    trust,
    team,
    source_system,
    register_entry,
    published_version,
):
    """One row of every registered model, keyed by model."""
    AgreementPartner.objects.create(
        agreement=agreement, organisation=trust, role="lead_provider", is_host=True
    )
    decision = Decision.objects.create(
        agreement=agreement,
        kind=Decision.Kind.APPROVAL,
        decided_on=datetime.date(2031, 2, 1),
        body="Cabinet",
        reference="AT0001",
        summary="Approval to enter the agreement.",
        value=Decimal("1618413.00"),
    )
    body = GovernanceBody.objects.create(
        agreement=agreement, name="Admin Tests JMG", kind=GovernanceBody.Kind.JMG
    )
    kpi = KPI.objects.create(
        agreement=agreement,
        code="KPI 1",
        name="Reviews on time",
        definition="Reviews done by their due date over reviews due.",
        unit=KPI.Unit.PERCENT,
        direction="higher",
        target=Decimal(80),
        amber_threshold=Decimal(70),
    )
    review = Review.objects.create(
        agreement=agreement, title="Admin tests review", carried_out="2031", overseen_by=body
    )
    recommendation = Recommendation.objects.create(
        review=review,
        reference="3.8.10",
        text="Agree a workforce plan.",
        owner="Head of social care",
        sort_key=Recommendation.sort_key_for("3.8.10"),
    )
    pooled_budget = PooledBudget.objects.create(
        agreement=agreement, financial_year=quarter.financial_year
    )
    contribution = Contribution.objects.create(
        pooled_budget=pooled_budget, partner=council, planned=Decimal("1618413.00")
    )
    second_pot = Pot.objects.create(pooled_budget=pooled_budget, name="Transformation", position=2)
    revision = BudgetRevision.objects.create(
        pooled_budget=pooled_budget, made_on=datetime.date(2031, 10, 1), reason="Virement"
    )
    report = published_version.report
    rows = [
        agreement,
        council,
        decision,
        body,
        kpi,
        review,
        recommendation,
        pooled_budget,
        contribution,
        team,
        source_system,
        register_entry,
        record_access(by=superuser, entry=register_entry, action="view"),
        record_export(
            by=superuser,
            agreement=agreement,
            what="breakdowns",
            file_format="csv",
            query="export=csv",
            rows=3,
        ),
        (the_return := QuarterlyReturn.objects.create(agreement=agreement, quarter=quarter)),
        SectionState.objects.create(
            quarterly_return=the_return, section="kpi", state="nothing", marked_at=timezone.now()
        ),
        ReturnSchedule.objects.create(agreement=agreement),
        QualitySettings.objects.create(agreement=agreement),
        FlagExplanation.objects.create(
            agreement=agreement,
            quarter=quarter,
            check_code="reviews_overdue",
            key="register",
            text="Reviews booked for next week.",
            explained_at=timezone.now(),
        ),
        report,
        published_version,
        quarter,
        quarter.financial_year,
        AgreementTerm.objects.create(
            agreement=agreement,
            kind=AgreementTerm.Kind.INITIAL,
            start_date=agreement.start_date,
            end_date=agreement.end_date,
            authorised_by=decision,
        ),
        ExtensionOption.objects.create(
            agreement=agreement,
            extension=AgreementTerm.objects.create(
                agreement=agreement,
                kind=AgreementTerm.Kind.EXTENSION,
                start_date=agreement.end_date + datetime.timedelta(days=1),
                end_date=agreement.end_date + datetime.timedelta(days=365),
                authorised_by=decision,
            ),
            start_date=agreement.end_date + datetime.timedelta(days=366),
            end_date=agreement.end_date + datetime.timedelta(days=730),
            exercise_by=agreement.end_date + datetime.timedelta(days=300),
        ),
        Proposal.objects.create(
            agreement=agreement,
            kind=Proposal.Kind.EXTENSION,
            proposed_end_date=agreement.end_date + datetime.timedelta(days=365),
            value=Decimal("1917339.00"),
            summary="Extend by a year.",
        ),
        Meeting.objects.create(body=body, held_on=datetime.date(2031, 11, 5), quarter=quarter),
        Membership.objects.create(
            user=superuser, agreement=agreement, role=Role.JMG_MEMBER, granted_by=superuser
        ),
        # The register's pages in the admin are for the partnership's s117 officers alone
        # (tests/s117/test_access_log.py).
        Membership.objects.create(user=superuser, agreement=agreement, role=Role.S117_OFFICER),
        PendingUpload.objects.create(
            token="admin-tests",
            user=superuser,
            agreement=agreement,
            kind=PendingUpload.Kind.RETURN,
            quarter=quarter,
            file_name="return.csv",
            content=b"partnership,period,section,item,measure,value\n",
            checked="",
            created_at=timezone.now(),
            expires_at=timezone.now() + datetime.timedelta(minutes=30),
        ),
        KPIValue.objects.create(kpi=kpi, quarter=quarter, value=Decimal(75)),
        ProgressNote.objects.create(
            recommendation=recommendation,
            written_on=datetime.date(2031, 11, 1),
            note="Draft plan written.",
            status_after=Recommendation.Status.IN_PROGRESS,
            quarter=quarter,
            author=superuser,
        ),
        ContributionOutturn.objects.create(
            contribution=contribution,
            quarter=quarter,
            forecast=Decimal("1650000.00"),
            actual_to_date=Decimal("800000.00"),
        ),
        second_pot,
        AgreedShare.objects.create(
            pooled_budget=pooled_budget, partner=council, percent=Decimal("100.00")
        ),
        revision,
        RevisionChange.objects.create(
            revision=revision, contribution=contribution, amount=Decimal("-0.01")
        ),
        Virement.objects.create(
            revision=revision,
            partner=council,
            from_pot=contribution.pot,
            to_pot=second_pot,
            amount=Decimal("100.00"),
        ),
        ValueProjection.objects.create(
            agreement=agreement,
            base_value=Decimal("1618413.00"),
            base_year_ending=datetime.date(2032, 3, 31),
            uplift_rate=Decimal("0.0250"),
            decision=decision,
        ),
        StaffPost.objects.create(
            team=team,
            reference="AT-SW-01",
            role=StaffPost.StaffRole.SOCIAL_WORKER,
            wte=Decimal("1.00"),
            funder=council,
            employer=council,
            basis=StaffPost.Basis.SECONDED,
            origin=StaffPost.Origin.SECONDED,
            valid_from=agreement.start_date,
        ),
        CaseloadSnapshot.objects.create(
            team=team, source_system=source_system, as_at=datetime.date(2031, 9, 30), open_cases=412
        ),
        CareActActivity.objects.create(team=team, quarter=quarter, referrals=40, assessments=30),
        PeriodActivity.objects.create(
            team=team, financial_year=quarter.financial_year, period=0, assessments=212
        ),
        package := AftercarePackage.objects.create(
            entry=register_entry,
            description="Supported accommodation",
            weekly_cost=Decimal("1250.00"),
            start_date=datetime.date(2031, 8, 1),
        ),
        FundingDecision.objects.create(
            package=package,
            decided_on=datetime.date(2031, 7, 20),
            applies_from=datetime.date(2031, 8, 1),
            council_share_percent=Decimal("50.00"),
            agreed_by="Joint funding panel",
        ),
        RegisterCount.objects.create(team=team, as_at=datetime.date(2031, 9, 30), people=57),
        CaseloadOverlap.objects.create(
            team=team, as_at=datetime.date(2031, 9, 30), cases_in_more_than_one_system=12
        ),
        ApprovalThreshold.objects.create(
            organisation=council,
            decision_kind="extension",
            exceeds=Decimal("1000000.00"),
            approver="Executive",
        ),
        Responsibility.objects.create(
            entry=register_entry,
            starts_on=datetime.date(2031, 6, 1),
            responsible_council=council,
            responsible_icb=register_entry.responsible_icb,
            reason="Moved before detention: ordinary residence.",
        ),
        S117Review.objects.create(
            entry=register_entry,
            reviewed_on=datetime.date(2031, 9, 1),
            outcome="continue",
            next_review_due=datetime.date(2032, 9, 1),
        ),
        AgreementPartner.objects.get(agreement=agreement, organisation=trust),
        Paragraph.objects.create(report=report, section="finance", position=1, text="On plan."),
    ]
    return {type(row): row for row in rows}


# Coverage: every model is in the admin, and its pages render.


def test_admin_registers_every_model_of_the_five_apps():
    concrete = {
        model
        for label in APP_LABELS
        for model in apps.get_app_config(label).get_models()
        if not issubclass(model, HistoricalChanges)
    }

    assert set(REGISTERED) == concrete


def test_one_of_each_covers_every_registered_model(one_of_each):
    assert set(one_of_each) == set(REGISTERED)


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_model_admin_with_history_shows_history(model):
    model_admin = admin.site._registry[model]

    assert isinstance(model_admin, SimpleHistoryAdmin) == hasattr(model, "history")


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_changelist_lists_a_row_for_superuser(admin_client, one_of_each, model):
    row = one_of_each[model]

    # Filtering to the row keeps it on the first page whatever demo data is loaded.
    response = admin_client.get(_url(model, "changelist"), {"id__exact": row.pk})

    assert response.status_code == 200
    assert _url(model, "change", row.pk) in response.text


@pytest.mark.parametrize(
    "model",
    [
        model
        for model in REGISTERED
        if model
        not in (
            PublishedVersion,
            AccessLog,
            ExportLog,
            QuarterlyReturn,
            PendingUpload,
            SectionState,
            FlagExplanation,
            BudgetRevision,  # made on the fund's revision page, read here
            Responsibility,  # changed on the person's page, read here
        )
    ],
    ids=_label,
)
def test_add_page_renders_for_superuser(admin_client, model):
    response = admin_client.get(_url(model, "add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=_label)
def test_change_page_renders_for_superuser(admin_client, one_of_each, model):
    response = admin_client.get(_url(model, "change", one_of_each[model].pk))

    assert response.status_code == 200


# A register entry's history holds personal data: only the partnership's s117 officers may
# open it (tests/s117/test_access_log.py).
@pytest.mark.parametrize(
    "model",
    [m for m in REGISTERED if hasattr(m, "history") and m is not RegisterEntry],
    ids=_label,
)
def test_history_page_renders_for_superuser(admin_client, one_of_each, model):
    response = admin_client.get(_url(model, "history", one_of_each[model].pk))

    assert response.status_code == 200


def _autocomplete_fields():
    """(source model, field) for every autocomplete field of the admins and their inlines."""
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APP_LABELS:
            continue
        for field in model_admin.autocomplete_fields:
            yield model, field
        for inline in model_admin.inlines:
            for field in inline.autocomplete_fields:
                yield inline.model, field


@pytest.mark.parametrize(
    ("model", "field"),
    sorted(set(_autocomplete_fields()), key=lambda pair: (_label(pair[0]), pair[1])),
    ids=lambda value: value if isinstance(value, str) else _label(value),
)
def test_autocomplete_answers_for_superuser(admin_client, model, field):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
        },
    )

    assert response.status_code == 200


def test_quarter_autocomplete_finds_quarter_by_year(admin_client, quarter):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "partnerships",
            "model_name": "meeting",
            "field_name": "quarter",
            "term": "2031 2",
        },
    )

    assert {"id": str(quarter.pk), "text": "2031/32-Q2"} in response.json()["results"]


# Figures: money in pounds, and each change kept with its before and after.


def test_pounds_formats_with_thousands_and_pence():
    assert pounds(Decimal("1618413")) == "£1,618,413.00"


def test_contribution_changelist_shows_planned_in_pounds(admin_client, one_of_each):
    response = admin_client.get(_url(Contribution, "changelist"), {"q": "Admin Tests County"})

    assert "£1,618,413.00" in response.text


def test_pooled_budget_changelist_shows_planned_total_in_pounds(admin_client, one_of_each):
    response = admin_client.get(_url(PooledBudget, "changelist"), {"q": "Admin tests s75"})

    assert "£1,618,413.00" in response.text


def test_contribution_history_shows_value_before_and_after(admin_client, one_of_each):
    contribution = one_of_each[Contribution]
    contribution.planned = Decimal("1700000.00")
    contribution.save()

    response = admin_client.get(_url(Contribution, "history", contribution.pk))

    assert "1618413.00" in response.text
    assert "1700000.00" in response.text


# Query counts: a changelist costs the same however many rows it shows.


def _add_staff_posts(team, funder, count):
    StaffPost.objects.bulk_create(
        StaffPost(
            team=team,
            reference=f"AT-EXTRA-{number:02}",
            role=StaffPost.StaffRole.SOCIAL_WORKER,
            wte=Decimal("0.50"),
            funder=funder,
            employer=funder,
            basis=StaffPost.Basis.DIRECT,
            origin=StaffPost.Origin.CREATED,
            valid_from=datetime.date(2031, 4, 1),
        )
        for number in range(count)
    )


def _add_caseload_snapshots(team, source_system, count):
    CaseloadSnapshot.objects.bulk_create(
        CaseloadSnapshot(
            team=team,
            source_system=source_system,
            as_at=datetime.date(2031, 4, 1) + datetime.timedelta(days=7 * number),
            open_cases=400 + number,
        )
        for number in range(count)
    )


def test_staff_post_changelist_queries_do_not_grow_with_rows(
    admin_client, team, council, django_assert_max_num_queries
):
    _add_staff_posts(team, council, 20)

    # Session, user; the agreement, employer, funder and team filters' choices; rows
    # matching, rows in all; the page of posts with their team, agreement, employer and
    # funder joined in; the date hierarchy's first and last dates, then its years.
    with django_assert_max_num_queries(11):
        response = admin_client.get(_url(StaffPost, "changelist"), {"team__id__exact": team.pk})

    assert response.status_code == 200
    assert response.context["cl"].result_count == 20


def test_caseload_snapshot_changelist_queries_do_not_grow_with_rows(
    admin_client, team, source_system, django_assert_max_num_queries
):
    _add_caseload_snapshots(team, source_system, 20)

    # Session, user; the agreement, source system and team filters' choices; rows matching,
    # rows in all; the page of snapshots with their team, agreement and source system joined
    # in; the date hierarchy's first and last dates, then its years.
    with django_assert_max_num_queries(10):
        response = admin_client.get(
            _url(CaseloadSnapshot, "changelist"), {"team__id__exact": team.pk}
        )

    assert response.status_code == 200
    assert response.context["cl"].result_count == 20


# Recommendations: the admin derives sort_key from the reference.


def test_recommendation_added_in_admin_gets_sort_key(admin_client, one_of_each):
    review = one_of_each[Review]

    response = admin_client.post(
        _url(Recommendation, "add"),
        {
            "review": review.pk,
            "reference": "3.8.9",
            "text": "Publish the workforce plan.",
            "owner": "Head of social care",
            "status": Recommendation.Status.NOT_STARTED,
            "progress_notes-TOTAL_FORMS": 0,
            "progress_notes-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302
    added = Recommendation.objects.get(review=review, reference="3.8.9")
    assert added.sort_key == "0003.0008.0009"


def test_recommendation_added_through_review_gets_sort_key(admin_client, agreement):
    review = Review.objects.create(agreement=agreement, title="Inline review", carried_out="2031")

    response = admin_client.post(
        _url(Review, "change", review.pk),
        {
            "agreement": agreement.pk,
            "title": review.title,
            "carried_out": review.carried_out,
            "recommendations-TOTAL_FORMS": 1,
            "recommendations-INITIAL_FORMS": 0,
            "recommendations-0-reference": "3.8.10",
            "recommendations-0-text": "Agree a workforce plan.",
            "recommendations-0-owner": "Head of social care",
            "recommendations-0-status": Recommendation.Status.NOT_STARTED,
        },
    )

    assert response.status_code == 302
    assert review.recommendations.get().sort_key == "0003.0008.0010"


# Published versions are frozen.


def test_published_version_add_page_is_forbidden(admin_client):
    response = admin_client.get(_url(PublishedVersion, "add"))

    assert response.status_code == 403


def test_published_version_changelist_has_no_add_link(admin_client, published_version):
    response = admin_client.get(_url(PublishedVersion, "changelist"))

    assert response.status_code == 200
    assert _url(PublishedVersion, "add") not in response.text


def test_published_version_changelist_omits_html(admin_client, published_version):
    response = admin_client.get(_url(PublishedVersion, "changelist"))

    assert "FROZEN-HTML-BLOB" not in response.text


def test_published_version_change_is_forbidden(admin_client, published_version):
    response = admin_client.post(
        _url(PublishedVersion, "change", published_version.pk),
        {"change_note": "Rewritten", "sha256": "f" * 64},
    )

    assert response.status_code == 403
    published_version.refresh_from_db()
    assert published_version.sha256 == "0" * 64


def test_published_version_delete_is_forbidden(admin_client, published_version):
    response = admin_client.post(_url(PublishedVersion, "delete", published_version.pk))

    assert response.status_code == 403
    assert PublishedVersion.objects.filter(pk=published_version.pk).exists()


# The s117 register holds personal data: lists and search show the reference only, and
# only to the partnership's s117 officers (tests/s117/test_access_log.py).


@pytest.fixture
def register_officer(superuser, register_entry):
    Membership.objects.create(
        user=superuser, agreement=register_entry.agreement, role=Role.S117_OFFICER
    )


def test_register_entry_changelist_omits_personal_data(
    admin_client, register_entry, register_officer
):
    response = admin_client.get(_url(RegisterEntry, "changelist"))

    assert register_entry.person_reference in response.text
    assert VALID_NHS_NUMBER not in response.text
    assert register_entry.full_name not in response.text


def test_register_entry_search_by_nhs_number_finds_nothing(
    admin_client, register_entry, register_officer
):
    response = admin_client.get(_url(RegisterEntry, "changelist"), {"q": VALID_NHS_NUMBER})

    assert _url(RegisterEntry, "change", register_entry.pk) not in response.text


def test_register_entry_search_by_person_reference_finds_entry(
    admin_client, register_entry, register_officer
):
    response = admin_client.get(_url(RegisterEntry, "changelist"), {"q": "AT-0001"})

    assert _url(RegisterEntry, "change", register_entry.pk) in response.text


def test_register_entry_responsible_bodies_are_read_only_with_the_way_to_change_them(
    admin_client, register_entry, register_officer
):
    page = admin_client.get(_url(RegisterEntry, "change", register_entry.pk)).text
    added = admin_client.get(_url(RegisterEntry, "add")).text

    change = reverse("s117_change_responsibility", args=[register_entry.agreement.slug, "AT-0001"])
    assert f'<a href="{change}">change who is responsible</a>' in page
    assert 'name="responsible_council"' not in page
    assert 'name="responsible_icb"' not in page
    assert "Admin Tests County Council" in page
    # A new entry is given its bodies, taken as responsible since detention.
    assert 'name="responsible_council"' in added


def test_register_entry_saved_in_admin_keeps_its_bodies_and_writes_no_period(
    admin_client, register_entry, register_officer
):
    url = _url(RegisterEntry, "change", register_entry.pk)
    seen = re.search(r'name="seen_version" value="([^"]*)"', admin_client.get(url).text)
    elsewhere = Organisation.objects.create(
        name="Elsewhere Council", short_name="ELSE", kind=Organisation.Kind.COUNCIL
    )
    posted = {
        "person_reference": register_entry.person_reference,
        "seen_version": seen.group(1),
        "nhs_number": register_entry.nhs_number,
        "full_name": register_entry.full_name,
        "date_of_birth": register_entry.date_of_birth,
        "qualifying_section": register_entry.qualifying_section,
        "detained_on": register_entry.detained_on,
        "discharged_on": register_entry.discharged_on,
        "responsible_council": elsewhere.pk,  # not on the form: ignored
        "responsible_icb": register_entry.responsible_icb_id,
        "team": register_entry.team_id,
        "council_share_percent": "55",
        "reviews-TOTAL_FORMS": 0,
        "reviews-INITIAL_FORMS": 0,
        "packages-TOTAL_FORMS": 0,
        "packages-INITIAL_FORMS": 0,
    }

    assert admin_client.post(url, posted).status_code == 302
    register_entry.refresh_from_db()
    assert str(register_entry.council_share_percent) == "55.00"
    assert register_entry.responsible_council.short_name == "ATCC"
    assert not Responsibility.objects.filter(entry=register_entry).exists()


# Bodies of their time.


def test_organisation_admin_records_a_ccg_dissolved_and_succeeded(admin_client, db):
    icb = Organisation.objects.create(
        name="Admin Tests ICB", short_name="ATICB", kind=Organisation.Kind.ICB
    )
    ccg = Organisation.objects.create(
        name="Admin Tests CCG", short_name="ATCCG", kind=Organisation.Kind.CCG
    )

    response = admin_client.post(
        _url(Organisation, "change", ccg.pk),
        {
            "name": ccg.name,
            "short_name": ccg.short_name,
            "kind": "ccg",
            "council_type": "",
            "ods_code": "",
            "gss_code": "",
            "established_on": "2013-04-01",
            "dissolved_on": "2022-06-30",
            "successor": icb.pk,
        },
    )

    assert response.status_code == 302
    ccg.refresh_from_db()
    assert (ccg.dissolved_on, ccg.successor, ccg.history.latest().history_type) == (
        datetime.date(2022, 6, 30),
        icb,
        "~",
    )


def test_organisation_admin_refuses_a_successor_without_a_dissolved_date(admin_client, db):
    icb = Organisation.objects.create(
        name="Admin Tests ICB", short_name="ATICB", kind=Organisation.Kind.ICB
    )
    ccg = Organisation.objects.create(
        name="Admin Tests CCG", short_name="ATCCG", kind=Organisation.Kind.CCG
    )

    response = admin_client.post(
        _url(Organisation, "change", ccg.pk),
        {"name": ccg.name, "short_name": ccg.short_name, "kind": "ccg", "successor": icb.pk},
    )

    assert response.status_code == 200
    assert "its successor takes over the day after" in response.content.decode()
    ccg.refresh_from_db()
    assert ccg.successor is None


def test_agreement_partner_admin_edits_the_dates_of_a_partnership(admin_client, agreement, trust):
    partner = AgreementPartner.objects.create(
        agreement=agreement, organisation=trust, role="lead_provider", is_host=True
    )

    response = admin_client.post(
        _url(AgreementPartner, "change", partner.pk),
        {
            "agreement": agreement.pk,
            "organisation": trust.pk,
            "role": "lead_provider",
            "is_host": "on",
            "from_date": "",
            "to_date": "2022-06-30",
        },
    )

    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.to_date == datetime.date(2022, 6, 30)
