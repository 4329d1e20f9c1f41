from collections import defaultdict
from datetime import timedelta

from odoo import fields, models

# how long a lost deal weighs on a customer's health
LOST_DEAL_DAYS = 90


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _custcare_health_signals(self):
        """A deal lost in the last 90 days is a reason."""
        signals = super()._custcare_health_signals()
        since = fields.Datetime.now() - timedelta(days=LOST_DEAL_DAYS)
        # sudo: crm.lead - lost deals (archived) counted whoever refreshes the
        # health (a rep who is not a salesperson, or another's); only a count
        Lead = self.env["crm.lead"].sudo().with_context(active_test=False)
        lost = defaultdict(int)
        for partner, count in Lead._read_group(
            [
                ("partner_id.commercial_partner_id", "in", self.ids),
                ("type", "=", "opportunity"),
                ("won_status", "=", "lost"),
                ("date_closed", ">=", since),
            ],
            ["partner_id"],
            ["__count"],
        ):
            lost[partner.commercial_partner_id.id] += count
        for partner_id, count in lost.items():
            signals[partner_id].append(
                (min(10 * count, 20), "lost_deals", {"count": count})
            )
        return signals

    def _custcare_health_reason_text(self, code, values):
        if code == "lost_deals":
            if values.get("count") == 1:
                return self.env._("1 deal lost in the last 90 days")
            return self.env._(
                "%(count)s deals lost in the last 90 days", count=values.get("count")
            )
        return super()._custcare_health_reason_text(code, values)
