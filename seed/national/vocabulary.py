"""What the generator draws names, texts and proportions from: place names, the three
services an agreement can be for, KPI definitions, review recommendations and their owners,
team kinds and their post mix, whole-time equivalents, qualifying sections, council shares,
s117 end reasons and the obviously synthetic names of people on the register."""

from typing import NamedTuple

from partnerships.models import GovernanceBody


class Service(NamedTuple):
    title: str
    short: str
    functions: str
    population: str
    scope: str


class KPISpec(NamedTuple):
    code: str
    name: str
    definition: str
    unit: str
    direction: str
    target: str
    amber: str
    spread: float


PLACE_STARTS = (
    "Ash", "Bar", "Brook", "Cal", "Dun", "Elm", "Fair", "Glen", "Hart", "Kings",
    "Lang", "Mar", "Nor", "Oak", "Pen", "Ridge", "Salt", "Thorn", "Wex", "Wood",
)  # fmt: skip
PLACE_ENDS = ("bury", "by", "caster", "den", "field", "ford", "ham", "ley", "mouth", "ton")
COUNCIL_KINDS = (
    "County Council",
    "Borough Council",
    "City Council",
    "Metropolitan Borough Council",
    "Council",
)
# The council type each name gives, where it gives one: a borough council outside London
# and the metropolitan counties is a district; a city council here a unitary authority.
COUNCIL_TYPES = {
    "County Council": "county",
    "Borough Council": "district",
    "City Council": "unitary",
    "Metropolitan Borough Council": "metropolitan",
    "Council": "",
}
SERVICES = (
    Service(
        "mental health social work for adults of working age",
        "adult MH social work",
        "Care Act assessment, care planning and review, and mental health social work, "
        "delivered on behalf of the council through the trust's community teams.",
        "Adults of working age with mental health needs",
        "adults of working age",
    ),
    Service(
        "older adults mental health services",
        "older adults MH",
        "Mental health social work and community services for older adults, with the "
        "council's social care staff seconded to the trust.",
        "Older adults with mental health needs",
        "older adults",
    ),
    Service(
        "integrated mental health and AMHP services",
        "integrated MH",
        "Integrated health and social care mental health services, including the "
        "Approved Mental Health Professional service; pooled budget.",
        "Adults with mental health needs",
        "adults",
    ),
)
ICB_ROLES = ("commissioner", "partner", "consenting")
UPLIFT_BASES = (
    "In line with CPI and the National Minimum Wage",
    "In line with the NHS pay award",
    "In line with CPI",
)
JMG = {
    "name": "Mental Health Joint Management Group",
    "kind": GovernanceBody.Kind.JMG,
    "remit": "Monitors the pooled budget, activity, staffing and service improvements.",
}
FIXED_SHARES = {2: ((50, 50), (60, 40), (40, 60)), 3: ((40, 40, 20), (50, 30, 20))}
KPIS = (
    KPISpec(
        "KPI 1",
        "Care Act assessments completed within 28 days",
        "Assessments completed within 28 days of referral, as a percentage of all "
        "assessments completed in the quarter.",
        "percent", "higher", "90.00", "80.00", 6.0,
    ),
    KPISpec(
        "KPI 2",
        "Care plans reviewed in the last 12 months",
        "People with a care plan reviewed in the 12 months to the quarter's end, as a "
        "percentage of people with a care plan.",
        "percent", "higher", "85.00", "75.00", 7.0,
    ),
    KPISpec(
        "KPI 3",
        "Days from referral to first contact",
        "Median days from a referral's receipt to the first contact with the person.",
        "days", "lower", "7.00", "14.00", 4.0,
    ),
    KPISpec(
        "KPI 4",
        "Adults in contact with services in paid employment",
        "Adults in contact with secondary mental health services in paid employment, as a "
        "percentage of all such adults.",
        "percent", "higher", "10.00", "7.00", 2.5,
    ),
    KPISpec(
        "KPI 5",
        "s117 aftercare reviews overdue",
        "People on the s117 register whose review was overdue at the quarter's end.",
        "count", "lower", "10.00", "25.00", 8.0,
    ),
)  # fmt: skip
RECOMMENDATIONS = (
    "Refresh the partnership agreement's schedules to reflect current services.",
    "Agree a single caseload report drawn from both case-management systems.",
    "Bring Care Act assessment timeliness up to the agreed target.",
    "Improve the recording of safeguarding enquiries.",
    "Set up a joint workforce plan for seconded social work staff.",
    "Review the risk-share arrangements for the pooled budget.",
    "Introduce quarterly supervision audits for social work practice.",
    "Clarify the AMHP rota and its funding.",
    "Reduce the number of overdue s117 aftercare reviews.",
    "Publish an annual report on the partnership to both partners' boards.",
    "Strengthen carers' assessments and their recording.",
    "Align performance indicators with the adult social care outcomes framework.",
)
OWNERS = (
    "Head of Social Care",
    "Director of Adult Social Care",
    "Service Director, Mental Health",
    "Pooled Fund Manager",
    "Principal Social Worker",
    "Head of Commissioning",
)
PROGRESS_NOTES = {
    "in_progress": "Work under way; an update will come to the next JMG.",
    "complete": "Completed and signed off by the JMG.",
    "dropped": "Closed by the JMG: overtaken by other changes.",
}
LOCALITY_KINDS = {"amht": "AMHT", "imht": "IMHT", "cmht": "CMHT"}
LOCALITIES = (
    "North", "South", "East", "West", "Central", "City", "North East", "North West",
    "South East", "South West", "Coastal", "Rural", "Valley", "Town",
)  # fmt: skip
# kind, post-reference code, name, establishment range in half-WTE (None: not reported)
SPECIALISTS = (
    ("management", "MGT", "Social Work Management", None),
    ("eis", "EIS", "Early Intervention Service", (30, 70)),
    ("oa", "OA", "Older Adults Mental Health Social Work Team", (20, 60)),
    ("fs", "FS", "Forensic Service", (20, 50)),
    ("amhp", "AMHP", "AMHP Service", (16, 40)),
)
# team kind: its first post, then the roles the others are drawn from, and their weights
POST_MIX = {
    "management": ("head", ("manager", "admin", "senior"), (50, 30, 20)),
    "amhp": ("manager", ("amhp", "admin"), (85, 15)),
    "locality": (
        "manager",
        ("social_worker", "senior", "amhp", "support", "admin"),
        (60, 15, 8, 12, 5),
    ),
}
CASE_HOLDING = ("social_worker", "senior", "amhp")
WTES = ("1.00",) * 6 + ("0.80", "0.60", "0.50", "0.40")
SECTIONS = ("3", "37", "45A", "47", "48")
COUNCIL_SHARES = ("50",) * 6 + ("60", "40", "100", "0", "70", "30")
END_REASONS = (
    "Aftercare needs met; ending agreed jointly at review.",
    "Moved out of the area; responsibility passed to the new council and ICB.",
    "Died.",
    "Readmitted under section 3; a new entitlement will follow discharge.",
)
FIRST_NAMES = (
    "Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Jamie", "Robin", "Charlie",
    "Drew", "Avery", "Riley", "Quinn", "Rowan", "Sasha", "Frankie",
)  # fmt: skip
SURNAMES = (
    "Example", "Sample", "Testwell", "Placeholder", "Synthetic", "Mockford", "Dummer",
    "Fictum", "Madeup", "Notreal", "Specimen", "Instance",
)  # fmt: skip
# Primary support reasons of people on an s117 register, as councils report them ("": not
# recorded), and their weights: mental health support overwhelmingly, then learning
# disability and memory and cognition; a little social support, a few physical or sensory.
SUPPORT_REASONS = (
    ("mental_health", 8750),
    ("learning_disability", 400),
    ("memory_cognition", 300),
    ("social:substance_misuse", 150),
    ("social:isolation_other", 60),
    ("social:asylum_seeker", 20),
    ("physical:personal_care", 50),
    ("physical:access_mobility", 30),
    ("sensory:hearing", 15),
    ("sensory:visual", 15),
    ("sensory:dual", 10),
    ("", 200),
)


class PlacementSpec(NamedTuple):
    placement: str  # AftercarePackage.Placement
    weight: int  # of a person's first package
    weekly: tuple[int, int]  # the range of its weekly cost, in whole pounds
    description: str
    provider: str  # a provider's name after the place name; blank: the person's own


# A person's first package: supported living and residential care most often and, at their
# costs, by far the most of the spend. A second or third alongside it is drawn from the
# lighter kinds (ALONGSIDE).
PLACEMENTS = (
    PlacementSpec(
        "supported_living", 34, (600, 1800), "Supported living tenancy with support",
        "Supported Living",
    ),
    PlacementSpec(
        "residential", 20, (900, 2000), "Residential care home placement", "Care Homes Ltd"
    ),
    PlacementSpec("home_care", 15, (150, 600), "Home care visits", "Home Care"),
    PlacementSpec("day_services", 9, (80, 400), "Day services", "Day Opportunities"),
    PlacementSpec("direct_payment", 8, (100, 700), "Direct payment for personal support", ""),
    PlacementSpec(
        "nursing", 7, (1000, 2200), "Nursing home placement", "Nursing Home Ltd"
    ),
    PlacementSpec("other", 7, (50, 500), "Community support and recovery work", "Recovery CIC"),
)  # fmt: skip
ALONGSIDE = ("day_services", "home_care", "direct_payment", "other")
PACKAGES_PER_PERSON = ((1, 2, 3), (75, 19, 6))
# The joint funding panel's split of a package (the council's percentage): half each by
# default, others by the person's needs.
FUNDING_SPLITS = (("50", 60), ("70", 10), ("30", 8), ("60", 7), ("40", 6), ("100", 5), ("0", 4))
FUNDING_PANEL = "Joint funding panel (council and ICB)"
