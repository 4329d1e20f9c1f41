from odoo import api, fields, models


class CustcarePraise(models.Model):
    """What a customer praised in a conversation: kept, so that managers see
    the three best things about dealing with us. Praise alone never closes a
    conversation: it still needs an improvement point."""

    _name = "custcare.praise"
    _description = "Customer Praise"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        string="What They Praised",
        required=True,
    )
    aspect_id = fields.Many2one(
        comodel_name="custcare.improvement.aspect",
        index=True,
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
        store=True,
        index=True,
    )
    conversation_id = fields.Many2one(
        comodel_name="custcare.conversation",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Heard By",
        default=lambda self: self.env.user,
    )
    date = fields.Date(
        required=True,
        default=fields.Date.context_today,
        index=True,
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )

    @api.onchange("conversation_id")
    def _onchange_conversation_id(self):
        if self.conversation_id and not self.partner_id:
            self.partner_id = self.conversation_id.partner_id
