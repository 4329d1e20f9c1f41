from odoo import api, models
from odoo.fields import Domain


class CustcareTicketBoundMixin(models.AbstractModel):
    """Records that belong to helpdesk tickets as far as access goes: a
    helpdesk agent who is not a Customer Care user sees (and changes) only
    those of the tickets they may see. Models say which records are bound to
    which tickets in ``_custcare_ticket_bound_domain`` (searching) and
    ``_custcare_ticket_id`` (one record), and complete ``_check_access``
    with ``_custcare_ticket_bound_forbidden``."""

    _name = "custcare.ticket.bound.mixin"
    _description = "Customer Care: access bound to helpdesk tickets"

    def _custcare_ticket_bound_access(self):
        """Whether the current user's access is bound to tickets."""
        return not self.env.su and not self.env.user.has_group(
            "custcare_loop.group_custcare_user"
        )

    @api.model
    def _custcare_ticket_bound_domain(self, readable_tickets):
        """The records the user may see, given a query of the tickets they
        may see."""
        raise NotImplementedError

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None, **kwargs):
        if self._custcare_ticket_bound_access() and not kwargs.get("bypass_access"):
            domain = Domain(domain) & self._custcare_ticket_bound_domain(
                self.env["helpdesk.ticket"]._search([])
            )
        return super()._search(domain, offset, limit, order, **kwargs)

    def _custcare_ticket_id(self):
        """The id of the ticket this record belongs to, or False."""
        raise NotImplementedError

    def _custcare_ticket_bound_forbidden(self, operation):
        """Those of these records whose ticket the user may not ``operation``
        ("read" or "write"), and those that belong to no ticket."""
        # sudo: custcare.improvement.point, rating.rating - their tickets are read
        # inside their own access check (as the user, it would check again);
        # only ids come out
        records = self.sudo()
        ticket_ids = {record._custcare_ticket_id() for record in records} - {False}
        allowed = set(
            self.env["helpdesk.ticket"]
            .browse(ticket_ids)
            ._filtered_access(operation)
            .ids
        )
        return self.browse(
            record.id
            for record in records
            if record._custcare_ticket_id() not in allowed
        )
