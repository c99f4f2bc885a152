"""Every change to one year's pooled budget and its planned contributions: who made it,
when, what it was before and after, and the reason given for a revision."""

from dataclasses import dataclass

from budgets.models import Contribution, PooledBudget
from core.formatting import long_date, money

NO_USER = "no user recorded (a script or the demo loader)"
NOT_SET = "Not set"
RULES = dict(PooledBudget._meta.get_field("risk_share_rule").choices)


@dataclass(frozen=True)
class BudgetChange:
    when: object
    who: str
    what: str
    before: str | None  # None: it is new
    after: str
    reason: str


def _who(record) -> str:
    return record.history_user.get_username() if record.history_user else NO_USER


def _budget_figures(record) -> dict[str, str]:
    return {
        "Risk-share rule": RULES.get(record.risk_share_rule, record.risk_share_rule),
        "Scope": record.scope or NOT_SET,
        "Notes": record.notes or NOT_SET,
    }


def _contribution_figures(record) -> dict[str, str]:
    name = record.partner.short_name
    return {
        f"{name}'s planned contribution": money(record.planned),
        f"{name}'s fixed risk share": f"{record.risk_share_percent:.2f}%"
        if record.risk_share_percent is not None
        else NOT_SET,
        f"{name}'s contribution agreed on": long_date(record.agreed_on, missing=NOT_SET),
    }


def _diff(records, figures, created) -> list[BudgetChange]:
    """Each history row against the one before it for the same object, in Python. A new
    object is one change, summarised; a change that left every figure as it was (a save
    by a script, say) shows nothing."""
    found, previous = [], {}
    for record in records:
        now = figures(record)
        reason = record.history_change_reason or ""
        if record.id not in previous:
            what, summary = created(record, now)
            found.append(
                BudgetChange(record.history_date, _who(record), what, None, summary, reason)
            )
        else:
            found += [
                BudgetChange(
                    record.history_date,
                    _who(record),
                    what,
                    previous[record.id][what],
                    value,
                    reason,
                )
                for what, value in now.items()
                if previous[record.id][what] != value
            ]
        previous[record.id] = now
    return found


def _budget_created(record, figures) -> tuple[str, str]:
    return "Budget set", f"{figures['Risk-share rule']}; scope: {figures['Scope']}"


def _contribution_created(record, figures) -> tuple[str, str]:
    name = record.partner.short_name
    after = money(record.planned)
    if record.risk_share_percent is not None:
        after += f", fixed risk share {record.risk_share_percent:.2f}%"
    if record.agreed_on:
        after += f", agreed on {long_date(record.agreed_on)}"
    return f"{name}'s planned contribution", after


def budget_changes(pooled_budget: PooledBudget) -> list[BudgetChange]:
    """Newest first. Two queries: the budget's history and its contributions'."""
    budget_rows = (
        PooledBudget.history.filter(id=pooled_budget.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    contribution_rows = (
        Contribution.history.filter(pooled_budget_id=pooled_budget.pk)
        .select_related("history_user", "partner")
        .order_by("id", "history_date", "history_id")
    )
    found = _diff(budget_rows, _budget_figures, _budget_created)
    found += _diff(contribution_rows, _contribution_figures, _contribution_created)
    return sorted(found, key=lambda change: change.when, reverse=True)
