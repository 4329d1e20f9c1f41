from odoo import api, fields, models

from ..exceptions import MissingImprovementPoint


class HelpdeskTicket(models.Model):
    """Improvement points on tickets: a ticket cannot enter a closed stage
    that requires one until at least one is recorded."""

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

    @api.depends("improvement_point_ids")
    def _compute_custcare_improvement_point_count(self):
        # whoever sees the ticket sees how many points it has
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
                and not t.sudo().with_context(active_test=False).improvement_point_ids
            )
        )
        if missing:
            raise MissingImprovementPoint(
                self.env._(
                    "Ticket %(ticket)s cannot move to “%(stage)s” without an "
                    "improvement point. Ask the customer what we could do better "
                    "(or propose a point on their behalf), then “Add Point & "
                    "Close” records it and closes the ticket in one step; or add "
                    "it in the ticket's Improvement Points tab first.",
                    ticket=missing[0].display_name,
                    stage=missing[0].stage_id.name,
                ),
                missing[0],
                missing[0].stage_id,
            )

    def action_custcare_close_with_point(self):
        self.ensure_one()
        stage = self.env["helpdesk.ticket.stage"].browse(
            self.env.context.get("custcare_stage_id")
        )
        return self.env["custcare.close.wizard"]._action_open(
            ticket=self, stage=stage.exists()
        )

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
