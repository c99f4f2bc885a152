"""The review with its recommendations and their progress notes, and the KPIs with a value
for each quarter the file gives."""

import datetime
from decimal import Decimal

from core.periods import parse_period
from partnerships.models import KPI, KPIValue, ProgressNote, Recommendation, Review
from seed.demo.common import DemoDataError, upsert


def load_review(stats, agreement, data, bodies) -> None:
    if "review" not in data:
        return
    spec = data["review"]
    review = upsert(
        stats,
        Review,
        {"agreement": agreement, "title": spec["title"]},
        {
            "carried_out": spec["carried_out"],
            "reported_to": spec.get("reported_to", ""),
            "reference": spec.get("reference", ""),
            "overseen_by": bodies.get(spec.get("overseen_by")),
        },
    )
    for entry in data["recommendation"]:
        recommendation = upsert(
            stats,
            Recommendation,
            {"review": review, "reference": entry["reference"]},
            {
                "text": entry["text"],
                "owner": entry["owner"],
                "due_date": entry.get("due_date"),
                "status": entry["status"],
                "completed_on": entry.get("completed_on"),
            },
        )
        if "note" in entry:
            upsert(
                stats,
                ProgressNote,
                {"recommendation": recommendation, "written_on": datetime.date(2023, 10, 31)},
                {"note": entry["note"], "status_after": entry["status"]},
            )


def load_kpis(stats, agreement, kpis, quarters) -> None:
    for entry in kpis:
        where = f"KPI {entry['code']}"
        kpi = upsert(
            stats,
            KPI,
            {"agreement": agreement, "code": entry["code"]},
            {
                "name": entry["name"],
                "definition": entry["definition"],
                "unit": entry["unit"],
                "direction": entry["direction"],
                # A KPI may have no target, and then no amber threshold.
                "target": _decimal_or_none(entry.get("target")),
                "amber_threshold": _decimal_or_none(entry.get("amber_threshold")),
            },
        )
        for period, value in entry["values"].items():
            parse_period(period)  # a clear error for a mistyped period
            if period not in quarters:
                raise DemoDataError(f"{where}: {period} is outside the demo's financial years.")
            upsert(
                stats,
                KPIValue,
                {"kpi": kpi, "quarter": quarters[period]},
                {"value": Decimal(value)},
            )


def _decimal_or_none(text):
    return None if text is None else Decimal(text)
