from odoo import api, models
from odoo.exceptions import AccessError
from odoo.fields import Domain


class RatingRating(models.Model):
    """Who sees and changes a customer's answers. Odoo lets every employee
    read and write every rating; the answers to Customer Care notices are
    the customer's own words: they are given only through the customer's
    link (or corrected by a Customer Care manager), and an employee who is
    not a Customer Care user reads only those of tickets they may read."""

    _name = "rating.rating"
    _inherit = ["rating.rating", "custcare.ticket.bound.mixin"]

    @api.model
    def _custcare_ticket_bound_domain(self, readable_tickets):
        # Odoo's other ratings stay as Odoo shares them. An answer is always
        # about a ticket (custcare_notice is read-only, set only when a
        # ticket asks), so its model is not asked again: res_model is
        # computed after a rating is created, and searching on it would flush
        # the ratings being rated at every search (Odoo finds a rating by its
        # token before applying it: 2 queries more per rating).
        return Domain("custcare_notice", "=", False) | Domain(
            "res_id", "in", readable_tickets
        )

    def _custcare_ticket_id(self):
        return self.res_model == "helpdesk.ticket" and self.res_id

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or self.env.su or not any(self._ids):
            return result
        # sudo: rating.rating - which of these are answers is read inside
        # their own access check (as the user, it would check again)
        answers = self.sudo().filtered("custcare_notice")
        if not answers:
            return None
        if operation != "read":
            if self.env.user.has_group("custcare_loop.group_custcare_manager"):
                return None
            forbidden = self.browse(answers.ids)
            message = self.env._(
                "A customer's answer to a notice is given through the "
                "customer's own link; only Customer Care managers may change it."
            )
        elif self._custcare_ticket_bound_access():
            forbidden = self.browse(answers.ids)._custcare_ticket_bound_forbidden(
                "read"
            )
            message = self.env._(
                "You may only read the customers' answers on tickets you have "
                "access to."
            )
        else:
            return None
        if not forbidden:
            return None
        return forbidden, lambda: AccessError(message)
