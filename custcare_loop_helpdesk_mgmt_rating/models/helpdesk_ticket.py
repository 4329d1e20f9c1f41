from odoo import models


class HelpdeskTicket(models.Model):
    """custcare_loop and helpdesk_mgmt_rating both make the ticket a
    ``rating.mixin``. Their fields do not overlap (helpdesk_mgmt_rating adds
    ``positive_rate_percentage`` and ``rating_status``, custcare_loop only
    ``custcare_*`` fields); what is settled here is who writes to the customer
    on resolution, and which rating a rating request links to."""

    _inherit = "helpdesk.ticket"

    def _send_ticket_rating_mail(self, force_send=False):
        """On resolution the customer gets one email: the resolution notice,
        which asks how well the fix works and creates the ticket's rating.
        helpdesk_mgmt_rating's own request is therefore not sent for the
        tickets our automation rule notifies; while the rule is disabled, or on
        stages that are not resolved, it goes out as usual."""
        noticed = self._custcare_resolution_noticed()
        return super(HelpdeskTicket, self - noticed)._send_ticket_rating_mail(
            force_send=force_send
        )

    def _custcare_resolution_noticed(self):
        """The tickets that custcare_loop's rule sends the resolution notice
        for: the rule is active, their stage is resolved and they meet the
        rule's (editable) conditions."""
        rule = self.env.ref(
            "custcare_loop.base_automation_resolution_notice",
            raise_if_not_found=False,
        )
        # sudo: base.automation - whoever resolves a ticket (an agent) may not
        # read automation rules: only whether ours is on and whom it notifies
        if not rule or not rule.sudo().active:
            return self.browse()
        resolved = self.filtered(lambda ticket: ticket.stage_id.custcare_resolved)
        # sudo: base.automation - see above
        return rule.sudo()._filter_post(resolved)

    def _rating_get_access_token(self, partner=None):
        """A rating request links to the customer's unanswered rating, which
        Odoo reuses. A Customer Care question (the rating of a resolution
        notice or a later check) is not one to reuse: its answer belongs to
        that notice, and a reopened ticket has expired it. A request sent while
        such a question is open gets a rating of its own."""
        partner = partner or self._rating_get_partner()
        # sudo: rating.rating - as rating.mixin does: the customer's unanswered
        # ratings of this ticket, whoever sends the request (only a token comes
        # out, after the ticket's read access is checked)
        ratings = self.sudo().rating_ids.filtered(
            lambda rating: rating.partner_id.id == partner.id and not rating.consumed
        )
        if not ratings.filtered("custcare_notice"):
            return super()._rating_get_access_token(partner=partner)
        # as rating's mail.thread does, leaving Customer Care questions aside
        self.check_access("read")
        rating = ratings.filtered(lambda rating: not rating.custcare_notice)[:1]
        if not rating:
            # sudo: rating.rating - as rating.mixin does: the customer's rating
            # request, whoever sends it
            rating = (
                self.env["rating.rating"]
                .sudo()
                .create(
                    {
                        "partner_id": partner.id,
                        "rated_partner_id": self._rating_get_operator().id,
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": self.id,
                        "is_internal": False,
                    }
                )
            )
        return rating.access_token
