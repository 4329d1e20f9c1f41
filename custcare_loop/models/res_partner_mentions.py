from odoo import api, fields, models


class ResPartner(models.Model):
    """Competitor mentions on customers: what a customer writes on their own
    record is scanned (the mixin), and the customer company counts the
    mentions of all its people that the user may read."""

    _name = "res.partner"
    _inherit = ["custcare.mention.mixin", "res.partner"]

    custcare_volunteers_competitor_news = fields.Boolean(
        compute="_compute_custcare_volunteers_competitor_news",
        string="Volunteers Competitor News",
        groups="custcare_loop.group_custcare_user",
        help="This customer told us about competitors, unasked: they trust us.",
    )

    def _custcare_mention_scope(self):
        return (
            "commercial_partner_id",
            [("commercial_partner_id", "in", self.commercial_partner_id.ids)],
            lambda partner: partner.commercial_partner_id.id,
        )

    @api.depends_context("uid")
    def _compute_custcare_volunteers_competitor_news(self):
        # no sudo: the ribbon shows what the user may read
        volunteers = {
            partner.id
            for [partner] in self.env["custcare.competitor.mention"]._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("spontaneous", "=", True),
                ],
                ["commercial_partner_id"],
            )
        }
        for partner in self:
            partner.custcare_volunteers_competitor_news = (
                partner.commercial_partner_id.id in volunteers
            )

    def _custcare_mention_action_domain(self):
        self.ensure_one()
        return [("commercial_partner_id", "=", self.commercial_partner_id.id)]
