from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..utils.competitor_matcher import normalize_term

# a competitor's name, not a text: longer ones are pasted by mistake
MAX_TERM_CHARS = 120


class CustcareCompetitorAlias(models.Model):
    _name = "custcare.competitor.alias"
    _inherit = ["custcare.competitor.term.mixin"]
    _description = "Competitor Alias"
    _order = "competitor_id, name"

    competitor_id = fields.Many2one(
        comodel_name="custcare.competitor",
        required=True,
        index=True,
        ondelete="cascade",
    )
    name = fields.Char(string="Alias", required=True)

    @api.constrains("name", "competitor_id")
    def _check_name(self):
        self._custcare_check_unique_terms()

    @api.model
    def _custcare_check_unique_terms(self):
        """Names and aliases must not be empty, and none may be used twice
        (ignoring case and accents), or a mention would be ambiguous."""
        # sudo: custcare.competitor - unique among every active competitor,
        # not only those the writer may read (names only, in the error)
        competitors = (
            self.env["custcare.competitor"].sudo().search([("active", "=", True)])
        )
        seen = {}
        for term, owner in [
            *((c.name, c) for c in competitors),
            *((a.name, a.competitor_id) for a in competitors.alias_ids),
        ]:
            if len(term or "") > MAX_TERM_CHARS:
                raise ValidationError(
                    self.env._(
                        "“%(name)s…” is too long for a competitor's name or alias "
                        "(%(max)s characters at most).",
                        name=term[:40],
                        max=MAX_TERM_CHARS,
                    )
                )
            key = normalize_term(term)
            if not key:
                raise ValidationError(
                    self.env._(
                        "“%(term)s” cannot be a competitor's name or alias: once "
                        "case, accents and spaces are ignored, nothing is left to "
                        "match (competitor %(name)s).",
                        term=term or "",
                        name=owner.name or "?",
                    )
                )
            if key in seen:
                raise ValidationError(
                    self.env._(
                        "“%(term)s” is already used by the competitor "
                        "“%(competitor)s”: each name and alias must be unique "
                        "(case and accents are ignored).",
                        term=term,
                        competitor=seen[key].name,
                    )
                )
            seen[key] = owner
