from odoo import api, fields, models
from odoo.fields import Domain

from ..utils.cron_isolation import process_in_batches
from ..utils.report_sql import average_where_set


class HelpdeskTicket(models.Model):
    """Promise watch: when a promised date passes while the ticket is open,
    or is moved later, the customer is told at once, once per promise."""

    _inherit = "helpdesk.ticket"

    custcare_promised_date = fields.Datetime(
        string="Promised Date",
        copy=False,
        tracking=True,
        help="When we promised the customer an answer or a fix.",
    )
    custcare_promise_reason = fields.Char(
        string="Why the Promise Moved",
        copy=False,
        help="Told to the customer when the promised date is moved later.",
    )
    custcare_promise_notified = fields.Boolean(
        string="Customer Told of the Passed Promise",
        copy=False,
        readonly=True,
        help="The customer was told that the current promise passed.",
    )
    custcare_promise_state = fields.Selection(
        selection=[("kept", "Kept"), ("slipped", "Slipped")],
        string="Promise",
        copy=False,
        readonly=True,
        help="Kept: closed by the promised date. Slipped: the date passed or "
        "was moved later.",
    )
    custcare_promise_kept_rate = fields.Float(
        string="Promises Kept (%)",
        compute="_compute_custcare_promise_kept_rate",
        store=True,
        aggregator="avg",
        help="Averaged over the tickets that had a promise.",
    )

    custcare_promise_late = fields.Boolean(
        string="Promise Passed",
        compute="_compute_custcare_promise_late",
        help="The promised date passed and the ticket is still open.",
    )

    @api.depends("custcare_promised_date", "stage_id")
    def _compute_custcare_promise_late(self):
        now = fields.Datetime.now()
        for ticket in self:
            ticket.custcare_promise_late = bool(
                ticket.custcare_promised_date
                and ticket.custcare_promised_date < now
                and not ticket.closed
            )

    @api.depends("custcare_promise_state")
    def _compute_custcare_promise_kept_rate(self):
        for ticket in self:
            ticket.custcare_promise_kept_rate = (
                100.0 if ticket.custcare_promise_state == "kept" else 0.0
            )

    def _read_group_select(self, aggregate_spec, query):
        """ "Promises Kept (%)" averages over the tickets that had a promise,
        whatever the filters: a ticket without one is not a promise broken."""
        if aggregate_spec == "custcare_promise_kept_rate:avg":
            return average_where_set(
                self, query, "custcare_promise_state", "custcare_promise_kept_rate"
            )
        return super()._read_group_select(aggregate_spec, query)

    def write(self, vals):
        moved_later = self.browse()
        if vals.get("custcare_promised_date"):
            new_date = fields.Datetime.to_datetime(vals["custcare_promised_date"])
            moved_later = self.filtered(
                lambda t: (
                    t.custcare_promised_date
                    and new_date > t.custcare_promised_date
                    and not t.closed
                )
            )
        if "custcare_promised_date" in vals:
            vals.setdefault("custcare_promise_notified", False)
        res = super().write(vals)
        if moved_later:
            moved_later.custcare_promise_state = "slipped"
            template = self.env.ref("custcare_loop.mail_template_promise_moved")
            for ticket in moved_later:
                ticket._custcare_tell_promise(template)
        if "stage_id" in vals:
            self._custcare_check_promise_kept()
        return res

    def _custcare_tell_promise(self, template):
        self.ensure_one()
        if self._custcare_notify_customer(
            template, self.partner_id, self.partner_email
        ):
            self.custcare_notice_count += 1

    def _custcare_check_promise_kept(self):
        """On closing: kept when closed by the promised date, unless it
        already slipped."""
        now = fields.Datetime.now()
        for ticket in self.filtered(
            lambda t: (
                t.closed
                and t.custcare_promised_date
                and t.custcare_promise_state != "slipped"
            )
        ):
            ticket.custcare_promise_state = (
                "kept" if now <= ticket.custcare_promised_date else "slipped"
            )

    @api.model
    def _custcare_promise_watch_domain(self):
        return Domain(
            [
                ("custcare_promised_date", "<", fields.Datetime.now()),
                ("custcare_promise_notified", "=", False),
                ("stage_id.closed", "=", False),
            ]
        )

    @api.model
    def _cron_custcare_promise_watch(self, batch_size=200):
        """Tell the customer once per promise when it passed while the ticket
        is still open. A ticket that fails is logged and left for the next
        run; the others go on."""
        template = self.env.ref("custcare_loop.mail_template_promise_slipped")

        def tell(ticket):
            ticket._custcare_tell_promise(template)
            ticket.write(
                {"custcare_promise_notified": True, "custcare_promise_state": "slipped"}
            )

        process_in_batches(
            self, self._custcare_promise_watch_domain, tell, "promise watch", batch_size
        )
