"""One rule for dates: the calendar date where it happens. The day of a
contact is the date in the time zone of the user who made the contact (who
logged the conversation or marked the activity done); "today", for a
customer's care (due, overdue, days overdue, under care since), is the date
in the time zone of the customer's care company (its address's time zone).
UTC when none is set."""

import pytz

from odoo import fields


def _timezone(name):
    try:
        return pytz.timezone(name or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def local_day(user, moment=None):
    """The calendar date of ``moment`` (a naive UTC datetime, default now) in
    ``user``'s time zone, UTC when unset or unknown."""
    moment = moment or fields.Datetime.now()
    return pytz.utc.localize(moment).astimezone(_timezone(user.tz)).date()


def local_today(tz_name):
    """Today in the time zone named ``tz_name``, UTC when unset or unknown."""
    now = pytz.utc.localize(fields.Datetime.now())
    return now.astimezone(_timezone(tz_name)).date()


def company_today(company):
    """Today in ``company``'s time zone (that of its address), UTC when
    unset: the day a customer of that company is due or overdue."""
    return local_today(company.env["res.company"]._custcare_tz(company.id))


class CompanyToday(dict):
    """{company: today there}, computed once per company."""

    def __missing__(self, company):
        self[company] = today = company_today(company)
        return today
