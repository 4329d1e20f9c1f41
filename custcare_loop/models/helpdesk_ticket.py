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

    custcare_competitor_mention_count = fields.Integer(
        compute="_compute_custcare_competitor_mention_count",
        string="Competitor Mentions",
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
    # Competitor mentions
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._custcare_scan_description()
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if "description" in vals or "partner_id" in vals:
            self._custcare_scan_description()
        return res

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
