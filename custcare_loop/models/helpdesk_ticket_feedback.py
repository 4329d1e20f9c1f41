from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.fields import Domain

from ..utils.cron_isolation import process_in_batches
from ..utils.report_sql import average_where_set
from .rating_rating import ANSWER_RATINGS

# what a customer may type on the feedback page
MAX_COMMENT_CHARS = 5000


class HelpdeskTicket(models.Model):
    """Closing the loop: the resolution notice and the later check ask the
    customer how well the fix works. Each notice is one Odoo rating
    (``rating.rating``) whose token is in the notice's links."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "rating.mixin", "custcare.customer.notice.mixin"]

    custcare_rating_ids = fields.One2many(
        comodel_name="rating.rating",
        inverse_name="res_id",
        string="Customer Answers",
        domain=[
            ("res_model", "=", "helpdesk.ticket"),
            ("custcare_notice", "!=", False),
        ],
        groups="base.group_user",
        bypass_search_access=True,
        readonly=True,
    )
    custcare_resolution = fields.Text(
        string="What We Did",
        copy=False,
        help="How the problem was solved, in words for the customer: the "
        "resolution notice tells them.",
    )
    custcare_resolved_date = fields.Datetime(
        string="Resolved On",
        copy=False,
        readonly=True,
        help="When the latest resolution notice went out.",
    )
    custcare_notice_count = fields.Integer(
        string="Notices Sent",
        copy=False,
        readonly=True,
        help="Resolution notices, later checks and promise notices sent.",
    )
    custcare_reopened = fields.Boolean(
        string="Reopened by Customer",
        copy=False,
        readonly=True,
        aggregator="bool_or",
    )
    custcare_later_check_sent = fields.Boolean(
        string="Later Check Sent",
        copy=False,
        readonly=True,
    )
    custcare_reopen_rate = fields.Float(
        string="Reopened (%)",
        compute="_compute_custcare_reopen_rate",
        store=True,
        aggregator="avg",
    )

    @api.depends("custcare_reopened")
    def _compute_custcare_reopen_rate(self):
        for ticket in self:
            ticket.custcare_reopen_rate = 100.0 if ticket.custcare_reopened else 0.0

    def _read_group_select(self, aggregate_spec, query):
        """ "Reopened (%)" averages over the tickets the customer was told
        were resolved: one never resolved cannot have been reopened."""
        if aggregate_spec == "custcare_reopen_rate:avg":
            return average_where_set(
                self, query, "custcare_resolved_date", "custcare_reopen_rate"
            )
        return super()._read_group_select(aggregate_spec, query)

    def _rating_get_parent_field_name(self):
        return "team_id"

    def unlink(self):
        """The customer's answers outlive the ticket: answered questions move
        to the customer's record (Odoo deletes a record's ratings with it),
        named after the deleted ticket. A customer known only by address
        becomes a contact for it (found by that address, else created)."""
        # sudo: rating.rating - the customer's answers move to their record
        # whoever deletes the ticket: only Customer Care managers may change
        # answers (see rating_rating_access)
        answered = (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("custcare_notice", "!=", False),
                    ("consumed", "=", True),
                ]
            )
        )
        # sudo: helpdesk.ticket - the names and customer addresses of the
        # tickets being deleted, read before super() checks the deleter's
        # right (a refusal rolls all of this back)
        tickets = self.sudo()
        names = {ticket.id: ticket.display_name for ticket in tickets}
        for rating in answered.filtered(lambda r: not r.partner_id):
            ticket = tickets.browse(rating.res_id)
            if ticket.partner_email:
                # sudo: res.partner - the customer known by address only
                # becomes a contact; the deleter may not create contacts
                rating.partner_id = (
                    self.env["res.partner"]
                    .sudo()
                    ._find_or_create_from_emails([ticket.partner_email])[0]
                )
        partner_model_id = self.env["ir.model"]._get_id("res.partner")
        for rating in answered.filtered("partner_id"):
            name = self.env._(
                "%(ticket)s (deleted ticket)", ticket=names[rating.res_id]
            )
            rating.write(
                {
                    "res_model_id": partner_model_id,
                    "res_id": rating.partner_id.id,
                    # the chatter note goes with the ticket's messages
                    "message_id": False,
                }
            )
            rating.res_name = name
        return super().unlink()

    def _custcare_responsible_user(self):
        self.ensure_one()
        return self._custcare_real_user(
            self.user_id,
            self.team_id.user_id,
            (self.company_id or self.env.company).custcare_fallback_user_id,
        )

    def _track_template(self, tracking):
        """The resolution notice takes the place of helpdesk_mgmt's own
        closing mail: the customer gets one email when a ticket is resolved."""
        res = super()._track_template(tracking)
        if "stage_id" in res and self[:1].stage_id.custcare_resolved:
            del res["stage_id"]
        return res

    # ------------------------------------------------------------------
    # Notices that ask for an answer
    # ------------------------------------------------------------------

    def _custcare_send_resolution_notice(self):
        """Run by the automation rule when a ticket enters a resolved stage."""
        tickets = self.filtered(lambda t: t.stage_id.custcare_resolved)
        tickets.write(
            {
                "custcare_resolved_date": fields.Datetime.now(),
                "custcare_later_check_sent": False,
            }
        )
        template = self.env.ref("custcare_loop.mail_template_resolution_notice")
        for ticket in tickets:
            ticket._custcare_ask_feedback("resolution", template)
        return tickets

    def _custcare_ask_feedback(self, notice, template):
        """Mail ``template`` to the customer with a new rating whose token is
        in its links. Returns the rating, or an empty recordset when nobody
        could be told."""
        self.ensure_one()
        # sudo: rating.rating - the question is asked whoever resolves the
        # ticket (an agent moving its stage, the later-check job): people may
        # not create Customer Care questions (see rating_rating_access)
        rating = (
            self.env["rating.rating"]
            .sudo()
            .create(
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": self.id,
                    "partner_id": self.partner_id.id,
                    "rated_partner_id": self.user_id.partner_id.id,
                    "custcare_notice": notice,
                }
            )
        )
        message = self._custcare_notify_customer(
            template,
            self.partner_id,
            self.partner_email,
            context={"custcare_rating_token": rating.access_token},
        )
        if not message:
            rating.unlink()
            return rating.browse()
        self.custcare_notice_count += 1
        return rating

    def _custcare_feedback_url(self, answer):
        """The link of one answer in the notice being sent. Rendered any
        other way (a template's preview, the chatter's composer, whose mail
        would reach followers and CC) the links are dead: the customer's live
        token is only ever mailed to the customer."""
        self.ensure_one()
        token = self.env.context.get("custcare_rating_token") or "preview"
        return f"{self.get_base_url()}/custcare/feedback/{token}/{answer}"

    def _custcare_current_rating(self):
        """The ticket's latest Customer Care question (answered or not)."""
        self.ensure_one()
        # sudo: rating.rating - only compared with the question being answered
        # (on the customer's public page) or answered by OdooBot; not shown
        return (
            self.env["rating.rating"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "=", self.id),
                    ("custcare_notice", "!=", False),
                ],
                order="id desc",
                limit=1,
            )
        )

    # ------------------------------------------------------------------
    # Answers
    # ------------------------------------------------------------------

    def _custcare_feedback_status(self, rating):
        """Whether ``rating`` (one of this ticket's questions) can still be
        answered: ``open``, ``answered``, or ``expired`` when the ticket was
        reopened or asked a newer question since."""
        self.ensure_one()
        if rating.consumed:
            return "answered"
        if (
            not self.stage_id.custcare_resolved
            or self._custcare_current_rating() != rating
        ):
            return "expired"
        return "open"

    def _custcare_record_answer(self, answer, comment="", rating=None, improvement=""):
        """The customer's answer to the notice that asked ``rating`` (by
        default the ticket's current question): the rating gets the value and
        the comment, the chatter a note from the customer; "still a problem"
        reopens the ticket, "partly" asks the owner to call. What the customer
        says we could do better (``improvement``) becomes an improvement point
        on the ticket, in their words."""
        self.ensure_one()
        # sudo: rating.rating - the answer is the customer's, given through
        # their token: people may not write answers (see rating_rating_access)
        rating = (rating or self._custcare_current_rating()).sudo()
        if not rating:
            raise UserError(
                self.env._(
                    "%(ticket)s has no question for the customer to answer.",
                    ticket=self.display_name,
                )
            )
        comment = (comment or "").strip()[:MAX_COMMENT_CHARS]
        improvement = (improvement or "").strip()[:MAX_COMMENT_CHARS]
        rating.write(
            {
                "rating": ANSWER_RATINGS[answer],
                "feedback": comment or False,
                "consumed": True,
            }
        )
        label = dict(rating._fields["custcare_answer"]._description_selection(self.env))
        body = Markup("<p>%s</p>") % self.env._(
            "The customer answered (%(notice)s): %(answer)s",
            notice=dict(
                rating._fields["custcare_notice"]._description_selection(self.env)
            )[rating.custcare_notice],
            answer=label[answer],
        )
        if comment:
            body += Markup("<blockquote>%s</blockquote>") % comment
        if improvement:
            body += Markup("<p>%s</p><blockquote>%s</blockquote>") % (
                self.env._("What we could do better:"),
                improvement,
            )
        self.message_post(
            body=body,
            author_id=rating.partner_id.id or None,
            email_from=None if rating.partner_id else (self.partner_email or None),
            subtype_xmlid="mail.mt_note",
            rating_id=rating.id,
        )
        if improvement:
            self._custcare_record_customer_point(improvement, rating.partner_id)
        if answer == "bad":
            stage = self._custcare_first_open_stage()
            self.write(
                {"custcare_reopened": True, **({"stage_id": stage.id} if stage else {})}
            )
            self._custcare_schedule_follow_up(
                "mail.mail_activity_data_todo",
                summary=lambda env: env._(
                    "Still a problem: the customer reopened the ticket"
                ),
                note=comment and Markup("<p>%s</p>") % comment,
            )
        elif answer == "partial":
            self._custcare_schedule_follow_up(
                "mail.mail_activity_data_call",
                summary=lambda env: env._("The fix partly works: call the customer"),
                note=comment and Markup("<p>%s</p>") % comment,
            )
        # the answer (and a reopened ticket) moves the customer's health now
        (rating.partner_id or self.partner_id)._custcare_health_follow()

    def _custcare_record_customer_point(self, words, customer):
        """An improvement point on this ticket in the customer's own words,
        raised by the customer (a customer known only by address becomes a
        contact for it); it settles a point the ticket owes."""
        self.ensure_one()
        # sudo: helpdesk.ticket - the customer answering through their token
        # gives the point: the ticket's customer, company and owner are read
        # for it
        ticket = self.sudo()
        if not customer:
            customer = ticket.partner_id
        if not customer and ticket.partner_email:
            # sudo: res.partner - the answering customer is known by address only
            customer = (
                self.env["res.partner"]
                .sudo()
                ._find_or_create_from_emails([ticket.partner_email])[0]
            )
        if not customer:
            return self.env["custcare.improvement.point"]
        # sudo: custcare.improvement.point - the customer answers from a
        # public page through their token
        return (
            self.env["custcare.improvement.point"]
            .sudo()
            .create(
                {
                    "name": " ".join(words.split())[:200],
                    "customer_words": words,
                    "raised_by": "customer",
                    "partner_id": customer.id,
                    "ticket_id": ticket.id,
                    "company_id": ticket.company_id.id or self.env.company.id,
                    "user_id": ticket._custcare_responsible_user().id or False,
                }
            )
        )

    def _custcare_first_open_stage(self):
        self.ensure_one()
        stages = (
            self.team_id._get_applicable_stages()
            if self.team_id
            else self.env["helpdesk.ticket.stage"].search([("team_ids", "=", False)])
        )
        return stages.filtered(lambda s: not s.closed)[:1]

    # ------------------------------------------------------------------
    # Later check
    # ------------------------------------------------------------------

    @api.model
    def _custcare_later_check_domain(self):
        """Resolved tickets whose company's later-check delay has passed."""
        now = fields.Datetime.now()
        per_company = [
            Domain("company_id", "=", company.id)
            & Domain(
                "custcare_resolved_date",
                "<=",
                now - timedelta(days=company.custcare_later_check_days),
            )
            # sudo: res.company - every company's delay: the job asks on
            # tickets of all companies, whichever user it runs as
            for company in self.env["res.company"].sudo().search([])
        ]
        return (
            Domain.OR(per_company)
            & Domain("custcare_later_check_sent", "=", False)
            & Domain("stage_id.custcare_resolved", "=", True)
        )

    @api.model
    def _cron_custcare_later_check(self, batch_size=200):
        """N days after resolution (per company), unless reopened, ask once
        more whether the fix still works. A ticket that fails is logged and
        left for the next run; the others go on."""
        template = self.env.ref("custcare_loop.mail_template_later_check")

        def ask(ticket):
            ticket._custcare_ask_feedback("later", template)
            ticket.custcare_later_check_sent = True

        process_in_batches(
            self, self._custcare_later_check_domain, ask, "later check", batch_size
        )
