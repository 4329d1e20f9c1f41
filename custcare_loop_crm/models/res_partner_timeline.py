from odoo import models

from odoo.addons.custcare_loop.models.res_partner_timeline import PER_SOURCE


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _custcare_timeline_sources(self):
        return [*super()._custcare_timeline_sources(), self._custcare_timeline_deals]

    def _custcare_timeline_deals(self, commercial, people):
        """Opportunities won and lost."""
        if not self._custcare_readable("crm.lead"):
            return []
        leads = (
            self.env["crm.lead"]
            .with_context(active_test=False)
            .search(
                [
                    ("partner_id", "in", people.ids),
                    ("type", "=", "opportunity"),
                    ("won_status", "in", ("won", "lost")),
                    ("date_closed", "!=", False),
                ],
                order="date_closed desc",
                limit=PER_SOURCE,
            )
        )
        items = []
        for lead in leads:
            if lead.won_status == "won":
                kind, icon, detail = self.env._("Deal won"), "fa-trophy", ""
            else:
                kind, icon = self.env._("Deal lost"), "fa-times-circle"
                detail = (
                    self.env._(
                        "to %(competitor)s", competitor=lead.custcare_competitor_id.name
                    )
                    if lead.custcare_competitor_id
                    else lead.lost_reason_id.name or ""
                )
            items.append(
                self._custcare_timeline_item(
                    lead.date_closed, icon, kind, lead.name, detail, lead
                )
            )
        return items
