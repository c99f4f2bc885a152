"""Data-quality checks, written once: each reads a partnership's quarter and says what it
found and where to fix it. The return's check page, the sign-off page and the agreement page
show the same flags, each with the explanation a commissioner may have recorded for it.

A check is a function (agreement, quarter, settings) -> [Flag]; `CHECKS` lists them.
"""

from dataclasses import dataclass, replace

from django.db.models import Q
from django.urls import reverse

from budgets.models import Contribution, ContributionOutturn, PooledBudget
from caseload.models import CaseloadSnapshot
from core.formatting import count, long_date
from dashboards.models import FlagExplanation, QualitySettings
from partnerships.permissions import can
from s117.models import RegisterEntry


@dataclass(frozen=True)
class Flag:
    check: str  # the check's code
    key: str  # what it is about, stable across quarters: "team:12"
    text: str  # what the check found
    fix: str  # where to put it right, in words
    url: str  # ... and the page
    needs: str = "view_dashboard"  # the action (partnerships.permissions) that may see it
    explanation: FlagExplanation | None = None


def settings_for(agreement) -> QualitySettings:
    """The partnership's thresholds, or the defaults (unsaved) if it has set none."""
    return QualitySettings.objects.filter(agreement=agreement).first() or QualitySettings(
        agreement=agreement
    )


def systems_disagree(agreement, quarter, settings) -> list[Flag]:
    """A team's counts in two case systems far apart, or a team in one system and not the
    other, at the quarter's end."""
    counts: dict[int, dict[str, int]] = {}
    names: dict[int, str] = {}
    for row in CaseloadSnapshot.objects.filter(
        team__agreement=agreement, as_at=quarter.end_date
    ).values("team_id", "team__name", "source_system__name", "open_cases"):
        counts.setdefault(row["team_id"], {})[row["source_system__name"]] = row["open_cases"]
        names[row["team_id"]] = row["team__name"]
    systems = sorted({system for by_system in counts.values() for system in by_system})
    url = reverse("caseload", args=[agreement.slug]) + f"?period={quarter.label}"
    flags = []
    for team_id, by_system in counts.items():
        found = _apart(names[team_id], by_system, systems, settings.systems_apart_percent)
        if found:
            fix = "Check both systems' extracts for the team, then correct the return"
            flags.append(Flag("systems_disagree", f"team:{team_id}", found, fix, url))
    return flags


def _apart(team: str, by_system: dict[str, int], systems: list[str], percent: int) -> str:
    missing = [system for system in systems if system not in by_system]
    if missing and len(systems) > 1:
        return f"{team} has open cases in {', '.join(by_system)} but none recorded in " + (
            ", ".join(missing)
        )
    if len(by_system) < 2:
        return ""
    low, high = min(by_system.values()), max(by_system.values())
    if high == 0 or (high - low) * 100 <= percent * high:
        return ""
    shown = ", ".join(f"{count(value)} in {system}" for system, value in sorted(by_system.items()))
    return f"{team}'s case systems are more than {percent}% apart: {shown}"


def forecast_out_of_date(agreement, quarter, settings) -> list[Flag]:
    """A partner whose latest forecast for the year is from an earlier quarter than this."""
    pool = PooledBudget.objects.filter(
        agreement=agreement, financial_year_id=quarter.financial_year_id
    ).first()
    if pool is None:
        return []
    latest: dict[str, int] = {}
    for partner, number in ContributionOutturn.objects.filter(
        contribution__pooled_budget=pool, quarter__number__lte=quarter.number
    ).values_list("contribution__partner__short_name", "quarter__number"):
        latest[partner] = max(number, latest.get(partner, 0))
    url = reverse("budget", args=[agreement.slug]) + f"?period={quarter.label}"
    flags = []
    for contribution in Contribution.objects.filter(pooled_budget=pool).select_related("partner"):
        partner = contribution.partner.short_name
        reported = latest.get(partner)
        if reported == quarter.number:
            continue
        found = (
            f"{partner} has reported no forecast for {quarter.financial_year.label} yet"
            if reported is None
            else f"{partner}'s latest forecast is from Q{reported}, not Q{quarter.number}"
        )
        fix = f"Ask {partner} for its Q{quarter.number} forecast outturn"
        key = f"partner:{contribution.partner_id}"
        flags.append(Flag("forecast_out_of_date", key, found, fix, url))
    return flags


def risk_shares_dont_sum(agreement, quarter, settings) -> list[Flag]:
    """A pool with fixed risk shares that don't add up to 100%."""
    pool = PooledBudget.objects.filter(
        agreement=agreement, financial_year_id=quarter.financial_year_id, risk_share_rule="fixed"
    ).first()
    if pool is None:
        return []
    shares = [c.risk_share_percent for c in pool.contributions.all()]
    total = sum((share or 0 for share in shares), 0)
    if None not in shares and total == 100:
        return []
    year = pool.financial_year.label
    found = f"The {year} pool's fixed risk shares add up to {total}%, not 100%"
    url = reverse("budget", args=[agreement.slug]) + f"?period={quarter.label}"
    return [Flag("risk_shares_dont_sum", f"pool:{pool.pk}", found, "Correct the shares", url)]


def reviews_overdue(agreement, quarter, settings) -> list[Flag]:
    """People on the s117 register whose review was due before the quarter ended."""
    day = quarter.end_date
    overdue = RegisterEntry.objects.filter(
        RegisterEntry.overdue_for_review(day), agreement=agreement
    ).count()
    if not overdue:
        return []
    found = f"{count(overdue)} s117 review{'s' if overdue != 1 else ''} overdue at {long_date(day)}"
    url = reverse("s117_register", args=[agreement.slug])
    fix = "Review them, or record the reviews"
    return [Flag("reviews_overdue", "register", found, fix, url, needs="view_s117_counts")]


CHECKS = (systems_disagree, forecast_out_of_date, risk_shares_dont_sum, reviews_overdue)


def flags_for(user, agreement, quarter) -> list[Flag]:
    """Every check's flags for the quarter that `user` may see, each with its explanation
    if one was recorded."""
    settings = settings_for(agreement)
    flags = [
        flag
        for check in CHECKS
        for flag in check(agreement, quarter, settings)
        if can(user, flag.needs, agreement)
    ]
    explained = {
        (e.check_code, e.key): e
        for e in FlagExplanation.objects.filter(agreement=agreement, quarter=quarter).filter(
            Q(check_code__in={flag.check for flag in flags})
        )
    }
    return [replace(flag, explanation=explained.get((flag.check, flag.key))) for flag in flags]
