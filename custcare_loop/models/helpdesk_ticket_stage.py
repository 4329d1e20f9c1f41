from odoo import fields, models


class HelpdeskTicketStage(models.Model):
    _inherit = "helpdesk.ticket.stage"

    custcare_require_improvement_point = fields.Boolean(
        string="Requires an Improvement Point",
        default=True,
        help="A ticket can only enter this closed stage once at least one "
        "improvement point is recorded on it.",
    )
    custcare_resolved = fields.Boolean(
        string="Resolved",
        help="Entering this closed stage means the customer's problem is solved "
        "(for example Done, but not Cancelled or Rejected).",
    )
