from odoo import api, fields, models, tools

from ..utils.competitor_matcher import CompetitorMatcher


class CustcareCompetitor(models.Model):
    _name = "custcare.competitor"
    _inherit = ["custcare.competitor.term.mixin"]
    _description = "Competitor"
    _order = "name, id"

    name = fields.Char(required=True, index="trigram")
    active = fields.Boolean(default=True)
    color = fields.Integer()
    note = fields.Html()
    alias_ids = fields.One2many(
        comodel_name="custcare.competitor.alias",
        inverse_name="competitor_id",
        string="Aliases",
        help="Other names customers use for this competitor; all are matched.",
    )
    mention_ids = fields.One2many(
        comodel_name="custcare.competitor.mention",
        inverse_name="competitor_id",
        string="Mentions",
    )
    mention_count = fields.Integer(
        compute="_compute_mention_stats", string="# Mentions"
    )
    last_mention_date = fields.Datetime(
        compute="_compute_mention_stats", string="Last Mention"
    )

    def _compute_mention_stats(self):
        stats = {
            competitor: (count, last)
            for competitor, count, last in self.env[
                "custcare.competitor.mention"
            ]._read_group(
                [("competitor_id", "in", self.ids)],
                ["competitor_id"],
                ["__count", "date:max"],
            )
        }
        for competitor in self:
            count, last = stats.get(competitor, (0, False))
            competitor.mention_count = count
            competitor.last_mention_date = last

    @api.constrains("name", "active")
    def _check_name(self):
        self.env["custcare.competitor.alias"]._custcare_check_unique_terms()

    @api.model
    @tools.ormcache()
    def _custcare_matcher(self):
        """The matcher over every active competitor's name and aliases, built
        once per registry; any change to competitors clears it in every
        worker (registry cache invalidation)."""
        # sudo: custcare.competitor - the matcher is cached for every user and
        # scans what anyone writes (a customer's mail, a portal message, a
        # salesperson's note): it knows every active competitor, whoever
        # builds it first
        competitors = self.sudo().search([("active", "=", True)])
        terms = [(c.name, c.id) for c in competitors]
        terms += [(a.name, a.competitor_id.id) for a in competitors.alias_ids]
        return CompetitorMatcher(terms)

    @api.readonly
    def action_view_mentions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "custcare_loop.custcare_competitor_mention_action"
        )
        action["domain"] = [("competitor_id", "=", self.id)]
        return action
