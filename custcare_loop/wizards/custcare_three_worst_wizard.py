from odoo import fields, models
from odoo.exceptions import UserError


class CustcareThreeWorstWizard(models.TransientModel):
    """A "three worst things" conversation: the rep asks the customer what
    the three worst things about dealing with us are and records up to three
    points at once, marked as asked (not volunteered)."""

    _name = "custcare.three.worst.wizard"
    _description = "Ask the Customer for the Three Worst Things"

    conversation_id = fields.Many2one(
        comodel_name="custcare.conversation",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    first = fields.Char(string="Worst Thing #1")
    first_aspect_id = fields.Many2one("custcare.improvement.aspect", string="Aspect #1")
    second = fields.Char(string="Worst Thing #2")
    second_aspect_id = fields.Many2one(
        "custcare.improvement.aspect", string="Aspect #2"
    )
    third = fields.Char(string="Worst Thing #3")
    third_aspect_id = fields.Many2one("custcare.improvement.aspect", string="Aspect #3")

    def _custcare_lines(self):
        self.ensure_one()
        wizard = self
        return [
            (text.strip(), aspect)
            for text, aspect in (
                (wizard.first or "", wizard.first_aspect_id),
                (wizard.second or "", wizard.second_aspect_id),
                (wizard.third or "", wizard.third_aspect_id),
            )
            if text.strip()
        ]

    def action_confirm(self):
        self.ensure_one()
        lines = self._custcare_lines()
        if not lines:
            raise UserError(
                self.env._("Write at least one thing the customer finds worst.")
            )
        conversation = self.conversation_id
        self.env["custcare.improvement.point"].create(
            [
                {
                    "name": text[:200],
                    "customer_words": text,
                    "aspect_id": aspect.id,
                    "raised_by": "asked",
                    "partner_id": conversation.partner_id.id,
                    "conversation_id": conversation.id,
                    "company_id": conversation.company_id.id,
                }
                for text, aspect in lines
            ]
        )
        return {"type": "ir.actions.act_window_close"}
