from odoo import SUPERUSER_ID, http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import SQL
from odoo.tools.misc import get_lang

from odoo.addons.helpdesk_mgmt.controllers.main import HelpdeskTicketController
from odoo.addons.rating.controllers.main import Rating

from ..models.helpdesk_ticket_feedback import MAX_COMMENT_CHARS
from ..models.rating_rating import ANSWER_RATINGS

# what a customer may type as the improvement point when closing from the portal
MAX_PORTAL_POINT_CHARS = 2000


class CustcareHelpdeskTicketController(HelpdeskTicketController):
    @http.route(methods=["POST"])
    def support_ticket_close(self, **kw):
        """A customer closing their own ticket from the portal gives the
        improvement point the closed stage requires. Closing changes state:
        POST only, with Odoo's CSRF token (a link opened by a mail scanner
        or a forged page closes nothing)."""
        improvement = (kw.pop("custcare_improvement", "") or "").strip()
        improvement = improvement[:MAX_PORTAL_POINT_CHARS]
        try:
            ticket = request.env["helpdesk.ticket"].browse(int(kw.get("ticket_id")))
            ticket.check_access("read")
            stage = request.env["helpdesk.ticket.stage"].browse(int(kw.get("stage_id")))
        except (AccessError, MissingError, TypeError, ValueError):
            # 302, as helpdesk_mgmt's own close answers
            return request.redirect("/my", code=302)
        # sudo: helpdesk.ticket - the customer may read this ticket (checked
        # above); whether it has a point, its company and owner are read for
        # the point they give, which a portal user may not read
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
                return request.redirect(f"/my/ticket/{ticket.id}", code=302)
            # sudo: custcare.improvement.point - a portal customer may not
            # create points: theirs, in their words, on their own ticket
            request.env["custcare.improvement.point"].sudo().create(
                {
                    "name": improvement[:200],
                    "customer_words": improvement,
                    "raised_by": "customer",
                    # in the words of whoever closes it (a colleague of the
                    # customer's following the ticket speaks for themselves)
                    "partner_id": request.env.user.partner_id.id,
                    "ticket_id": ticket.id,
                    "company_id": ticket_sudo.company_id.id,
                    "user_id": ticket_sudo.user_id.id,
                }
            )
        return super().support_ticket_close(**kw)


class CustcareFeedbackController(http.Controller):
    """The customer's answer to a resolution notice or a later check, no
    login needed. Opening a link (GET or HEAD, as mail scanners do) only
    shows the page with that answer chosen; the customer confirms with a
    POST that carries Odoo's CSRF token. A token answers once."""

    def _rating(self, token):
        """The Customer Care question behind ``token`` and its ticket (sudo:
        the token is the customer's credential), or (None, None)."""
        if not token or len(token) > 100:
            return None, None
        # sudo: rating.rating - the token is the customer's credential: only
        # the Customer Care question it names is found
        rating = (
            request.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("access_token", "=", token),
                    ("custcare_notice", "!=", False),
                    ("res_model", "=", "helpdesk.ticket"),
                ],
                limit=1,
            )
        )
        # sudo: helpdesk.ticket - the ticket that question is about, shown to
        # its customer (who may be the public user)
        ticket = rating and request.env["helpdesk.ticket"].sudo().browse(rating.res_id)
        if not rating or not ticket.exists():
            return None, None
        return rating, ticket

    def _render(self, values, status=200):
        """The page, in the customer's language."""
        rating, ticket = values.get("rating"), values.get("ticket")
        lang = (
            (rating and rating.partner_id.lang)
            or (ticket and ticket.partner_id.lang)
            or get_lang(request.env).code
        )
        request.update_context(lang=lang)
        company = (ticket and ticket.company_id) or request.env.company
        return request.render(
            "custcare_loop.feedback_page",
            {"company": company, **values},
            status=status,
        )

    def _not_found(self):
        return self._render({"status": "unknown"}, status=404)

    def _not_the_customer(self, rating):
        """A signed-in user who is not the customer (a colleague opening the
        notice from the chatter or a follower's copy) may not answer for
        them, as in Odoo's own rating pages."""
        user = request.env.user
        if user._is_public():
            return False
        customer = rating.partner_id.commercial_partner_id
        return not customer or user.partner_id.commercial_partner_id != customer

    @http.route(
        "/custcare/feedback/<string:token>/<string:answer>",
        type="http",
        auth="public",
        methods=["GET", "HEAD"],
        website=True,
        sitemap=False,
        # only reads: served from a replica when one is configured (mail
        # scanners and customers opening a notice sent to thousands)
        readonly=True,
    )
    def custcare_feedback(self, token, answer, **kwargs):
        """Show the question with ``answer`` chosen; change nothing. A link
        whose answer is not one we offer was mistyped: not found."""
        if answer not in ANSWER_RATINGS:
            return self._not_found()
        rating, ticket = self._rating(token)
        if not rating:
            return self._not_found()
        if self._not_the_customer(rating):
            return self._render(
                {"status": "not_yours", "ticket": ticket, "rating": rating}, status=403
            )
        status = ticket._custcare_feedback_status(rating)
        return self._render(
            {
                "status": "ask" if status == "open" else status,
                "ticket": ticket,
                "rating": rating,
                "token": token,
                "answer": answer,
            }
        )

    @http.route(
        "/custcare/feedback/<string:token>/submit",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
        sitemap=False,
    )
    def custcare_feedback_submit(
        self, token, answer=None, comment="", improvement="", **kwargs
    ):
        """Record the answer once (the CSRF token is checked by Odoo)."""
        rating, ticket = self._rating(token)
        if not rating:
            return self._not_found()
        values = {"ticket": ticket, "rating": rating, "token": token}
        if self._not_the_customer(rating):
            return self._render({**values, "status": "not_yours"}, status=403)
        # two submissions at once: the second waits here, then sees the first
        # (a serialisation failure here is retried by Odoo: not an error,
        # hence log_exceptions=False, which env.execute_query does not offer;
        # the lock reads no field: nothing to flush)
        request.env.cr.execute(
            SQL("SELECT 1 FROM rating_rating WHERE id = %s FOR UPDATE", rating.id),
            log_exceptions=False,
        )
        rating.invalidate_recordset(["consumed"])
        status = ticket._custcare_feedback_status(rating)
        if status != "open":
            return self._render({**values, "status": status})
        if answer not in ANSWER_RATINGS:
            return self._render(
                {**values, "status": "ask", "answer": None, "missing_answer": True},
                status=400,
            )
        # the token checked, what follows is done by OdooBot, not the public
        # user: it reopens the ticket and plans the owner's follow-up
        ticket.with_user(SUPERUSER_ID)._custcare_record_answer(
            answer,
            (comment or "")[:MAX_COMMENT_CHARS],
            rating=rating,
            improvement=(improvement or "")[:MAX_COMMENT_CHARS],
        )
        return self._render(
            {
                **values,
                "status": "thanks",
                "answer": answer,
                "improvement": (improvement or "").strip(),
            }
        )


class CustcareFaqController(http.Controller):
    """The published FAQ, public, searchable, in the visitor's language."""

    MAX_SEARCH_CHARS = 100

    @http.route(
        "/custcare/faq",
        type="http",
        auth="public",
        methods=["GET", "HEAD"],
        website=True,
        sitemap=True,
        readonly=True,
    )
    def custcare_faq(self, search="", **kwargs):
        search = " ".join((search or "").split())[: self.MAX_SEARCH_CHARS]
        company = request.env.company
        domain = [("is_published", "=", True), ("company_id", "=", company.id)]
        if search:
            domain += ["|", ("name", "ilike", search), ("answer", "ilike", search)]
        # sudo: custcare.faq - the public reads the published entries of the
        # website's company only (the domain above), never a draft
        faqs = request.env["custcare.faq"].sudo().search(domain, limit=200)
        return request.render(
            "custcare_loop.faq_page",
            {"faqs": faqs, "search": search, "company": company},
        )


class CustcareRatingController(Rating):
    """Odoo's own rating pages (/rate/…) do not answer a Customer Care
    question: its token leads to the Customer Care page, where the answer
    reopens the ticket when it is still a problem."""

    RATE_TO_ANSWER = {5: "good", 3: "partial", 1: "bad"}

    def _custcare_question(self, token):
        # sudo: rating.rating - only whether the token names a Customer Care
        # question (to redirect to its page); nothing of it is shown here
        return (
            request.env["rating.rating"]
            .sudo()
            .search([("access_token", "=", token), ("custcare_notice", "!=", False)])
        )

    @http.route()
    def action_open_rating(self, token, rate, **kwargs):
        if self._custcare_question(token):
            answer = self.RATE_TO_ANSWER.get(rate, "good")
            return request.redirect(f"/custcare/feedback/{token}/{answer}")
        return super().action_open_rating(token, rate, **kwargs)

    @http.route()
    def action_submit_rating(self, token, rate=0, **kwargs):
        if self._custcare_question(token):
            return request.redirect(f"/custcare/feedback/{token}/good")
        return super().action_submit_rating(token, rate, **kwargs)
