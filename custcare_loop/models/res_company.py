from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    custcare_lead_days = fields.Integer(
        string="Contact Lead Time (days)",
        default=7,
        help="A customer is due for a proactive contact this many days before "
        "the next contact date.",
    )
    custcare_fallback_user_id = fields.Many2one(
        comodel_name="res.users",
        string="Fallback Rep",
        domain="[('share', '=', False)]",
        help="Gets the proactive contacts of customers without a salesperson.",
    )

    custcare_mention_alert = fields.Selection(
        selection=[
            ("notification", "Notification"),
            ("activity", "Activity"),
            ("none", "Nothing"),
        ],
        string="Competitor News Alert",
        default="notification",
        required=True,
        help="How a salesperson is told that their customer mentioned a "
        "competitor, unasked.",
    )

    custcare_later_check_days = fields.Integer(
        string="Later Check After (days)",
        default=14,
        help="Days after a resolution when the customer is asked once more "
        "whether the fix still works (unless the ticket was reopened).",
    )

    _custcare_lead_days_positive = models.Constraint(
        "CHECK(custcare_lead_days >= 0)",
        "The contact lead time cannot be negative.",
    )

    def write(self, vals):
        res = super().write(vals)
        if "custcare_lead_days" in vals:
            self.env["res.partner"]._custcare_refresh_contact_states(self)
        return res
