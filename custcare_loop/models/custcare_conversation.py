from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..exceptions import MissingImprovementPoint
from ..utils.care_dates import local_day
from ..utils.competitor_matcher import html_to_scan_text
from ..utils.temperature import TEMPERATURES

# clocks of several servers and devices disagree by a little
FUTURE_TOLERANCE = timedelta(minutes=5)


class CustcareConversation(models.Model):
    _name = "custcare.conversation"
    _description = "Customer Conversation"
    # mixins that hook into mail.thread come before it
    _inherit = [
        "custcare.mention.mixin",
        "custcare.temperature.mixin",
        "mail.thread",
        "mail.activity.mixin",
        "custcare.customer.company.mixin",
    ]
    _order = "date desc, id desc"
    _check_company_auto = True
    _custcare_temperature_field = "temperature"
    _custcare_open_fields = ("state",)

    name = fields.Char(
        string="Subject",
        tracking=True,
        help="What the conversation was about, in a few words.",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        tracking=True,
    )
    user_id = fields.Many2one(
        comodel_name="res.users",
        string="Rep",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        index=True,
        tracking=True,
    )
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        index=True,
        help="When the conversation took place.",
    )
    channel = fields.Selection(
        selection=[
            ("call", "Phone Call"),
            ("visit", "Visit"),
            ("meeting", "Meeting"),
            ("email", "Email"),
            ("letter", "Letter"),
            ("chat", "Chat"),
        ],
        required=True,
        default="call",
    )
    summary = fields.Html(sanitize_style=True)
    competitor_spontaneous = fields.Boolean(
        string="Competitors Brought Up Unasked",
        default=True,
        help="Whether the customer brought up the competitors named in the "
        "summary by themselves, without being asked.",
    )
    temperature = fields.Selection(
        selection=TEMPERATURES,
        tracking=True,
        index="btree_not_null",
        help="How upset the customer is, as you judge it: calm, warm, hot or "
        "boiling. Empty: not judged.",
    )
    state = fields.Selection(
        selection=[("open", "Open"), ("closed", "Closed")],
        string="Status",
        required=True,
        group_expand=True,
        default="open",
        index=True,
        tracking=True,
        copy=False,
    )
    improvement_point_ids = fields.One2many(
        comodel_name="custcare.improvement.point",
        inverse_name="conversation_id",
        string="Improvement Points",
        # a point that joined an existing one ("same as") is archived: it is
        # still what the customer said in this conversation
        context={"active_test": False},
    )
    praise_ids = fields.One2many(
        comodel_name="custcare.praise",
        inverse_name="conversation_id",
        help="What the customer praised. Kept for the three best things; a "
        "conversation still needs an improvement point to close.",
    )
    improvement_point_count = fields.Integer(
        compute="_compute_improvement_point_count",
        string="Points",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )

    @api.depends("improvement_point_ids.active", "improvement_point_ids.merged_into_id")
    def _compute_improvement_point_count(self):
        # the points the conversation contributed to: its own, and those its
        # points joined ("same as")
        for conversation in self:
            conversation.improvement_point_count = len(
                conversation.improvement_point_ids._custcare_current_points()
            )

    @api.depends("partner_id", "channel", "date", "name")
    def _compute_display_name(self):
        channels = dict(self._fields["channel"]._description_selection(self.env))
        for conversation in self:
            label = conversation.name or channels.get(conversation.channel, "")
            partner = conversation.partner_id.display_name
            conversation.display_name = (
                f"{label} - {partner}" if partner and label else label or partner
            )

    @api.constrains("state")
    def _check_improvement_point_before_close(self):
        closed = self.filtered(lambda c: c.state == "closed")
        # sudo: custcare.improvement.point - any point counts, whoever closes
        # (one merged into another is archived, still its record's) and
        # whichever companies they have selected; nothing of it is shown
        missing = closed.filtered(
            lambda c: not c.sudo().with_context(active_test=False).improvement_point_ids
        )
        if missing:
            raise MissingImprovementPoint(
                self.env._(
                    "The conversation “%(name)s” has no improvement point yet. "
                    "Ask the customer what we could do better (or propose a point "
                    "on their behalf), record it with “Add Point & Close”, and "
                    "the conversation closes.",
                    name=missing[0].display_name,
                ),
                missing[0],
            )

    @api.constrains("date")
    def _check_date_not_in_future(self):
        limit = fields.Datetime.now() + FUTURE_TOLERANCE
        future = self.filtered(lambda c: c.date > limit)
        if future:
            raise ValidationError(
                self.env._(
                    "The conversation “%(name)s” is dated %(date)s, in the future: "
                    "log a conversation once it has taken place (plan future "
                    "calls and visits as activities).",
                    name=future[0].display_name,
                    date=fields.Datetime.to_string(
                        fields.Datetime.context_timestamp(future[0], future[0].date)
                    )[:16],
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        conversations = super().create(vals_list)
        conversations.filtered(lambda c: c.state == "closed")._custcare_on_close()
        conversations.filtered("summary")._custcare_scan_summary()
        conversations.filtered("summary")._custcare_suggest_from_summary()
        return conversations

    def write(self, vals):
        contact_changed = {"state", "date", "partner_id"} & set(vals)
        partners = self.partner_id if contact_changed else None
        res = super().write(vals)
        if contact_changed:
            if vals.get("state") == "closed":
                self._custcare_complete_contact_activities()
            (partners | self.partner_id)._custcare_update_last_contact_date()
            if vals.get("state") == "closed":
                self.partner_id._custcare_health_follow()
        if {"summary", "competitor_spontaneous", "partner_id"} & set(vals):
            self._custcare_scan_summary()
        if "summary" in vals:
            self._custcare_suggest_from_summary()
        if "date" in vals:  # a change of customer: see the temperature mixin
            self._custcare_customers_temperature_changed()
        return res

    def _custcare_is_open(self):
        self.ensure_one()
        return self.state == "open"

    def _custcare_suggest_from_summary(self):
        for conversation in self:
            conversation._custcare_suggest_temperature(
                html_to_scan_text(conversation.summary),
                conversation._custcare_language(),
                "summary",
            )

    def unlink(self):
        """The customer's last contact forgets a closed conversation that is
        deleted."""
        partners = self.filtered(lambda c: c.state == "closed").partner_id
        res = super().unlink()
        partners.exists()._custcare_update_last_contact_date()
        return res

    def _custcare_scan_summary(self):
        # the rep says whether the customer brought the competitor up unasked
        self.env["custcare.competitor.mention"]._custcare_scan_field(
            self, "summary", lambda c: c.competitor_spontaneous, date_field="date"
        )

    def _custcare_on_close(self):
        self._custcare_complete_contact_activities()
        self.partner_id._custcare_update_last_contact_date()
        self.partner_id._custcare_health_follow()

    def _custcare_local_date(self):
        """The day the conversation took place, in the timezone of the user
        who logged it (UTC when unset)."""
        self.ensure_one()
        return local_day(self.user_id or self.create_uid, self.date)

    def _custcare_complete_contact_activities(self):
        """Logging a conversation completes the customer's open
        proactive-contact activity."""
        activity_type = self.env.ref(
            "custcare_loop.mail_activity_type_proactive_contact",
            raise_if_not_found=False,
        )
        if not activity_type or not self:
            return
        partners = self.partner_id | self.commercial_partner_id
        # sudo: mail.activity - the conversation completes the customer's
        # planned contact whoever it is assigned to: a rep may not edit a
        # colleague's activity on a customer they may only read
        activities = (
            self.env["mail.activity"]
            .sudo()
            .search(
                [
                    ("activity_type_id", "=", activity_type.id),
                    ("res_model", "=", "res.partner"),
                    ("res_id", "in", partners.ids),
                ]
            )
        )
        for activity in activities:
            conversation = self.filtered(
                lambda c, a=activity: (
                    a.res_id in (c.partner_id | c.commercial_partner_id).ids
                )
            )[:1]
            activity.with_context(custcare_contact_logged=True).action_feedback(
                feedback=self.env._(
                    "Contacted: %(conversation)s",
                    conversation=conversation.display_name,
                )
            )
            # the contact took place on the conversation's day, not today
            activity.flush_recordset(["date_done"])
            activity.date_done = conversation._custcare_local_date()

    def action_close(self):
        """Close the conversations; each must have an improvement point."""
        self.filtered(lambda c: c.state != "closed").write({"state": "closed"})
        return True

    def action_reopen(self):
        self.filtered(lambda c: c.state == "closed").write({"state": "open"})
        return True

    def action_custcare_ask_three_worst(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("The Three Worst Things"),
            "res_model": "custcare.three.worst.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_conversation_id": self.id},
        }

    @api.readonly
    def action_custcare_close_with_point(self):
        return self.action_close_with_point()

    @api.readonly
    def action_close_with_point(self):
        self.ensure_one()
        return self.env["custcare.close.wizard"]._action_open(conversation=self)

    @api.readonly
    def action_view_improvement_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_improvement_point_action"
        )
        joined = self.improvement_point_ids._custcare_current_points()
        action["domain"] = [
            "|",
            ("conversation_id", "=", self.id),
            ("id", "in", joined.ids),
        ]
        action["context"] = {
            "default_conversation_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
