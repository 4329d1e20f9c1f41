from odoo import models


class HelpdeskTicketMerge(models.TransientModel):
    _inherit = "helpdesk.ticket.merge"

    def merge_tickets(self):
        """What Customer Care knows of the merged tickets goes to the
        destination with their messages: improvement points, competitor
        mentions, the customer's answers, the oldest unanswered message and
        the hottest temperature.

        super() first: only then does the destination exist (the wizard may
        create it) and hold the merged description and the merged tickets'
        messages (which message mentions and answers point to), the merging
        user's rights on every ticket having been checked by its writes. The
        merged tickets are archived by then, which is what lets a closed one
        hand over its last improvement point (custcare.improvement.point);
        points, mentions and ratings are found by ticket id whatever the
        ticket's ``active``, but ``ticket_ids`` no longer lists archived
        tickets: they are taken before. The destination's description is
        scanned for competitors once the merged tickets' mentions are on it,
        so that they are kept rather than found again as new ones."""
        tickets = self.ticket_ids
        action = super(
            HelpdeskTicketMerge, self.with_context(custcare_merge_defer_scan=True)
        ).merge_tickets()
        tickets._custcare_merge_into(self.dst_ticket_id)
        return action
