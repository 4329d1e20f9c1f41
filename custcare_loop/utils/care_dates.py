"""One rule for dates: the calendar date where it happens. The day of a
contact is the date in the time zone of the user who made the contact (who
logged the conversation or marked the activity done); "today", for a
customer's care (due, overdue, days overdue, under care since), is the date
in the time zone of the customer's care company (its address's time zone).
UTC when none is set."""

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


def company_today(company):
    """Today in ``company``'s time zone (that of its address), UTC when
    unset: the day a customer of that company is due or overdue."""
    return local_day(company.partner_id)


class CompanyToday(dict):
    """{company: today there}, computed once per company."""

    def __missing__(self, company):
        self[company] = today = company_today(company)
        return today
