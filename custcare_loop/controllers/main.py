from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController


class CustcareHelpdeskTicketController(HelpdeskTicketController):
    @http.route()
    def support_ticket_close(self, **kw):
        """A customer closing their own ticket from the portal gives the
        improvement point the closed stage requires."""
        improvement = (kw.pop("custcare_improvement", "") or "").strip()
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id")))
            ticket.check_access("read")
            stage = request.env["helpdesk.ticket.stage"].browse(int(kw.get("stage_id")))
        except (AccessError, MissingError, TypeError, ValueError):
            return request.redirect("/my")
        ticket_sudo = ticket.sudo()
        needs_point = (
            stage.exists()
            and stage.closed
            and stage.custcare_require_improvement_point
            and not ticket_sudo.improvement_point_ids
        )
        if needs_point:
            if not improvement:
                return request.redirect(f"/my/ticket/{ticket.id}")
            request.env["custcare.improvement.point"].sudo().create(
                {
                    "name": improvement[:200],
                    "customer_words": improvement,
                    "raised_by": "customer",
                    "partner_id": (
                        ticket_sudo.partner_id or request.env.user.partner_id
                    ).id,
                    "ticket_id": ticket.id,
                    "company_id": ticket_sudo.company_id.id,
                    "user_id": ticket_sudo.user_id.id,
                }
            )
        return super().support_ticket_close(**kw)
