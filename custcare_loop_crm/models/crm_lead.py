from odoo import api, fields, models

from odoo.addons.custcare_loop.exceptions import MissingImprovementPoint

# what can turn an opportunity lost (crm's won_status: inactive, probability 0)
LOST_FIELDS = {"active", "probability", "stage_id", "type"}


class CrmLead(models.Model):
    """A lost deal is a conversation that ended with the customer telling us
    what we lack: an opportunity becoming lost, by any path, needs an
    improvement point when a person does it; when the system does it, it
    owes one. Leads not yet qualified (type ``lead``) are not gated: nobody
    has talked business with them yet."""

    _name = "crm.lead"
    _inherit = ["crm.lead", "custcare.point.owed.mixin"]

    improvement_point_ids = fields.One2many(
        comodel_name="custcare.improvement.point",
        inverse_name="lead_id",
        string="Improvement Points",
        # a point that joined an existing one ("same as") is archived: it is
        # still what this customer said when the deal was lost
        context={"active_test": False},
        groups="custcare_loop.group_custcare_user",
    )
    custcare_improvement_point_count = fields.Integer(
        compute="_compute_custcare_improvement_point_count",
        string="Points",
    )
    custcare_competitor_id = fields.Many2one(
        comodel_name="custcare.competitor",
        string="Lost To",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        tracking=72,
        help="The competitor that won the deal, as the customer told us.",
    )
    custcare_lost_aspect_id = fields.Many2one(
        comodel_name="custcare.improvement.aspect",
        string="Lost On",
        copy=False,
        ondelete="set null",
        help="What the deal was lost on: the aspect of the point recorded.",
    )

    @api.depends("improvement_point_ids")
    def _compute_custcare_improvement_point_count(self):
        # sudo: custcare.improvement.point - whoever sees the opportunity (a
        # salesperson who is not a Customer Care user) sees how many points it
        # has, archived ones too; only a count
        counts = dict(
            self.env["custcare.improvement.point"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("lead_id", "in", self.ids)],
                ["lead_id"],
                ["__count"],
            )
        )
        for lead in self:
            lead.custcare_improvement_point_count = counts.get(lead._origin, 0)

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._custcare_check_point_before_lost({})
        return leads

    def write(self, vals):
        watched = LOST_FIELDS & set(vals)
        before = {lead.id: lead.won_status for lead in self} if watched else {}
        res = super().write(vals)
        if watched:
            self._custcare_check_point_before_lost(before)
        return res

    def _custcare_check_point_before_lost(self, before):
        """Opportunities that became lost (``before``: their status before)
        without a point: a person is refused, the system is not (they owe
        one)."""
        missing = self.filtered(
            lambda lead: (
                lead.type == "opportunity"
                and lead.won_status == "lost"
                and before.get(lead.id) != "lost"
                # sudo: custcare.improvement.point - any point counts, whoever
                # marks the deal lost (a salesperson may not read points; one
                # merged into another is archived); nothing of it is shown
                and not lead.sudo()
                .with_context(active_test=False)
                .improvement_point_ids
            )
        )
        if not missing:
            return
        if self.env.su:
            missing._custcare_owe_point()
            return
        raise MissingImprovementPoint(
            self.env._(
                "The opportunity “%(lead)s” cannot be lost without an improvement "
                "point. Ask the customer what we could have done better (and who "
                "won, if they tell you), then “Add Point & Close” marks it lost "
                "with their words in one step.",
                lead=missing[0].display_name,
            ),
            missing[0],
        )

    def _custcare_lost_customer(self):
        """Who said it: the opportunity's customer company; an opportunity
        known only by an address gets the contact of that address (found,
        else created)."""
        self.ensure_one()
        if self.partner_id:
            return self.partner_id.commercial_partner_id
        if self.email_from:
            # sudo: res.partner - a salesperson may not create contacts
            return (
                self.env["res.partner"]
                .sudo()
                ._find_or_create_from_emails([self.email_from])[0]
                .commercial_partner_id
            )
        return self.env["res.partner"]

    def _custcare_responsible_user(self):
        self.ensure_one()
        return self._custcare_real_user(
            self.user_id,
            self.team_id.user_id,
            (self.company_id or self.env.company).custcare_fallback_user_id,
        )

    @api.readonly
    def action_custcare_close_with_point(self):
        """The fix offered by a refusal: Odoo's own Mark as Lost dialog,
        which asks what the customer said we could do better."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "crm.crm_lead_lost_action"
        )
        action["context"] = {"dialog_size": "medium", "default_lead_ids": self.ids}
        return action

    @api.readonly
    def action_custcare_view_improvement_points(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_improvement_point_action"
        )
        action["domain"] = [("lead_id", "=", self.id)]
        action["context"] = {
            "default_lead_id": self.id,
            "default_partner_id": self.partner_id.commercial_partner_id.id,
            "active_test": False,
        }
        return action
