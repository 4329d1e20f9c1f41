from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _custcare_health_signals(self):
        """Posted customer invoices past their due date and not paid: how
        many, and by how many days the oldest is overdue."""
        signals = super()._custcare_health_signals()
        today = fields.Date.today()
        # sudo: account.move - counted whoever refreshes the health (a rep
        # who may not read invoices); only a count and a number of days are
        # stored
        Move = self.env["account.move"].sudo()
        for partner, count, oldest in Move._read_group(
            [
                ("commercial_partner_id", "in", self.ids),
                ("move_type", "=", "out_invoice"),
                ("state", "=", "posted"),
                ("payment_state", "in", ("not_paid", "partial")),
                ("invoice_date_due", "<", today),
            ],
            ["commercial_partner_id"],
            ["__count", "invoice_date_due:min"],
        ):
            weight = (
                partner._custcare_care_company().custcare_health_overdue_invoice_weight
            )
            if not weight:
                continue
            days = (today - oldest).days
            signals[partner.id].append(
                (
                    min(weight * count, 2 * weight),
                    "overdue_invoices",
                    {"count": count, "days": days},
                )
            )
        return signals

    def _custcare_health_reason_text(self, code, values):
        if code == "overdue_invoices":
            if values.get("count") == 1:
                return self.env._(
                    "1 invoice overdue by %(days)s days", days=values.get("days")
                )
            return self.env._(
                "%(count)s invoices overdue, the oldest by %(days)s days",
                count=values.get("count"),
                days=values.get("days"),
            )
        return super()._custcare_health_reason_text(code, values)
