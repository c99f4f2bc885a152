"""Finding and removing national data: the agreements and organisations named
`national-…`, the deletion plan that lists every model that can hold a national row (children
before parents), and `delete_national`, which deletes those rows and their simple-history rows
in SQL, table by table, unless append-only rows (the s117 access log, published report
versions) refer to them."""

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
    StaffPost,
    Team,
)
from dashboards.models import FlagExplanation, QualitySettings
from partnerships.models import (
    KPI,
    Agreement,
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    ExtensionOption,
    GovernanceBody,
    KPIValue,
    Meeting,
    Membership,
    Organisation,
    PendingUpload,
    ProgressNote,
    Proposal,
    Recommendation,
    Review,
)
from reports.models import Paragraph, PublishedVersion, Report
from returns.models import QuarterlyReturn, ReturnSchedule, SectionState
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
from seed.national.common import PREFIX


class NationalDataError(Exception):
    """National data is in the way: already there, or holding rows that can't be deleted."""


def national_agreements():
    return Agreement.objects.filter(slug__startswith=PREFIX)


def national_organisations():
    return Organisation.objects.filter(name__startswith=PREFIX)


def national_data_exists() -> bool:
    return national_agreements().exists() or national_organisations().exists()


def deletion_plan() -> list[tuple[type, dict]]:
    """Every model that can hold a row of national data (including rows people add while
    benchmarking), children before parents, with the filter that finds those rows. A test
    checks that every model referring to one of these is listed."""
    agreements, organisations = national_agreements(), national_organisations()
    teams = Team.objects.filter(agreement__in=agreements)
    entries = RegisterEntry.objects.filter(agreement__in=agreements)
    pools = PooledBudget.objects.filter(agreement__in=agreements)
    reviews = Review.objects.filter(agreement__in=agreements)
    return [
        (Paragraph, {"report__agreement__in": agreements}),
        (Report, {"agreement__in": agreements}),
        (S117Review, {"entry__in": entries}),
        (FundingDecision, {"package__entry__in": entries}),
        (AftercarePackage, {"entry__in": entries}),
        (Responsibility, {"entry__in": entries}),
        (RegisterEntry, {"agreement__in": agreements}),
        (RegisterCount, {"team__in": teams}),
        (CaseloadSnapshot, {"team__in": teams}),
        (CaseloadOverlap, {"team__in": teams}),
        (CareActActivity, {"team__in": teams}),
        (PeriodActivity, {"team__in": teams}),
        (StaffPost, {"team__in": teams}),
        (Team, {"agreement__in": agreements}),
        (Virement, {"revision__pooled_budget__in": pools}),
        (RevisionChange, {"revision__pooled_budget__in": pools}),
        (BudgetRevision, {"pooled_budget__in": pools}),
        (AgreedShare, {"pooled_budget__in": pools}),
        (ContributionOutturn, {"contribution__pooled_budget__in": pools}),
        (Contribution, {"pooled_budget__in": pools}),
        (Pot, {"pooled_budget__in": pools}),
        (PooledBudget, {"agreement__in": agreements}),
        (KPIValue, {"kpi__agreement__in": agreements}),
        (KPI, {"agreement__in": agreements}),
        (ProgressNote, {"recommendation__review__in": reviews}),
        (Recommendation, {"review__in": reviews}),
        (Review, {"agreement__in": agreements}),
        (Meeting, {"body__agreement__in": agreements}),
        (GovernanceBody, {"agreement__in": agreements}),
        (SectionState, {"quarterly_return__agreement__in": agreements}),
        (QuarterlyReturn, {"agreement__in": agreements}),
        (FlagExplanation, {"agreement__in": agreements}),
        (QualitySettings, {"agreement__in": agreements}),
        (ReturnSchedule, {"agreement__in": agreements}),
        (PendingUpload, {"agreement__in": agreements}),
        (ValueProjection, {"agreement__in": agreements}),
        (ExtensionOption, {"agreement__in": agreements}),
        (AgreementTerm, {"agreement__in": agreements}),
        (Proposal, {"agreement__in": agreements}),
        (Decision, {"agreement__in": agreements}),
        (AgreementPartner, {"agreement__in": agreements}),
        (Membership, {"agreement__in": agreements}),
        (Agreement, {"slug__startswith": PREFIX}),
        (ApprovalThreshold, {"organisation__in": organisations}),
        (Organisation, {"name__startswith": PREFIX}),
    ]


def append_only_rows() -> list[str]:
    """Rows about national data that may never be deleted: the s117 access and export logs
    and published report versions are append-only (on PostgreSQL the database refuses)."""
    agreements = national_agreements()
    found = {
        "s117 access log entries": AccessLog.objects.filter(entry__agreement__in=agreements),
        "s117 export log entries": ExportLog.objects.filter(agreement__in=agreements),
        "published report versions": PublishedVersion.objects.filter(
            report__agreement__in=agreements
        ),
    }
    return [f"{rows.count()} {name}" for name, rows in found.items() if rows.exists()]


def delete_national() -> dict[str, int]:
    """Delete national rows and their simple-history rows table by table, in SQL.
    QuerySet.delete() would load every row to send signals, and simple-history would
    answer each with a new history row."""
    kept = append_only_rows()
    if kept:
        raise NationalDataError(
            f"The national data can't be replaced: it has {' and '.join(kept)}, which are "
            "append-only. Generate into a fresh database instead."
        )
    deleted = {}
    for model, lookup in deletion_plan():
        history = getattr(model, "history", None)
        if history is not None:
            history.model.objects.filter(**lookup)._raw_delete(history.db)
        count = model.objects.filter(**lookup)._raw_delete(model.objects.db)
        if count:
            deleted[model._meta.label] = count
    return deleted
