from odoo import api, fields, models

from ..exceptions import MissingImprovementPoint


class HelpdeskTicket(models.Model):
    """Improvement points on tickets: a person cannot move a ticket into a
    closed stage that requires one until at least one is recorded. The
    system (a superuser environment: scheduled actions, the mail gateway,
    automation rules, other addons acting as the system) is never refused:
    the ticket closes and owes a point, asked of its owner."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "custcare.point.owed.mixin"]

    improvement_point_ids = fields.One2many(
        comodel_name="custcare.improvement.point",
        inverse_name="ticket_id",
        string="Improvement Points",
        # a point that joined an existing one ("same as") is archived: it is
        # still what the customer said on this ticket
        context={"active_test": False},
    )
    custcare_improvement_point_count = fields.Integer(
        compute="_compute_custcare_improvement_point_count",
        string="Points",
    )

    @api.depends("improvement_point_ids.active", "improvement_point_ids.merged_into_id")
    def _compute_custcare_improvement_point_count(self):
        # sudo: custcare.improvement.point - whoever sees the ticket sees how
        # many points it contributed to: its own, and those its points joined
        # ("same as"), archived or not readable by them; only a count
        points = (
            self.env["custcare.improvement.point"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                [("ticket_id", "in", self.ids)],
                ["ticket_id", "merged_into_id", "active"],
            )
        )
        by_ticket = points.grouped("ticket_id")
        for ticket in self:
            ticket.custcare_improvement_point_count = len(
                by_ticket.get(
                    ticket._origin, points.browse()
                )._custcare_current_points()
            )

    def _custcare_missing_point(self):
        """Those of these tickets in a closed stage that requires a point
        and has none."""
        return self.filtered(
            lambda t: (
                t.stage_id.closed
                and t.stage_id.custcare_require_improvement_point
                # sudo: custcare.improvement.point - any point counts, whoever
                # closes (one merged into another is archived, still its
                # ticket's) and whichever companies they have selected;
                # nothing of it is shown
                and not t.sudo().with_context(active_test=False).improvement_point_ids
            )
        )

    def _custcare_check_point_before_close(self):
        """A person moving tickets into a closed stage that requires a point
        is refused while one has none; the system never is: the ticket
        closes and owes a point. (Not an ``api.constrains``: constraints run
        as superuser, so they cannot tell the system from a person.)"""
        missing = self._custcare_missing_point()
        if not missing:
            return
        if self.env.su:
            missing._custcare_owe_point()
            return
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

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._custcare_check_point_before_close()
        return tickets

    def write(self, vals):
        res = super().write(vals)
        if "stage_id" in vals:
            self._custcare_check_point_before_close()
            self.filtered("closed").partner_id._custcare_health_follow()
        return res

    @api.readonly
    def action_custcare_close_with_point(self):
        self.ensure_one()
        stage = self.env["helpdesk.ticket.stage"].browse(
            self.env.context.get("custcare_stage_id")
        )
        return self.env["custcare.close.wizard"]._action_open(
            ticket=self, stage=stage.exists()
        )

    @api.readonly
    def action_custcare_view_improvement_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_improvement_point_action"
        )
        joined = self.improvement_point_ids._custcare_current_points()
        action["domain"] = [
            "|",
            ("ticket_id", "=", self.id),
            ("id", "in", joined.ids),
        ]
        action["context"] = {
            "default_ticket_id": self.id,
            "default_partner_id": self.partner_id.id,
        }
        return action
