from odoo import api, models


class HelpdeskTicket(models.Model):
    """Competitor mentions on tickets: the customer's messages (the mixin)
    and the ticket's description."""

    _name = "helpdesk.ticket"
    _inherit = ["custcare.mention.mixin", "helpdesk.ticket"]

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._custcare_scan_description()
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if "description" in vals or "partner_id" in vals:
            self._custcare_scan_description()
        return res

    def _custcare_scan_description(self):
        # what the customer wrote in their request: unasked
        self.env["custcare.competitor.mention"]._custcare_scan_field(
            self, "description", lambda ticket: True
        )
