from odoo import api, fields, models
from odoo.exceptions import UserError


class CustcarePointMergeWizard(models.TransientModel):
    """Merge duplicate improvement points into one: their customers join it
    (a done point tells the newcomers), the duplicates are archived and point
    to it, keeping their conversations, tickets and chatter."""

    _name = "custcare.point.merge.wizard"
    _description = "Merge Improvement Points"

    point_ids = fields.Many2many(
        comodel_name="custcare.improvement.point",
        string="Points to Merge",
        required=True,
    )
    target_id = fields.Many2one(
        comodel_name="custcare.improvement.point",
        string="Keep",
        required=True,
        domain="[('id', 'in', point_ids)]",
        help="The point the others are merged into.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        points = self.env["custcare.improvement.point"].browse(
            self.env.context.get("active_ids", [])
        )
        if points:
            values["point_ids"] = [(6, 0, points.ids)]
            values["target_id"] = points.sorted(lambda p: (-p.customer_count, p.id))[
                :1
            ].id
        return values

    def action_merge(self):
        self.ensure_one()
        target = self.target_id
        duplicates = self.point_ids - target
        if not duplicates:
            raise UserError(self.env._("Choose at least two points to merge."))
        duplicates._custcare_merge_into(target)
        return {
            "type": "ir.actions.act_window",
            "res_model": target._name,
            "res_id": target.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }
