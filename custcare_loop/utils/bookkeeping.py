"""Bookkeeping beside a posted message, without the model's write().

message_post runs on every reply, note and incoming email. What the addon
records there (a customer's last contact, a message awaiting a reply, a
temperature read from the customer's words) lives in columns of its own that
only this addon sets, on models whose write() is heavy (res.partner syncs its
contacts and users; helpdesk.ticket checks automation rules and prepares
tracking). Going through write() made a day's first reply cost 10-25% more
(bench/bench_message_post.py), so these columns are updated the way Odoo's
ORM guide prescribes for SQL: flush, UPDATE, update the cache (with the
values written: what is computed from them reads no row again), then
``modified()`` so that stored fields computed from them are recomputed as
usual. The condition is checked by PostgreSQL in the same statement, so two
workers posting at once never move a date back nor update a row twice.

What this skips, knowingly: write_date (a reply does not edit the record, as
with Odoo's own message counters) and automation rules watching these columns
(none ships; a rule of the user's own should watch the messages instead).
"""

from odoo.tools import SQL

# The only fields written this way, per model. tests/test_bookkeeping.py
# checks that none is tracked, has an inverse, or is watched by an automation
# rule: such a field would silently record nothing here.
_TEMPERATURE_SUGGESTION = {
    "custcare_temperature_suggestion",
    "custcare_temperature_hint",
}
FIELDS = {
    "res.partner": {"custcare_last_contact_date"},
    "helpdesk.ticket": {
        "custcare_awaiting_reply_since",
        "custcare_reply_reminded",
        *_TEMPERATURE_SUGGESTION,
    },
    "custcare.conversation": _TEMPERATURE_SUGGESTION,
}


def update_where(model, values, condition):
    """Set the stored fields ``values`` ({name: value}) of the rows of
    ``model``'s table where ``condition`` (SQL) holds; returns the records
    updated. Other fields the condition reads are flushed when it names them
    (``SQL(..., to_flush=field)``)."""
    fnames = list(values)
    undeclared = set(fnames) - FIELDS.get(model._name, set())
    if undeclared:
        raise ValueError(
            f"{model._name}: {sorted(undeclared)} are not bookkeeping fields "
            "(utils/bookkeeping.py FIELDS)"
        )
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
        # the rows now hold exactly these values: the cache says so (fields
        # computed from them need not read the rows again)
        updated.invalidate_recordset(fnames)
        for fname, value in values.items():
            field = model._fields[fname]
            field._update_cache(updated, field.convert_to_cache(value, updated))
        updated.modified(fnames)
    return updated
