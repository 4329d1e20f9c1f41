from odoo import api, fields, models
from odoo.exceptions import UserError


class CustcareCloseWizard(models.TransientModel):
    """Record an improvement point and close the conversation or ticket."""

    _name = "custcare.close.wizard"
    _description = "Add an Improvement Point and Close"

    conversation_id = fields.Many2one(
        comodel_name="custcare.conversation",
        readonly=True,
        ondelete="cascade",
    )
    ticket_id = fields.Many2one(
        comodel_name="helpdesk.ticket",
        readonly=True,
        ondelete="cascade",
    )
    ticket_team_id = fields.Many2one(related="ticket_id.team_id")
    stage_id = fields.Many2one(
        comodel_name="helpdesk.ticket.stage",
        string="Close In Stage",
        domain="[('closed', '=', True), '|', ('team_ids', '=', False), "
        "('team_ids', 'in', ticket_team_id)]",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
    )
    name = fields.Char(
        string="Improvement Point",
        required=True,
        help="The problem or suggestion, in short.",
    )
    customer_words = fields.Text(
        help="What the customer said, in their own words.",
    )
    aspect_id = fields.Many2one(
        comodel_name="custcare.improvement.aspect",
    )
    similar_point_ids = fields.Many2many(
        comodel_name="custcare.improvement.point",
        compute="_compute_similar_point_ids",
        string="Similar Points",
    )
    same_as_id = fields.Many2one(
        comodel_name="custcare.improvement.point",
        string="Same as",
        help="An existing point that says the same: the customer joins it "
        "instead of a duplicate (this conversation or ticket keeps its own "
        "record of it).",
    )
    stage_sends_notice = fields.Boolean(related="stage_id.custcare_resolved")
    resolution = fields.Text(
        string="What We Did",
        compute="_compute_resolution",
        store=True,
        readonly=False,
        help="For a ticket: told to the customer in the resolution notice.",
    )
    raised_by = fields.Selection(
        selection=lambda self: (
            self.env["custcare.improvement.point"]
            ._fields["raised_by"]
            ._description_selection(self.env)
        ),
        required=True,
        default="customer",
    )

    @api.depends("name", "conversation_id", "ticket_id")
    def _compute_similar_point_ids(self):
        Point = self.env["custcare.improvement.point"]
        for wizard in self:
            record = wizard.conversation_id or wizard.ticket_id
            wizard.similar_point_ids = Point._custcare_find_similar(
                wizard.name, record.company_id
            )

    @api.depends("ticket_id")
    def _compute_resolution(self):
        for wizard in self:
            wizard.resolution = (
                wizard.resolution or wizard.ticket_id.custcare_resolution
            )

    @api.model
    def _action_open(self, conversation=None, ticket=None, stage=None):
        record = conversation or ticket
        context = {
            "default_partner_id": record.partner_id.id,
        }
        if conversation:
            context["default_conversation_id"] = conversation.id
            name = self.env._("Add an Improvement Point and Close")
        else:
            context["default_ticket_id"] = ticket.id
            # the stage the user wanted (a kanban drag), else Done
            stage = stage or self.env.ref(
                "helpdesk_mgmt.helpdesk_ticket_stage_done", raise_if_not_found=False
            )
            if not stage or (stage.team_ids and ticket.team_id not in stage.team_ids):
                stage = ticket.team_id._get_applicable_stages().filtered("closed")[:1]
            context["default_stage_id"] = stage.id
            name = self.env._("Add an Improvement Point and Close the Ticket")
        return {
            "type": "ir.actions.act_window",
            "name": name,
            "res_model": self._name,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": context,
        }

    def action_confirm(self):
        self.ensure_one()
        if self.ticket_id and not self.stage_id:
            raise UserError(self.env._("Choose the closed stage for the ticket."))
        if (
            self.ticket_id
            and self.stage_sends_notice
            and not (self.resolution or "").strip()
        ):
            raise UserError(
                self.env._(
                    "Say what we did to solve it: the customer reads it in the "
                    "resolution notice."
                )
            )
        self.env["custcare.improvement.point"].create(
            {
                "name": self.name,
                "customer_words": self.customer_words,
                "aspect_id": self.aspect_id.id,
                "raised_by": self.raised_by,
                "partner_id": self.partner_id.id,
                "conversation_id": self.conversation_id.id,
                "ticket_id": self.ticket_id.id,
                "company_id": (self.conversation_id or self.ticket_id).company_id.id,
                "merged_into_id": self.same_as_id.id,
            }
        )
        if self.conversation_id:
            self.conversation_id.action_close()
            message = self.env._(
                "Point recorded; the conversation with %(customer)s is closed.",
                customer=self.partner_id.display_name,
            )
        else:
            if self.resolution:
                self.ticket_id.custcare_resolution = self.resolution
            self.ticket_id.stage_id = self.stage_id
            message = self.env._(
                "Point recorded; ticket %(ticket)s is now %(stage)s.",
                ticket=self.ticket_id.number or self.ticket_id.display_name,
                stage=self.stage_id.name,
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": message,
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
