from .agreements import (
    Agreement,
    AgreementPartner,
    AgreementTerm,
    ApprovalThreshold,
    Decision,
    ExtensionOption,
    Proposal,
)
from .governance import GovernanceBody, Meeting
from .membership import Membership, Role
from .organisations import Organisation
from .performance import KPI, KPIValue, ProgressNote, Recommendation, Review
from .periods import FinancialYear, Quarter
from .uploads import PendingUpload

__all__ = [
    "KPI",
    "Agreement",
    "AgreementPartner",
    "AgreementTerm",
    "ApprovalThreshold",
    "Decision",
    "ExtensionOption",
    "FinancialYear",
    "GovernanceBody",
    "KPIValue",
    "Meeting",
    "Membership",
    "Organisation",
    "PendingUpload",
    "ProgressNote",
    "Proposal",
    "Quarter",
    "Recommendation",
    "Review",
    "Role",
]
