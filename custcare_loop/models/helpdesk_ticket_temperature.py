from odoo import fields, models

from ..utils.temperature import TEMPERATURES


class HelpdeskTicket(models.Model):
    """The customer's temperature on a ticket (see the mixin)."""

    _name = "helpdesk.ticket"
    _inherit = ["custcare.temperature.mixin", "helpdesk.ticket"]

    _custcare_open_fields = ("stage_id",)

    custcare_temperature = fields.Selection(
        selection=TEMPERATURES,
        string="Temperature",
        tracking=True,
        index="btree_not_null",
        help="How upset the customer is, as you judge it: calm, warm, hot or "
        "boiling. Empty: not judged.",
    )

    def _custcare_is_open(self):
        self.ensure_one()
        return not self.closed

    def _custcare_escalation_user(self):
        """The team leader steps in, else the company's fallback rep."""
        self.ensure_one()
        return self._custcare_real_user(
            self.team_id.user_id,
            (self.company_id or self.env.company).custcare_fallback_user_id,
        )
