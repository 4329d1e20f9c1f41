from collections import defaultdict
from datetime import timedelta

from odoo import fields, models

from .stock_picking import LATE_DELIVERY_DAYS


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _custcare_health_signals(self):
        """Deliveries late in the last 90 days: done after the day promised,
        or not done and past it."""
        signals = super()._custcare_health_signals()
        since = fields.Datetime.now() - timedelta(days=LATE_DELIVERY_DAYS)
        # sudo: stock.picking - counted whoever refreshes the health (a rep
        # who may not read deliveries); only a count is stored
        Picking = self.env["stock.picking"].sudo()
        late = defaultdict(int)
        for partner, count in Picking._read_group(
            [
                ("custcare_commercial_partner_id", "in", self.ids),
                ("picking_type_code", "=", "outgoing"),
                ("date_deadline", ">=", since),
                "|",
                ("custcare_on_time", "=", "late"),
                "&",
                ("state", "not in", ("done", "cancel")),
                ("custcare_late_notified", "=", True),
            ],
            ["custcare_commercial_partner_id"],
            ["__count"],
        ):
            late[partner] += count
        for partner, count in late.items():
            weight = (
                partner._custcare_care_company().custcare_health_late_delivery_weight
            )
            if not weight:
                continue
            signals[partner.id].append(
                (min(weight * count, 2 * weight), "late_deliveries", {"count": count})
            )
        return signals

    def _custcare_health_reason_text(self, code, values):
        if code == "late_deliveries":
            if values.get("count") == 1:
                return self.env._("1 delivery late in the last 90 days")
            return self.env._(
                "%(count)s deliveries late in the last 90 days",
                count=values.get("count"),
            )
        return super()._custcare_health_reason_text(code, values)
