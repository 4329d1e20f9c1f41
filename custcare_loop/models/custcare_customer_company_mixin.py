from odoo import fields, models


class CustcareCustomerCompanyMixin(models.AbstractModel):
    """Records about one customer (``partner_id``, which each model defines
    as it needs: required, what happens on delete): the customer's company
    and its salesperson, stored, so that reports group by them and record
    rules filter on them without a join."""

    _name = "custcare.customer.company.mixin"
    _description = "Customer Care: a customer's company and salesperson"

    partner_id = fields.Many2one(comodel_name="res.partner", string="Customer")
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
        store=True,
        index=True,
    )
    salesperson_id = fields.Many2one(
        related="commercial_partner_id.user_id",
        string="Salesperson",
        store=True,
        index=True,
    )
