from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    custcare_health_overdue_invoice_weight = fields.Integer(
        related="company_id.custcare_health_overdue_invoice_weight",
        readonly=False,
    )
