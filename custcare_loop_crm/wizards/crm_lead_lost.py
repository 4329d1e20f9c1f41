from odoo import api, fields, models
from odoo.exceptions import UserError


class CrmLeadLost(models.TransientModel):
    """Odoo's Mark as Lost asks, in the same dialog, what the customer said
    we could do better (an improvement point, required while an opportunity
    has none) and, optionally, the competitor that won."""

    _inherit = "crm.lead.lost"

    custcare_point = fields.Text(
        string="What Could We Do Better?",
        help="What the customer said we could do better, in their words: "
        "recorded as an improvement point of each opportunity.",
    )
    custcare_aspect_id = fields.Many2one(
        comodel_name="custcare.improvement.aspect",
        string="Aspect",
    )
    custcare_competitor_id = fields.Many2one(
        comodel_name="custcare.competitor",
        string="Who Won",
        help="The competitor the customer chose instead, if they told you: "
        "recorded as a competitor mention on the customer.",
    )
    custcare_point_required = fields.Boolean(
        compute="_compute_custcare_point_required",
    )
    custcare_similar_point_ids = fields.Many2many(
        comodel_name="custcare.improvement.point",
        compute="_compute_custcare_similar_point_ids",
        string="Similar Points",
        groups="custcare_loop.group_custcare_user",
    )
    custcare_same_as_id = fields.Many2one(
        comodel_name="custcare.improvement.point",
        string="Same as",
        groups="custcare_loop.group_custcare_user",
        help="An existing point that says the same: the customer joins it "
        "instead of a duplicate (the opportunity keeps its own record of it).",
    )

    @api.depends("lead_ids")
    def _compute_custcare_point_required(self):
        for wizard in self:
            wizard.custcare_point_required = any(
                lead.type == "opportunity" and not lead.custcare_improvement_point_count
                for lead in wizard.lead_ids
            )

    @api.depends("custcare_point", "lead_ids")
    def _compute_custcare_similar_point_ids(self):
        Point = self.env["custcare.improvement.point"]
        for wizard in self:
            wizard.custcare_similar_point_ids = Point._custcare_find_similar(
                wizard.custcare_point, wizard.lead_ids[:1].company_id
            )

    def action_lost_reason_apply(self):
        """Record the point (and the competitor that won) on each
        opportunity, then let Odoo mark them lost."""
        self.ensure_one()
        words = (self.custcare_point or "").strip()
        if words:
            self._custcare_record(words)
        elif self.custcare_point_required:
            raise UserError(
                self.env._(
                    "Write what the customer said we could do better: a lost deal "
                    "needs an improvement point."
                )
            )
        return super().action_lost_reason_apply()

    def _custcare_record(self, words):
        leads = self.lead_ids.filtered(lambda lead: lead.type == "opportunity")
        customers = {lead: lead._custcare_lost_customer() for lead in leads}
        nobody = [lead for lead, customer in customers.items() if not customer]
        if nobody:
            raise UserError(
                self.env._(
                    "The opportunity “%(lead)s” has no customer: set the customer "
                    "(the company you talked to) so that what they said is kept "
                    "with them.",
                    lead=nobody[0].display_name,
                )
            )
        name = " ".join(words.split())[:200]
        # sudo: custcare.improvement.point, custcare.competitor.mention - every
        # salesperson who may mark the deal lost records what the customer
        # said, Customer Care user or not
        self.env["custcare.improvement.point"].sudo().create(
            [
                {
                    "name": name,
                    "customer_words": words,
                    "raised_by": "customer",
                    "aspect_id": self.custcare_aspect_id.id,
                    "partner_id": customers[lead].id,
                    "lead_id": lead.id,
                    "company_id": (lead.company_id or self.env.company).id,
                    "user_id": lead.user_id.id or self.env.user.id,
                    # sudo: crm.lead.lost - "Same as" is a Customer Care
                    # user's field (groups=): a salesperson without the group
                    # cannot have set it, and reading it would refuse them
                    "merged_into_id": self.sudo().custcare_same_as_id.id,
                }
                for lead in leads
            ]
        )
        leads.write(
            {
                "custcare_lost_aspect_id": self.custcare_aspect_id.id,
                **(
                    {"custcare_competitor_id": self.custcare_competitor_id.id}
                    if self.custcare_competitor_id
                    else {}
                ),
            }
        )
        if self.custcare_competitor_id:
            # sudo: custcare.competitor.mention - see above: people may not
            # create mentions, a salesperson records who won
            Mention = self.env["custcare.competitor.mention"].sudo()
            Mention._custcare_create_once(
                [
                    {
                        "competitor_id": self.custcare_competitor_id.id,
                        "partner_id": customers[lead].id,
                        "res_model": lead._name,
                        "res_id": lead.id,
                        "source_key": "lost_deal",
                        "source": "lost_deal",
                        "snippet": words[:500],
                        "spontaneous": False,
                        "source_name": lead.display_name,
                        "company_id": (lead.company_id or self.env.company).id,
                    }
                    for lead in leads
                ]
            )
