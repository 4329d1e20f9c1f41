from odoo import api, models


class CustcareImprovementPoint(models.Model):
    _inherit = "custcare.improvement.point"

    @api.model
    def _custcare_check_parents_keep_points(self, conversations, tickets, leaving=None):
        """A ticket merged into another (archived by the merge, named in the
        context key ``custcare_merged_ticket_ids``) hands its points to the
        ticket it was merged into, closed or not: they stay on a live ticket,
        and the rule holds for that one. Every other ticket keeps the rule."""
        merged_ids = set(self.env.context.get("custcare_merged_ticket_ids") or ())
        merged = tickets.filtered(
            lambda ticket: ticket.id in merged_ids and not ticket.active
        )
        return super()._custcare_check_parents_keep_points(
            conversations, tickets - merged, leaving=leaving
        )
