"""The year's budget, as a return sets and revises it: each partner's contribution to each
pot of each fund (the budget as it stands), each partner's agreed share of a fund, the
year's virements between pots, and the revision that changes them (its reason, the day it
was agreed and the decision behind it).

A year with no budget yet lists each partner of the agreement: the budget given is the
budget as set, a fund of one pot. A fund, or a pot of a new fund, named in the file that
the year doesn't have is set there and then (by "Fund / Pot / Partner"). Once a fund is
set, every change to it is a revision: a contribution's `budget` is its figure after the
revision, a `virement` row is the year's total a partner moved from one pot to another
(so uploading the same file twice changes nothing), and the `revision` rows say why. The
writes are the budgets app's own (`budgets.funds`), in the return's transaction."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from budgets import funds as fund_writes
from budgets.models import AgreedShare, BudgetRevision, Contribution, PooledBudget, Pot, Virement
from budgets.years import year_problem
from core import tabular
from core.formatting import long_date
from returns.sections.base import Change, Figure, Kind, Refused, Section, Source
from returns.sections.contributions import item_names

BUDGET = "budget"
SHARE = "agreed_share"
VIREMENT = "virement"
REVISION = "revision"
REVISION_MEASURES = {"reason": Kind.NOTE, "made_on": Kind.DATE, "decision": Kind.CHOICE}
DEFAULT = "Pooled budget"  # the fund, and its one pot, of a year set as a single pool
ARROWS = ("->", "→")


def _where(fund: str, pot: str | None = None) -> str:
    """How history names a fund's or pot's figures: nothing for a single pool."""
    if fund == DEFAULT and pot in (None, DEFAULT):
        return ""
    if pot is None or pot == fund:
        return f"{fund} / "
    return f"{fund} / {pot} / "


def _contribution_labels(row) -> list[tuple[str, object]]:
    where = _where(row.pooled_budget.name, row.pot.name)
    return [(f"{where}{row.partner.short_name} budget", row.planned)]


def _share_labels(row) -> list[tuple[str, object]]:
    where = _where(row.pooled_budget.name)
    return [(f"{where}{row.partner.short_name} agreed share", row.percent)]


def _of_year(prefix: str):
    return lambda agreement, quarter: {
        f"{prefix}agreement": agreement,
        f"{prefix}financial_year_id": quarter.financial_year_id,
    }


def _parts(item: str) -> list[str]:
    return [part.strip() for part in item.split("/")]


@dataclass(frozen=True)
class Place:
    """Where a contribution named in a file goes: a fund and pot (either may be new)."""

    fund: str
    pot: str
    partner: object  # Organisation


@dataclass
class _FundWork:
    """What a file changes in one fund, gathered before anything is written."""

    fund: object = None  # the PooledBudget; None for a fund the file sets
    name: str = ""
    pots: dict = field(default_factory=dict)  # new fund: pot name -> {partner: amount}
    changes: list = field(default_factory=list)  # (pot name, partner, amount)
    moves: list = field(default_factory=list)  # (partner, from pot, to pot, amount)
    shares: dict = field(default_factory=dict)  # partner -> percent


class Budget(Section):
    name = "budget"
    title = "Pooled budget: the year's budget (£), agreed shares (%) and revisions"
    history = (
        Source(Contribution, ("partner", "pot", "pooled_budget"), _contribution_labels,
               _of_year("pooled_budget__")),
        Source(AgreedShare, ("partner", "pooled_budget"), _share_labels,
               _of_year("pooled_budget__")),
    )  # fmt: skip

    def __init__(self, context):
        super().__init__(context)
        agreement, year_id = context.agreement, context.quarter.financial_year_id
        self.year = context.quarter.financial_year
        # Every fund has a pot (a fund set as a single pool is a fund of one pot): the
        # year's funds are read with their pots, in one query.
        self.funds: dict[str, PooledBudget] = {}
        self.pots: dict[int, dict[str, Pot]] = {}
        for pot in (
            Pot.objects.filter(
                pooled_budget__agreement=agreement, pooled_budget__financial_year_id=year_id
            )
            .select_related("pooled_budget")
            .order_by("pooled_budget__position", "pooled_budget__name", "position", "name")
        ):
            fund = self.funds.setdefault(pot.pooled_budget.name, pot.pooled_budget)
            self.pots.setdefault(fund.pk, {})[pot.name] = pot
        contributions = (
            Contribution.objects.filter(pooled_budget__in=self.funds.values())
            .select_related("partner", "pot", "pooled_budget")
            .order_by()
        )
        self.contributions = item_names(contributions)
        self.by_place = {(c.pot_id, c.partner_id): c for c in self.contributions.values()}
        self.partners = {
            role.organisation.short_name: role.organisation
            for role in agreement.partners.select_related("organisation").order_by()
        }
        self.single = bool(self.contributions) and all(
            " / " not in name for name in self.contributions
        )
        self.shares = {
            (share.pooled_budget_id, share.partner_id): share.percent
            for share in AgreedShare.objects.filter(pooled_budget__in=self.funds.values())
        }
        self.moved = {
            (row["revision__pooled_budget"], row["from_pot"], row["to_pot"], row["partner"]): row[
                "total"
            ]
            for row in Virement.objects.filter(revision__pooled_budget__in=self.funds.values())
            .values("revision__pooled_budget", "from_pot", "to_pot", "partner")
            .annotate(total=Sum("amount"))
            .order_by()
        }
        self.last_revision = (
            BudgetRevision.objects.filter(pooled_budget__in=self.funds.values())
            .select_related("decision")
            .order_by("-made_on", "-pk")
            .first()
            if self.funds
            else None
        )
        self.decisions = {
            (decision.reference or f"decision {decision.pk}"): decision
            for decision in agreement.decisions.order_by("decided_on", "pk")
        }
        self.places: dict[str, Place] = {}  # items the file names that the year lacks

    # Naming ------------------------------------------------------------------------------

    def _share_item(self, fund_name: str, partner: str) -> str:
        return (
            partner
            if self.single or (not self.funds and fund_name == DEFAULT)
            else (f"{fund_name} / {partner}")
        )

    def _budget_figure(self, item: str, value) -> Figure:
        return Figure(self.name, item, BUDGET, f"{item} budget", Kind.MONEY, value)

    def _share_figure(self, item: str, value) -> Figure:
        return Figure(self.name, item, SHARE, f"{item} agreed share", Kind.PERCENT, value)

    def _virement_item(self, fund, from_pot, to_pot, partner) -> str:
        return f"{fund.name} / {from_pot.name} -> {to_pot.name} / {partner.short_name}"

    def _revision_figure(self, measure: str) -> Figure:
        last = self.last_revision
        value = None
        if last is not None:
            value = {
                "reason": last.reason,
                "made_on": last.made_on,
                "decision": self._decision_code(last.decision),
            }[measure]
        choices = ()
        if measure == "decision":
            choices = tuple((code, self._decision_label(d)) for code, d in self.decisions.items())
        label = {
            "reason": "Budget revision: why",
            "made_on": "Budget revision: the day it was agreed",
            "decision": "Budget revision: the decision behind it",
        }[measure]
        return Figure(self.name, REVISION, measure, label, REVISION_MEASURES[measure], value,
                      choices)  # fmt: skip

    def _decision_code(self, decision):
        if decision is None:
            return None
        return next((code for code, d in self.decisions.items() if d.pk == decision.pk), None)

    @staticmethod
    def _decision_label(decision) -> str:
        reference = f"{decision.reference}: " if decision.reference else ""
        return f"{reference}{decision.body}, {long_date(decision.decided_on)}"

    # The template and the form -------------------------------------------------------------

    def figures(self) -> list[Figure]:
        if not self.funds:
            partners = sorted(self.partners)
            figures = [self._budget_figure(name, None) for name in partners]
            if len(partners) > 1:
                figures += [self._share_figure(name, None) for name in partners]
            return figures
        figures = [
            self._budget_figure(name, c.planned) for name, c in sorted(self.contributions.items())
        ]
        for fund in self.funds.values():
            contributing = sorted(
                {c.partner for c in self.contributions.values() if c.pooled_budget_id == fund.pk},
                key=lambda partner: partner.short_name,
            )
            if len(contributing) > 1:
                figures += [
                    self._share_figure(
                        self._share_item(fund.name, partner.short_name),
                        self.shares.get((fund.pk, partner.pk)),
                    )
                    for partner in contributing
                ]
        pots = {pot.pk: pot for named in self.pots.values() for pot in named.values()}
        funds = {fund.pk: fund for fund in self.funds.values()}
        by_pk = {partner.pk: partner for partner in self.partners.values()}
        for (fund_pk, from_pk, to_pk, partner_pk), total in sorted(self.moved.items()):
            if partner_pk in by_pk:
                item = self._virement_item(
                    funds[fund_pk], pots[from_pk], pots[to_pk], by_pk[partner_pk]
                )
                figures.append(self._virement_figure(item, total))
        return figures + [self._revision_figure(measure) for measure in REVISION_MEASURES]

    def _virement_figure(self, item: str, value) -> Figure:
        return Figure(
            self.name, item, VIREMENT, f"{item.replace(' -> ', ' to ')} virement (the year's)",
            Kind.MONEY, value,
        )  # fmt: skip

    def cannot_start_because(self) -> str:
        return "The agreement has no partners to contribute to a budget."

    def recorded(self) -> bool:
        return bool(self.contributions)

    # Reading a file ------------------------------------------------------------------------

    def find(self, item: str, measure: str) -> Figure:
        if item.strip().lower() == REVISION:
            if measure not in REVISION_MEASURES:
                raise Refused("measure", f"should be one of {', '.join(REVISION_MEASURES)}.")
            if not self.funds:
                raise Refused(
                    "item",
                    f"revises a budget, and {self.year.label} has none yet: give each "
                    "partner's budget as set, with no revision rows.",
                )
            return self._revision_figure(measure)
        if measure == BUDGET:
            return self._find_budget(" / ".join(_parts(item)))
        if measure == SHARE:
            return self._find_share(_parts(item))
        if measure == VIREMENT:
            return self._find_virement(item)
        raise Refused("measure", f"should be {BUDGET}, {SHARE} or {VIREMENT} (or a revision's).")

    def _partner(self, name: str):
        if name in self.partners:
            return self.partners[name]
        known = ", ".join(sorted(self.partners)) or "none"
        raise Refused("item", f"should end with a partner of the agreement (known: {known}).")

    def _find_budget(self, item: str) -> Figure:
        if item in self.contributions:
            return self._budget_figure(item, self.contributions[item].planned)
        parts = item.split(" / ")
        if "" in parts or len(parts) > 3:
            raise Refused(
                "item",
                "should be a partner, or Fund / Partner, or Fund / Pot / Partner "
                f"(known: {', '.join(sorted(self.contributions)) or 'none yet'}).",
            )
        partner = self._partner(parts[-1])
        if len(parts) == 1:
            if self.funds and not self.single:
                raise Refused(
                    "item",
                    f"names a partner alone, but {self.year.label} has several funds or pots: "
                    "give Fund / Pot / Partner.",
                )
            fund = next(iter(self.funds), DEFAULT)
            pot = next(iter(self.pots[self.funds[fund].pk]), fund) if self.funds else DEFAULT
        elif len(parts) == 2:
            fund = parts[0]
            known = self.pots[self.funds[fund].pk] if fund in self.funds else {}
            if len(known) > 1:
                raise Refused(
                    "item",
                    f"names {fund}, which has several pots: give {fund} / Pot / Partner "
                    f"(pots: {', '.join(known)}).",
                )
            pot = next(iter(known), fund)
        else:
            fund, pot = parts[0], parts[1]
        self.places[item] = Place(fund, pot, partner)
        return self._budget_figure(item, None)

    def _find_share(self, parts: list[str]) -> Figure:
        if "" in parts or len(parts) > 2:
            raise Refused("item", "should be a partner, or Fund / Partner, for an agreed share.")
        partner = self._partner(parts[-1])
        if len(parts) == 1 and self.funds and not self.single:
            raise Refused(
                "item", f"{self.year.label} has several funds: give Fund / Partner for a share."
            )
        fund_name = parts[0] if len(parts) == 2 else next(iter(self.funds), DEFAULT)
        item = self._share_item(fund_name, partner.short_name)
        fund = self.funds.get(fund_name)
        value = self.shares.get((fund.pk, partner.pk)) if fund else None
        self.places[f"share:{item}"] = Place(fund_name, "", partner)
        return self._share_figure(item, value)

    def _share_place(self, item: str) -> Place:
        if f"share:{item}" not in self.places:  # entered in the form, not named by a file
            self._find_share(_parts(item))
        return self.places[f"share:{item}"]

    def _find_virement(self, item: str) -> Figure:
        text = item
        for arrow in ARROWS:
            text = text.replace(arrow, "\0")
        parts = _parts(text)
        pots = parts[1].split("\0") if len(parts) == 3 else []
        if len(pots) != 2:
            raise Refused(
                "item",
                "should be Fund / From pot -> To pot / Partner, such as "
                "Better Care Fund / Discharge funding -> Disabled facilities grant / RBC.",
            )
        fund = self.funds.get(parts[0])
        if fund is None:
            raise Refused(
                "item",
                f"should start with a fund of {self.year.label} "
                f"(known: {', '.join(self.funds) or 'none yet'}).",
            )
        named = self.pots[fund.pk]
        from_name, to_name = (pot.strip() for pot in pots)
        for name in (from_name, to_name):
            if name not in named:
                raise Refused(
                    "item", f"names {name}, not a pot of {fund.name} ({', '.join(named)})."
                )
        if from_name == to_name:
            raise Refused("item", "moves money between two pots: name two different pots.")
        partner = self._partner(parts[2])
        from_pot, to_pot = named[from_name], named[to_name]
        total = self.moved.get((fund.pk, from_pot.pk, to_pot.pk, partner.pk))
        return self._virement_figure(self._virement_item(fund, from_pot, to_pot, partner), total)

    def read(self, figure: Figure, text: str):
        if figure.kind == Kind.CHOICE:
            found = {code.lower(): code for code in self.decisions}.get(text.strip().lower())
            if found is None:
                known = ", ".join(self.decisions) or "none recorded"
                raise Refused("value", f"should be a decision about this agreement ({known}).")
            return found
        value = super().read(figure, text)
        if (
            figure.kind == Kind.NOTE
            and value != figure.value
            and value.startswith(tabular.FORMULA_PREFIXES)
        ):
            raise Refused("value", "starts like a formula (=, +, - or @): start it with a word.")
        return value

    # Checks across the file ----------------------------------------------------------------

    def _place(self, change: Change) -> tuple:
        """(fund name, pot name, partner, the contribution or None) a budget row is for."""
        contribution = self.contributions.get(change.item)
        if contribution is not None:
            return (contribution.pooled_budget.name, contribution.pot.name,
                    contribution.partner, contribution)  # fmt: skip
        if change.item not in self.places:  # entered in the form, not named by a file
            self._find_budget(change.item)
        place = self.places[change.item]
        fund = self.funds.get(place.fund)
        pot = self.pots[fund.pk].get(place.pot) if fund else None
        held = self.by_place.get((pot.pk, place.partner.pk)) if pot else None
        return place.fund, place.pot, place.partner, held

    def _virement_parts(self, item: str) -> tuple:
        fund_name, rest = item.split(" / ", 1)
        pots, partner = rest.rsplit(" / ", 1)
        from_name, to_name = pots.split(" -> ")
        fund = self.funds[fund_name]
        return (
            fund,
            self.pots[fund.pk][from_name],
            self.pots[fund.pk][to_name],
            self.partners[partner],
        )

    def check_together(self, changes: list[Change]) -> list[tuple[Change, str]]:
        mine = [c for c in changes if c.section == self.name]
        problems = []
        given = {c.measure: c for c in mine if c.item == REVISION}
        budgets = {c.item: c for c in mine if c.measure == BUDGET}
        moves = [c for c in mine if c.measure == VIREMENT and c.value != (c.before or 0)]
        revising = [
            c
            for c in budgets.values()
            if c.kind == "changed" or (c.kind == "new" and self._place(c)[0] in self.funds)
        ] + moves
        reason = given.get("reason")
        if revising and (reason is None or not str(reason.value).strip()):
            problems += [
                (
                    change,
                    "revises a budget already set: give the revision's reason (a row "
                    "with item revision, measure reason).",
                )
                for change in revising
            ]
        day = given.get("made_on")
        if day is not None and not self.year.start_date <= day.value <= self.year.end_date:
            problems.append(
                (day, f"should be a day within {self.year.label}: the year the budget is for.")
            )
        elif day is not None and day.value > timezone.localdate():
            problems.append((day, "is in the future: give the day the revision was agreed."))
        # A virement's pots show it: both budgets change, as the rows give them after it.
        for move in moves:
            _, from_pot, to_pot, partner = self._virement_parts(move.item)
            for pot in (from_pot, to_pot):
                key = (pot.pk, partner.pk)
                rows = [c for c in budgets.values() if self._held_key(c) == key]
                if not rows or rows[0].kind == "unchanged":
                    problems.append(
                        (
                            move,
                            f"moves money between pots, so {partner.short_name}'s budget for "
                            f"{pot.name} changes too: give it as it stands after the move.",
                        )
                    )
        problems += self._check_shares(mine)
        problems += self._check_new_funds(budgets)
        return problems

    def _held_key(self, change: Change):
        _, pot_name, partner, contribution = self._place(change)
        if contribution is not None:
            return (contribution.pot_id, contribution.partner_id)
        fund = self.funds.get(self._place(change)[0])
        pot = self.pots[fund.pk].get(pot_name) if fund else None
        return (pot.pk, partner.pk) if pot else None

    def _check_shares(self, mine: list[Change]) -> list[tuple[Change, str]]:
        by_fund: dict[str, list[Change]] = {}
        for change in mine:
            if change.measure == SHARE:
                by_fund.setdefault(self._share_place(change.item).fund, []).append(change)
        problems = []
        for fund_name, rows in by_fund.items():
            if all(row.kind == "unchanged" for row in rows):
                continue
            fund = self.funds.get(fund_name)
            percents = {
                partner_pk: percent
                for (fund_pk, partner_pk), percent in self.shares.items()
                if fund is not None and fund_pk == fund.pk
            }
            for row in rows:
                percents[self._share_place(row.item).partner.pk] = row.value
            total = sum(percents.values(), Decimal(0))
            if total != 100:
                problems += [
                    (row, f"makes the agreed shares of {fund_name} add up to {total:.2f}%: "
                          "they must add up to 100.00%.")
                    for row in rows
                ]  # fmt: skip
        return problems

    def _check_new_funds(self, budgets: dict[str, Change]) -> list[tuple[Change, str]]:
        """A fund the file sets is set whole: at least one pot with money promised."""
        problems = []
        if any(self._place(c)[0] not in self.funds for c in budgets.values()):
            problem = year_problem(self.context.agreement, self.year.start_year, set())
            if problem:
                problems += [
                    (c, problem) for c in budgets.values() if self._place(c)[0] not in self.funds
                ]
        return problems

    # Writing -------------------------------------------------------------------------------

    def write(self, writer, change: Change) -> None:
        """Gathered here and written together in `finish`, fund by fund."""
        self.__dict__.setdefault("_changes", []).append(change)

    def finish(self, writer) -> None:
        changes = self.__dict__.pop("_changes", [])
        if not changes:
            return
        given = {c.measure: c.value for c in changes if c.item == REVISION}
        reason = given.get("reason") or (self.last_revision.reason if self.last_revision else "")
        made_on = given.get("made_on") or max(
            self.year.start_date, min(timezone.localdate(), self.context.quarter.end_date)
        )
        decision = self.decisions.get(given["decision"]) if given.get("decision") else None
        work: dict[str, _FundWork] = {}

        def of(name: str) -> _FundWork:
            return work.setdefault(name, _FundWork(fund=self.funds.get(name), name=name))

        for change in changes:
            if change.measure == BUDGET:
                fund_name, pot_name, partner, contribution = self._place(change)
                piece = of(fund_name)
                if piece.fund is None:
                    piece.pots.setdefault(pot_name, {})[partner] = change.value
                else:
                    before = contribution.planned if contribution else Decimal(0)
                    piece.changes.append((pot_name, partner, change.value - before))
            elif change.measure == SHARE:
                place = self._share_place(change.item)
                of(place.fund).shares[place.partner] = change.value
            elif change.measure == VIREMENT:
                fund, from_pot, to_pot, partner = self._virement_parts(change.item)
                moved = change.value - (change.before or 0)
                if moved < 0:  # less moved over the year than recorded: some moves back
                    from_pot, to_pot, moved = to_pot, from_pot, -moved
                of(fund.name).moves.append((partner, from_pot, to_pot, moved))
        for piece in work.values():
            self._write_fund(writer.by, piece, reason=reason, made_on=made_on, decision=decision)

    def _write_fund(self, by, piece: _FundWork, *, reason, made_on, decision) -> None:
        if piece.fund is None:
            fund_writes.add_fund(
                by=by,
                agreement=self.context.agreement,
                start_year=self.year.start_year,
                name=piece.name,
                pots=[fund_writes.PotPlan(name, amounts) for name, amounts in piece.pots.items()],
                agreed_shares=piece.shares or None,
            )
            return
        fund = piece.fund
        pots = self.pots[fund.pk]
        for pot_name, _, _ in piece.changes:
            if pot_name not in pots:
                pot = Pot(pooled_budget=fund, name=pot_name, position=len(pots) + 1)
                pot._history_user = by
                pot.save()
                pots[pot_name] = pot
        # A virement's own move is not also a change: the rows give budgets after it.
        effect: dict[tuple, Decimal] = {}
        for partner, from_pot, to_pot, amount in piece.moves:
            effect[(from_pot.pk, partner.pk)] = effect.get((from_pot.pk, partner.pk), 0) - amount
            effect[(to_pot.pk, partner.pk)] = effect.get((to_pot.pk, partner.pk), 0) + amount
        changes = [
            fund_writes.Change(
                pots[pot_name], partner, amount - effect.get((pots[pot_name].pk, partner.pk), 0)
            )
            for pot_name, partner, amount in piece.changes
        ]
        changes = [change for change in changes if change.amount != 0]
        moves = [fund_writes.Move(p, f, t, amount) for p, f, t, amount in piece.moves]
        if changes or moves:
            fund_writes.revise_fund(
                by=by,
                fund=fund,
                made_on=made_on,
                reason=reason,
                changes=changes,
                virements=moves,
                decision=decision,
            )
        if piece.shares:
            percents = {
                partner: self.shares[(fund.pk, partner.pk)]
                for partner in self.partners.values()
                if (fund.pk, partner.pk) in self.shares
            } | piece.shares
            fund_writes.set_agreed_shares(by=by, fund=fund, percents=percents)
