"""Commissioners keep the KPIs: the list, adding and changing one, its history, bad input
named per field with nothing saved, and who may open the pages."""

from decimal import Decimal

import pytest

from partnerships.models import KPI
from records.actions.kpis import add_kpi, change_kpi

pytestmark = pytest.mark.django_db

BROMLEY = "/partnerships/bromley-oxleas-mh/records"
# session, user, the agreement, the user's memberships (the access check)
SIGNED_IN = 4

GOOD = {
    "code": "KPI 9",
    "name": "Carers' assessments offered",
    "definition": "Carers offered an assessment over carers known to the team.",
    "unit": "percent",
    "direction": "higher",
    "target": "90",
    "amber_threshold": "80",
}


@pytest.fixture
def commissioner(client, django_user_model):
    client.force_login(django_user_model.objects.get(username="commissioner"))
    return client


def _user(django_user_model, name="commissioner"):
    return django_user_model.objects.get(username=name)


def test_add_kpi_saves_it_with_who_added_it(bromley, django_user_model):
    user = _user(django_user_model)

    kpi = add_kpi(
        by=user,
        agreement=bromley,
        code="KPI 9",
        name="Baselined",
        definition="-",
        unit="count",
        direction="lower",
        target=None,
        amber_threshold=None,
    )

    assert kpi.target is None and kpi.rag(Decimal(5)) is None
    assert kpi.history.get().history_user == user


def test_change_kpi_writes_history_only_when_something_changes(bromley, django_user_model):
    user = _user(django_user_model)
    kpi = bromley.kpis.get(code="KPI 1")
    before = kpi.history.count()

    change_kpi(by=user, kpi=kpi, target=kpi.target, name=kpi.name)
    change_kpi(by=user, kpi=kpi, target=None, amber_threshold=None)

    assert kpi.history.count() == before + 1
    assert KPI.objects.get(pk=kpi.pk).target is None


def test_list_shows_each_kpi_with_a_change_link(commissioner, bromley):
    response = commissioner.get(f"{BROMLEY}/kpis/")

    text = response.content.decode()
    assert response.status_code == 200
    assert "Add a KPI" in text
    for kpi in bromley.kpis.all():
        assert f"/records/kpis/{kpi.pk}/" in text
    assert "85%" in text  # KPI 1's target, in its unit


def test_adding_a_kpi_with_no_target_shows_no_target_in_the_list(commissioner, bromley):
    response = commissioner.post(
        f"{BROMLEY}/kpis/add/", GOOD | {"target": "", "amber_threshold": ""}, follow=True
    )

    kpi = bromley.kpis.get(code="KPI 9")
    assert kpi.target is None and kpi.amber_threshold is None
    assert "Added KPI 9 Carers" in response.content.decode()
    assert "No target" in response.content.decode()
    assert kpi.history.get().history_user.username == "commissioner"


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"code": "KPI 1"}, "code", "already has a KPI with code KPI 1"),
        ({"code": ""}, "code", "Enter a code for the KPI"),
        ({"name": ""}, "name", "Enter the KPI&#x27;s name"),
        ({"unit": ""}, "unit", "Select the unit"),
        ({"direction": ""}, "direction", "Select whether higher or lower is better"),
        ({"amber_threshold": ""}, "amber_threshold", "Enter an amber threshold as well"),
        ({"target": ""}, "target", "Enter a target as well as the amber threshold"),
        ({"target": "lots"}, "target", "Enter the target as a number"),
        ({"target": "85.125"}, "target", "no more than 2 decimal places"),
        ({"amber_threshold": "95"}, "amber_threshold", "at or below the target"),
        (
            {"direction": "lower", "target": "20", "amber_threshold": "10"},
            "amber_threshold",
            "at or above the target",
        ),
        ({"target": "120", "amber_threshold": "80"}, "target", "from 0 to 100"),
        (
            {"direction": "lower", "target": "90", "amber_threshold": "101"},
            "amber_threshold",
            "from 0 to 100",
        ),
    ],
)
def test_bad_input_is_named_on_its_field_and_nothing_is_saved(
    commissioner, bromley, change, field, message
):
    count = KPI.objects.count()

    response = commissioner.post(f"{BROMLEY}/kpis/add/", GOOD | change)

    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text and "<title>Error: " in text
    assert message in text
    assert list(response.context["form"].errors) == [field]
    anchor = f"id_{field}_0" if field == "direction" else f"id_{field}"
    assert f'href="#{anchor}"' in text
    assert KPI.objects.count() == count


def test_a_pounds_target_may_be_over_100(commissioner, bromley):
    commissioner.post(
        f"{BROMLEY}/kpis/add/",
        GOOD | {"unit": "pounds", "direction": "lower", "target": "950", "amber_threshold": "1000"},
    )

    assert bromley.kpis.get(code="KPI 9").target == Decimal("950.00")


def test_change_page_saves_and_shows_who_changed_what(commissioner, bromley):
    kpi = bromley.kpis.get(code="KPI 1")
    form = {
        "code": kpi.code,
        "name": kpi.name,
        "definition": kpi.definition,
        "unit": kpi.unit,
        "direction": kpi.direction,
        "target": "88",
        "amber_threshold": "75",
    }

    response = commissioner.post(f"{BROMLEY}/kpis/{kpi.pk}/", form)
    assert response.status_code == 302
    text = commissioner.get(f"{BROMLEY}/kpis/{kpi.pk}/").content.decode()

    assert KPI.objects.get(pk=kpi.pk).target == Decimal("88.00")
    assert "Changes to this KPI" in text
    row = text[text.index('<td class="govuk-table__cell">Target</td>') - 200 :][:500]
    assert "commissioner" in row and "85%" in row and "88%" in row


def test_change_keeps_its_own_code(commissioner, bromley):
    kpi = bromley.kpis.get(code="KPI 2")
    form = {f: getattr(kpi, f) for f in ("code", "name", "definition", "unit", "direction")}

    response = commissioner.post(
        f"{BROMLEY}/kpis/{kpi.pk}/", form | {"target": "", "amber_threshold": ""}
    )

    assert response.status_code == 302
    assert KPI.objects.get(pk=kpi.pk).target is None


def test_an_invalid_change_saves_nothing_and_keeps_the_heading(commissioner, bromley):
    kpi = bromley.kpis.get(code="KPI 2")
    form = {f: getattr(kpi, f) for f in ("definition", "unit", "direction")}

    response = commissioner.post(
        f"{BROMLEY}/kpis/{kpi.pk}/",
        form | {"code": "KPI 3", "name": "Renamed", "target": "90", "amber_threshold": "80"},
    )

    assert "already has a KPI with code KPI 3" in response.content.decode()
    assert "Change KPI 2 Annual reviews" in response.content.decode()
    assert KPI.objects.get(pk=kpi.pk).name == kpi.name


@pytest.mark.parametrize("username", ["jmg.member", "scrutiny.officer", "s117.officer"])
@pytest.mark.parametrize("path", ["kpis/", "kpis/add/", "kpis/{pk}/"])
def test_other_roles_are_refused(client, bromley, django_user_model, username, path):
    client.force_login(_user(django_user_model, username))
    pk = bromley.kpis.first().pk

    assert client.get(f"{BROMLEY}/{path.format(pk=pk)}").status_code == 403
    assert client.post(f"{BROMLEY}/kpis/add/", GOOD).status_code == 403
    assert not bromley.kpis.filter(code="KPI 9").exists()


def test_an_outsider_gets_404(client, bromley, django_user_model):
    client.force_login(django_user_model.objects.create_user("outsider", password="x-1"))

    assert client.get(f"{BROMLEY}/kpis/").status_code == 404
    assert client.post(f"{BROMLEY}/kpis/add/", GOOD).status_code == 404


def test_another_partnerships_kpi_is_not_found_here(commissioner, oxfordshire):
    theirs = oxfordshire.kpis.first()

    assert commissioner.get(f"{BROMLEY}/kpis/{theirs.pk}/").status_code == 404


def _more_kpis(agreement, user, extra):
    for n in range(extra):
        kpi = add_kpi(
            by=user,
            agreement=agreement,
            code=f"X{n}",
            name="More",
            definition="-",
            unit="count",
            direction="higher",
            target=Decimal(10) if n % 2 else None,
            amber_threshold=Decimal(5) if n % 2 else None,
        )
        change_kpi(by=user, kpi=kpi, name="More still")


@pytest.mark.parametrize("extra", [0, 12])
def test_list_queries_do_not_grow(
    commissioner, bromley, django_user_model, extra, django_assert_num_queries
):
    _more_kpis(bromley, _user(django_user_model), extra)

    # the KPIs
    with django_assert_num_queries(SIGNED_IN + 1):
        assert commissioner.get(f"{BROMLEY}/kpis/").status_code == 200


@pytest.mark.parametrize("extra", [0, 12])
def test_change_page_queries_do_not_grow(
    commissioner, bromley, django_user_model, extra, django_assert_num_queries
):
    user = _user(django_user_model)
    kpi = bromley.kpis.get(code="KPI 1")
    for n in range(extra):
        change_kpi(by=user, kpi=KPI.objects.get(pk=kpi.pk), name=f"Renamed {n}")

    # the KPI; its history with who made each change
    with django_assert_num_queries(SIGNED_IN + 2):
        assert commissioner.get(f"{BROMLEY}/kpis/{kpi.pk}/").status_code == 200


def test_add_page_queries(commissioner, django_assert_num_queries):
    with django_assert_num_queries(SIGNED_IN):
        assert commissioner.get(f"{BROMLEY}/kpis/add/").status_code == 200


def test_add_page_explains_the_threshold_beside_its_box(commissioner):
    text = commissioner.get(f"{BROMLEY}/kpis/add/").content.decode()

    assert 'id="id_amber_threshold-hint">The value at which the indicator turns' in text
    assert 'aria-describedby="id_amber_threshold-hint"' in text
    assert 'type="radio" value="lower"' in text and "Lower is better" in text
