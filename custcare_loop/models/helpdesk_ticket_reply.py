from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain
from odoo.tools import SQL, email_normalize_all
from odoo.tools.misc import format_datetime

from ..utils.bookkeeping import update_where
from ..utils.competitor_matcher import html_to_scan_text
from ..utils.cron_isolation import process_in_batches
from ..utils.thanks import is_thanks_only
from .custcare_contact_rules import COLLEAGUE, CUSTOMER


class HelpdeskTicket(models.Model):
    """No written request ignored: the oldest customer message that no one of
    ours has answered since, and a reminder to the owner past the company's
    reply time. An answer or a close ends the wait (and its reminder); a
    customer writing on a closed ticket starts a new one. A customer's
    thank-you alone ("Thanks!", "Merci, parfait") asks for nothing: it
    starts no wait."""

    _inherit = "helpdesk.ticket"

    custcare_awaiting_reply_since = fields.Datetime(
        string="Awaiting Reply Since",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="When the oldest customer message that nobody answered yet "
        "arrived; empty when every message is answered.",
    )
    custcare_reply_reminded = fields.Boolean(
        string="Owner Reminded to Reply",
        readonly=True,
        copy=False,
    )
    custcare_reply_late = fields.Boolean(
        string="Reply Late",
        compute="_compute_custcare_reply_late",
        search="_search_custcare_reply_late",
        help="Awaiting a reply for longer than the company's reply time.",
    )

    def _compute_custcare_reply_late(self):
        now = fields.Datetime.now()
        for ticket in self:
            since = ticket.custcare_awaiting_reply_since
            hours = (ticket.company_id or self.env.company).custcare_reply_hours
            ticket.custcare_reply_late = bool(since) and since <= now - timedelta(
                hours=hours
            )

    def _search_custcare_reply_late(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        late = self._custcare_reply_late_domain()
        return late if (operator == "=") == value else ~late

    @api.model
    def _custcare_reply_late_domain(self):
        now = fields.Datetime.now()
        # sudo: res.company - every company's reply time, for a domain that
        # the user's own record rules still filter
        companies = self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        return Domain.OR(
            Domain("company_id", "=", company.id)
            & Domain(
                "custcare_awaiting_reply_since",
                "<=",
                now - timedelta(hours=company.custcare_reply_hours),
            )
            for company in companies
        )

    def write(self, vals):
        res = super().write(vals)
        if "stage_id" in vals:
            # any close (a person, Add Point & Close, the system) ends the wait
            self.filtered(
                lambda t: t.closed and t.custcare_awaiting_reply_since
            )._custcare_end_wait()
        return res

    def _custcare_end_wait(self):
        """Nothing awaits our reply any more: the wait and its reminder go."""
        if not self:
            return
        reminded = self.filtered("custcare_reply_reminded")
        update_where(
            self,
            {"custcare_awaiting_reply_since": None, "custcare_reply_reminded": False},
            SQL("id IN %s", tuple(self.ids)),
        )
        if reminded:
            # sudo: mail.activity - the reminder is the owner's; whoever ends
            # the wait (a colleague, the customer's portal, a job) removes it
            self.env["mail.activity"].sudo().search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", reminded.ids),
                    (
                        "activity_type_id",
                        "=",
                        self.env.ref(
                            "custcare_loop.mail_activity_type_reply_reminder"
                        ).id,
                    ),
                ]
            ).unlink()

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        rules = self.env["custcare.contact.rules"]
        if not rules._listening():
            return res
        # bookkeeping, not an edit of the ticket: see utils/bookkeeping.py
        author = rules._message_author_kind(msg_values)
        if author == CUSTOMER:
            if self.filtered(
                lambda t: not t.custcare_awaiting_reply_since
            ) and not is_thanks_only(html_to_scan_text(msg_values.get("body"))):
                update_where(
                    self,
                    {
                        "custcare_awaiting_reply_since": message.date,
                        "custcare_reply_reminded": False,
                    },
                    SQL(
                        "id IN %s AND custcare_awaiting_reply_since IS NULL",
                        tuple(self.ids),
                    ),
                )
        elif author == COLLEAGUE and (
            answered := self.filtered("custcare_awaiting_reply_since")
        ):
            answered = answered.filtered(
                lambda t: t._custcare_message_reaches_customer(msg_values)
            )
            if answered:
                answered._custcare_end_wait()
        return res

    def _custcare_message_reaches_customer(self, msg_values):
        """Whether a message is addressed to the ticket's customer."""
        self.ensure_one()
        if self.partner_id:
            return self.partner_id.id in (msg_values.get("partner_ids") or ())
        addresses = set(email_normalize_all(self.partner_email or ""))
        return bool(
            addresses
            & set(email_normalize_all(msg_values.get("outgoing_email_to") or ""))
        )

    @api.model
    def _cron_custcare_reply_reminder(self, batch_size=200):
        """Remind the owner, once per wait, of a customer message that has
        waited longer than the company's reply time."""

        def remind(ticket):
            owner = ticket._custcare_responsible_user()
            since = format_datetime(
                self.env,
                ticket.custcare_awaiting_reply_since,
                tz=owner.tz or "UTC",
                dt_format="short",
            )
            ticket._custcare_schedule_follow_up(
                "custcare_loop.mail_activity_type_reply_reminder",
                summary=lambda env: env._(
                    "Reply to the customer: waiting since %(since)s", since=since
                ),
            )
            ticket.custcare_reply_reminded = True

        def todo():
            return self._custcare_reply_late_domain() & Domain(
                "custcare_reply_reminded", "=", False
            )

        process_in_batches(self, todo, remind, "reply reminder", batch_size)
