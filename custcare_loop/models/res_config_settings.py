from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    custcare_lead_days = fields.Integer(
        related="company_id.custcare_lead_days",
        readonly=False,
    )
    custcare_retry_days = fields.Integer(
        related="company_id.custcare_retry_days",
        readonly=False,
    )
    custcare_fallback_user_id = fields.Many2one(
        related="company_id.custcare_fallback_user_id",
        readonly=False,
    )
    custcare_mention_alert = fields.Selection(
        related="company_id.custcare_mention_alert",
        readonly=False,
    )
    custcare_later_check_days = fields.Integer(
        related="company_id.custcare_later_check_days",
        readonly=False,
    )
    custcare_follow_up_days = fields.Integer(
        related="company_id.custcare_follow_up_days",
        readonly=False,
    )
    custcare_reply_hours = fields.Integer(
        related="company_id.custcare_reply_hours",
        readonly=False,
    )
