"""Report aggregates that Odoo's ``avg`` gets wrong for rates: a rate is an
average over the records it applies to, whatever the filters."""

from odoo.tools import SQL


def average_where_set(model, query, when_field, value_field):
    """``AVG(value_field)`` over the rows where ``when_field`` is set, for a
    model's ``_read_group_select``: e.g. "Promises Kept (%)" over the tickets
    that had a promise, not over every ticket."""
    return SQL(
        "AVG(CASE WHEN %s IS NOT NULL THEN %s END)",
        model._field_to_sql(model._table, when_field, query),
        model._field_to_sql(model._table, value_field, query),
    )
