"""Writes to posts and teams: each is saved whole or not at all, with who made it."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from caseload.models import StaffPost
from records.actions import staffing
from tests.factories import StaffPostFactory, TeamFactory, TrustFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date
Basis = StaffPost.Basis


@pytest.fixture
def officer():
    return UserFactory(username="staffing.officer")


def latest(post):
    return post.history.order_by("history_date", "history_id").last()


def test_add_post_keeps_who_added_it(officer):
    team = TeamFactory()
    council = team.agreement.partners.first().organisation

    post = staffing.add_post(
        by=officer,
        team=team,
        reference="AMHT-SW-09",
        role="social_worker",
        wte=Decimal("0.80"),
        case_holding=True,
        funder=council,
        employer=None,
        basis=Basis.VACANT,
        origin=StaffPost.Origin.CREATED,
        valid_from=DAY(2026, 4, 1),
    )

    assert (post.vacant, post.employer, post.since) == (True, None, DAY(2026, 4, 1))
    assert latest(post).history_user == officer
    assert latest(post).history_type == "+"


def test_add_post_refuses_an_employer_for_a_vacant_post_and_saves_nothing(officer):
    team = TeamFactory()
    council = team.agreement.partners.first().organisation

    with pytest.raises(ValidationError):
        staffing.add_post(
            by=officer,
            team=team,
            reference="AMHT-SW-10",
            role="social_worker",
            wte=Decimal("1.00"),
            case_holding=True,
            funder=council,
            employer=council,
            basis=Basis.VACANT,
            origin=StaffPost.Origin.CREATED,
            valid_from=DAY(2026, 4, 1),
        )

    assert not StaffPost.objects.exists()


def test_record_vacancy_clears_the_employer_from_the_day(officer):
    post = StaffPostFactory()

    staffing.record_vacancy(by=officer, post=post, on=DAY(2026, 11, 30))

    post.refresh_from_db()
    assert (post.basis, post.employer, post.changed_on) == (Basis.VACANT, None, DAY(2026, 11, 30))
    before = latest(post).prev_record
    assert before.basis == Basis.SECONDED and before.employer_id is not None
    assert latest(post).history_user == officer


def test_record_vacancy_refuses_a_day_to_come(officer):
    post = StaffPostFactory()

    with pytest.raises(ValidationError, match="today or earlier"):
        staffing.record_vacancy(by=officer, post=post, on=DAY(2027, 1, 1))

    post.refresh_from_db()
    assert post.basis == Basis.SECONDED
    assert post.history.count() == 1


def test_record_vacancy_refuses_a_day_before_the_latest_change(officer):
    post = StaffPostFactory(changed_on=DAY(2025, 6, 1))

    with pytest.raises(ValidationError, match="1 June 2025"):
        staffing.record_vacancy(by=officer, post=post, on=DAY(2025, 5, 31))


def test_record_filled_sets_employer_and_basis(officer):
    post = StaffPostFactory(employer=None, basis=Basis.VACANT)
    trust = post.team.agreement.partners.get(is_host=False).organisation

    staffing.record_filled(
        by=officer, post=post, employer=trust, basis=Basis.DIRECT, on=DAY(2026, 10, 1)
    )

    post.refresh_from_db()
    assert (post.employer, post.basis, post.since) == (trust, Basis.DIRECT, DAY(2026, 10, 1))


def test_an_amhp_filled_by_a_trust_is_refused_and_nothing_saved(officer):
    post = StaffPostFactory(role="amhp", employer=None, basis=Basis.VACANT)
    trust = post.team.agreement.partners.get(is_host=False).organisation

    with pytest.raises(ValidationError) as refused:
        staffing.record_filled(
            by=officer, post=post, employer=trust, basis=Basis.DIRECT, on=DAY(2026, 10, 1)
        )

    assert "employer" in refused.value.error_dict
    post.refresh_from_db()
    assert post.vacant
    assert post.history.count() == 1


def test_change_wte_refuses_more_than_full_time(officer):
    post = StaffPostFactory()

    with pytest.raises(ValidationError):
        staffing.change_wte(by=officer, post=post, wte=Decimal("1.5"), on=DAY(2026, 10, 1))

    post.refresh_from_db()
    assert post.wte == Decimal("1.00")


def test_change_wte_keeps_before_and_after(officer):
    post = StaffPostFactory()

    staffing.change_wte(by=officer, post=post, wte=Decimal("0.60"), on=DAY(2026, 10, 1))

    assert latest(post).prev_record.wte == Decimal("1.00")
    assert latest(post).wte == Decimal("0.60")


def test_change_employment_moves_a_secondment_to_tupe(officer):
    post = StaffPostFactory()
    trust = post.team.agreement.partners.get(is_host=False).organisation

    staffing.change_employment(
        by=officer,
        post=post,
        funder=post.funder,
        employer=trust,
        basis=Basis.TUPE,
        on=DAY(2026, 4, 1),
    )

    post.refresh_from_db()
    assert (post.employer, post.basis) == (trust, Basis.TUPE)


def test_change_employment_refuses_an_employer_from_outside_the_rules(officer):
    post = StaffPostFactory()

    with pytest.raises(ValidationError):
        staffing.change_employment(
            by=officer,
            post=post,
            funder=post.funder,
            employer=None,
            basis=Basis.DIRECT,
            on=DAY(2026, 4, 1),
        )


def test_end_post_may_name_a_day_to_come(officer):
    post = StaffPostFactory()

    staffing.end_post(by=officer, post=post, last_day=DAY(2027, 3, 31))

    post.refresh_from_db()
    assert post.valid_to == DAY(2027, 3, 31)
    assert not post.ended_by(DAY(2026, 12, 3))


def test_end_post_refuses_a_day_before_it_began(officer):
    post = StaffPostFactory()

    with pytest.raises(ValidationError, match="1 April 2020"):
        staffing.end_post(by=officer, post=post, last_day=DAY(2019, 3, 31))


def test_set_establishment_is_kept_in_the_team_history(officer):
    team = TeamFactory(establishment_wte=Decimal("50.00"))

    staffing.set_establishment(by=officer, team=team, wte=Decimal("52.50"))

    record = team.history.order_by("history_date", "history_id").last()
    assert (record.establishment_wte, record.history_user) == (Decimal("52.50"), officer)
    assert record.prev_record.establishment_wte == Decimal("50.00")


def test_amhp_must_be_a_council_employee_whoever_the_trust(officer):
    post = StaffPostFactory(role="amhp")
    other_trust = TrustFactory()

    with pytest.raises(ValidationError):
        staffing.change_employment(
            by=officer,
            post=post,
            funder=post.funder,
            employer=other_trust,
            basis=Basis.TUPE,
            on=DAY(2026, 4, 1),
        )
