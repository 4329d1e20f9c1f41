from odoo import api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    _inherit = "res.company"

    custcare_health_overdue_invoice_weight = fields.Integer(
        string="Health Weight of an Overdue Invoice",
        default=10,
        help="Points a customer's health loses for each posted invoice past its "
        "due date and not paid (at most twice this).",
    )

    @api.constrains("custcare_health_overdue_invoice_weight")
    def _check_custcare_health_overdue_invoice_weight(self):
        if any(not 0 <= c.custcare_health_overdue_invoice_weight <= 100 for c in self):
            raise ValidationError(
                self.env._("A health weight is between 0 (not counted) and 100 points.")
            )
