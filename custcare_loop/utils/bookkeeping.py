"""Bookkeeping beside a posted message, without the model's write().

message_post runs on every reply, note and incoming email. What the addon
records there (a customer's last contact, a message awaiting a reply, a
temperature read from the customer's words) lives in columns of its own that
only this addon sets, on models whose write() is heavy (res.partner syncs its
contacts and users; helpdesk.ticket checks automation rules and prepares
tracking). Going through write() made a day's first reply cost 10-25% more
(bench/bench_message_post.py), so these columns are updated the way Odoo's
ORM guide prescribes for SQL: flush, UPDATE, invalidate the cache, then
``modified()`` so that stored fields computed from them are recomputed as
usual. The condition is checked by PostgreSQL in the same statement, so two
workers posting at once never move a date back nor update a row twice.

What this skips, knowingly: write_date (a reply does not edit the record, as
with Odoo's own message counters) and automation rules watching these columns
(none ships; a rule of the user's own should watch the messages instead).
"""

from odoo.tools import SQL


def update_where(model, values, condition):
    """Set the stored fields ``values`` ({name: value}) of the rows of
    ``model``'s table where ``condition`` (SQL) holds; returns the records
    updated. Other fields the condition reads are flushed when it names them
    (``SQL(..., to_flush=field)``)."""
    fnames = list(values)
    model.flush_model(fnames)
    assignments = SQL(", ").join(
        SQL("%s = %s", SQL.identifier(fname), value) for fname, value in values.items()
    )
    rows = model.env.execute_query(
        SQL(
            "UPDATE %s SET %s WHERE %s RETURNING id",
            SQL.identifier(model._table),
            assignments,
            condition,
        )
    )
    updated = model.browse(row[0] for row in rows)
    if updated:
        updated.invalidate_recordset(fnames)
        updated.modified(fnames)
    return updated
