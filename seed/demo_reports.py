"""The demo's published reports (fixtures/demo/reports.toml), for `load_demo`."""

from django.contrib.auth import get_user_model

from partnerships.models import Agreement
from reports.actions import ReportRefused, publish, save_narrative, start_report
from seed.demo import DemoDataError, read


def publish_demo_reports() -> list[str]:
    """Draft each demo report and publish it once. Returns the titles published now."""
    published = []
    for index, entry in enumerate(read("reports.toml").get("reports", []), start=1):
        where = f"reports.toml, report {index}"
        agreement = Agreement.objects.filter(slug=entry.get("partnership")).first()
        author = get_user_model().objects.filter(username=entry.get("published_by")).first()
        if agreement is None or author is None:
            raise DemoDataError(f"{where}: no partnership or user by those names.")
        try:
            report = start_report(
                by=author, agreement=agreement, kind=entry["kind"], period=entry["period"]
            )
            if report.versions.exists():
                continue  # published already: a published version is never redone
            for section, text in entry.get("narrative", {}).items():
                save_narrative(by=author, report=report, section=section, text=text.strip())
            publish(by=author, report=report)
        except (KeyError, ReportRefused) as error:
            raise DemoDataError(f"{where}: {error}") from None
        published.append(report.title)
    return published
