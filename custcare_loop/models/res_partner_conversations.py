from odoo import api, fields, models


class ResPartner(models.Model):
    """Conversations and improvement points on the customer's form: counts
    and recent lists over the customer and all its contacts."""

    _inherit = "res.partner"

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
    custcare_last_conversation_id = fields.Many2one(
        comodel_name="custcare.conversation",
        string="Last Conversation",
        compute="_compute_custcare_last_conversation_id",
        groups="custcare_loop.group_custcare_user",
    )
    custcare_recent_conversation_ids = fields.Many2many(
        comodel_name="custcare.conversation",
        compute="_compute_custcare_recent",
        string="Recent Conversations",
        groups="custcare_loop.group_custcare_user",
        help="The latest conversations with this customer and its contacts.",
    )
    custcare_recent_improvement_point_ids = fields.Many2many(
        comodel_name="custcare.improvement.point",
        compute="_compute_custcare_recent",
        string="Recent Improvement Points",
        groups="custcare_loop.group_custcare_user",
    )
    custcare_conversation_count = fields.Integer(
        compute="_compute_custcare_counts",
        string="# Conversations",
        groups="custcare_loop.group_custcare_user",
    )
    custcare_improvement_point_count = fields.Integer(
        compute="_compute_custcare_counts",
        string="# Improvement Points",
        groups="custcare_loop.group_custcare_user",
    )

    @api.depends_context("uid")
    def _compute_custcare_last_conversation_id(self):
        self.custcare_last_conversation_id = False
        if not self.ids:
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

    @api.depends_context("uid")
    def _compute_custcare_recent(self):
        self.custcare_recent_conversation_ids = False
        self.custcare_recent_improvement_point_ids = False
        for partner in self.filtered("id"):
            domain = [("partner_id", "child_of", partner.id)]
            partner.custcare_recent_conversation_ids = self.env[
                "custcare.conversation"
            ].search(domain, limit=10)
            partner.custcare_recent_improvement_point_ids = self.env[
                "custcare.improvement.point"
            ].search(domain, limit=10)

    @api.depends_context("uid")
    def _compute_custcare_counts(self):
        self.custcare_conversation_count = 0
        self.custcare_improvement_point_count = 0
        if not self.ids:
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

    @api.readonly
    def action_custcare_view_conversations(self):
        return self._custcare_action("custcare_loop.custcare_conversation_action")

    @api.readonly
    def action_custcare_view_improvement_points(self):
        return self._custcare_action("custcare_loop.custcare_improvement_point_action")

    @api.readonly
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
