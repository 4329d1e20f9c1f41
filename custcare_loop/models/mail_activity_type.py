from odoo import fields, models


class MailActivityType(models.Model):
    _inherit = "mail.activity.type"

    category = fields.Selection(
        selection_add=[("custcare_contact", "Log a Conversation")],
        ondelete={"custcare_contact": "set default"},
    )
