from odoo import models


class SaleOrder(models.Model):
    """The customer is told about their order's deliveries on the order:
    one notice per customer and order, to the customer only."""

    _name = "sale.order"
    _inherit = ["sale.order", "custcare.customer.notice.mixin"]
