from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import is_html_empty


class CustcarePointDoneWizard(models.TransientModel):
    """Mark an improvement point done: say what was done (required), see who
    will be told (and who will be called instead) and the mail they get."""

    _name = "custcare.point.done.wizard"
    _description = "Mark an Improvement Point as Done"

    point_id = fields.Many2one(
        comodel_name="custcare.improvement.point",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    action_taken = fields.Html(
        required=True,
        help="What was done: every customer who raised the point reads it.",
    )
    customer_ids = fields.Many2many(
        comodel_name="res.partner",
        compute="_compute_customers",
        string="Customers Told by Email",
    )
    call_ids = fields.Many2many(
        comodel_name="res.partner",
        compute="_compute_customers",
        string="Customers to Call (no email)",
    )
    preview = fields.Html(
        compute="_compute_preview",
        sanitize=False,
        string="What They Receive",
    )

    @api.depends("point_id")
    def _compute_customers(self):
        for wizard in self:
            point = wizard.point_id
            waiting = (
                point.partner_id | point.partner_ids
            ) - point.notified_partner_ids
            # computed apart: a wizard not saved yet holds new records, which
            # a subtraction from real ones would not remove
            emailed = waiting.filtered("email_normalized")
            wizard.customer_ids = emailed
            wizard.call_ids = waiting - emailed

    @api.depends("point_id", "action_taken", "customer_ids")
    def _compute_preview(self):
        template = self.env.ref("custcare_loop.mail_template_improvement_done")
        for wizard in self:
            point = wizard.point_id
            customer = wizard.customer_ids[:1] or point.partner_id
            if not point.id:
                wizard.preview = False
                continue
            # rendered on the point as it will be once done, for one customer
            wizard.preview = template._render_template(
                template.body_html,
                point._name,
                point.ids,
                engine="qweb",
                add_context={
                    "customer": customer,
                    "custcare_action_taken": wizard.action_taken,
                },
            )[point.id]

    def action_confirm(self):
        self.ensure_one()
        if is_html_empty(self.action_taken):
            raise UserError(self.env._("Say what was done: the customers read it."))
        self.point_id.with_context(custcare_done_confirmed=True).write(
            {"action_taken": self.action_taken, "state": "done"}
        )
        return {"type": "ir.actions.act_window_close"}
