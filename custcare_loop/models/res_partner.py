import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.fields import Domain

from .custcare_tier import INTERVAL_TYPES, cadence_delta

_logger = logging.getLogger(__name__)

# in the care board's column order: what needs a call first
CONTACT_STATES = [
    ("overdue", "Overdue"),
    ("due", "Due"),
    ("on_track", "On Track"),
]
# serialises the contact scheduler across workers and concurrent calls
SCHEDULER_LOCK = 7_461_019_001


class ResPartner(models.Model):
    _inherit = "res.partner"

    custcare_tier_id = fields.Many2one(
        comodel_name="custcare.tier",
        string="Care Tier",
        index="btree_not_null",
        tracking=True,
        help="Sets how often this customer is contacted on purpose.",
    )
    custcare_interval_number = fields.Integer(
        string="Own Cadence",
        help="When set, this customer is contacted at this cadence instead of "
        "their tier's.",
    )
    custcare_interval_type = fields.Selection(
        selection=INTERVAL_TYPES,
        string="Own Cadence Unit",
        default="months",
    )
    custcare_under_care = fields.Boolean(
        string="Under Care",
        compute="_compute_custcare_under_care",
        store=True,
        index=True,
    )
    custcare_care_start_date = fields.Date(
        string="Under Care Since",
        compute="_compute_custcare_care_start_date",
        store=True,
        copy=False,
        help="A customer never contacted is due from this day.",
    )
    custcare_last_contact_date = fields.Date(
        string="Last Contact",
        readonly=True,
        copy=False,
        help="The day of the latest closed conversation with this customer (or "
        "their contacts), or of the latest proactive contact marked done.",
    )
    custcare_next_contact_date = fields.Date(
        string="Next Contact",
        compute="_compute_custcare_next_contact_date",
        store=True,
        index=True,
        copy=False,
    )
    custcare_contact_state = fields.Selection(
        selection=CONTACT_STATES,
        string="Care State",
        compute="_compute_custcare_contact_state",
        group_expand=True,
        store=True,
        index=True,
        copy=False,
    )
    custcare_on_track_rate = fields.Float(
        string="On Track (%)",
        compute="_compute_custcare_contact_state",
        store=True,
        aggregator="avg",
        copy=False,
    )
    custcare_last_conversation_id = fields.Many2one(
        comodel_name="custcare.conversation",
        string="Last Conversation",
        compute="_compute_custcare_last_conversation_id",
    )

    custcare_conversation_ids = fields.One2many(
        comodel_name="custcare.conversation",
        inverse_name="partner_id",
        string="Customer Conversations",
    )
    custcare_improvement_point_ids = fields.One2many(
        comodel_name="custcare.improvement.point",
        inverse_name="partner_id",
        string="Improvement Points",
    )
    custcare_recent_conversation_ids = fields.Many2many(
        comodel_name="custcare.conversation",
        compute="_compute_custcare_recent",
        string="Recent Conversations",
        help="The latest conversations with this customer and its contacts.",
    )
    custcare_recent_improvement_point_ids = fields.Many2many(
        comodel_name="custcare.improvement.point",
        compute="_compute_custcare_recent",
        string="Recent Improvement Points",
    )
    custcare_competitor_mention_count = fields.Integer(
        compute="_compute_custcare_competitor_mentions",
        string="Competitor Mentions",
    )
    custcare_volunteers_competitor_news = fields.Boolean(
        compute="_compute_custcare_competitor_mentions",
        string="Volunteers Competitor News",
        help="This customer told us about competitors, unasked: they trust us.",
    )
    custcare_conversation_count = fields.Integer(
        compute="_compute_custcare_counts",
        string="# Conversations",
    )
    custcare_improvement_point_count = fields.Integer(
        compute="_compute_custcare_counts",
        string="# Improvement Points",
    )

    @api.depends(
        "custcare_tier_id",
        "custcare_interval_number",
    )
    def _compute_custcare_under_care(self):
        for partner in self:
            partner.custcare_under_care = bool(
                partner.custcare_interval_number > 0 or partner.custcare_tier_id
            )

    @api.depends("custcare_under_care")
    def _compute_custcare_care_start_date(self):
        today = fields.Date.today()
        for partner in self:
            if not partner.custcare_under_care:
                partner.custcare_care_start_date = False
            elif not partner.custcare_care_start_date:
                partner.custcare_care_start_date = today

    @api.depends(
        "custcare_under_care",
        "custcare_care_start_date",
        "custcare_last_contact_date",
        "custcare_interval_number",
        "custcare_interval_type",
        "custcare_tier_id.interval_number",
        "custcare_tier_id.interval_type",
    )
    def _compute_custcare_next_contact_date(self):
        for partner in self:
            delta = partner._custcare_cadence()
            if delta is None:
                partner.custcare_next_contact_date = False
            elif partner.custcare_last_contact_date:
                partner.custcare_next_contact_date = (
                    partner.custcare_last_contact_date + delta
                )
            else:
                partner.custcare_next_contact_date = (
                    partner.custcare_care_start_date or fields.Date.today()
                )

    @api.depends("custcare_next_contact_date", "company_id.custcare_lead_days")
    def _compute_custcare_contact_state(self):
        today = fields.Date.today()
        default_lead = self.env.company.custcare_lead_days
        for partner in self:
            next_date = partner.custcare_next_contact_date
            if not next_date:
                state = False
            else:
                company = partner.company_id
                lead = company.custcare_lead_days if company else default_lead
                state = partner._custcare_state_for(next_date, today, lead)
            partner.custcare_contact_state = state
            partner.custcare_on_track_rate = 100.0 if state == "on_track" else 0.0

    def _compute_custcare_last_conversation_id(self):
        self.custcare_last_conversation_id = False
        if not self.ids or not self.env.user.has_group(
            "custcare_loop.group_custcare_user"
        ):
            return
        conversations = self.env["custcare.conversation"].search(
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
            order="date desc, id desc",
        )
        latest = {}
        for conversation in conversations:
            latest.setdefault(conversation.commercial_partner_id, conversation)
        for partner in self:
            partner.custcare_last_conversation_id = latest.get(
                partner.commercial_partner_id, False
            )

    def _compute_custcare_competitor_mentions(self):
        self.custcare_competitor_mention_count = 0
        self.custcare_volunteers_competitor_news = False
        commercial = self.commercial_partner_id
        if not commercial.ids:
            return
        groups = (
            self.env["custcare.competitor.mention"]
            .sudo()
            ._read_group(
                [("commercial_partner_id", "in", commercial.ids)],
                ["commercial_partner_id", "spontaneous"],
                ["__count"],
            )
        )
        counts = {}
        spontaneous = set()
        for partner, is_spontaneous, count in groups:
            counts[partner] = counts.get(partner, 0) + count
            if is_spontaneous:
                spontaneous.add(partner)
        for partner in self:
            partner.custcare_competitor_mention_count = counts.get(
                partner.commercial_partner_id, 0
            )
            partner.custcare_volunteers_competitor_news = (
                partner.commercial_partner_id in spontaneous
            )

    def action_custcare_view_competitor_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_competitor_mention_action"
        )
        action["domain"] = [
            ("commercial_partner_id", "=", self.commercial_partner_id.id)
        ]
        return action

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        self.env["custcare.competitor.mention"]._custcare_scan_message(
            self, message, msg_values
        )
        return res

    def _compute_custcare_recent(self):
        self.custcare_recent_conversation_ids = False
        self.custcare_recent_improvement_point_ids = False
        if not self.env.user.has_group("custcare_loop.group_custcare_user"):
            return
        for partner in self.filtered("id"):
            domain = [("partner_id", "child_of", partner.id)]
            partner.custcare_recent_conversation_ids = self.env[
                "custcare.conversation"
            ].search(domain, limit=10)
            partner.custcare_recent_improvement_point_ids = self.env[
                "custcare.improvement.point"
            ].search(domain, limit=10)

    def _compute_custcare_counts(self):
        self.custcare_conversation_count = 0
        self.custcare_improvement_point_count = 0
        if not self.ids or not self.env.user.has_group(
            "custcare_loop.group_custcare_user"
        ):
            return
        # count the records of the partner and of all its contacts
        all_partners = self.with_context(active_test=False).search_fetch(
            [("id", "child_of", self.ids)], ["parent_id"]
        )
        self_ids = set(self._ids)
        for model, field in (
            ("custcare.conversation", "custcare_conversation_count"),
            ("custcare.improvement.point", "custcare_improvement_point_count"),
        ):
            groups = self.env[model]._read_group(
                [("partner_id", "in", all_partners.ids)],
                ["partner_id"],
                ["__count"],
            )
            for partner, count in groups:
                while partner:
                    if partner.id in self_ids:
                        partner[field] += count
                    partner = partner.parent_id

    def _custcare_action(self, xmlid):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(xmlid)
        action["domain"] = [("partner_id", "child_of", self.ids)]
        action["context"] = {"default_partner_id": self.id}
        return action

    def action_custcare_view_conversations(self):
        return self._custcare_action("custcare_loop.custcare_conversation_action")

    def action_custcare_view_improvement_points(self):
        return self._custcare_action("custcare_loop.custcare_improvement_point_action")

    def action_custcare_schedule_contacts(self):
        """Run the contact scheduler now (managers, from the care board)."""
        self.env.ref("custcare_loop.ir_cron_custcare_schedule_contacts")._trigger()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "info",
                "message": self.env._(
                    "The proactive contacts are being scheduled; reload in a "
                    "moment to see them."
                ),
            },
        }

    def action_custcare_log_conversation(self):
        """Open a new conversation with this customer."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Log a Conversation"),
            "res_model": "custcare.conversation",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
            "context": {"default_partner_id": self.id},
        }

    # ------------------------------------------------------------------
    # Cadence and state
    # ------------------------------------------------------------------

    def _custcare_cadence(self):
        """The partner's cadence as a relativedelta, None when not under care.
        The partner's own cadence wins over its tier's."""
        self.ensure_one()
        if self.custcare_interval_number > 0:
            return cadence_delta(
                self.custcare_interval_number, self.custcare_interval_type or "months"
            )
        tier = self.custcare_tier_id
        if tier:
            return cadence_delta(tier.interval_number, tier.interval_type)
        return None

    @api.model
    def _custcare_state_for(self, next_date, today, lead_days):
        if next_date < today:
            return "overdue"
        if next_date <= today + timedelta(days=lead_days):
            return "due"
        return "on_track"

    @api.model
    def _custcare_stale_state_domain(self, today, lead_days):
        """Partners whose stored care state is no longer right today."""
        limit_due = today + timedelta(days=lead_days)
        return Domain.OR(
            [
                Domain("custcare_next_contact_date", "<", today)
                & Domain("custcare_contact_state", "!=", "overdue"),
                Domain("custcare_next_contact_date", ">=", today)
                & Domain("custcare_next_contact_date", "<=", limit_due)
                & Domain("custcare_contact_state", "!=", "due"),
                Domain("custcare_next_contact_date", ">", limit_due)
                & Domain("custcare_contact_state", "!=", "on_track"),
            ]
        )

    @api.model
    def _custcare_refresh_contact_states(self, companies=None):
        """Age the stored care states: a next contact date that passed makes
        the partner due, then overdue, without anyone editing it."""
        today = fields.Date.today()
        companies = companies or self.env["res.company"].search([])
        domains = [
            Domain("company_id", "=", company.id)
            & self._custcare_stale_state_domain(today, company.custcare_lead_days)
            for company in companies
        ]
        if self.env.company in companies:
            domains.append(
                Domain("company_id", "=", False)
                & self._custcare_stale_state_domain(
                    today, self.env.company.custcare_lead_days
                )
            )
        domain = Domain("custcare_under_care", "=", True) & Domain.OR(domains)
        stale = self.with_context(active_test=False).search(domain)
        if stale:
            fields_to_compute = [
                self._fields["custcare_contact_state"],
                self._fields["custcare_on_track_rate"],
            ]
            for field in fields_to_compute:
                self.env.add_to_compute(field, stale)
            stale.flush_recordset(["custcare_contact_state", "custcare_on_track_rate"])
        return len(stale)

    def _custcare_update_last_contact_date(self):
        """Set the last contact date from the latest closed conversation with
        the partner or its contacts (a calendar date in the timezone of the
        user who logged it) or the latest proactive contact marked done."""
        partners = self.commercial_partner_id | self
        if not partners:
            return
        last = {}
        conversations = (
            self.env["custcare.conversation"]
            .sudo()
            .search_fetch(
                [
                    ("state", "=", "closed"),
                    "|",
                    ("partner_id", "in", partners.ids),
                    ("commercial_partner_id", "in", partners.ids),
                ],
                ["date", "partner_id", "commercial_partner_id", "user_id"],
                order="date desc, id desc",
            )
        )
        for conversation in conversations:
            local_date = conversation._custcare_local_date()
            for partner in conversation.partner_id | conversation.commercial_partner_id:
                if partner.id not in last or local_date > last[partner.id]:
                    last[partner.id] = local_date
        activity_type = self.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact",
            raise_if_not_found=False,
        )
        if activity_type:
            done = (
                self.env["mail.activity"]
                .sudo()
                ._read_group(
                    [
                        ("active", "=", False),
                        ("activity_type_id", "=", activity_type.id),
                        ("res_model", "=", "res.partner"),
                        ("res_id", "in", partners.ids),
                        ("date_done", "!=", False),
                    ],
                    ["res_id"],
                    ["date_done:max"],
                )
            )
            for res_id, date_done in done:
                if res_id not in last or date_done > last[res_id]:
                    last[res_id] = date_done
        for partner in partners.sudo():
            value = last.get(partner.id, False)
            if partner.custcare_last_contact_date != value:
                partner.custcare_last_contact_date = value

    # ------------------------------------------------------------------
    # Scheduler
    # ------------------------------------------------------------------

    @api.model
    def _custcare_due_domain(self, activity_type):
        """Due or overdue partners without an open proactive contact, that
        someone can be assigned to (a salesperson, or a fallback rep)."""
        with_fallback = self.env["res.company"].search(
            [("custcare_fallback_user_id", "!=", False)]
        )
        assignable = [
            Domain("user_id", "!=", False),
            Domain("commercial_partner_id.user_id", "!=", False),
            Domain("company_id", "in", with_fallback.ids),
        ]
        if self.env.company in with_fallback:
            assignable.append(Domain("company_id", "=", False))
        return (
            Domain("custcare_contact_state", "in", ("due", "overdue"))
            & Domain(
                "activity_ids",
                "not any",
                [("activity_type_id", "=", activity_type.id)],
            )
            & Domain.OR(assignable)
        )

    def _custcare_contact_user(self):
        """Who makes the proactive contact: the salesperson, else the
        company's fallback rep."""
        self.ensure_one()
        company = self.company_id or self.env.company
        return (
            self.user_id
            or self.commercial_partner_id.user_id
            or company.custcare_fallback_user_id
        )

    @api.model
    def _custcare_schedule_contacts_batch(self, activity_type, after_id=0, limit=10000):
        """Give the next due partners (by id, after ``after_id``) their
        proactive-contact activity. Returns (partners seen, activities made).
        Returns None when another run holds the scheduler lock: a
        transaction-level advisory lock, taken first in the transaction so that
        its snapshot sees every activity the previous holder committed;
        concurrent runs never create the same activity twice."""
        self.env.cr.execute("SELECT pg_try_advisory_xact_lock(%s)", [SCHEDULER_LOCK])
        if not self.env.cr.fetchone()[0]:
            return None
        partners = self.search_fetch(
            self._custcare_due_domain(activity_type) & Domain("id", ">", after_id),
            ["custcare_next_contact_date", "user_id", "commercial_partner_id"],
            order="id",
            limit=limit,
        )
        if not partners:
            return partners, self.env["mail.activity"]
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = []
        for partner in partners:
            user = partner._custcare_contact_user()
            if not user:
                _logger.info(
                    "custcare: no salesperson or fallback rep for partner %s, "
                    "no proactive contact scheduled",
                    partner.id,
                )
                continue
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": partner.id,
                    "activity_type_id": activity_type.id,
                    "summary": activity_type.summary or activity_type.name,
                    "note": activity_type.default_note,
                    "user_id": user.id,
                    "date_deadline": partner.custcare_next_contact_date,
                }
            )
        activities = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create(vals_list)
        )
        return partners, activities

    @api.model
    def _custcare_clear_stale_contact_activities(self, activity_type):
        """A partner no longer due (cadence removed or changed) loses its open
        proactive-contact activity."""
        partners = self.with_context(active_test=False).search(
            [
                ("custcare_contact_state", "not in", ("due", "overdue")),
                ("activity_ids", "any", [("activity_type_id", "=", activity_type.id)]),
            ]
        )
        stale = self.env["mail.activity"].search(
            [
                ("activity_type_id", "=", activity_type.id),
                ("res_model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
            ]
        )
        stale.unlink()
        return len(stale)

    @api.model
    def _cron_custcare_schedule_contacts(self, batch_size=10000):
        """Give each due or overdue partner one open proactive-contact
        activity for its salesperson (or the fallback rep)."""
        cron = self.env["ir.cron"]
        activity_type = self.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact"
        )
        self._custcare_refresh_contact_states()
        self._custcare_clear_stale_contact_activities(activity_type)
        remaining = self.search_count(self._custcare_due_domain(activity_type))
        cron._commit_progress(remaining=remaining)
        after_id = 0
        while True:
            result = self._custcare_schedule_contacts_batch(
                activity_type, after_id=after_id, limit=batch_size
            )
            if result is None:
                _logger.info("custcare: another contact scheduler is running")
                break
            partners, _activities = result
            if not partners:
                break
            after_id = partners[-1].id
            remaining = max(remaining - len(partners), 0)
            if not cron._commit_progress(len(partners), remaining=remaining):
                break
            # keep memory flat over many batches
            self.env.invalidate_all()
