"""Hot single-row reads by SQL built once per process.

The ORM compiles a queryset's SQL on every evaluation. For the reads nearly every signed-in request makes (the
session's user, an API token with its user, a statement's credit with its borrower) the compiling cost several
times the query itself: 0.61 ms of a 0.93 ms credit read (BENCHMARKS.md, "HTTP load"). get_row builds the
SELECT once per shape from the models' metadata and turns the row into instances with Model.from_db, each column
converted as the ORM converts it (the backend's converters, then the field's from_db_value), so what it returns
is what `Model.objects.select_related(related).get(**filters)` returns.

Only equality filters (None: IS NULL) on the model's own columns or, as "related__column", on the one related
row, and `annotations`: constant SQL expressions over the alias "t" (the model's row), each set on the instance
as an attribute; anything richer stays with the ORM. It reads the table itself, as the base manager does: not
for models whose default manager filters rows. The related key must not be nullable (an inner join).
"""

from functools import lru_cache

from django.db import connections, router
from django.db.models import Model

ALIAS, RELATED_ALIAS = "t", "r"


def _field(model: type[Model], related: str | None, name: str):
    """The field a filter names: the model's own, or "related__column" on the related model."""
    if "__" in name:
        prefix, name = name.split("__", 1)
        if prefix != related:
            raise ValueError(f"get_row filters only the model and its `related` {related!r}, not {prefix!r}")
        model = model._meta.get_field(related).related_model
    return model._meta.get_field(name)


@lru_cache(maxsize=64)
def _shape(model: type[Model], related: str | None, names: tuple[str, ...], nulls: tuple[bool, ...],
           annotations: tuple[tuple[str, str], ...], using: str):
    """The SELECT for this shape, and per model read: (model, attnames, [(column, converters)])."""
    connection = connections[using]
    quote = connection.ops.quote_name
    foreign_key = model._meta.get_field(related) if related else None
    if foreign_key is not None and foreign_key.null:  # select_related would keep the row with a LEFT JOIN
        raise ValueError(f"get_row joins {model.__name__}.{related} as required, but it may be null")
    parts = []
    for part_model, alias in ((model, ALIAS), (foreign_key.related_model if foreign_key else None, RELATED_ALIAS)):
        if part_model is not None:
            columns = [field.get_col(alias) for field in part_model._meta.concrete_fields]
            parts.append((part_model, [column.target.attname for column in columns],
                          [(column, connection.ops.get_db_converters(column) + column.get_db_converters(connection))
                           for column in columns]))
    selected = ", ".join([f"{column.alias}.{quote(column.target.column)}"
                          for _model, _names, columns in parts for column, _converters in columns]
                         + [f"({sql}) AS {quote(name)}" for name, sql in annotations])
    sql = f"SELECT {selected} FROM {quote(model._meta.db_table)} {ALIAS}"
    if foreign_key is not None:
        sql += (f" JOIN {quote(foreign_key.related_model._meta.db_table)} {RELATED_ALIAS} ON {RELATED_ALIAS}."
                f"{quote(foreign_key.target_field.column)} = {ALIAS}.{quote(foreign_key.column)}")
    conditions = []
    for name, is_null in zip(names, nulls, strict=True):
        column = f"{RELATED_ALIAS if '__' in name else ALIAS}.{quote(_field(model, related, name).column)}"
        conditions.append(f"{column} IS NULL" if is_null else f"{column} = %s")
    return f"{sql} WHERE {' AND '.join(conditions)} LIMIT 2", parts


def get_row(model: type[Model], filters: dict, *, related: str | None = None, annotations: dict | None = None):
    """The `model` instance whose columns equal `filters` ({"number": ..., "user__is_active": True}), with its
    `related` foreign key's instance cached on it as select_related leaves it, and each of `annotations`
    ({attribute: SQL over "t"}) read in the same query; None when no row matches, MultipleObjectsReturned when
    several do (as get() would). Filters name fields or their attnames ("borrower_id"; not "pk", not instances)."""
    if not filters:
        raise ValueError("get_row needs at least one filter")
    using = router.db_for_read(model)
    connection = connections[using]
    extra = tuple((annotations or {}).items())
    sql, parts = _shape(model, related, tuple(filters), tuple(value is None for value in filters.values()), extra,
                        using)
    params = [_field(model, related, name).get_db_prep_value(value, connection, prepared=False)
              for name, value in filters.items() if value is not None]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    if len(rows) > 1:
        raise model.MultipleObjectsReturned(f"get_row found more than one {model.__name__}")
    values, instances = iter(rows[0]), []
    for part_model, attnames, columns in parts:
        converted = []
        for (column, converters), value in zip(columns, values, strict=False):
            for converter in converters:
                value = converter(value, column, connection)
            converted.append(value)
        instances.append(part_model.from_db(using, attnames, converted))
    if related:
        model._meta.get_field(related).set_cached_value(instances[0], instances[1])
    for (name, _sql), value in zip(extra, values, strict=False):
        setattr(instances[0], name, value)
    return instances[0]
