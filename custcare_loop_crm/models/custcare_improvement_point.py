from odoo import api, fields, models


class CustcareImprovementPoint(models.Model):
    """What a customer said when a deal was lost is an improvement point of
    its opportunity."""

    _inherit = "custcare.improvement.point"

    # the customer's knowledge outlives the opportunity
    lead_id = fields.Many2one(
        comodel_name="crm.lead",
        string="Opportunity",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
    )

    @api.onchange("lead_id")
    def _onchange_lead_id(self):
        if self.lead_id.partner_id and not self.partner_id:
            self.partner_id = self.lead_id.partner_id

    @api.model_create_multi
    def create(self, vals_list):
        points = super().create(vals_list)
        # sudo: crm.lead - a point recorded settles what its opportunity
        # owed, whoever records it
        points.sudo().lead_id._custcare_settle_point_owed()
        return points

    def write(self, vals):
        res = super().write(vals)
        if vals.get("lead_id"):
            # sudo: crm.lead - see create()
            self.sudo().lead_id._custcare_settle_point_owed()
        return res
