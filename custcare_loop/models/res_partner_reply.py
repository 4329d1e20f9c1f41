from odoo import api, fields, models


class ResPartner(models.Model):
    """Whether anything this customer wrote awaits our reply."""

    _inherit = "res.partner"

    custcare_awaiting_reply_count = fields.Integer(
        string="Awaiting Our Reply",
        compute="_compute_custcare_awaiting_reply_count",
        search="_search_custcare_awaiting_reply_count",
        groups="custcare_loop.group_custcare_user,helpdesk_mgmt.group_helpdesk_user_own",
        help="Tickets of this customer (and its contacts) whose latest "
        "messages nobody answered yet.",
    )

    @api.depends_context("uid")
    def _compute_custcare_awaiting_reply_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("custcare_awaiting_reply_since", "!=", False),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.custcare_awaiting_reply_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def _search_custcare_awaiting_reply_count(self, operator, value):
        if operator not in (">", "!=") or value not in (0, False):
            return NotImplemented
        tickets = self.env["helpdesk.ticket"]._search(
            [("custcare_awaiting_reply_since", "!=", False)]
        )
        return [
            ("commercial_partner_id", "in", tickets.subselect("commercial_partner_id"))
        ]
