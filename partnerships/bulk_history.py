"""Loading many new rows with their history: the register import's write path.

Django's bulk_create prepares every value of every row through its field machinery and, on
SQLite, sends 52 rows a statement (it assumes SQLite's old limit of 999 parameters).
django-simple-history then builds a historical model instance per row and inserts those
the same way. At a register of 250,000 people that was most of the import's time.

Here the rows go in as multi-row INSERTs as large as the database allows, their values
converted once by type, each statement returning the ids it gave. The history row of a new
row is that row as inserted plus who, when and "+" (created), so the database copies it
with one INSERT … SELECT per run of consecutive ids: the same rows, in the same table, as
django-simple-history would have written. Only models whose fields are all plain values
(text, numbers, dates, booleans, foreign keys, no auto_now) take this path; others, and
databases that can't return the ids, use bulk_create_with_history.

Changed rows go the same way: one UPDATE … FROM a list of VALUES sets every changed row
(where Django's bulk_update builds a CASE WHEN expression per field per row, which for a
quarterly return cost more than all its queries), then one INSERT … SELECT copies them to
their history as "~" (changed).
"""

import datetime
import functools
import sqlite3
from itertools import groupby

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

# Exactly these classes, not their subclasses: a subclass may transform its value on the way
# to the database (an encrypted field, say), which this path would skip.
PLAIN = {
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.SmallIntegerField,
    models.BigIntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.AutoField,
    models.BigAutoField,
}


class RowsGone(RuntimeError):
    """Some of the rows to be changed are no longer in the table: nothing was saved."""


def has_history(model: type[models.Model]) -> bool:
    """Whether django-simple-history records `model`'s changes (without building the history
    manager, as `model.history` does on every access)."""
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


@functools.cache
def _history_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def _runs(pks: list[int]) -> list[tuple[int, int]]:
    """(first, last) of each run of consecutive ids: [1, 2, 3, 7, 8] gives (1, 3), (7, 8)."""
    ordered = sorted(pks)
    runs = []
    for _, run in groupby(enumerate(ordered), key=lambda pair: pair[1] - pair[0]):
        ids = [pk for _, pk in run]
        runs.append((ids[0], ids[-1]))
    return runs


def _converter(field):
    """How a field's Python value goes to the driver, or None if this path doesn't know."""
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return None
    if type(field) is models.DateField:
        adapt = connection.ops.adapt_datefield_value
        return lambda value: None if value is None else adapt(value)
    if type(field) is models.DecimalField:
        adapt = connection.ops.adapt_decimalfield_value
        return lambda value: None if value is None else adapt(value)
    if type(field) in PLAIN:
        return lambda value: value
    return None


def _cast_type(field) -> str:
    if isinstance(field, (models.CharField, models.TextField)):
        return "text"
    return field.db_type(connection)


def _parameter_limit() -> int:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        return connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    return 65_535 if connection.vendor == "postgresql" else 0


def _insert_returning_ids(model, objs: list[models.Model]) -> list[int] | None:
    """Insert `objs` and set their ids; None (nothing written) if this path can't."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    converters = [_converter(field) for field in fields]
    limit = _parameter_limit()
    if (
        not connection.features.can_return_rows_from_bulk_insert
        or None in converters
        or model._meta.parents  # multi-table inheritance: rows in more than one table
        or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
    ):
        return None
    per_statement = min(limit // len(fields), 5_000)
    if per_statement < 1:
        return None
    quote = connection.ops.quote_name
    # Table and column names come from the model, never from input; values are parameters.
    names = ", ".join(quote(field.column) for field in fields)
    head = " ".join(["INSERT INTO", quote(model._meta.db_table), f"({names})", "VALUES "])
    row = f"({', '.join(['%s'] * len(fields))})"
    tail = f" RETURNING {quote(model._meta.pk.column)}"
    attnames = [field.attname for field in fields]
    pks = []
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            parameters = [
                convert(getattr(obj, attname))
                for obj in batch
                for attname, convert in zip(attnames, converters, strict=True)
            ]
            cursor.execute(head + ", ".join([row] * len(batch)) + tail, parameters)
            ids = [pk for (pk,) in cursor.fetchall()]
            for obj, pk in zip(batch, ids, strict=True):
                obj.pk = pk
                obj._state.adding = False
                obj._state.db = connection.alias
            pks += ids
    return pks


@transaction.atomic(savepoint=False)  # all or nothing, as part of the caller's transaction
def bulk_create_recording_history(
    objs: list[models.Model],
    model: type[models.Model],
    *,
    by,
    when: datetime.datetime | None = None,
) -> list[models.Model]:
    """Insert `objs` (each already validated) and a "created" history row for each, by
    `by`, at `when` (now): all or nothing."""
    if not objs:
        return objs
    when = when or timezone.now()
    pks = _insert_returning_ids(model, objs)
    if pks is None:
        return bulk_create_with_history(
            objs, model, batch_size=2000, default_user=by, default_date=when
        )
    copied = 0
    with connection.cursor() as cursor:
        for first, last in _runs(pks):
            # Every id from first to last is one of ours, so the range holds no other row.
            copied += _copy_to_history(
                cursor, model, "+", by, when, "BETWEEN %s AND %s", [first, last]
            )
    if copied != len(pks):
        raise RuntimeError(f"{copied} history rows were written for {len(pks)} new rows.")
    return objs


def _copy_to_history(cursor, model, history_type: str, by, when, where: str, ids) -> int:
    """Copy the rows of `model` whose id matches `where` to its history, as `history_type`
    ("+" created, "~" changed) by `by` at `when`; the number of rows copied."""
    history = _history_model(model)
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    statement = " ".join(
        [
            "INSERT INTO",
            quote(history._meta.db_table),
            f"({columns}, history_date, history_change_reason, history_type, history_user_id)",
            "SELECT",
            columns,
            ", %s, NULL, %s, %s FROM",
            quote(model._meta.db_table),
            "WHERE",
            quote(model._meta.pk.column),
            where,
        ]
    )
    moment = connection.ops.adapt_datetimefield_value(when)
    cursor.execute(statement, [moment, history_type, by.pk if by else None, *ids])
    return cursor.rowcount


def _in_one_statement(model, objs, converters) -> bool:
    """Whether the rows can be updated with one UPDATE … FROM (VALUES …) a batch: on the
    databases and fields this module knows, with history on, each row given once."""
    vendor = connection.vendor
    return not (
        vendor not in ("sqlite", "postgresql")
        or (vendor == "sqlite" and sqlite3.sqlite_version_info < (3, 33))  # UPDATE … FROM
        or None in converters
        or model._meta.parents
        or not getattr(settings, "SIMPLE_HISTORY_ENABLED", True)
        or len({obj.pk for obj in objs}) != len(objs)
    )


def _update_statement(model, columns) -> tuple[str, str, str]:
    """The UPDATE's head, one row of its VALUES list, and its tail: the rows' values go
    between, as parameters. Table and column names come from the model, never from input."""
    quote = connection.ops.quote_name
    names = [quote(field.column) for field in columns]
    postgresql = connection.vendor == "postgresql"
    # PostgreSQL gives an untyped parameter in VALUES the type text, so each is cast to its
    # column's type (text to plain text: a cast to varchar(n) would cut a longer value short,
    # where storing it in the column refuses it). SQLite needs no cast (and would truncate a
    # date cast to "date" to its year): the column's affinity applies when it is stored.
    slots = (
        [f"CAST(%s AS {_cast_type(field)})" for field in columns]
        if postgresql
        else ["%s"] * len(columns)
    )
    table = quote(model._meta.db_table)
    # SQLite names the columns of a VALUES list column1, column2, …, and can't rename them
    # (nor count the rows a statement starting WITH changes); PostgreSQL takes the names.
    if postgresql:
        given = names
        alias = f"changed ({', '.join(names)})"
    else:
        given = [f"column{n}" for n in range(1, len(names) + 1)]
        alias = "changed"
    assignments = ", ".join(
        f"{name} = changed.{value}" for name, value in zip(names[1:], given[1:], strict=True)
    )
    head = " ".join(["UPDATE", table, "SET", assignments, "FROM (VALUES "])
    tail = f") AS {alias} WHERE {table}.{names[0]} = changed.{given[0]}"
    return head, f"({', '.join(slots)})", tail


@transaction.atomic(savepoint=False)  # all or nothing, as part of the caller's transaction
def bulk_update_recording_history(
    objs: list[models.Model],
    model: type[models.Model],
    fields: list[str],
    *,
    by,
    when: datetime.datetime | None = None,
) -> list[models.Model]:
    """Save `fields` of `objs` (each already validated, each already in the table) and a
    "changed" history row for each, by `by`, at `when` (now): all or nothing. A row that is
    no longer there refuses the whole save rather than being skipped."""
    if not objs:
        return objs
    when = when or timezone.now()
    columns = [model._meta.pk, *(model._meta.get_field(name) for name in fields)]
    converters = [_converter(field) for field in columns]
    if not _in_one_statement(model, objs, converters):
        return bulk_update_with_history(objs, model, fields, default_user=by, default_date=when)
    head, row, tail = _update_statement(model, columns)
    attnames = [field.attname for field in columns]
    per_statement = max(1, min(_parameter_limit() // len(columns), 5_000))
    updated = copied = 0
    with connection.cursor() as cursor:
        for start in range(0, len(objs), per_statement):
            batch = objs[start : start + per_statement]
            parameters = [
                convert(getattr(obj, attname))
                for obj in batch
                for attname, convert in zip(attnames, converters, strict=True)
            ]
            cursor.execute(head + ", ".join([row] * len(batch)) + tail, parameters)
            updated += cursor.rowcount
            ids = [obj.pk for obj in batch]
            where = f"IN ({', '.join(['%s'] * len(ids))})"
            copied += _copy_to_history(cursor, model, "~", by, when, where, ids)
    if updated != len(objs) or copied != len(objs):
        raise RowsGone(
            f"{len(objs) - min(updated, copied)} of the {len(objs)} "
            f"{model._meta.verbose_name_plural} to change are no longer there, so nothing was "
            "saved."
        )
    return objs
