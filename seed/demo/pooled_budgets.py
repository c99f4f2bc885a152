"""Each year's pooled budget with the partners' planned contributions, and the forecast and
actual outturn of each contribution by quarter."""

from budgets.models import Contribution, ContributionOutturn, PooledBudget
from partnerships.models import FinancialYear
from seed.demo.common import money, upsert


def load_pooled_budgets(stats, agreement, budgets, org) -> None:
    for entry in budgets:
        year = FinancialYear.objects.get(start_year=entry["year"])
        pool = upsert(
            stats,
            PooledBudget,
            {"agreement": agreement, "financial_year": year},
            {"risk_share_rule": entry["risk_share_rule"], "scope": entry.get("scope", "")},
        )
        for contribution in entry["contributions"]:
            where = f"pooled budget {year}, {contribution['partner']}"
            upsert(
                stats,
                Contribution,
                {"pooled_budget": pool, "partner": org(contribution["partner"], where)},
                {"planned": money(contribution["planned"], where)},
            )


def load_outturns(stats, agreement, outturns, quarters) -> None:
    for entry in outturns:
        year = FinancialYear.objects.get(start_year=entry["year"])
        quarter = quarters[f"{year.label}-Q{entry['quarter']}"]
        for figure in entry["figures"]:
            where = f"outturn {year} Q{entry['quarter']}, {figure['partner']}"
            contribution = Contribution.objects.get(
                pooled_budget__agreement=agreement,
                pooled_budget__financial_year=year,
                partner__short_name=figure["partner"],
            )
            upsert(
                stats,
                ContributionOutturn,
                {"contribution": contribution, "quarter": quarter},
                {
                    "forecast": money(figure["forecast"], where),
                    "actual_to_date": money(figure["actual_to_date"], where),
                },
            )
