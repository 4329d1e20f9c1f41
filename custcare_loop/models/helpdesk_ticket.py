import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..utils.competitor_matcher import html_to_scan_text


class HelpdeskTicket(models.Model):
    _inherit = "helpdesk.ticket"

    improvement_point_ids = fields.One2many(
        comodel_name="custcare.improvement.point",
        inverse_name="ticket_id",
        string="Improvement Points",
    )
    custcare_improvement_point_count = fields.Integer(
        compute="_compute_custcare_improvement_point_count",
        string="Points",
    )

    # closing the loop
    custcare_feedback_token = fields.Char(copy=False, index="btree_not_null")
    custcare_feedback_answer = fields.Selection(
        selection=[
            ("good", "Works well"),
            ("partial", "Partly works"),
            ("bad", "Still a problem"),
        ],
        string="Customer Feedback",
        copy=False,
        tracking=True,
    )
    custcare_later_answer = fields.Selection(
        selection=[
            ("good", "Still works"),
            ("partial", "Partly works"),
            ("bad", "A problem again"),
        ],
        string="Later Check Answer",
        copy=False,
        tracking=True,
    )
    custcare_feedback_round = fields.Selection(
        selection=[("resolution", "Resolution Notice"), ("later", "Later Check")],
        copy=False,
        help="Which notice the current feedback link belongs to.",
    )
    custcare_feedback_comment = fields.Text(string="Feedback Comment", copy=False)
    custcare_feedback_date = fields.Datetime(string="Feedback Date", copy=False)
    custcare_resolved_date = fields.Datetime(
        string="Resolved On",
        copy=False,
        help="When the resolution notice went out.",
    )
    custcare_notice_count = fields.Integer(
        string="Notices Sent",
        copy=False,
        help="Resolution notices, later checks and promise notices sent.",
    )
    custcare_reopened = fields.Boolean(
        string="Reopened by Customer",
        copy=False,
        aggregator="bool_or",
    )
    custcare_later_check_sent = fields.Boolean(copy=False)
    custcare_promised_date = fields.Datetime(
        string="Promised Date",
        copy=False,
        tracking=True,
        help="When we promised the customer an answer or a fix.",
    )
    custcare_promise_reason = fields.Char(
        string="Why the Promise Moved",
        copy=False,
        help="Told to the customer when the promised date is moved later.",
    )
    custcare_promise_notified = fields.Boolean(
        copy=False,
        help="The customer was told that the current promise passed.",
    )
    custcare_promise_state = fields.Selection(
        selection=[("kept", "Kept"), ("slipped", "Slipped")],
        string="Promise",
        copy=False,
        help="Kept: resolved by the promised date. Slipped: the date passed or "
        "was moved later.",
    )
    custcare_reopen_rate = fields.Float(
        string="Reopened (%)",
        compute="_compute_custcare_rates",
        store=True,
        aggregator="avg",
    )
    custcare_promise_kept_rate = fields.Float(
        string="Promises Kept (%)",
        compute="_compute_custcare_rates",
        store=True,
        aggregator="avg",
    )
    custcare_competitor_mention_count = fields.Integer(
        compute="_compute_custcare_competitor_mention_count",
        string="Competitor Mentions",
    )

    @api.depends("custcare_reopened", "custcare_promise_state")
    def _compute_custcare_rates(self):
        for ticket in self:
            ticket.custcare_reopen_rate = 100.0 if ticket.custcare_reopened else 0.0
            ticket.custcare_promise_kept_rate = (
                100.0 if ticket.custcare_promise_state == "kept" else 0.0
            )

    def _compute_custcare_competitor_mention_count(self):
        self.custcare_competitor_mention_count = 0
        if not self.env.user.has_group("custcare_loop.group_custcare_user"):
            return
        counts = dict(
            self.env["custcare.competitor.mention"]._read_group(
                [("res_model", "=", self._name), ("res_id", "in", self.ids)],
                ["res_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.custcare_competitor_mention_count = counts.get(ticket.id, 0)

    @api.depends("improvement_point_ids")
    def _compute_custcare_improvement_point_count(self):
        counts = dict(
            self.env["custcare.improvement.point"]
            .sudo()
            ._read_group(
                [("ticket_id", "in", self.ids)],
                ["ticket_id"],
                ["__count"],
            )
        )
        for ticket in self:
            ticket.custcare_improvement_point_count = counts.get(ticket._origin, 0)

    @api.constrains("stage_id")
    def _check_improvement_point_before_close(self):
        missing = self.filtered(
            lambda t: (
                t.stage_id.closed
                and t.stage_id.custcare_require_improvement_point
                and not t.sudo().improvement_point_ids
            )
        )
        if missing:
            raise ValidationError(
                self.env._(
                    "Ticket %(ticket)s cannot move to “%(stage)s” without an "
                    "improvement point. Ask the customer what we could do better "
                    "(or propose a point on their behalf): open the ticket and "
                    "use “Add Point & Close”, or add it in the Improvement Points "
                    "tab, then close it.",
                    ticket=missing[0].display_name,
                    stage=missing[0].stage_id.name,
                )
            )

    def action_custcare_close_with_point(self):
        self.ensure_one()
        return self.env["custcare.close.wizard"]._action_open(ticket=self)

    def action_custcare_view_improvement_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_improvement_point_action"
        )
        action["domain"] = [("ticket_id", "=", self.id)]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action

    # ------------------------------------------------------------------
    # CRUD
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._custcare_scan_description()
        return tickets

    def write(self, vals):
        moved_later = self.browse()
        if vals.get("custcare_promised_date"):
            new_date = fields.Datetime.to_datetime(vals["custcare_promised_date"])
            moved_later = self.filtered(
                lambda t: (
                    t.custcare_promised_date
                    and new_date > t.custcare_promised_date
                    and not t.closed
                )
            )
        if "custcare_promised_date" in vals:
            vals.setdefault("custcare_promise_notified", False)
        res = super().write(vals)
        if "description" in vals or "partner_id" in vals:
            self._custcare_scan_description()
        if moved_later:
            moved_later.custcare_promise_state = "slipped"
            moved_later._custcare_send_notice(
                "custcare_loop.mail_template_promise_moved"
            )
        if "stage_id" in vals:
            self._custcare_check_promise_kept()
        return res

    # ------------------------------------------------------------------
    # Closing the loop
    # ------------------------------------------------------------------

    def _track_template(self, tracking):
        """The resolution notice takes the place of helpdesk_mgmt's own
        closing mail: the customer gets one email when a ticket is resolved."""
        res = super()._track_template(tracking)
        if "stage_id" in res and self[:1].stage_id.custcare_resolved:
            del res["stage_id"]
        return res

    def _custcare_send_notice(self, template_xmlid, new_token=False):
        """Mail a notice to each ticket's customer, in their language; a
        customer without an email gets no mail, the owner an activity to
        call instead. Returns the tickets that were mailed."""
        template = self.env.ref(template_xmlid)
        mailed = self.browse()
        for ticket in self:
            if new_token:
                # a new notice, a new token: earlier links stop working
                vals = {
                    "custcare_feedback_token": secrets.token_urlsafe(32),
                    "custcare_feedback_round": new_token,
                }
                if new_token == "later":
                    vals["custcare_later_answer"] = False
                else:
                    vals["custcare_feedback_answer"] = False
                    vals["custcare_feedback_date"] = False
                ticket.sudo().write(vals)
            if ticket.partner_id.email or (
                not ticket.partner_id and ticket.partner_email
            ):
                ticket.with_context(
                    lang=ticket.partner_id.lang or self.env.lang
                ).message_post_with_source(
                    template,
                    subtype_xmlid="mail.mt_comment",
                    email_layout_xmlid="mail.mail_notification_light",
                    partner_ids=ticket.partner_id.ids,
                )
                ticket.custcare_notice_count += 1
                mailed |= ticket
            else:
                ticket.activity_schedule(
                    "mail.mail_activity_data_call",
                    summary=self.env._(
                        "Call the customer: %(notice)s", notice=template.name
                    ),
                    note=self.env._(
                        "The customer has no email address: tell them by phone."
                    ),
                    user_id=(ticket.user_id or self.env.user).id,
                )
        return mailed

    def _custcare_send_resolution_notice(self):
        """Run by the automation rule when a ticket enters a resolved stage."""
        tickets = self.filtered(lambda t: t.stage_id.custcare_resolved)
        tickets.write(
            {
                "custcare_resolved_date": fields.Datetime.now(),
                "custcare_feedback_answer": False,
                "custcare_feedback_date": False,
                "custcare_later_check_sent": False,
            }
        )
        return tickets._custcare_send_notice(
            "custcare_loop.mail_template_resolution_notice", new_token="resolution"
        )

    def _custcare_feedback_url(self, answer):
        self.ensure_one()
        base = self.get_base_url()
        return f"{base}/custcare/feedback/{self.custcare_feedback_token}/{answer}"

    def _custcare_first_open_stage(self):
        self.ensure_one()
        stages = (
            self.team_id._get_applicable_stages()
            if self.team_id
            else self.env["helpdesk.ticket.stage"].search([("team_ids", "=", False)])
        )
        return stages.filtered(lambda s: not s.closed)[:1]

    def _custcare_answer_field(self):
        self.ensure_one()
        if self.custcare_feedback_round == "later":
            return "custcare_later_answer"
        return "custcare_feedback_answer"

    def _custcare_current_answer(self):
        """The answer to the notice whose link is current, if given."""
        self.ensure_one()
        return self[self._custcare_answer_field()]

    def _custcare_record_feedback(self, answer):
        """The customer's one-click answer to the current notice (the first
        answer to the resolution notice is kept when the later check asks)."""
        self.ensure_one()
        field = self._custcare_answer_field()
        labels = dict(self._fields[field]._description_selection(self.env))
        self.write({field: answer, "custcare_feedback_date": fields.Datetime.now()})
        self.message_post(
            body=self.env._("The customer answered: %(answer)s", answer=labels[answer]),
            author_id=self.partner_id.id or False,
            subtype_xmlid="mail.mt_note",
        )
        owner = self.user_id or self.team_id.user_id
        if answer == "bad":
            stage = self._custcare_first_open_stage()
            if stage:
                self.write({"stage_id": stage.id, "custcare_reopened": True})
            self.activity_schedule(
                "mail.mail_activity_data_todo",
                summary=self.env._("Still a problem: the customer reopened the ticket"),
                user_id=(owner or self.env.ref("base.user_admin")).id,
            )
        elif answer == "partial":
            self.activity_schedule(
                "mail.mail_activity_data_call",
                summary=self.env._("The fix partly works: call the customer"),
                user_id=(owner or self.env.ref("base.user_admin")).id,
            )

    def _custcare_record_feedback_comment(self, comment):
        self.ensure_one()
        comment = (comment or "").strip()[:5000]
        if not comment:
            return
        self.custcare_feedback_comment = comment
        self.message_post(
            body=self.env._("The customer commented: %(comment)s", comment=comment),
            author_id=self.partner_id.id or False,
            subtype_xmlid="mail.mt_note",
        )

    def _custcare_check_promise_kept(self):
        for ticket in self.filtered(
            lambda t: (
                t.closed
                and t.custcare_promised_date
                and t.custcare_promise_state != "slipped"
            )
        ):
            ticket.custcare_promise_state = (
                "kept"
                if fields.Datetime.now() <= ticket.custcare_promised_date
                else "slipped"
            )

    @api.model
    def _cron_custcare_promise_watch(self, batch_size=500):
        """Tell the customer once per promise when it passed while the ticket
        is still open."""
        cron = self.env["ir.cron"]
        domain = [
            ("custcare_promised_date", "<", fields.Datetime.now()),
            ("custcare_promise_notified", "=", False),
            ("stage_id.closed", "=", False),
        ]
        while True:
            tickets = self.search(domain, limit=batch_size)
            if not tickets:
                break
            tickets._custcare_send_notice("custcare_loop.mail_template_promise_slipped")
            tickets.write(
                {"custcare_promise_notified": True, "custcare_promise_state": "slipped"}
            )
            remaining = self.search_count(domain)
            if not cron._commit_progress(len(tickets), remaining=remaining):
                break

    @api.model
    def _cron_custcare_later_check(self, batch_size=500):
        """N days after resolution, unless reopened, ask once more whether the
        fix still works."""
        cron = self.env["ir.cron"]
        companies = self.env["res.company"].search([])
        while True:
            tickets = self.browse()
            for company in companies:
                limit = fields.Datetime.now() - timedelta(
                    days=company.custcare_later_check_days
                )
                tickets |= self.search(
                    [
                        ("company_id", "=", company.id),
                        ("custcare_resolved_date", "<=", limit),
                        ("custcare_later_check_sent", "=", False),
                        ("stage_id.custcare_resolved", "=", True),
                    ],
                    limit=batch_size,
                )
            if not tickets:
                break
            tickets._custcare_send_notice(
                "custcare_loop.mail_template_later_check", new_token="later"
            )
            tickets.write({"custcare_later_check_sent": True})
            if not cron._commit_progress(len(tickets)):
                break

    # ------------------------------------------------------------------
    # Competitor mentions
    # ------------------------------------------------------------------

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

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        self.env["custcare.competitor.mention"]._custcare_scan_message(
            self, message, msg_values
        )
        return res

    def action_custcare_view_competitor_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_competitor_mention_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        return action
