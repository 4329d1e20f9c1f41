from collections import defaultdict

from odoo import api, fields, models


class CustcareCampaignLine(models.Model):
    _name = "custcare.campaign.line"
    _description = "Change Campaign Customer"
    _order = "campaign_id, partner_id"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one(
        comodel_name="custcare.campaign",
        required=True,
        index=True,
        ondelete="cascade",
    )
    partner_id = fields.Many2one(
        comodel_name="res.partner",
        string="Customer",
        required=True,
        index=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one(comodel_name="res.users", string="Rep")
    company_id = fields.Many2one(related="campaign_id.company_id", store=True)
    activity_ids = fields.One2many(
        comodel_name="mail.activity",
        inverse_name="custcare_campaign_line_id",
        string="Activities",
        context={"active_test": False},
    )
    activity_done_count = fields.Integer(
        compute="_compute_activity_counts", string="Done"
    )
    activity_open_count = fields.Integer(
        compute="_compute_activity_counts", string="Open"
    )
    activity_overdue_count = fields.Integer(
        compute="_compute_activity_counts", string="Overdue"
    )

    _partner_uniq = models.Constraint(
        "UNIQUE(campaign_id, partner_id)",
        "A customer is in a campaign only once.",
    )

    @api.model
    def _activity_counts(self, domain, groupby):
        """{group id: (done, open, overdue)} over the campaign activities."""
        today = fields.Date.context_today(self)
        # sudo: mail.activity - only counts are shown: every activity of the
        # campaign, done (archived) or assigned to a colleague, on customers
        # the reader may not edit
        groups = (
            self.env["mail.activity"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                domain + [("custcare_campaign_line_id", "!=", False)],
                [groupby, "active", "date_deadline:day"],
                ["__count"],
            )
        )
        counts = defaultdict(lambda: [0, 0, 0])
        for group, active, deadline, count in groups:
            if not active:
                counts[group.id][0] += count
            elif deadline and deadline < today:
                counts[group.id][2] += count
            else:
                counts[group.id][1] += count
        return {key: tuple(value) for key, value in counts.items()}

    def _compute_activity_counts(self):
        counts = self._activity_counts(
            [("custcare_campaign_line_id", "in", self.ids)], "custcare_campaign_line_id"
        )
        for line in self:
            done, open_, overdue = counts.get(line.id, (0, 0, 0))
            line.activity_done_count = done
            line.activity_open_count = open_
            line.activity_overdue_count = overdue
