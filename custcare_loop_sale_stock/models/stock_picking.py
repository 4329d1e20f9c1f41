from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from odoo.addons.custcare_loop.utils.care_dates import local_day
from odoo.addons.custcare_loop.utils.cron_isolation import each_isolated
from odoo.addons.custcare_loop.utils.report_sql import average_where_set

# a delivery late in this many days weighs on the customer's health
LATE_DELIVERY_DAYS = 90


class StockPicking(models.Model):
    """If the time frame stretches, tell the customer at once. A customer's
    delivery (an outgoing transfer of a sale order that promised a date:
    the order's commitment date, which Odoo copies to the delivery's
    deadline) scheduled past that promised day is told to the customer once
    per new day, with the reason when one is given; moved earlier, or within
    the promise, nobody is told. A delivery still not done when its promised
    day has passed is told once that it is late. Notices are owed in the
    database and sent right away by a scheduled action, one per customer
    and order, so that rescheduling 200 deliveries at once stays one quick
    write and a killed worker never tells anybody twice."""

    _inherit = "stock.picking"

    custcare_delay_reason = fields.Char(
        string="Why the Delivery Moved",
        copy=False,
        help="Told to the customer when the delivery is moved past the date "
        "promised to them.",
    )
    custcare_delay_pending = fields.Boolean(
        string="Customer to Be Told",
        copy=False,
        readonly=True,
        index="btree_not_null",
        help="The delivery moved past the date promised: the customer is told "
        "right away.",
    )
    # a backorder carries what its customer was already told
    custcare_delay_notified_date = fields.Datetime(
        string="Customer Told of the Date",
        readonly=True,
        help="The delivery date the customer was last told of.",
    )
    custcare_late_notified = fields.Boolean(
        string="Customer Told It Is Late",
        readonly=True,
    )
    custcare_on_time = fields.Selection(
        selection=[("on_time", "On Time"), ("late", "Late")],
        string="Delivered",
        compute="_compute_custcare_on_time",
        store=True,
        help="Done by the day promised to the customer, or later.",
    )
    custcare_on_time_rate = fields.Float(
        string="On Time (%)",
        compute="_compute_custcare_on_time",
        store=True,
        aggregator="avg",
        help="Averaged over the deliveries done that had a promised date.",
    )
    custcare_commercial_partner_id = fields.Many2one(
        related="sale_id.partner_id.commercial_partner_id",
        string="Customer",
        store=True,
        index="btree_not_null",
    )

    @api.depends("state", "date_done", "date_deadline", "sale_id.commitment_date")
    def _compute_custcare_on_time(self):
        for picking in self:
            on_time = False
            if picking.state == "done" and picking._custcare_watched_promise():
                late = picking._custcare_day(picking.date_done) > picking._custcare_day(
                    picking.date_deadline
                )
                on_time = "late" if late else "on_time"
            picking.custcare_on_time = on_time
            picking.custcare_on_time_rate = 100.0 if on_time == "on_time" else 0.0

    def _read_group_select(self, aggregate_spec, query):
        """ "On Time (%)" averages over the deliveries done with a promise,
        whatever the filters."""
        if aggregate_spec == "custcare_on_time_rate:avg":
            return average_where_set(
                self, query, "custcare_on_time", "custcare_on_time_rate"
            )
        return super()._read_group_select(aggregate_spec, query)

    def write(self, vals):
        res = super().write(vals)
        if {"scheduled_date", "date_deadline"} & set(vals):
            self._custcare_check_delay()
        return res

    # ------------------------------------------------------------------
    # What is promised, in the customer's days
    # ------------------------------------------------------------------

    def _custcare_watched_promise(self):
        """Whether this is a customer's delivery with a date promised to
        them (the order's commitment date)."""
        self.ensure_one()
        return bool(
            self.picking_type_code == "outgoing"
            and self.sale_id.commitment_date
            and self.date_deadline
        )

    def _custcare_customer(self):
        self.ensure_one()
        return self.sale_id.partner_id

    def _custcare_day(self, moment):
        """The calendar day of ``moment`` where the customer is (their time
        zone, else the company's, else UTC): a promise is a day."""
        self.ensure_one()
        customer = self._custcare_customer()
        where = customer if customer.tz else self.company_id.partner_id
        return local_day(where, moment)

    def _custcare_check_delay(self):
        """Deliveries now scheduled past the day promised, and past the day
        the customer was last told of, owe their customer a notice."""
        # sudo: sale.order - whoever reschedules a delivery (a warehouse
        # worker) may not read its order; its customer is told all the same
        moved = self.sudo().filtered(
            lambda p: (
                p.state not in ("done", "cancel")
                and not p.custcare_delay_pending
                and p._custcare_watched_promise()
                and p._custcare_day(p.scheduled_date)
                > p._custcare_day(
                    max(
                        p.date_deadline,
                        p.custcare_delay_notified_date or p.date_deadline,
                    )
                )
            )
        )
        if moved:
            moved.custcare_delay_pending = True
            self._custcare_trigger_watch()

    def _custcare_trigger_watch(self):
        # sudo: ir.cron - whoever reschedules a delivery has its customer told
        self.env.ref(
            "custcare_loop_sale_stock.ir_cron_custcare_delivery_watch"
        ).sudo()._trigger()

    # ------------------------------------------------------------------
    # Telling the customer, one notice per customer and order
    # ------------------------------------------------------------------

    @api.model
    def _custcare_moved_domain(self):
        return Domain(
            [
                ("custcare_delay_pending", "=", True),
                ("state", "not in", ("done", "cancel")),
            ]
        )

    @api.model
    def _custcare_late_domain(self):
        """Not done, and the promised day has passed (a day's margin: the
        exact day is checked per delivery, in the customer's time zone)."""
        return Domain(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "not in", ("done", "cancel")),
                ("sale_id.commitment_date", "!=", False),
                ("date_deadline", "<", fields.Datetime.now() - timedelta(hours=12)),
                ("custcare_late_notified", "=", False),
                # told of a new date already: they know it is late
                ("custcare_delay_notified_date", "=", False),
            ]
        )

    def _custcare_tell_moved(self):
        """One notice for these deliveries of one order: the latest day."""
        order = self.sale_id
        order.ensure_one()
        latest = max(self, key=lambda p: p.scheduled_date)
        reasons = [r for r in dict.fromkeys(self.mapped("custcare_delay_reason")) if r]
        order._custcare_notify_customer(
            self.env.ref("custcare_loop_sale_stock.mail_template_delivery_moved"),
            order.partner_id,
            context={
                "custcare_delivery_day": latest._custcare_day(latest.scheduled_date),
                "custcare_promised_day": latest._custcare_day(latest.date_deadline),
                "custcare_delay_reason": "; ".join(reasons),
            },
        )
        for picking in self:
            picking.write(
                {
                    "custcare_delay_pending": False,
                    "custcare_delay_notified_date": picking.scheduled_date,
                }
            )

    def _custcare_tell_late(self):
        """One notice for these late deliveries of one order."""
        order = self.sale_id
        order.ensure_one()
        latest = max(self, key=lambda p: p.scheduled_date)
        today = latest._custcare_day(fields.Datetime.now())
        expected = latest._custcare_day(latest.scheduled_date)
        order._custcare_notify_customer(
            self.env.ref("custcare_loop_sale_stock.mail_template_delivery_late"),
            order.partner_id,
            context={
                "custcare_promised_day": latest._custcare_day(latest.date_deadline),
                # a schedule already passed is no date to give: "soon"
                "custcare_delivery_day": expected if expected > today else False,
                "custcare_delay_reason": latest.custcare_delay_reason or "",
            },
        )
        self.write(
            {
                "custcare_late_notified": True,
                "custcare_delay_pending": False,
                "custcare_delay_notified_date": latest.scheduled_date,
            }
        )

    def _custcare_promised_day_passed(self):
        self.ensure_one()
        now = fields.Datetime.now()
        return self._custcare_day(self.date_deadline) < self._custcare_day(now)

    @api.model
    def _cron_custcare_delivery_watch(self, batch_size=200):
        """Tell customers whose delivery moved past the promised day, then
        those whose delivery is late: one notice per customer and order,
        each order isolated (one that fails is logged and left for the next
        run), each batch committed with its progress."""
        if self._custcare_tell_in_batches(
            self._custcare_moved_domain, "_custcare_tell_moved", batch_size
        ):
            self._custcare_tell_in_batches(
                self._custcare_late_domain, "_custcare_tell_late", batch_size
            )

    @api.model
    def _custcare_tell_in_batches(self, todo, tell, batch_size):
        """Returns False when the job's time is up."""
        cron = self.env["ir.cron"]
        skipped = []
        while True:
            pickings = self.search(
                todo() & Domain("id", "not in", skipped), order="id", limit=batch_size
            )
            if not pickings:
                return True
            if tell == "_custcare_tell_late":
                # late only once the promised day is over where the customer is
                not_yet = pickings.filtered(
                    lambda p: not p._custcare_promised_day_passed()
                )
                skipped += not_yet.ids
                pickings -= not_yet
            # all of an order's deliveries in one notice, even across batches
            orders = pickings.sale_id
            pending = self.search(
                todo()
                & Domain("sale_id", "in", orders.ids)
                & Domain("id", "not in", skipped)
            )
            if tell == "_custcare_tell_late":
                pending = pending.filtered(lambda p: p._custcare_promised_day_passed())

            def tell_order(order, pending=pending):
                getattr(pending.filtered(lambda p: p.sale_id == order), tell)()

            done, failed = each_isolated(orders, tell_order, tell.strip("_"))
            skipped += pending.filtered(
                lambda p, failed=failed: p.sale_id in failed
            ).ids
            remaining = self.search_count(todo() & Domain("id", "not in", skipped))
            if not cron._commit_progress(len(done), remaining=remaining):
                return False
