"""generate_national: an England-shaped synthetic data set beside the demo, the same for the
same seed, valid row by row, and one the dashboards work on. Run at scale 0.01 (three
agreements) so that each generation takes a second or two."""

import datetime
import hashlib
import itertools
import random
from decimal import Decimal
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from budgets.models import (
    BudgetRevision,
    Contribution,
    ContributionOutturn,
    PooledBudget,
    Pot,
    RevisionChange,
    Virement,
)
from budgets.selectors import term_cost
from caseload.models import (
    CareActActivity,
    CaseloadOverlap,
    CaseloadSnapshot,
    SourceSystem,
    StaffPost,
    Team,
)
from core.periods import quarter_dates
from partnerships.models import (
    KPI,
    Agreement,
    AgreementPartner,
    AgreementTerm,
    Decision,
    FinancialYear,
    KPIValue,
    Membership,
    Organisation,
    Recommendation,
)
from partnerships.selectors import partner_of_year
from reports.models import PublishedVersion
from returns.models import QuarterlyReturn
from s117 import nhs_number
from s117.actions import record_access, record_export
from s117.models import (
    AccessLog,
    AftercarePackage,
    ExportLog,
    FundingDecision,
    RegisterCount,
    RegisterEntry,
    SupportReason,
)
from s117.models import Review as S117Review
from seed import national
from seed.national.removal import delete_national
from seed.national.vocabulary import PLACEMENTS

pytestmark = pytest.mark.django_db


def generate(*args: str, scale: str = "0.01") -> str:
    out = StringIO()
    call_command("generate_national", "--scale", scale, *args, stdout=out)
    return out.getvalue()


def national_rows(model):
    """The model's national rows, found as --replace finds them."""
    lookup = dict(national.deletion_plan())[model]
    return model.objects.filter(**lookup)


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


# Natural keys and values (never ids, which differ from run to run) of the main tables.
DIGESTED = {
    Organisation: ("name", "short_name", "kind", "ods_code", "gss_code"),
    Agreement: ("slug", "title", "legal_basis", "start_date", "end_date", "integrated_provision"),
    AgreementPartner: ("agreement__slug", "organisation__name", "role", "is_host"),
    Decision: ("agreement__slug", "decided_on", "kind", "body", "reference", "value"),
    AgreementTerm: ("agreement__slug", "start_date", "end_date", "authorised_by__reference"),
    Contribution: (
        "pooled_budget__agreement__slug",
        "pooled_budget__financial_year__start_year",
        "pot__name",
        "partner__name",
        "original",
        "planned",
        "risk_share_percent",
    ),
    ContributionOutturn: (
        "contribution__pooled_budget__agreement__slug",
        "contribution__pooled_budget__financial_year__start_year",
        "contribution__partner__name",
        "quarter__number",
        "forecast",
        "actual_to_date",
    ),
    Team: ("agreement__slug", "name", "kind", "operated_by__name", "left_agreement_on"),
    StaffPost: (
        "team__name",
        "reference",
        "role",
        "wte",
        "basis",
        "origin",
        "funder__name",
        "employer__name",
        "valid_from",
        "valid_to",
    ),
    CaseloadSnapshot: ("team__name", "source_system__code", "as_at", "open_cases"),
    CaseloadOverlap: ("team__name", "as_at", "cases_in_more_than_one_system"),
    CareActActivity: (
        "team__name",
        "quarter__financial_year__start_year",
        "quarter__number",
        *CareActActivity.COUNTS,
    ),
    KPIValue: (
        "kpi__agreement__slug",
        "kpi__code",
        "quarter__financial_year__start_year",
        "quarter__number",
        "value",
    ),
    Recommendation: ("review__agreement__slug", "reference", "text", "status", "completed_on"),
    QuarterlyReturn: (
        "agreement__slug",
        "quarter__financial_year__start_year",
        "quarter__number",
        "status",
        "submitted_at",
        "signed_off_at",
    ),
    RegisterEntry: (
        "agreement__slug",
        "person_reference",
        "nhs_number",
        "full_name",
        "date_of_birth",
        "qualifying_section",
        "detained_on",
        "discharged_on",
        "team__name",
        "council_share_percent",
        "review_due",
        "cto_in_force",
        "primary_support_reason",
        "ended_on",
    ),
    AftercarePackage: (
        "entry__agreement__slug",
        "entry__person_reference",
        "reference",
        "placement",
        "provider",
        "weekly_cost",
        "annual_cost",
        "start_date",
        "end_date",
        "review_due",
    ),
    FundingDecision: (
        "package__entry__agreement__slug",
        "package__entry__person_reference",
        "package__reference",
        "applies_from",
        "decided_on",
        "council_share_percent",
    ),
    RegisterCount: ("team__name", "as_at", "people"),
}


def digest() -> str:
    hashed = hashlib.sha256()
    for model, fields in DIGESTED.items():
        for row in national_rows(model).order_by(*fields).values_list(*fields):
            hashed.update(repr(row).encode())
    return hashed.hexdigest()


def test_plan_scales_the_targets_rounding_half_up_with_at_least_one_of_each():
    assert national.plan_for(Decimal(1)) == national.Plan(150, 45, 42, 300, 3000, 30000, 250000)
    # 0.1: 4.5 trusts round up to 5 and 4.2 ICBs down to 4.
    assert national.plan_for(Decimal("0.1")) == national.Plan(15, 5, 4, 30, 300, 3000, 25000)
    assert national.plan_for(Decimal(10)) == national.Plan(
        1500, 450, 420, 3000, 30000, 300000, 2500000
    )
    # Far below one: one of each, every agreement a team and every team a post.
    assert national.plan_for(Decimal("0.0001")) == national.Plan(1, 1, 1, 1, 1, 3, 25)


def test_spread_adds_up_exactly_and_keeps_every_bin_above_its_floor():
    rng = random.Random(3)  # noqa: S311 – not security

    counts = national.spread(3000, 300, rng, low=1)

    assert sum(counts) == 3000
    assert min(counts) >= 1
    assert min(counts) >= 5 and max(counts) <= 15  # within about 40% of the mean of 10


def test_test_range_nhs_numbers_are_valid_and_do_not_repeat():
    numbers = [national.nhs_number_at(candidate) for candidate in range(20_000)]
    valid = [number for number in numbers if number is not None]

    assert all(number.startswith("999") and nhs_number.is_valid(number) for number in valid)
    assert len(set(valid)) == len(valid)
    assert 17_000 < len(valid) < 19_000  # about one stem in eleven has no check digit


def test_counts_at_scale_001_are_the_targets_scaled():
    printed = generate("--seed", "1")

    # plan_for(0.01), rounding half up with at least one of each: 150 councils → 1.5 → 2;
    # 45 trusts → 0.45 → 1; 42 ICBs → 0.42 → 1; 300 agreements → 3; 3,000 teams → 30;
    # 30,000 posts → 300; 250,000 s117 register entries → 2,500.
    organisations = national_rows(Organisation)
    assert organisations.filter(kind="council").count() == 2
    assert organisations.filter(kind="nhs_trust").count() == 1
    assert organisations.filter(kind="icb").count() == 1
    assert national_rows(Agreement).count() == 3
    assert national_rows(Team).count() == 30
    assert national_rows(StaffPost).count() == 300
    assert national_rows(RegisterEntry).count() == 2500
    # Four users, each in every national agreement in one role.
    assert national_rows(Membership).count() == 4 * 3
    # One month-end LAS and Carenotes snapshot and one overlap per team per month in the
    # agreement, at most 30 teams × 240 months (2007/08 to 2026/27). With seed 1,
    # national-0001 starts in December 2008 (220 months for its 10 teams; its Older Adults
    # team leaves in April 2019, after 124), national-0002's 13 teams have all 240, and
    # national-0003's Older Adults team leaves in April 2010 after 36, its other 6 have
    # 240: 9 × 220 + 124 + 13 × 240 + 6 × 240 + 36 = 6,700.
    assert national_rows(CaseloadOverlap).count() == 6700
    assert national_rows(CaseloadSnapshot).count() == 2 * 6700
    # A pool every financial year in the data: national-0001's from 2008/09, so 19 + 20 + 20;
    # national-0003 (one agreement in four) also runs a carers' services fund every year,
    # and national-0002 (another one in four) a Better Care Fund from 2015/16 (12 years),
    # of 3 pots (3 + 0002 // 4 % 3).
    assert national_rows(PooledBudget).count() == 59 + 20 + 12
    assert national_rows(PooledBudget).filter(name="Carers' services").count() == 20
    better = national_rows(PooledBudget).filter(name="Better Care Fund")
    assert better.count() == 12
    assert Pot.objects.filter(pooled_budget__in=better).count() == 12 * 3
    # Every partner contributes to every pot of every pool (a CCG in the ICB's place before
    # 2022/23): national-0001 (one in four) keeps part as an aligned pot, so two pots a
    # pool; the carers' fund is the council's alone. Each reports an outturn most quarters.
    pools = national_rows(Contribution).filter(pooled_budget__name="Pooled budget")
    assert pools.count() == sum(
        agreement.partners.filter(to_date__isnull=True).count()
        * Pot.objects.filter(
            pooled_budget__agreement=agreement, pooled_budget__name="Pooled budget"
        ).count()
        for agreement in national_rows(Agreement)
    )
    assert (
        Pot.objects.filter(
            pooled_budget__agreement__in=national_rows(Agreement), arrangement="aligned"
        ).count()
        == 19
    )
    carers = national_rows(Contribution).filter(pooled_budget__name="Carers' services")
    assert carers.count() == 20 and not carers.exclude(partner__kind="council").exists()
    contributions = pools.count()
    outturns = national_rows(ContributionOutturn)
    pooled_outturns = outturns.filter(contribution__pooled_budget__name="Pooled budget").count()
    assert 0.85 * 4 * contributions < pooled_outturns < 4 * contributions
    # The Better Care Fund's pots report as their partner's pooled money does.
    assert outturns.filter(contribution__pooled_budget__in=better).exists()
    # Every outturn is at its quarter's last month.
    assert not outturns.exclude(month=F("quarter__number") * 3).exists()
    assert "caseload.CaseloadSnapshot" in printed and "13,400" in printed


def test_revised_budgets_add_up_and_some_move_money_between_pots():
    generate("--seed", "1")

    # About a third of the funds' years have a revision; money as it stands is the money as
    # set plus the year's changes and the virements in, less those out.
    funds = national_rows(PooledBudget)
    revisions = national_rows(BudgetRevision)
    assert 0.2 * funds.count() < revisions.count() < 0.5 * funds.count()
    assert national_rows(Virement).exists() and national_rows(RevisionChange).exists()
    assert national_rows(Contribution).exclude(original=F("planned")).exists()
    for contribution in national_rows(Contribution).select_related("pot"):
        changes = sum(c.amount for c in contribution.revision_changes.all())
        here = {
            "revision__pooled_budget_id": contribution.pooled_budget_id,
            "partner_id": contribution.partner_id,
        }
        moved_in = sum(v.amount for v in Virement.objects.filter(to_pot=contribution.pot, **here))
        moved_out = sum(
            v.amount for v in Virement.objects.filter(from_pot=contribution.pot, **here)
        )
        assert contribution.planned == contribution.original + changes + moved_in - moved_out
        assert contribution.original >= 0
    for virement in national_rows(Virement).select_related("from_pot", "to_pot"):
        assert virement.from_pot.pooled_budget_id == virement.to_pot.pooled_budget_id
        assert virement.from_pot.pooled_budget_id == virement.revision.pooled_budget_id


def test_every_agreement_has_a_host_an_initial_term_and_runs_to_2026_27():
    generate()

    for agreement in national_rows(Agreement):
        assert agreement.partners.filter(is_host=True).count() == 1
        assert {"council", "nhs_trust"} <= set(
            agreement.partners.values_list("organisation__kind", flat=True)
        )
        terms = list(agreement.terms.order_by("start_date"))
        assert terms[0].kind == "initial" and terms[0].start_date == agreement.start_date
        for before, after in itertools.pairwise(terms):
            assert after.start_date == before.end_date + national.DAY
        assert terms[-1].end_date == agreement.end_date >= national.WINDOW_END


def test_agreements_passed_from_pct_to_ccg_to_icb_keep_each_bodys_years():
    generate("--seed", "1")  # national-0001, from December 2008, has its ICB as a partner

    passed = national_rows(AgreementPartner).filter(organisation__kind="ccg")
    assert passed.exists()
    for ccg_row in passed.select_related("organisation__successor", "agreement"):
        ccg, agreement = ccg_row.organisation, ccg_row.agreement
        assert ccg_row.to_date == ccg.dissolved_on == datetime.date(2022, 6, 30)
        icb_row = agreement.partners.get(organisation=ccg.successor)
        assert (icb_row.from_date, icb_row.role) == (datetime.date(2022, 7, 1), ccg_row.role)
        for contribution in Contribution.objects.filter(
            pooled_budget__agreement=agreement
        ).select_related("pooled_budget__financial_year"):
            year = contribution.pooled_budget.financial_year.start_year
            assert partner_of_year(agreement, contribution.partner_id, year), (year, contribution)
        ccg_years = set(
            Contribution.objects.filter(
                pooled_budget__agreement=agreement, partner=ccg
            ).values_list("pooled_budget__financial_year__start_year", flat=True)
        )
        assert ccg_years == set(range(2013, 2022))
    assert national_rows(Organisation).filter(kind="council").exclude(council_type="").exists()


def test_extension_decisions_are_worth_the_projected_cost_of_their_terms():
    generate()

    extensions = (
        national_rows(AgreementTerm)
        .filter(kind="extension")
        .select_related("authorised_by", "agreement")
    )

    assert extensions.exists()
    for term in extensions:
        assert term.authorised_by.kind == "extension"
        assert term_cost(term) == term.authorised_by.value > 0


def test_staffing_has_a_realistic_share_of_vacancies_and_posts_for_every_team():
    generate()

    posts = national_rows(StaffPost)

    assert 0.10 <= posts.filter(basis="vacant").count() / posts.count() <= 0.15
    assert not national_rows(Team).filter(posts__isnull=True).exists()


def test_every_sampled_row_passes_model_validation():
    generate()
    sampler = random.Random(0)  # noqa: S311 – a fixed sample, not security

    checked = []
    for model, _ in national.deletion_plan():
        ids = sorted(national_rows(model).values_list("pk", flat=True))
        for row in model.objects.filter(pk__in=sampler.sample(ids, min(25, len(ids)))):
            row.full_clean()  # fields, clean(), unique and check constraints
        checked += [model._meta.label] if ids else []

    # Every model the generator writes to, users aside (budget revisions, their changes and
    # virements, aftercare packages and funding decisions among them).
    assert len(checked) == 31
    for recommendation in national_rows(Recommendation):  # bulk_create skips save()
        assert recommendation.sort_key == Recommendation.sort_key_for(recommendation.reference)


def test_register_entries_have_valid_nhs_numbers_and_dates_in_order():
    generate()

    entries = list(national_rows(RegisterEntry))

    numbered = [entry.nhs_number for entry in entries if entry.nhs_number]
    assert 0.95 * len(entries) < len(numbered)
    assert all(nhs_number.is_valid(number) for number in numbered)
    assert len(set(numbered)) == len(numbered)
    ended = [entry for entry in entries if entry.ended_on]
    assert 0.15 * len(entries) < len(ended) < 0.35 * len(entries)
    for entry in ended:
        assert entry.detained_on <= entry.discharged_on <= entry.ended_on
        assert entry.end_reason and not entry.cto_in_force
    assert any(entry.cto_in_force for entry in entries)
    # Teams that report only totals (Older Adults) have counts, not entries.
    assert national_rows(RegisterCount).exists()
    assert not national_rows(RegisterEntry).filter(team__kind="oa").exists()
    assert national_rows(S117Review).count() == sum(1 for e in entries if e.last_reviewed)


def test_register_entries_have_support_reasons_in_the_intended_proportions():
    generate()

    entries = national_rows(RegisterEntry)
    reasons = dict(entries.order_by().values_list("primary_support_reason").annotate(n=Count("pk")))
    share = {reason: n / entries.count() for reason, n in reasons.items()}

    # 2,500 entries: mental health support 87.5%, learning disability 4%, memory and
    # cognition 3%, not recorded 2%, the rest a few each.
    assert set(reasons) <= {"", *SupportReason.values}
    assert 0.84 < share["mental_health"] < 0.91
    assert 0.02 < share["learning_disability"] < 0.06
    assert 0.015 < share["memory_cognition"] < 0.05
    assert 0.005 < share[""] < 0.04
    assert sum(n for reason, n in reasons.items() if reason.startswith("social:")) > 0


def test_open_entries_have_packages_at_realistic_costs_and_some_a_panels_split():
    generate()

    entries = national_rows(RegisterEntry)
    open_entries = entries.filter(discharged_on__isnull=False, ended_on__isnull=True)
    packages = national_rows(AftercarePackage).select_related("entry")
    per_person = dict(
        packages.order_by().values_list("entry").annotate(n=Count("pk")).values_list("entry", "n")
    )

    # Every person whose aftercare is open has a package or more (most one, some two or
    # three); nobody else has any.
    assert set(per_person) == set(open_entries.values_list("pk", flat=True))
    counts = list(per_person.values())
    assert 0.68 < counts.count(1) / len(counts) < 0.82
    assert counts.count(2) > counts.count(3) > 0 and max(counts) == 3
    ranges = {spec.placement: spec.weekly for spec in PLACEMENTS}
    weekly_by_placement: dict[str, Decimal] = {}
    for package in packages:
        assert package.entry.discharged_on <= package.start_date <= national.WINDOW_END
        assert package.end_date is None or package.start_date <= package.end_date
        weekly = package.weekly_cost
        if weekly is None:  # a few are costed a year: 52 weeks' worth
            weekly = package.annual_cost / 52
        low, high = ranges[package.placement]
        assert low <= weekly <= high, package
        weekly_by_placement[package.placement] = (
            weekly_by_placement.get(package.placement, Decimal(0)) + weekly
        )
    assert all(p.weekly_cost.as_tuple().exponent == -2 for p in packages if p.weekly_cost)
    assert 0.02 < packages.filter(weekly_cost__isnull=True).count() / len(packages) < 0.09
    assert 0.05 < packages.filter(end_date__isnull=False).count() / len(packages) < 0.25
    # Supported living and residential care cost the most; all seven kinds appear.
    by_cost = sorted(weekly_by_placement, key=weekly_by_placement.get, reverse=True)
    assert set(by_cost[:2]) == {"supported_living", "residential"}
    assert len(by_cost) == len(AftercarePackage.Placement)
    # The panel has decided the split of about 40% of packages, half each most often.
    decisions = national_rows(FundingDecision)
    decided = decisions.values("package").distinct().count()
    assert 0.35 < decided / len(packages) < 0.45
    assert decisions.count() > decided  # a few splits changed since
    splits = dict(decisions.order_by().values_list("council_share_percent").annotate(n=Count("pk")))
    assert max(splits, key=splits.get) == Decimal(50)
    assert {Decimal(70), Decimal(30), Decimal(100), Decimal(0)} <= set(splits)
    assert not decisions.filter(applies_from__lt=F("package__start_date")).exists()


def test_removal_deletes_the_packages_and_funding_decisions_with_the_register():
    before = (AftercarePackage.objects.count(), FundingDecision.objects.count())  # the demo's
    generate()
    made = (national_rows(AftercarePackage).count(), national_rows(FundingDecision).count())

    deleted = delete_national()

    assert made[0] > 0 and made[1] > 0
    assert (deleted["s117.AftercarePackage"], deleted["s117.FundingDecision"]) == made
    assert (AftercarePackage.objects.count(), FundingDecision.objects.count()) == before


def test_the_same_seed_gives_the_same_data_and_another_seed_different_data():
    generate("--seed", "1")
    first = digest()

    generate("--seed", "1", "--replace")
    again = digest()
    generate("--seed", "2", "--replace")
    other = digest()

    assert again == first
    assert other != first


def test_national_jmg_member_gets_every_dashboard(client):
    generate()
    client.force_login(get_user_model().objects.get(username="national.jmg"))
    partnership = "/partnerships/national-0001"

    for url in (
        "/",
        "/compare/",
        f"{partnership}/budget/",
        f"{partnership}/staffing/",
        f"{partnership}/caseload/",
        f"{partnership}/s117/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "national-0003" in client.get("/compare/").content.decode()


def test_national_users_are_members_of_national_agreements_only():
    generate()

    for username, _, role in national.USERS:
        user = get_user_model().objects.get(username=username)
        assert not user.has_usable_password()
        slugs = set(user.memberships.values_list("agreement__slug", flat=True))
        assert slugs == {"national-0001", "national-0002", "national-0003"}
        assert set(user.memberships.values_list("role", flat=True)) == {role}


def test_a_second_run_without_replace_is_refused():
    generate()

    with pytest.raises(CommandError, match="--replace"):
        generate()


def test_replace_removes_only_national_rows_and_writes_no_history():
    before = row_counts()  # the demo's rows, and every historical table
    years = range(national.FIRST_YEAR, national.LAST_YEAR + 1)
    missing_years = len(years) - FinancialYear.objects.filter(start_year__in=years).count()
    generate()

    printed = generate("--replace")

    national_counts = {
        model._meta.label: national_rows(model).count() for model, _ in national.deletion_plan()
    }
    # Made by the first run, and kept: the users, and the financial years before the demo's.
    national_counts["auth.User"] = len(national.USERS)
    national_counts["partnerships.FinancialYear"] = missing_years
    national_counts["partnerships.Quarter"] = 4 * missing_years
    assert row_counts() == {
        label: count + national_counts.get(label, 0) for label, count in before.items()
    }
    assert "Deleted the previous national data" in printed


def test_replace_is_refused_when_an_append_only_access_log_refers_to_national_data():
    generate()
    officer = get_user_model().objects.get(username="national.s117")
    record_access(by=officer, entry=national_rows(RegisterEntry).first(), action="view")

    with pytest.raises(CommandError, match="append-only"):
        generate("--replace")

    assert national_rows(Agreement).count() == 3


def test_replace_is_refused_when_the_export_log_names_a_national_partnership():
    generate()
    officer = get_user_model().objects.get(username="national.s117")
    record_export(
        by=officer,
        agreement=national_rows(Agreement).first(),
        what="breakdowns",
        file_format="csv",
        query="",
        rows=1,
    )

    with pytest.raises(CommandError, match="s117 export log entries"):
        generate("--replace")

    assert national_rows(Agreement).count() == 3


def test_deletion_plan_covers_every_model_that_refers_to_national_rows():
    planned = {model for model, _ in national.deletion_plan()}
    # Refused rather than deleted (append-only); and the shared source systems, which
    # national data never operates.
    exempt = {AccessLog, ExportLog, PublishedVersion, SourceSystem}

    missing = {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if not model.__name__.startswith("Historical")
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model in planned
        if model not in planned | exempt
    }

    assert missing == set()


def test_bad_scale_is_refused():
    with pytest.raises(CommandError, match="scale"):
        generate(scale="0")


def test_refuses_a_production_database_unless_allowed(settings):
    settings.PRODUCTION = True

    with pytest.raises(CommandError, match="production"):
        generate()
    generate("--allow-production")

    assert national_rows(Agreement).count() == 3


def test_kpis_have_a_value_every_quarter_from_the_agreements_first_figures():
    generate()

    for kpi in national_rows(KPI).select_related("agreement"):
        first_day = max(national.WINDOW_START, kpi.agreement.start_date)
        quarters = [
            (year, number)
            for year in range(national.FIRST_YEAR, national.LAST_YEAR + 1)
            for number in (1, 2, 3, 4)
            if quarter_dates(year, number)[1] >= first_day
        ]
        assert kpi.values.count() == len(quarters)


def test_every_quarter_with_figures_has_a_return_signed_off_but_the_latest():
    generate()
    jmg_member = get_user_model().objects.get(username="national.jmg")

    for agreement in national_rows(Agreement):
        returns = list(
            agreement.returns.select_related("quarter__financial_year").order_by(
                "quarter__financial_year__start_year", "quarter__number"
            )
        )
        # Every KPI has a value in every quarter with figures: one return for each.
        for kpi in agreement.kpis.all():
            assert sorted(r.quarter_id for r in returns) == sorted(
                kpi.values.values_list("quarter_id", flat=True)
            )
        *past, latest = returns
        assert latest.status == QuarterlyReturn.Status.DRAFT and latest.editable
        assert {r.status for r in past} == {QuarterlyReturn.Status.SIGNED_OFF}
        for signed in past:
            assert signed.signed_off_by_id == jmg_member.pk
            ended = signed.quarter.end_date
            assert ended < signed.submitted_at.date() < signed.signed_off_at.date()


def test_the_planner_has_statistics_for_the_new_rows():
    from django.db import connection

    generate()

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'caseload_careactactivity'")
        else:
            cursor.execute(
                "SELECT n_distinct FROM pg_stats WHERE tablename = 'caseload_careactactivity'"
            )
        assert cursor.fetchall()
