from datetime import timedelta

from odoo import api, fields, models


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _custcare_demo_overdue_invoice(self, partner_xmlid, days_overdue, amount):
        """Demo data only: a posted invoice of ``partner_xmlid`` due
        ``days_overdue`` days ago. Skipped when the company has no sales
        journal yet (no chart of accounts installed)."""
        partner = self.env.ref(partner_xmlid, raise_if_not_found=False)
        journal = self.env["account.journal"].search(
            [("type", "=", "sale"), ("company_id", "=", self.env.company.id)], limit=1
        )
        if not partner or not journal:
            return self.browse()
        today = fields.Date.today()
        invoice = self.create(
            {
                "move_type": "out_invoice",
                "partner_id": partner.id,
                "journal_id": journal.id,
                "invoice_date": today - timedelta(days=days_overdue + 30),
                "invoice_date_due": today - timedelta(days=days_overdue),
                "invoice_line_ids": [
                    (0, 0, {"name": "Wedding cake, three tiers", "price_unit": amount})
                ],
            }
        )
        invoice.action_post()
        return invoice
