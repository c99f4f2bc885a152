"""The scrutiny paper says what each partner's contribution funds: only the agreement's
partners, each on its own, however the posts' funders are named."""

import datetime
from decimal import Decimal

import pytest

from caseload.models import StaffPost
from caseload.selectors import staffing
from partnerships.models import Organisation, Quarter
from reports.papers import build

pytestmark = pytest.mark.django_db


def paragraphs(agreement, quarter):
    paper = build(agreement, "scrutiny", quarter, draft=True)
    section = next(s for s in paper.sections if s.slug == "staffing")
    return [block.text for block in section.blocks if block.type == "para"]


def test_each_partner_funds_what_its_own_posts_add_up_to(oxfordshire):
    quarter = Quarter.objects.get(financial_year__start_year=2019, number=2)
    post = StaffPost.objects.filter(team__agreement=oxfordshire).first()
    outsider = Organisation.objects.create(
        name="A former partner", short_name="OCC", kind="council"
    )  # the same short name as a partner, but not in the agreement
    StaffPost.objects.create(
        team=post.team,
        reference="OUTSIDE-1",
        role=post.role,
        wte=Decimal("1.00"),
        basis=StaffPost.Basis.SECONDED,
        origin=StaffPost.Origin.CREATED,
        employer=outsider,
        funder=outsider,
        valid_from=datetime.date(2018, 4, 1),
    )

    said = [text for text in paragraphs(oxfordshire, quarter) if "contribution funds" in text]

    occ = oxfordshire.partners.get(organisation__short_name="OCC").organisation
    funded = staffing(oxfordshire, quarter.end_date, funder=occ)
    assert (funded.wte, funded.seconded_wte) == (Decimal("41.50"), Decimal("4.70"))
    assert said[0] == (
        "OCC's contribution funds 41.5 WTE posts; of these, "
        "4.7 WTE are held by staff seconded from their employer."
    )
    assert len(said) == len([p for p in said if p.startswith(("OCC's", "OHFT's"))])
