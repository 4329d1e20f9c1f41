from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..utils.report_sql import average_where_set


class CustcareImprovementPoint(models.Model):
    """The three worst things: managers pick the top concerns (open points
    raised by the most customers), give each an owner, a plan and a target
    date; once done, every customer who raised it is told and the concern is
    turned into an advantage."""

    _inherit = "custcare.improvement.point"

    is_top_concern = fields.Boolean(
        string="One of the Three Worst Things",
        tracking=True,
        copy=False,
        help="A top concern the company plans to be rid of.",
    )
    plan = fields.Html(
        help="How we will be rid of it.",
    )
    target_date = fields.Date(
        tracking=True,
        help="When it should be done.",
    )
    turned_advantage = fields.Boolean(
        string="Turned into an Advantage",
        compute="_compute_turned_advantage",
        store=True,
    )
    done_date = fields.Date(
        string="Done On",
        readonly=True,
        copy=False,
    )
    days_to_done = fields.Integer(
        string="Days to Done",
        compute="_compute_days_to_done",
        store=True,
        aggregator="avg",
        help="From the day it was first raised to the day it was done.",
    )
    told_count = fields.Integer(
        string="# Customers Told",
        compute="_compute_told_count",
        store=True,
        aggregator="sum",
        help="Customers told that it is done: by email, or, without an email "
        "address, given to the point's owner to call.",
    )
    faq_ids = fields.Many2many(
        comodel_name="custcare.faq",
        relation="custcare_faq_point_rel",
        column1="point_id",
        column2="faq_id",
        string="FAQ Entries",
        readonly=True,
    )

    @api.depends("is_top_concern", "state")
    def _compute_turned_advantage(self):
        for point in self:
            point.turned_advantage = point.is_top_concern and point.state == "done"

    @api.depends("date", "done_date")
    def _compute_days_to_done(self):
        for point in self:
            point.days_to_done = (
                (point.done_date - point.date).days
                if point.done_date and point.date
                else 0
            )

    def _read_group_select(self, aggregate_spec, query):
        """ "Days to Done" averages over the points that are done: an open
        point has taken no days yet, it would pull the average down."""
        if aggregate_spec == "days_to_done:avg":
            return average_where_set(self, query, "done_date", "days_to_done")
        return super()._read_group_select(aggregate_spec, query)

    @api.depends("notified_partner_ids")
    def _compute_told_count(self):
        for point in self:
            point.told_count = len(point.notified_partner_ids)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("state") == "done":
                vals.setdefault("done_date", fields.Date.context_today(self))
        return super().create(vals_list)

    def write(self, vals):
        if (
            {"is_top_concern", "plan", "target_date"} & set(vals)
            and not self.env.su
            and not self.env.user.has_group("custcare_loop.group_custcare_manager")
        ):
            raise AccessError(
                self.env._(
                    "Only Customer Care managers choose the three worst things and "
                    "plan them."
                )
            )
        if vals.get("state") == "done":
            vals.setdefault("done_date", fields.Date.context_today(self))
        elif "state" in vals:
            vals.setdefault("done_date", False)
        return super().write(vals)

    def action_custcare_write_faq(self):
        """One click from a recurring concern to an FAQ entry that answers
        it (unpublished until a manager publishes it)."""
        self.ensure_one()
        faq = self.faq_ids[:1] or self.env["custcare.faq"].create(
            {
                "name": self.name,
                "answer": self.action_taken or False,
                "point_ids": [(6, 0, self.ids)],
                "company_id": self.company_id.id,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "custcare.faq",
            "res_id": faq.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
