"""Register changes as people read them: an upload's preview, and the register's history.

Both compare one version of an entry with another field by field, name foreign keys by
their organisation or team, and write dates and yes/no as the pages do.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator

from caseload.models import Team
from core.formatting import NOT_RECORDED, long_date
from partnerships.models import Organisation
from s117.models import RegisterEntry

TRACKED = [
    f
    for f in RegisterEntry._meta.concrete_fields
    if f.name not in {"id", "agreement", "person_reference"}
]
LABELS = {f.attname: str(f.verbose_name) for f in TRACKED}
FOREIGN = {f.attname for f in TRACKED if f.is_relation}
NO_USER = "no user recorded (a script or the demo loader)"


@dataclass
class EntryChangeView:
    reference: str
    kind: str  # "new", "changed", "ended", "removed"
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    row: int | None = None
    when: datetime.datetime | None = None
    who: str = ""


class Names:
    """Organisation and team names for the foreign keys on a register: two queries."""

    def __init__(self, agreement):
        self.organisations = dict(Organisation.objects.values_list("pk", "short_name"))
        self.teams = dict(Team.objects.filter(agreement=agreement).values_list("pk", "name"))

    def show(self, attname: str, value) -> str:
        if value is None or value == "":
            return NOT_RECORDED
        if attname == "team_id":
            return self.teams.get(value, f"team {value}")
        if attname in FOREIGN:
            return self.organisations.get(value, f"organisation {value}")
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, datetime.date):
            return long_date(value)
        if isinstance(value, Decimal):
            return f"{value.normalize():f}"
        return str(value)


def _attname(key: str) -> str:
    return key if key in LABELS else f"{key}_id"


def preview(changes, names: Names) -> list[EntryChangeView]:
    """What saving a checked register file would do, new and changed people only."""
    shown = []
    for change in changes:
        if change.kind == "unchanged":
            continue
        before = change.before or {}
        fields = [
            (
                LABELS[_attname(key)].capitalize(),
                names.show(_attname(key), before.get(key)),
                names.show(_attname(key), value),
            )
            for key, value in change.values.items()
            if key != "person_reference" and (change.before is None or before.get(key) != value)
            if change.before is not None or value not in (None, "", False)
        ]
        kind = change.kind
        if kind == "changed" and before.get("ended_on") is None and change.values.get("ended_on"):
            kind = "ended"
        shown.append(EntryChangeView(change.reference, kind, fields, row=change.row))
    return shown


def _versions_diff(record, previous, names: Names) -> EntryChangeView:
    who = record.history_user.get_username() if record.history_user else NO_USER
    view = EntryChangeView(record.person_reference, "changed", when=record.history_date, who=who)
    if record.history_type == "-":
        view.kind = "removed"
        return view
    for attname, label in LABELS.items():
        after = getattr(record, attname)
        before = getattr(previous, attname) if previous is not None else None
        if previous is None and after in (None, "", False):
            continue
        if previous is None or before != after:
            view.fields.append(
                (label.capitalize(), names.show(attname, before), names.show(attname, after))
            )
    if previous is None:
        view.kind = "new"
    elif previous.ended_on is None and record.ended_on is not None:
        view.kind = "ended"
    return view


def history_page(agreement, page_number, *, per_page: int = 50, reference: str | None = None):
    """A page of the register's history, newest first, each version compared with the one
    before it. Queries: the count, the page, the earlier versions of its entries, and the
    two name lookups; not one per row."""
    records = RegisterEntry.history.filter(agreement=agreement)
    if reference is not None:
        records = records.filter(person_reference=reference)
    records = records.select_related("history_user").order_by("-history_date", "-history_id")
    page = Paginator(records, per_page).get_page(page_number)
    on_page = list(page.object_list)
    earlier = {}
    if on_page:
        versions = (
            RegisterEntry.history.filter(
                id__in={r.id for r in on_page},
                history_date__lte=max(r.history_date for r in on_page),
            )
            .order_by("id", "history_date", "history_id")
            .iterator()
        )
        last_by_entry = {}
        for version in versions:
            earlier[version.history_id] = last_by_entry.get(version.id)
            last_by_entry[version.id] = version
    names = Names(agreement)
    page.changes = [_versions_diff(r, earlier.get(r.history_id), names) for r in on_page]
    return page
