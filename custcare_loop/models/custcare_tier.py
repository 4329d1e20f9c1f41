from dateutil.relativedelta import relativedelta

from odoo import fields, models

INTERVAL_TYPES = [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")]


def cadence_delta(number, unit):
    """The cadence as a relativedelta; months are calendar months."""
    return relativedelta(**{unit: number})


class CustcareTier(models.Model):
    _name = "custcare.tier"
    _description = "Care Tier"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    description = fields.Text(translate=True)
    interval_number = fields.Integer(
        string="Contact Every",
        required=True,
        default=1,
        help="How often a customer of this tier is contacted on purpose.",
    )
    interval_type = fields.Selection(
        selection=INTERVAL_TYPES,
        string="Unit",
        required=True,
        default="months",
    )
    partner_count = fields.Integer(
        compute="_compute_partner_count",
        string="# Customers",
    )

    _interval_number_positive = models.Constraint(
        "CHECK(interval_number > 0)",
        "The contact cadence of a tier must be at least 1 day, week or month.",
    )

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("custcare_tier_id", "in", self.ids)],
                ["custcare_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.res_partner_action_care_board"
        )
        action["domain"] = [("custcare_tier_id", "=", self.id)]
        return action
