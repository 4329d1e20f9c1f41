from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    custcare_health_late_delivery_weight = fields.Integer(
        related="company_id.custcare_health_late_delivery_weight",
        readonly=False,
    )
