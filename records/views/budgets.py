"""Pooled budgets year by year: the list, setting a new year's budget, and revising one;
adding a fund of several pots to a year, revising a fund and setting its agreed shares."""

import re

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from budgets.funds import Change, Move, set_agreed_shares
from budgets.funds import add_fund as add_fund_action
from budgets.funds import revise_fund as revise_fund_action
from budgets.history import budget_changes
from budgets.models import PooledBudget
from budgets.selectors import budget_before, budget_for_year, budgets_by_year
from budgets.shares import as_percent
from budgets.years import next_year, years_in_term, years_to_set
from core.formatting import financial_year_label, money
from core.periods import financial_year_dates, financial_year_start
from partnerships.dashboard import section_context
from partnerships.models import AgreementPartner
from partnerships.permissions import can, partnership_view
from records.actions.budgets import BudgetChangedMeanwhile, fingerprint
from records.actions.budgets import revise_pooled_budget as revise_budget
from records.actions.budgets import set_pooled_budget as set_budget
from records.forms.budgets import PooledBudgetForm
from records.forms.fund_setup import AgreedSharesForm, NewFundForm
from records.forms.funds import FundRevisionForm

_YEAR_IN_URL = re.compile(r"^(\d{4})-(\d{2})$")
_CHANGED_MEANWHILE = (
    "Someone else changed the {year} budget after you opened this page, so nothing was "
    "saved. The form now shows the budget as it stands: make your change again."
)


def year_slug(start_year: int) -> str:
    """2023/24 as it sits in an address: 2023-24."""
    return financial_year_label(start_year).replace("/", "-")


def _partners(agreement, start_year: int | None = None) -> list:
    """The agreement's partner organisations, host first (one query): every one it has
    had, or with `start_year` those that were partners for any of that year (a CCG to
    June 2022, its ICB from July)."""
    rows = AgreementPartner.objects.filter(agreement=agreement)
    if start_year is not None:
        rows = rows.during(*financial_year_dates(start_year))
    return [row.organisation for row in rows.select_related("organisation")]


def _context(request, agreement, **extra) -> dict:
    return section_context(request, agreement, "budget", None) | extra


@partnership_view("view_dashboard")
def pooled_budgets(request, agreement):
    """Each year's planned pool and every partner's planned contribution and share."""
    plans = budgets_by_year(agreement)
    partners = _partners(agreement)
    may_set = can(request.user, "set_budget", agreement)
    taken = {plan.pool.financial_year.start_year for plan in plans}
    upcoming = next_year(agreement, taken, today_year=financial_year_start(timezone.localdate()))
    funds_a_year: dict[int, int] = {}
    for plan in plans:
        year = plan.pool.financial_year.start_year
        funds_a_year[year] = funds_a_year.get(year, 0) + 1
    rows = [
        {
            "label": plan.pool.financial_year.label,
            "fund": plan.pool.name
            if funds_a_year[plan.pool.financial_year.start_year] > 1
            or plan.pool.name != "Pooled budget"
            else "",
            "fund_id": plan.pool.pk,
            # The year's form revises a year of one fund of one pot, partner by partner; a
            # fund of several pots, or a year of several funds, is revised by fund.
            "by_year": funds_a_year[plan.pool.financial_year.start_year] == 1 and plan.single_pot,
            "slug": year_slug(plan.pool.financial_year.start_year),
            "rule": plan.pool.get_risk_share_rule_display(),
            "scope": plan.pool.scope,
            "total": money(plan.total),
            "partners": [
                (money(plan.planned[o.pk]), f"{as_percent(plan.shares[o.pk])}%")
                if o.pk in plan.planned and plan.shares
                else (money(plan.planned.get(o.pk), missing="No contribution"), "")
                for o in partners
            ],
        }
        for plan in plans
    ]
    context = _context(
        request,
        agreement,
        rows=rows,
        partners=partners,
        may_set=may_set,
        upcoming=(upcoming, financial_year_label(upcoming)) if upcoming is not None else None,
        others_to_set=may_set and bool(set(years_to_set(agreement, taken)) - {upcoming}),
    )
    return render(request, "records/budgets_list.html", context)


@partnership_view("set_budget")
def set_pooled_budget(request, agreement):
    """Set a year's budget, its figures starting from the latest year before it."""
    taken = set(agreement.pooled_budgets.values_list("financial_year__start_year", flat=True))
    years = years_to_set(agreement, taken)
    today = timezone.localdate()
    chosen = (
        _asked_year(request, years)
        or next_year(agreement, taken, today_year=financial_year_start(today))
        or (years[0] if years else None)
    )
    partners = _partners(agreement, chosen)
    before = budget_before(agreement, chosen) if chosen is not None else None
    initial, previous = _prefill(before, with_dates=False)
    form = PooledBudgetForm(
        request.POST or None,
        agreement=agreement,
        partners=partners,
        taken=taken,
        years=years,
        previous=previous,
        initial=initial | {"financial_year": str(chosen or "")},
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        try:
            pool = set_budget(
                by=request.user,
                agreement=agreement,
                start_year=form.cleaned_data["financial_year"],
                risk_share_rule=form.cleaned_data["risk_share_rule"],
                scope=form.cleaned_data["scope"],
                notes=form.cleaned_data["notes"],
                contributions=form.contributions(),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, f"The {pool.financial_year.label} pooled budget is set.")
            return redirect("pooled_budgets", agreement.slug)
    context = _context(request, agreement, form=form, years=years, before=before)
    return render(request, "records/budgets_set.html", context)


@partnership_view("set_budget")
def revise_pooled_budget(request, agreement, budget_year):
    """Revise a year's budget during the year, with a reason, and see its history."""
    pool = _pool_in_url(agreement, budget_year)
    partners = _partners(agreement, pool.financial_year.start_year)
    contributions = {c.partner_id: c for c in pool.contributions.all()}
    # A former partner's contribution stays on the form, so a revision can't drop it.
    known = {o.pk for o in partners}
    partners += [c.partner for c in contributions.values() if c.partner_id not in known]
    initial, _ = _prefill(pool, with_dates=True)
    # What the commissioner saw: kept through a refused save, so that a change made by
    # someone else meanwhile is still noticed when it is saved.
    seen = request.POST.get("seen") or fingerprint(pool, contributions.values())
    form = PooledBudgetForm(
        request.POST or None,
        agreement=agreement,
        partners=partners,
        taken=set(),
        years=None,
        kept=contributions,
        initial=initial | {"notes": pool.notes},
        today=timezone.localdate(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            changed = revise_budget(
                by=request.user,
                pooled_budget=pool,
                risk_share_rule=form.cleaned_data["risk_share_rule"],
                scope=form.cleaned_data["scope"],
                notes=form.cleaned_data["notes"],
                contributions=form.contributions(),
                reason=form.cleaned_data["reason"],
                seen=seen,
            )
        except BudgetChangedMeanwhile:
            messages.error(request, _CHANGED_MEANWHILE.format(year=pool.financial_year.label))
            return redirect("revise_pooled_budget", agreement.slug, budget_year)
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            if changed:
                messages.success(
                    request, f"The {pool.financial_year.label} pooled budget is revised."
                )
                return redirect("revise_pooled_budget", agreement.slug, budget_year)
            form.add_error(
                None,
                "Nothing was changed, so nothing was saved: change a figure "
                "or go back to the budgets",
            )
    context = _context(
        request, agreement, form=form, pool=pool, seen=seen, changes=budget_changes(pool)
    )
    return render(request, "records/budgets_revise.html", context)


def _asked_year(request, years: list[int]) -> int | None:
    asked = request.POST.get("financial_year") or request.GET.get("year", "")
    return int(asked) if asked.isdigit() and int(asked) in years else None


def _pool_in_url(agreement, budget_year: str):
    match = _YEAR_IN_URL.match(budget_year)
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise Http404("Not a financial year.")
    pool = budget_for_year(agreement, int(match[1]))
    if pool is None:
        raise Http404(f"No pooled budget for {financial_year_label(int(match[1]))}.")
    year = agreement.pooled_budgets.filter(financial_year=pool.financial_year).aggregate(
        funds=Count("pk", distinct=True), pots=Count("pots", distinct=True)
    )
    if year["funds"] > 1 or year["pots"] > 1:
        raise Http404(
            f"{pool.financial_year.label} has several funds or pots: revise each fund on its "
            "own page."
        )
    return pool


def _prefill(pool, *, with_dates: bool) -> tuple[dict, dict]:
    """A budget's figures as the form's starting values, and (for a new year) what each
    partner's figure was prefilled from, for its hint."""
    if pool is None:
        return {}, {}
    initial = {"risk_share_rule": pool.risk_share_rule, "scope": pool.scope}
    previous = {}
    for c in pool.contributions.all():
        initial[f"planned_{c.partner_id}"] = f"{c.planned:.2f}"
        if c.risk_share_percent is not None:
            initial[f"share_{c.partner_id}"] = f"{c.risk_share_percent:.2f}"
        if with_dates and c.agreed_on:
            day = c.agreed_on
            initial |= {
                f"agreed_{c.partner_id}_day": str(day.day),
                f"agreed_{c.partner_id}_month": str(day.month),
                f"agreed_{c.partner_id}_year": str(day.year),
            }
        previous[c.partner_id] = f"{pool.financial_year.label}'s planned {money(c.planned)}"
    return initial, previous


@partnership_view("set_budget")
def revise_fund(request, agreement, fund_id):
    """Revise one fund in year: changes to partners' contributions to its pots and
    virements between them, with the date, the reason and the decision behind them."""
    fund = get_object_or_404(
        PooledBudget.objects.select_related("financial_year"), pk=fund_id, agreement=agreement
    )
    contributions = list(
        fund.contributions.select_related("partner", "pot").order_by(
            "pot__position", "pot__name", "partner__short_name"
        )
    )
    form = FundRevisionForm(
        request.POST or None,
        contributions=contributions,
        pots=fund.pots.order_by("position", "name"),
        partners=_partners(agreement),
        decisions=agreement.decisions.order_by("-decided_on"),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            revise_fund_action(
                by=request.user,
                fund=fund,
                made_on=data["made_on"],
                reason=data["reason"],
                decision=data["decision_row"],
                changes=[Change(pot, partner, amount) for pot, partner, amount in data["changes"]],
                virements=[Move(*move) for move in data["moves"]],
            )
        except ValidationError as error:
            found = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
            for field, said in found.items():
                for message in said:
                    form.add_error(field if field in form.fields else None, message)
        else:
            messages.success(request, f"{fund.name} {fund.financial_year.label} is revised.")
            return redirect(_budget_page(agreement, fund))
    context = _context(request, agreement, fund=fund, form=form)
    return render(request, "records/budgets_revise_fund.html", context)


@partnership_view("set_budget")
def add_fund(request, agreement):
    """Add a fund to a year of the term: its name, scope and risk-share rule, its pots
    (pooled or aligned) with each partner's contribution to each, and any agreed shares."""
    years = list(reversed(years_in_term(agreement)))
    this_year = financial_year_start(timezone.localdate())
    form = NewFundForm(
        request.POST or None,
        years=years,
        partners=_partners(agreement),
        initial={"financial_year": str(this_year if this_year in years else years[0])},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fund = add_fund_action(
                by=request.user,
                agreement=agreement,
                start_year=data["financial_year"],
                name=data["name"],
                pots=data["pots"],
                risk_share_rule=data["risk_share_rule"],
                scope=data["scope"],
                agreed_shares=data["shares"] or None,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, f"{fund.name} {fund.financial_year.label} is added.")
            return redirect(_budget_page(agreement, fund))
    context = _context(request, agreement, form=form)
    return render(request, "records/budgets_add_fund.html", context)


@partnership_view("set_budget")
def fund_shares(request, agreement, fund_id):
    """Set, change or clear the partners' agreed shares of a fund (percentages that add up
    to 100.00%); every change is kept in the shares' history."""
    fund = get_object_or_404(
        PooledBudget.objects.select_related("financial_year"), pk=fund_id, agreement=agreement
    )
    shares = {share.partner_id: share.percent for share in fund.agreed_shares.all()}
    contributing = set(fund.contributions.values_list("partner_id", flat=True))
    partners = [o for o in _partners(agreement) if o.pk in contributing or o.pk in shares]
    form = AgreedSharesForm(
        request.POST or None,
        partners=partners,
        initial={f"share_{pk}": f"{percent:.2f}" for pk, percent in shares.items()},
    )
    if request.method == "POST" and form.is_valid():
        percents = form.cleaned_data["percents"]
        try:
            set_agreed_shares(by=request.user, fund=fund, percents=percents)
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            done = "saved" if percents else "cleared"
            messages.success(
                request,
                f"The agreed shares of {fund.name} {fund.financial_year.label} are {done}.",
            )
            return redirect(_budget_page(agreement, fund))
    context = _context(request, agreement, fund=fund, form=form)
    return render(request, "records/budgets_fund_shares.html", context)


def _budget_page(agreement, fund) -> str:
    """The budget page at the quarter of the fund's year that today is in."""
    return (
        reverse("budget", args=[agreement.slug])
        + f"?period={fund.financial_year.label}-Q{_quarter_now(fund)}"
    )


def _quarter_now(fund) -> int:
    """The quarter of the fund's year that today is in, or its last if the year is over."""
    today = timezone.localdate()
    year = fund.financial_year
    if today > year.end_date:
        return 4
    if today < year.start_date:
        return 1
    months = (today.year - year.start_year) * 12 + today.month - 4
    return months // 3 + 1
