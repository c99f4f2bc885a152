"""What every part of the demo loader shares: its error, the counts of what a load did, the
upsert that makes a second load write nothing, and money read without a float."""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import models


class DemoDataError(Exception):
    """The demo source files are inconsistent; the message names the file and the entry."""


@dataclass
class Stats:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    by_model: dict[str, int] = field(default_factory=dict)


def upsert(stats: Stats, model: type[models.Model], lookup: dict, values: dict) -> models.Model:
    """Create the row, or update it only where a value differs."""
    obj = model.objects.filter(**lookup).first()
    name = model._meta.verbose_name_plural
    stats.by_model[name] = stats.by_model.get(name, 0) + 1
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save()
        stats.created += 1
        return obj
    changed = [key for key, value in values.items() if getattr(obj, key) != value]
    if changed:
        for key in changed:
            setattr(obj, key, values[key])
        obj.full_clean(validate_unique=False, validate_constraints=False)
        obj.save(update_fields=changed)
        stats.updated += 1
    else:
        stats.unchanged += 1
    return obj


def money(value, where: str) -> Decimal:
    """Money is written as a string in the source files, so it never passes through a float."""
    if not isinstance(value, str):
        raise DemoDataError(f'{where}: money must be a quoted string such as "1800000.00".')
    try:
        return Decimal(value)
    except InvalidOperation:
        raise DemoDataError(f"{where}: {value!r} is not an amount of money.") from None
