"""One rule for the day of a contact: the calendar date, in the time zone
of the user who made the contact (who logged the conversation or marked the
activity done), UTC when they have none."""

import pytz

from odoo import fields


def local_day(user, moment=None):
    """The calendar date of ``moment`` (a naive UTC datetime, default now) in
    ``user``'s time zone, UTC when unset or unknown."""
    moment = moment or fields.Datetime.now()
    try:
        tz = pytz.timezone(user.tz or "UTC")
    except pytz.UnknownTimeZoneError:
        tz = pytz.utc
    return pytz.utc.localize(moment).astimezone(tz).date()
