from odoo import api, models


class CustcareCompetitorTermMixin(models.AbstractModel):
    """Competitor names and aliases: whitespace normalised, and any change
    clears the cached matcher in every worker."""

    _name = "custcare.competitor.term.mixin"
    _description = "Competitor Name or Alias"

    _custcare_matcher_fields = {"name", "active", "competitor_id"}

    @api.model
    def _custcare_clean_vals(self, vals):
        if "name" in vals:
            vals["name"] = " ".join((vals["name"] or "").split())
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create([self._custcare_clean_vals(v) for v in vals_list])
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        res = super().write(self._custcare_clean_vals(vals))
        if self._custcare_matcher_fields & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        res = super().unlink()
        self.env.registry.clear_cache()
        return res
