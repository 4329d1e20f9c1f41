from odoo import api, models

from ..utils.competitor_matcher import html_to_scan_text


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
        Mention = self.env["custcare.competitor.mention"]
        if not self.env["custcare.competitor"]._custcare_matcher():
            return
        for ticket in self:
            Mention._custcare_sync(
                ticket,
                "description",
                html_to_scan_text(ticket.description),
                ticket.partner_id,
                True,
            )
