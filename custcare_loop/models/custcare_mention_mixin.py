from odoo import api, fields, models


class CustcareMentionMixin(models.AbstractModel):
    """Competitor mentions on a mail thread: what customers post or email on
    it is scanned for competitor names, and the record counts the mentions
    the current user may read (the rating.mixin pattern: one mixin, inherited
    by tickets, conversations and partners)."""

    _name = "custcare.mention.mixin"
    _inherit = ["mail.thread"]
    _description = "Customer Care: competitor mentions"

    custcare_competitor_mention_count = fields.Integer(
        compute="_compute_custcare_competitor_mention_count",
        string="Competitor Mentions",
        groups="custcare_loop.group_custcare_user",
    )

    def _custcare_mention_scope(self):
        """(mention field, domain, key of a record): which mentions count for
        these records, grouped by that field. Here: the mentions made on the
        record itself."""
        return (
            "res_id",
            [("res_model", "=", self._name), ("res_id", "in", self.ids)],
            lambda record: record.id,
        )

    @api.depends_context("uid")
    def _compute_custcare_competitor_mention_count(self):
        field, domain, key = self._custcare_mention_scope()
        counts = {}
        # no sudo: a count is made of the mentions the user may read
        for group, count in self.env["custcare.competitor.mention"]._read_group(
            domain, [field], ["__count"]
        ):
            group_id = group.id if isinstance(group, models.BaseModel) else group
            counts[group_id] = counts.get(group_id, 0) + count
        for record in self:
            record.custcare_competitor_mention_count = counts.get(key(record), 0)

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        self.env["custcare.competitor.mention"]._custcare_scan_message(
            self, message, msg_values
        )
        return res

    def _custcare_mention_action_domain(self):
        self.ensure_one()
        return [("res_model", "=", self._name), ("res_id", "=", self.id)]

    def action_custcare_view_competitor_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_competitor_mention_action"
        )
        action["domain"] = self._custcare_mention_action_domain()
        return action
