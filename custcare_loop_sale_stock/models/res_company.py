from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    custcare_health_late_delivery_weight = fields.Integer(
        string="Health Weight of a Late Delivery",
        default=10,
        help="Points a customer's health loses for each delivery late in the "
        "last 90 days (at most twice this).",
    )

    @api.constrains("custcare_health_late_delivery_weight")
    def _check_custcare_health_late_delivery_weight(self):
        if any(not 0 <= c.custcare_health_late_delivery_weight <= 100 for c in self):
            raise ValidationError(
                self.env._("A health weight is between 0 (not counted) and 100 points.")
            )
