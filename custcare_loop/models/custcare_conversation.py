from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CustcareConversation(models.Model):
    _name = "custcare.conversation"
    _description = "Customer Conversation"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

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
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        string="Customer Company",
        store=True,
        index=True,
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
    state = fields.Selection(
        selection=[("open", "Open"), ("closed", "Closed")],
        required=True,
        default="open",
        index=True,
        tracking=True,
        copy=False,
    )
    improvement_point_ids = fields.One2many(
        comodel_name="custcare.improvement.point",
        inverse_name="conversation_id",
        string="Improvement Points",
    )
    improvement_point_count = fields.Integer(
        compute="_compute_improvement_point_count",
        string="# Improvement Points",
    )
    company_id = fields.Many2one(
        comodel_name="res.company",
        required=True,
        default=lambda self: self.env.company,
        index=True,
    )

    @api.depends("improvement_point_ids")
    def _compute_improvement_point_count(self):
        for conversation in self:
            conversation.improvement_point_count = len(
                conversation.improvement_point_ids
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
        missing = closed.filtered(lambda c: not c.sudo().improvement_point_ids)
        if missing:
            raise ValidationError(
                self.env._(
                    "The conversation “%(name)s” has no improvement point yet. "
                    "Ask the customer what we could do better (or propose a point "
                    "on their behalf), record it with “Add Point & Close”, and "
                    "the conversation closes.",
                    name=missing[0].display_name,
                )
            )

    def action_close(self):
        """Close the conversations; each must have an improvement point."""
        self.filtered(lambda c: c.state != "closed").write({"state": "closed"})
        return True

    def action_reopen(self):
        self.filtered(lambda c: c.state == "closed").write({"state": "open"})
        return True

    def action_close_with_point(self):
        self.ensure_one()
        return self.env["custcare.close.wizard"]._action_open(conversation=self)

    def action_view_improvement_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_improvement_point_action"
        )
        action["domain"] = [("conversation_id", "=", self.id)]
        action["context"] = {
            "default_conversation_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
