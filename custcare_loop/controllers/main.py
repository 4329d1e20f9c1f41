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
            and stage.close_from_portal
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


class CustcareFeedbackController(http.Controller):
    """One-click answers to resolution notices, no login needed."""

    ANSWERS = ("good", "partial", "bad")

    def _ticket_for(self, token):
        if not token or len(token) < 20:
            return request.env["helpdesk.ticket"].sudo().browse()
        return (
            request.env["helpdesk.ticket"]
            .sudo()
            .search([("custcare_feedback_token", "=", token)], limit=1)
        )

    def _render(self, status, ticket=None, token=None, answer=None):
        return request.render(
            "custcare_loop.feedback_page",
            {"status": status, "ticket": ticket, "token": token, "answer": answer},
        )

    @http.route(
        "/custcare/feedback/<string:token>/<string:answer>",
        type="http",
        auth="public",
        methods=["GET"],
        website=True,
        sitemap=False,
    )
    def custcare_feedback(self, token, answer, **kwargs):
        ticket = self._ticket_for(token)
        if answer not in self.ANSWERS or not ticket:
            return self._render("unknown")
        if not ticket.stage_id.custcare_resolved:
            return self._render("expired", ticket)
        if ticket._custcare_current_answer():
            return self._render("used", ticket, token)
        ticket._custcare_record_feedback(answer)
        return self._render("thanks", ticket, token, answer)

    @http.route(
        "/custcare/feedback/<string:token>/comment",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def custcare_feedback_comment(self, token, comment="", **kwargs):
        ticket = self._ticket_for(token)
        if not ticket or not ticket._custcare_current_answer():
            return self._render("unknown")
        if not ticket.custcare_feedback_comment:
            ticket._custcare_record_feedback_comment(comment)
        return self._render("commented", ticket)
